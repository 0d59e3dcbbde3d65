import { useEffect, type RefObject } from "react";

/** The margin's controls: a block's reference (comment on it) and its count of open threads. */
const MARGIN_CONTROLS = ".block-margin a, .block-margin button";

/**
 * The margin links of a long draft as one Tab stop (a roving tabindex): Tab reaches the current one, the arrow keys,
 * Home and End move between them. They stay links and buttons, so a screen reader's list of them still finds them all.
 * Without JavaScript they are plain links, each in the Tab order.
 */
export function useRovingMargin(container: RefObject<HTMLElement | null>, enabled: boolean): void {
  useEffect(() => {
    const root = container.current;
    if (!enabled || !root) return;
    let current: HTMLElement | null = null;
    // A redrawn margin (the live editor draws its own, and again when its counts change) keeps the reader's place.
    let currentKey = "";

    const controls = () => [...root.querySelectorAll<HTMLElement>(MARGIN_CONTROLS)];
    const makeCurrent = (control: HTMLElement | null) => {
      if (current && current !== control) current.tabIndex = -1;
      current = control;
      if (!control) return;
      control.tabIndex = 0;
      currentKey = controlKey(control);
    };
    const ensureCurrent = () => {
      if (current?.isConnected) return;
      const all = controls();
      for (const control of all) control.tabIndex = -1;
      current = null;
      makeCurrent(all.find((control) => controlKey(control) === currentKey) ?? all[0] ?? null);
    };
    ensureCurrent();

    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof HTMLElement && event.target.matches(MARGIN_CONTROLS)) makeCurrent(event.target);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target;
      if (!(target instanceof HTMLElement) || !target.matches(MARGIN_CONTROLS) || event.altKey || event.ctrlKey || event.metaKey) return;
      const all = controls();
      const index = all.indexOf(target);
      const moves: Record<string, HTMLElement | undefined> = {
        ArrowDown: all[index + 1],
        ArrowRight: all[index + 1],
        ArrowUp: all[index - 1],
        ArrowLeft: all[index - 1],
        Home: all[0],
        End: all.at(-1),
      };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const next = moves[event.key];
      if (!next) return;
      makeCurrent(next);
      next.focus();
    };
    // The live editor draws its own margins (out of the Tab order, see annotations.ts), and draws one again when its
    // counts change: the Tab stop then moves to the new drawing of the same control.
    const observer = new MutationObserver(ensureCurrent);
    observer.observe(root, { childList: true, subtree: true });
    root.addEventListener("focusin", onFocusIn);
    root.addEventListener("keydown", onKeyDown);
    return () => {
      observer.disconnect();
      root.removeEventListener("focusin", onFocusIn);
      root.removeEventListener("keydown", onKeyDown);
    };
  }, [container, enabled]);
}

/** Which block's margin, and which of its controls: the margin comes right before its block. */
function controlKey(control: HTMLElement): string {
  return `${control.closest(".block-margin")?.nextElementSibling?.id ?? ""}:${control.className}`;
}
