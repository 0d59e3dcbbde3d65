import { useRef, type RefObject } from "react";
import { useBrowserLayoutEffect } from "#app/components/use-browser-layout-effect";
import { cardsHeight, layOutCards, type CardToPlace } from "#app/comments/card-layout";

/** Space between two cards, in pixels (the list's gap without JavaScript is 0.75rem). */
const GAP = 12;
/** Set on a card once it has a place: from then on it glides to new places (app.css), instead of flying in. */
const PLACED = "data-placed";

interface Options {
  /** Whether the cards sit beside the text (the wide layout, with JavaScript); otherwise the list stays a list. */
  enabled: boolean;
  panel: RefObject<HTMLElement | null>;
  /** The list of threads on text still in the draft, in document order. */
  list: RefObject<HTMLOListElement | null>;
  activeThreadId: string | null;
  /** The block the box for a new comment is about, if it is open: it goes beside that block, as the active card. */
  composingBlockId: string | null;
  /** Anything that changes when the list's threads do. */
  threadsKey: string;
}

/**
 * Places each thread's card beside its passage (or its paragraph), Google Docs style: see app/comments/card-layout.ts.
 * The list keeps its order in the DOM (reading and tab order); only the cards' `top` moves them. Not a transform:
 * the browser's own scrolling to a link's target (#comment-…) goes by layout positions, which a transform leaves behind. Placed again
 * when the active thread or the threads change (before paint), and once a frame at most when the text changes
 * (the live editor, or patches of the server's copy), when it or a card changes size, or the window does.
 */
