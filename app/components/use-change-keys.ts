import { useEffect } from "react";

/** Keys that move to the next and previous item, as in many code review tools and mail readers. */
const STEPS: Record<string, 1 | -1> = { j: 1, n: 1, k: -1, p: -1 };
/** Arrow keys move too, where asked, but only while an item has focus: elsewhere they scroll the page. */
const ARROW_STEPS: Record<string, 1 | -1> = { ArrowDown: 1, ArrowUp: -1 };

export const changeElementId = (number: number) => `change-${number}`;

/** In a field, a letter is text being typed, not a command; a checkbox or a button takes no text. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const field = target.closest("input, textarea, select");
  return field !== null && !(field instanceof HTMLInputElement && ["checkbox", "radio", "button", "submit"].includes(field.type));
}

/** The number of the item that has focus (or contains it), else (if `useAddress`) the one the address points at; 0 for none. */
function currentItem(prefix: string, useAddress: boolean): { number: number; focused: boolean } {
  const pattern = new RegExp(`^${prefix}-(\\d+)$`);
  const focused = document.activeElement?.closest(`[id^='${prefix}-']`)?.id.match(pattern);
  const targeted = useAddress ? window.location.hash.slice(1).match(pattern) : null;
  return { number: Number((focused ?? targeted)?.[1] ?? 0), focused: focused !== null && focused !== undefined };
}

export interface StepKeyOptions {
  /** ArrowDown/ArrowUp also move while an item has focus (rows of a table). */
  arrows?: boolean;
  /** Keep the item in the address, so reloading or sharing it keeps the place (the compare page's changes). */
  useAddress?: boolean;
  /** What in the item gets focus: by default the item itself. */
  focusTarget?: (item: HTMLElement) => HTMLElement;
}

/**
 * Keys for the items `#<prefix>-1` … `#<prefix>-<total>`: `j`/`n` moves focus to the next, `k`/`p` to the
 * previous, scrolling it into view.
 */
export function useStepKeys(prefix: string, total: number, { arrows = false, useAddress = false, focusTarget }: StepKeyOptions = {}): void {
  useEffect(() => {
    if (total === 0) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || isTyping(event.target)) return;
      const current = currentItem(prefix, useAddress);
      const step = STEPS[event.key] ?? (arrows && current.focused ? ARROW_STEPS[event.key] : undefined);
      if (!step) return;
      const target = current.number + step;
      const element = target >= 1 && target <= total ? document.getElementById(`${prefix}-${target}`) : null;
      if (!element) return;
      event.preventDefault();
      (focusTarget?.(element) ?? element).focus({ preventScroll: true });
      element.scrollIntoView({ block: useAddress ? "start" : "nearest" });
      // The router's own state is kept as it is.
      if (useAddress) window.history.replaceState(window.history.state, "", `#${element.id}`);
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [prefix, total, arrows, useAddress, focusTarget]);
}

/**
 * Keys for the compare page's changes `#change-1` … `#change-<total>`, kept in the address. The next/previous
 * links of each change do the same without JavaScript.
 */
export function useChangeKeys(total: number): void {
  useStepKeys("change", total, { useAddress: true });
}
