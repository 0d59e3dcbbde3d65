import { useCallback, useEffect, useRef, type RefObject } from "react";
import { patchReadingView } from "./patch-reading";
import { readingAnswer } from "./reading-answers";

interface Rendered {
  revision: string;
  /** What the markup showed beside the text (see `annotations` below). */
  annotations: readonly string[];
}

interface Options {
  slug: string;
  /** The page's thread filter: it chooses the highlights and the counts' links. */
  filter: string;
  /**
   * Everything the reading view shows beside the text, as the page's data has it now (the language, the filter,
   * the threads' markers, the open threads per block): when a reload of the data changes one, the markup is fetched.
   * A new array only when one of them changes (useMemo).
   */
  annotations: readonly string[];
  /** The revision of the text the server rendered the page's markup from. */
  textRevision: string;
  island: RefObject<HTMLElement | null>;
  enabled: boolean;
  /** Called when the island shows the draft, after it was empty (the page says until then that it is loading). */
  onFilled: () => void;
  /** Called when the draft could not be fetched while the island shows nothing of it: the reader has no text at all. */
  onUnavailable: () => void;
}

/**
 * Keeps a reader's copy of the draft, the server's markup (decision 0022), up to date without the editor: when the
 * event stream says the text has another revision, when a reload of the page's data changes its threads, or when
 * the page was opened by a navigation in the browser (the island is then empty), the markup is fetched again and
 * patched in block by block. One fetch at a time, and another after it if something changed meanwhile.
 * Returns the listener for the stream's `text-changed` events.
 */
export function useLiveReading({ slug, filter, annotations, textRevision, island, enabled, onFilled, onUnavailable }: Options): {
  onTextChanged: (revision: string) => void;
} {
  const latest = useRef({ slug, filter, annotations, onFilled, onUnavailable });
  const state = useRef({ rendered: null as Rendered | null, wanted: textRevision, fetching: false, events: 0, mounted: false });

  const sync = useCallback(async (): Promise<void> => {
    const current = state.current;
    // Text already shown stays, and is brought up to date by a later attempt; no text at all is worth saying.
    const failed = () => {
      if (current.mounted && current.rendered === null) latest.current.onUnavailable();
    };
    if (current.fetching) return;
    current.fetching = true;
    try {
      for (;;) {
        const element = island.current;
        const { slug, filter, annotations, onFilled } = latest.current;
        const { rendered } = current;
        if (!current.mounted || !element) return;
        if (rendered && rendered.revision === current.wanted && sameStrings(rendered.annotations, annotations)) return;
        const events = current.events;
        const response = await fetch(`/d/${encodeURIComponent(slug)}/reading?comments=${encodeURIComponent(filter)}`, {
          headers: { Accept: "application/json" },
        });
        const answer = response.ok ? readingAnswer(await response.json()) : null;
        if (!current.mounted) return;
        // Refused or unreadable: the stream's next event tries again.
        if (!answer) return failed();
        patchReadingView(element, answer.markup);
        current.rendered = { revision: answer.revision, annotations };
        // A text-changed event that came meanwhile may name a later revision than the one fetched.
        if (current.events === events) current.wanted = answer.revision;
        onFilled();
      }
    } catch {
      // Offline or the server restarting: the stream's next event (it sends one on reconnecting) tries again.
      failed();
    } finally {
      current.fetching = false;
    }
  }, [island]);

  useEffect(() => {
    if (!enabled) return;
    const current = state.current;
    current.mounted = true;
    // The server's markup is there on a page it rendered, and not after a navigation in the browser.
    if (island.current && island.current.childElementCount > 0) {
      current.rendered = { revision: textRevision, annotations: latest.current.annotations };
    }
    return () => {
      current.mounted = false;
    };
    // Once per mount: later revisions come from the event stream, which is ahead of the page's data.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, island]);

  useEffect(() => {
    latest.current = { slug, filter, annotations, onFilled, onUnavailable };
    if (enabled) void sync();
  }, [slug, filter, annotations, onFilled, onUnavailable, enabled, sync]);

  const onTextChanged = useCallback(
    (revision: string) => {
      state.current.wanted = revision;
      state.current.events += 1;
      void sync();
    },
    [sync],
  );
  return { onTextChanged };
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
