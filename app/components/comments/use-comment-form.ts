import { useActionData, useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { CommentActionData } from "#app/comments/types";

/** Forms that are on the page whenever the page's own action refused them, so they show that answer themselves. */
export function showsPageAnswer(formKey: string): boolean {
  return formKey === "new-thread" || formKey.startsWith("reply:") || formKey.startsWith("accept-suggestion:") || formKey.startsWith("close:");
}

/**
 * One comment form's submission state. With JavaScript the form posts through its own fetcher and the page
 * stays as it is; without, the page's action answers: new comments and replies show that answer at their form
 * (with the text sent), any other at the top of the comments (CommentsPanel), as the form may not be there.
 * `onDone` runs once per successful submission.
 */
export function useCommentForm(formKey: string, onDone?: (result: Extract<CommentActionData, { ok: true }>) => void) {
  const fetcher = useFetcher<CommentActionData>();
  const pageResult = useActionData<CommentActionData>();
  const result = fetcher.data ?? (showsPageAnswer(formKey) ? pageResult : undefined);
  const failure = result && !result.ok && result.formKey === formKey ? result : null;

  const onDoneRef = useRef(onDone);
  useEffect(() => {
    onDoneRef.current = onDone;
  });
  const handled = useRef<CommentActionData | undefined>(undefined);
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data?.ok || handled.current === fetcher.data) return;
    handled.current = fetcher.data;
    onDoneRef.current?.(fetcher.data);
  }, [fetcher.state, fetcher.data]);

  return { fetcher, failure, busy: fetcher.state !== "idle" };
}
