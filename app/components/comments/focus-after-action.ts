import { useMemo, useRef } from "react";

/**
 * Where focus goes once a thread's action is done, so it is not lost to the page's body: the thread's card, or,
 * when the action took the thread out of the list (resolved while open ones are shown), the card that followed it
 * (or preceded it), else the comments' heading. The neighbours are noted when the form is sent, while the card is there.
 */
export function useFocusAfterThreadAction(threadId: string) {
  const neighbours = useRef<string[]>([]);
  return {
    remember: () => {
      const item = document.getElementById(`thread-${threadId}`)?.closest("li");
      neighbours.current = [item?.nextElementSibling, item?.previousElementSibling].flatMap((sibling) => {
        const id = sibling?.querySelector(".thread")?.id;
        return id ? [id] : [];
      });
    },
    restore: () => focusFirst([`thread-${threadId}`, ...neighbours.current, "comments-heading"]),
  };
}

/** Focuses the first of these elements that is on the page (each is focusable: a link, a control or tabindex=-1). */
export function focusFirst(ids: readonly string[]): void {
  for (const id of ids) {
    const element = document.getElementById(id);
    if (!element) continue;
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "nearest" });
    return;
  }
}

/**
 * Where focus goes back to when a box opened for something is closed without sending it: the control that opened it,
 * if it is still there, else the first of `fallbacks` (ids) that is.
 */
export function useReturnFocus(fallbacks: readonly string[]) {
  const opener = useRef<HTMLElement | null>(null);
  const fallbackIds = useRef(fallbacks);
  return useMemo(
    () => ({
      remember: () => {
        const active = document.activeElement;
        opener.current = active instanceof HTMLElement && active !== document.body ? active : null;
      },
      restore: () => {
        const target = opener.current;
        opener.current = null;
        requestAnimationFrame(() => {
          if (target?.isConnected) target.focus();
          else focusFirst(fallbackIds.current);
        });
      },
    }),
    [],
  );
}
