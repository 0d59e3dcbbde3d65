/**
 * Where the thread cards beside the text go (Google Docs style): each at the height of the passage or paragraph it
 * is about, in the list's order, none overlapping. Pure, so it can be tested without a browser; the page measures
 * and writes (use-card-layout.ts).
 */

export interface CardToPlace {
  /** Where the card's text begins, in the list's coordinates; null when it is not in view (it then follows the one before). */
  anchorTop: number | null;
  height: number;
}

export interface CardLayoutOptions {
  /** The card placed exactly at its anchor, if the cards before it fit above; the others move around it. */
  activeIndex: number | null;
  /** Space between two cards. */
  gap: number;
  /** No card goes above this. */
  minTop?: number;
}

/**
 * The top of each card, in the order given (the list's, which is the document's): every card at its anchor or, when
 * the one before it is in the way, right below that one. The active card is placed at its anchor when the cards
 * before it fit above it, which are then pushed up instead; when they do not, it goes as high as they let it.
 */
export function layOutCards(cards: readonly CardToPlace[], { activeIndex, gap, minTop = 0 }: CardLayoutOptions): number[] {
  const tops: number[] = new Array<number>(cards.length).fill(minTop);
  const placeDownwardFrom = (first: number, floor: number) => {
    let next = floor;
    for (let index = first; index < cards.length; index++) {
      const card = cards[index] as CardToPlace;
      const top = Math.max(card.anchorTop ?? next, next);
      tops[index] = top;
      next = top + card.height + gap;
    }
  };

  const active = activeIndex === null ? undefined : cards[activeIndex];
  if (activeIndex !== null && active?.anchorTop != null) {
    const activeTop = Math.max(active.anchorTop, minTop);
    let ceiling = activeTop - gap;
    let fits = true;
    for (let index = activeIndex - 1; index >= 0; index--) {
      const card = cards[index] as CardToPlace;
      const lowest = ceiling - card.height;
      const top = Math.max(Math.min(card.anchorTop ?? Infinity, lowest), minTop);
      if (top > lowest) {
        fits = false;
        break;
      }
      tops[index] = top;
      ceiling = top - gap;
    }
    if (fits) {
      tops[activeIndex] = activeTop;
      placeDownwardFrom(activeIndex + 1, activeTop + active.height + gap);
      return tops;
    }
  }
  placeDownwardFrom(0, minTop);
  return tops;
}

/** How tall the list of cards is once they are placed at `tops`. */
export function cardsHeight(cards: readonly CardToPlace[], tops: readonly number[]): number {
  return cards.reduce((bottom, card, index) => Math.max(bottom, (tops[index] ?? 0) + card.height), 0);
}
