import { useFetchers } from "@remix-run/react";
import { useEffect } from "react";
import type { CommentActionData } from "#app/comments/types";

type Feedback = () => void;

/** Per form (its key, as in useCommentForm): what to say and where to put focus once its submission succeeded. */
const awaiting = new Map<string, Feedback>();
const due: Feedback[] = [];

/**
 * For an action that may take its own form off the page (resolving a thread, or answering a suggestion, while only
 * open threads are listed): the form's component is gone by the time its result is shown, so the page runs the
 * feedback instead, once the page's data is fresh. Call when the form is sent.
 */
export function expectFeedback(formKey: string, feedback: Feedback): void {
  awaiting.set(formKey, feedback);
}

/** From the route's client action: the answer to a form's submission. */
export function noteCommentResult(formKey: string, result: CommentActionData): void {
  const feedback = awaiting.get(formKey);
  awaiting.delete(formKey);
  if (feedback && result.ok) due.push(feedback);
}

/** On the page: runs the feedback that is due once no submission is still loading the page's data again. */
export function useCommentActionFeedback(): void {
  const busy = useFetchers().some((fetcher) => fetcher.state !== "idle");
  useEffect(() => {
    if (busy) return;
    for (const feedback of due.splice(0)) feedback();
  });
}
