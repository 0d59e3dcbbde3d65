import { useCallback, useEffect, useRef, type RefObject } from "react";
import { useBrowserLayoutEffect } from "#app/components/use-browser-layout-effect";

interface Options {
  /** Whether the panel is the drawer (a narrow screen, with JavaScript). */
  drawer: boolean;
  open: boolean;
  panel: RefObject<HTMLElement | null>;
  /** Focused when the drawer opens and nothing in it asked for focus (a thread, the box for a new comment). */
  heading: RefObject<HTMLElement | null>;
  /** Where focus goes back when the control that opened the drawer is gone. */
  toggle: RefObject<HTMLElement | null>;
  onClose: () => void;
}

/** What can have focus with Tab: a radio group is one stop, its checked button. */
const TABBABLE = 'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable="true"]';

/**
 * The drawer as a modal dialog (the panel carries role="dialog" and aria-modal): while it is open the rest of the
 * page is inert, focus is in it and Tab and Shift+Tab go round inside it; Escape and `close` shut it, and focus goes
 * back to what opened it (the toggle, a margin reference, a highlight, a skip link). Returns `close`; closed to
 * show the text, the page stays where it was scrolled to rather than going back to that control.
 */
export function useModalDrawer({ drawer, open, panel, heading, toggle, onClose }: Options): (options?: { keepScroll: boolean }) => void {
  // The last thing outside the panel that had focus: what opened it, by keyboard or by pointer.
  const lastOutside = useRef<HTMLElement | null>(null);
  const restoreFocus = useRef<{ keepScroll: boolean } | null>(null);
  useEffect(() => {
    if (!drawer) return;
    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof HTMLElement && !panel.current?.contains(event.target)) lastOutside.current = event.target;
    };
    window.document.addEventListener("focusin", onFocusIn);
    return () => window.document.removeEventListener("focusin", onFocusIn);
  }, [drawer, panel]);

  const latestOnClose = useRef(onClose);
  useBrowserLayoutEffect(() => {
    latestOnClose.current = onClose;
  });
  const close = useCallback((options = { keepScroll: false }) => {
    restoreFocus.current = options;
    latestOnClose.current();
  }, []);

  const modal = drawer && open;
  useBrowserLayoutEffect(() => {
    const dialog = panel.current;
    if (!modal || !dialog) return;
    const focused = window.document.activeElement;
    const opener = focused instanceof HTMLElement && focused !== window.document.body && !dialog.contains(focused) ? focused : lastOutside.current;
    const fallback = toggle.current;
    const madeInert = makeRestInert(dialog);
    // A thread or the box for a new comment takes focus as it opens; otherwise the heading does.
    const frame = requestAnimationFrame(() => {
      if (!dialog.contains(window.document.activeElement)) heading.current?.focus({ preventScroll: true });
    });
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      } else if (event.key === "Tab") {
        const stops = tabStops(dialog);
        const first = stops[0];
        const last = stops.at(-1);
        const current = window.document.activeElement;
        const inside = current instanceof HTMLElement && stops.includes(current);
        if (!first || !last) {
          event.preventDefault();
        } else if (event.shiftKey && (!inside || current === first)) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && (!inside || current === last)) {
          event.preventDefault();
          first.focus();
        }
      }
    };
    dialog.addEventListener("keydown", onKeyDown);
    return () => {
      cancelAnimationFrame(frame);
      dialog.removeEventListener("keydown", onKeyDown);
      for (const element of madeInert) element.inert = false;
      const restore = restoreFocus.current;
      if (!restore) return;
      restoreFocus.current = null;
      const target = opener?.isConnected ? opener : fallback;
      target?.focus({ preventScroll: restore.keepScroll });
    };
  }, [modal, panel, heading, toggle, close]);

  return close;
}

/** Sets `inert` on everything outside `dialog` (the siblings of it and of each of its ancestors); returns what it set. */
function makeRestInert(dialog: HTMLElement): HTMLElement[] {
  const made: HTMLElement[] = [];
  for (let node: HTMLElement | null = dialog; node && node !== window.document.body; node = node.parentElement) {
    for (const sibling of node.parentElement?.children ?? []) {
      if (sibling === node || !(sibling instanceof HTMLElement) || sibling.inert) continue;
      sibling.inert = true;
      made.push(sibling);
    }
  }
  return made;
}

function tabStops(dialog: HTMLElement): HTMLElement[] {
  return [...dialog.querySelectorAll<HTMLElement>(TABBABLE)].filter(
    (element) =>
      element.tabIndex >= 0 &&
      !element.matches(":disabled") &&
      !(element instanceof HTMLInputElement && element.type === "radio" && !element.checked) &&
      element.getClientRects().length > 0,
  );
}