export function useCardLayout({ enabled, panel, list, activeThreadId, composingBlockId, threadsKey }: Options): void {
  const latest = useRef({ activeThreadId, composingBlockId });
  useBrowserLayoutEffect(() => {
    latest.current = { activeThreadId, composingBlockId };
  });

  useBrowserLayoutEffect(() => {
    const panelElement = panel.current;
    const listElement = list.current;
    const column = document.querySelector<HTMLElement>(".document-column");
    if (!enabled || !panelElement || !listElement || !column) return;
    const place = () => placeCards(panelElement, listElement, column, latest.current.activeThreadId, latest.current.composingBlockId);
    place();

    let frame: number | null = null;
    const schedule = () => {
      frame ??= requestAnimationFrame(() => {
        frame = null;
        place();
      });
    };
    const sizes = new ResizeObserver(schedule);
    sizes.observe(column);
    for (const item of listElement.children) sizes.observe(item);
    const composer = panelElement.querySelector("#new-comment");
    if (composer) sizes.observe(composer);
    // Attributes too: highlights come and go as classes and data attributes of the text's spans.
    const changes = new MutationObserver(schedule);
    changes.observe(column, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["class", "data-thread-id"] });
    return () => {
      sizes.disconnect();
      changes.disconnect();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [enabled, panel, list, activeThreadId, composingBlockId, threadsKey]);

  // Back to a plain list when the layout changes to the drawer.
  useBrowserLayoutEffect(() => {
    const panelElement = panel.current;
    const listElement = list.current;
    if (!enabled || !panelElement || !listElement) return;
    return () => {
      listElement.style.removeProperty("height");
      for (const item of listElement.querySelectorAll<HTMLElement>(":scope > li")) {
        item.style.removeProperty("top");
        item.removeAttribute(PLACED);
      }
      const composer = panelElement.querySelector<HTMLElement>("#new-comment");
      composer?.style.removeProperty("top");
      composer?.removeAttribute(PLACED);
    };
  }, [enabled, panel, list]);
}

/**
 * What a link or a click asked to be shown (a thread's card, or one comment in it), until the reader scrolls: as
 * the page comes to life its cards get their places beside the text after it was first scrolled to, and may move
 * again as the layout settles, so each placing brings it back into view.
 */
let shownUntilScrolled: { element: HTMLElement; block: ScrollLogicalPosition } | null = null;

export function keepInView(element: HTMLElement, block: ScrollLogicalPosition): void {
  element.scrollIntoView({ block });
  if (shownUntilScrolled === null) {
    const stop = () => {
      shownUntilScrolled = null;
      for (const type of USER_SCROLLS) window.removeEventListener(type, stop, true);
    };
    for (const type of USER_SCROLLS) window.addEventListener(type, stop, { capture: true, passive: true });
  }
  shownUntilScrolled = { element, block };
}

const USER_SCROLLS = ["wheel", "touchstart", "keydown", "mousedown"] as const;

/** Reads every position first, then writes every card's: one layout of the page per call (the cards are out of flow). */
function placeCards(panel: HTMLElement, list: HTMLOListElement, column: HTMLElement, activeThreadId: string | null, composingBlockId: string | null) {
  // Read.
  const anchors = new Map<string, HTMLElement>();
  // The first element of each thread's highlight (where its passage begins) and of each block; in document order.
  for (const element of column.querySelectorAll<HTMLElement>("[data-thread-id], [data-block-id]")) {
    const key = element.dataset.threadId ? `thread:${element.dataset.threadId}` : `block:${element.dataset.blockId ?? ""}`;
    if (!anchors.has(key)) anchors.set(key, element);
  }
  const listTop = list.getBoundingClientRect().top;
  const panelTop = panel.getBoundingClientRect().top;
  const topOf = (key: string) => {
    const anchor = anchors.get(key);
    return anchor ? anchor.getBoundingClientRect().top - listTop : null;
  };
  const items = [...list.querySelectorAll<HTMLElement>(":scope > li")];
  const threadIds = items.map((item) => item.querySelector<HTMLElement>("[data-thread-id]")?.dataset.threadId ?? null);
  const cards: CardToPlace[] = items.map((item, index) => {
    const threadId = threadIds[index];
    const blockId = item.querySelector<HTMLElement>("[data-block-id]")?.dataset.blockId;
    return {
      anchorTop: (threadId ? topOf(`thread:${threadId}`) : null) ?? (blockId ? topOf(`block:${blockId}`) : null),
      height: item.offsetHeight,
    };
  });
  const activeItem = activeThreadId === null ? -1 : threadIds.indexOf(activeThreadId);
  let activeIndex = activeItem === -1 ? null : activeItem;
  // The box for a new comment goes among the cards where its block is in the text, and takes the active card's place.
  const composer = composingBlockId ? panel.querySelector<HTMLElement>("#new-comment") : null;
  let composerIndex: number | null = null;
  if (composer && composingBlockId) {
    const anchorTop = topOf(`block:${composingBlockId}`) ?? 0;
    const after = cards.findIndex((card) => card.anchorTop !== null && card.anchorTop > anchorTop);
    composerIndex = after === -1 ? cards.length : after;
    cards.splice(composerIndex, 0, { anchorTop, height: composer.offsetHeight });
    activeIndex = composerIndex;
  }

  const tops = layOutCards(cards, { activeIndex, gap: GAP });
  // Someone reading the focused thread (a link to it, or just opened) keeps it where it is on screen as it moves.
  const followed = activeItem === -1 ? null : items[activeItem];
  const followedTop = followed?.contains(document.activeElement) ? followed.getBoundingClientRect().top : null;

  // Write.
  const arrived: HTMLElement[] = [];
  items.forEach((item, index) => {
    const top = tops[composerIndex !== null && index >= composerIndex ? index + 1 : index] ?? 0;
    // A card jumps to its first place, and the thread just made active to its own, where scrolling to it finds it.
    const placedAs = index === activeItem ? "active" : "";
    const placed = item.getAttribute(PLACED);
    if (placed === null || (placedAs === "active" && placed !== "active")) {
      item.removeAttribute(PLACED);
      arrived.push(item);
    } else if (placed !== placedAs) {
      item.setAttribute(PLACED, placedAs);
    }
    item.style.top = `${top}px`;
  });
  list.style.height = `${cardsHeight(cards, tops)}px`;
  if (composer && composerIndex !== null) {
    composer.style.top = `${listTop - panelTop + (tops[composerIndex] ?? 0)}px`;
    // Focused as it opened (at the top of the panel): once, the page follows it to its place beside its block.
    if (!composer.hasAttribute(PLACED)) {
      composer.setAttribute(PLACED, "");
      if (composer.contains(document.activeElement)) composer.scrollIntoView({ block: "nearest" });
    }
  }
  const active = items[activeItem];
  // Focused before it had its place (a link to it, opened as the page came to life): the page follows it there.
  if (active && arrived.includes(active) && active.contains(document.activeElement)) active.scrollIntoView({ block: "nearest" });
  else if (shownUntilScrolled && list.contains(shownUntilScrolled.element)) shownUntilScrolled.element.scrollIntoView({ block: shownUntilScrolled.block });
  else if (followed && followedTop !== null) window.scrollBy(0, followed.getBoundingClientRect().top - followedTop);
  if (arrived.length > 0) {
    requestAnimationFrame(() => {
      for (const item of arrived) item.setAttribute(PLACED, item === active ? "active" : "");
    });
  }
}
