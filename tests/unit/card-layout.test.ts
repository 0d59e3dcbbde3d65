/**
 * The cards beside the text, on random drafts (fixed seeds): never overlapping, in the list's order, each at its
 * anchor unless the card before it (or, before the active card, after it) is in the way, and the active card at
 * its anchor whenever the cards before it fit above.
 */
import { describe, expect, it } from "vitest";
import { cardsHeight, layOutCards, type CardToPlace } from "#app/comments/card-layout";
import { seededRandom, type Random } from "#tests/support/random-draft";

const GAP = 8;

/** Threads on a draft of about 120 paragraphs: anchors mostly in order, some equal (one paragraph), some unknown. */
function randomCards(random: Random): CardToPlace[] {
  const count = random.between(0, 60);
  let anchor = random.between(0, 200);
  return Array.from({ length: count }, () => {
    anchor += random.chance(0.3) ? 0 : random.between(0, 400);
    const jitter = random.chance(0.1) ? -random.between(0, 150) : 0;
    return {
      anchorTop: random.chance(0.05) ? null : Math.max(0, anchor + jitter),
      height: random.between(60, 500),
    };
  });
}

const bottomOf = (cards: CardToPlace[], tops: number[], index: number) => (tops[index] ?? 0) + (cards[index]?.height ?? 0);

function expectNoOverlapInOrder(cards: CardToPlace[], tops: number[], minTop: number) {
  expect(tops).toHaveLength(cards.length);
  tops.forEach((top, index) => {
    expect(top).toBeGreaterThanOrEqual(minTop);
    if (index > 0) expect(top).toBeGreaterThanOrEqual(bottomOf(cards, tops, index - 1) + GAP);
  });
}

describe("card layout", () => {
  it("places cards that do not collide at their anchors", () => {
    const cards = [
      { anchorTop: 10, height: 50 },
      { anchorTop: 100, height: 50 },
      { anchorTop: 400, height: 80 },
    ];
    expect(layOutCards(cards, { activeIndex: null, gap: GAP })).toEqual([10, 100, 400]);
    expect(layOutCards(cards, { activeIndex: 1, gap: GAP })).toEqual([10, 100, 400]);
  });

  it("stacks colliding cards below each other, and moves those before the active card up to keep it at its anchor", () => {
    const cards = [
      { anchorTop: 200, height: 60 },
      { anchorTop: 220, height: 60 },
      { anchorTop: 230, height: 60 },
    ];
    expect(layOutCards(cards, { activeIndex: null, gap: GAP })).toEqual([200, 268, 336]);
    expect(layOutCards(cards, { activeIndex: 2, gap: GAP })).toEqual([94, 162, 230]);
    expect(layOutCards(cards, { activeIndex: 1, gap: GAP })).toEqual([152, 220, 288]);
    // Not enough room above: the active card goes as high as the ones before it let it.
    expect(layOutCards(cards, { activeIndex: 2, gap: GAP, minTop: 100 })).toEqual([200, 268, 336]);
  });

  it("puts a card whose anchor is not in view right after the one before it", () => {
    const cards = [
      { anchorTop: 100, height: 60 },
      { anchorTop: null, height: 40 },
      { anchorTop: 500, height: 60 },
    ];
    expect(layOutCards(cards, { activeIndex: null, gap: GAP })).toEqual([100, 168, 500]);
    expect(layOutCards(cards, { activeIndex: 1, gap: GAP })).toEqual([100, 168, 500]);
    expect(cardsHeight(cards, [100, 168, 500])).toBe(560);
  });

  it("keeps every random layout in order without overlaps, each card as high as the others let it", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = seededRandom(seed);
      const cards = randomCards(random);
      const minTop = random.between(0, 100);
      const tops = layOutCards(cards, { activeIndex: null, gap: GAP, minTop });
      expectNoOverlapInOrder(cards, tops, minTop);
      tops.forEach((top, index) => {
        const anchor = cards[index]?.anchorTop;
        if (anchor != null) expect(top).toBeGreaterThanOrEqual(anchor);
        // Lower than its anchor only when pushed: by the card before it, or by the top of the list.
        const pushed = top === minTop || (index > 0 && top === bottomOf(cards, tops, index - 1) + GAP);
        if (anchor == null || top > anchor) expect(pushed, `seed ${seed}, card ${index}`).toBe(true);
      });
    }
  });

  it("keeps the active card at its anchor whenever the cards before it fit above it", () => {
    let placedAtAnchor = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const random = seededRandom(seed);
      const cards = randomCards(random);
      if (cards.length === 0) continue;
      const activeIndex = random.int(cards.length);
      const minTop = random.between(0, 100);
      const tops = layOutCards(cards, { activeIndex, gap: GAP, minTop });
      expectNoOverlapInOrder(cards, tops, minTop);

      const anchor = cards[activeIndex]?.anchorTop;
      if (anchor == null) continue;
      const roomNeeded = cards.slice(0, activeIndex).reduce((sum, card) => sum + card.height + GAP, 0);
      if (minTop + roomNeeded <= anchor) {
        expect(tops[activeIndex], `seed ${seed}`).toBe(anchor);
        placedAtAnchor++;
        // The ones before it are at their anchors (or the list's top) or pushed up by the card after them; those after it, down.
        for (let index = 0; index < activeIndex; index++) {
          const own = cards[index]?.anchorTop;
          const pushedUp = tops[index] === (tops[index + 1] ?? 0) - GAP - (cards[index]?.height ?? 0);
          if (own == null || tops[index] !== Math.max(own, minTop)) expect(pushedUp, `seed ${seed}, card ${index}`).toBe(true);
          if (own != null) expect(tops[index]).toBeLessThanOrEqual(Math.max(own, minTop));
        }
      } else {
        // As high as the cards before it allow: packed against the one before it.
        expect(tops[activeIndex], `seed ${seed}`).toBe(Math.max(anchor, bottomOf(cards, tops, activeIndex - 1) + GAP));
      }
    }
    expect(placedAtAnchor).toBeGreaterThan(20);
  });

  it("lays out hundreds of cards quickly", () => {
    const random = seededRandom(42);
    const cards = Array.from({ length: 500 }, (_, index) => ({ anchorTop: index * 40, height: random.between(20, 30) }));
    const tops = layOutCards(cards, { activeIndex: 250, gap: GAP });
    expectNoOverlapInOrder(cards, tops, -Infinity);
    expect(tops[250]).toBe(250 * 40);
  });
});
