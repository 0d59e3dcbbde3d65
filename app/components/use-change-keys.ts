import { useEffect } from "react";

/** Keys that move to the next and previous change, as in many code review tools and mail readers. */
const STEPS: Record<string, 1 | -1> = { j: 1, n: 1, k: -1, p: -1 };

export const changeElementId = (number: number) => `change-${number}`;

/** In a field, a letter is text being typed, not a command. */
function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || target.closest("input, textarea, select") !== null);
}

/** The number of the change that has focus (or contains it), else the one the address points at; 0 for none. */
function currentChange(): number {
  const pattern = /^change-(\d+)$/;
  const focused = document.activeElement?.closest("[id^='change-']")?.id.match(pattern);
  const targeted = window.location.hash.slice(1).match(pattern);
  return Number((focused ?? targeted)?.[1] ?? 0);
}

/**
 * Keys for the changes `#change-1` … `#change-<total>`: `j`/`n` moves focus to the next, `k`/`p` to the previous,
 * scrolling it into view. The next/previous links of each change do the same without JavaScript.
 */
export function useChangeKeys(total: number): void {
  useEffect(() => {
    if (total === 0) return;
    const onKeyDown = (event: KeyboardEvent) => {
      const step = STEPS[event.key];
      if (!step || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      const target = currentChange() + step;
      const element = target >= 1 && target <= total ? document.getElementById(changeElementId(target)) : null;
      if (!element) return;
      event.preventDefault();
      element.focus({ preventScroll: true });
      element.scrollIntoView({ block: "start" });
      // The address follows, so reloading or sharing it keeps the place; the router's own state is kept as it is.
      window.history.replaceState(window.history.state, "", `#${element.id}`);
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [total]);
}
