import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { textChangedRevision } from "./reading-answers";

/**
 * Reloads the page's data when someone changes its comments: the server's event stream names the thread, and
 * the loader decides what this reader sees. Bursts of events cause one reload at a time, and none is missed.
 * Readers without the editor also ask for the text's revisions (`onTextChanged`; decision 0022): the stream sends
 * the current one when it opens, and each new one after a burst of edits.
 */
export function useCommentEvents(slug: string, enabled: boolean, onTextChanged?: (revision: string) => void): void {
  const revalidator = useRevalidator();
  const state = useRef({ revalidator, pending: false });
  useEffect(() => {
    state.current.revalidator = revalidator;
    if (revalidator.state === "idle" && state.current.pending) {
      state.current.pending = false;
      revalidator.revalidate();
    }
  });
  const textListener = useRef(onTextChanged);
  useEffect(() => {
    textListener.current = onTextChanged;
  });
  const wantsText = onTextChanged !== undefined;
  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource(`/d/${encodeURIComponent(slug)}/events${wantsText ? "?text" : ""}`);
    const onText = (event: MessageEvent<string>) => {
      const revision = textChangedRevision(event.data);
      if (revision !== null) textListener.current?.(revision);
    };
    const onChange = () => {
      const current = state.current;
      if (current.revalidator.state === "idle") current.revalidator.revalidate();
      else current.pending = true;
    };
    // After a reconnect, whatever changed while the stream was down is fetched once.
    let opened = false;
    const onOpen = () => {
      if (opened) onChange();
      opened = true;
    };
    source.addEventListener("thread-changed", onChange);
    source.addEventListener("version-frozen", onChange);
    source.addEventListener("open", onOpen);
    source.addEventListener("text-changed", onText);
    return () => {
      source.removeEventListener("text-changed", onText);
      source.removeEventListener("thread-changed", onChange);
      source.removeEventListener("version-frozen", onChange);
      source.removeEventListener("open", onOpen);
      source.close();
    };
  }, [slug, enabled, wantsText]);
}
