import { useActionData, useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { CommentActionData } from "~/comments/types";

/**
 * One comment form's submission state. With JavaScript the form posts through its own fetcher and the page
 * stays as it is; without, the page's action answers and its data reaches the form with the same key.
 * `onDone` runs once per successful submission.
 */
export function useCommentForm(formKey: string, onDone?: (result: Extract<CommentActionData, { ok: true }>) => void) {
  const fetcher = useFetcher<CommentActionData>();
  const pageResult = useActionData<CommentActionData>();
  const result = fetcher.data ?? pageResult;
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
