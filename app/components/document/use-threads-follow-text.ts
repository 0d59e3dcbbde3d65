import { useEffect } from "react";

/**
 * Keeps the thread list beside the text it is about: while the reader scrolls the draft, the side panel scrolls
 * to the first thread on the first block in view. The list is in document order, so that is where the threads
 * of the visible text begin. It leaves the panel alone while focus is in it, and in the drawer layout.
 */
export function useThreadsFollowText(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    let frame: number | null = null;
    const follow = () => {
      frame = null;
      const panel = document.getElementById("comments");
      if (!panel || panel.contains(document.activeElement) || getComputedStyle(panel).position !== "sticky") return;
      const blocks = [...document.querySelectorAll<HTMLElement>(".document-column [data-block-id]")];
      const firstVisible = firstBelow(blocks, 0);
      if (firstVisible === -1) return;
      const order = new Map(blocks.map((block, index) => [block.dataset.blockId, index]));
      const cards = [...panel.querySelectorAll<HTMLElement>(".thread-list > li > .thread[data-block-id]")];
      const card = cards.find((candidate) => (order.get(candidate.dataset.blockId) ?? Infinity) >= firstVisible);
      if (!card) return;
      // Up to the first thread the panel shows its top too: the heading, filters and the comment box.
      const top = card === cards[0] ? 0 : panel.scrollTop + card.getBoundingClientRect().top - panel.getBoundingClientRect().top - 8;
      panel.scrollTo({ top });
    };
    const onScroll = () => {
      frame ??= requestAnimationFrame(follow);
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      window.removeEventListener("scroll", onScroll);
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [enabled]);
}

/** Index of the first element (in document order, so by increasing top) whose bottom is below `y`; -1 if none. */
function firstBelow(elements: HTMLElement[], y: number): number {
  let low = 0;
  let high = elements.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((elements[middle]?.getBoundingClientRect().bottom ?? 0) <= y) low = middle + 1;
    else high = middle;
  }
  return low < elements.length ? low : -1;
}
