import { useEffect, useSyncExternalStore } from "react";

/**
 * One polite live region per page, for what an action did ("Reply posted") where the result is not itself a focused
 * element that says so. Every announcement gets a new key, so the same words said twice are read twice.
 */
interface Announcement {
  message: string;
  key: number;
}

let current: Announcement = { message: "", key: 0 };
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Says `message` through the page's live region (nothing happens on a page without one). */
export function announce(message: string): void {
  current = { message, key: current.key + 1 };
  for (const listener of listeners) listener();
}

export function useAnnounce(): (message: string) => void {
  return announce;
}

const EMPTY: Announcement = { message: "", key: 0 };

/** The live region; mounted once, on a page whose actions announce their results. */
export function Announcer() {
  const { message, key } = useSyncExternalStore(
    subscribe,
    () => current,
    () => EMPTY,
  );
  // What the previous page said is not said again on the next.
  useEffect(() => () => announce(""), []);
  return (
    <div className="visually-hidden" role="status" aria-live="polite" data-announcer="">
      {message ? <span key={key}>{message}</span> : null}
    </div>
  );
}
