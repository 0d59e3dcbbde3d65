/**
 * Comment anchors against concurrent editing, checked against ground truth the resolver cannot see: before any
 * edit, the characters of each anchored passage get a formatting attribute of their own ("t7"), which Yjs keeps
 * on exactly those characters through every edit (and which splits, joins and moves copy along with the text,
 * as an editor copies marks). Every character of the draft carries "old" too, which typed text never does. After
 * three replicas have edited concurrently, delivering each other's updates late, partially and out of order, every
 * anchor must resolve to where its tagged characters are (with text typed among them since, while at least half of
 * them are there: decision 0016), or fall back to its block, or say that the block is gone: never to other text,
 * and never nowhere.
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { anchorForResolving, createAnchor, DocumentIndex, MIN_UNIQUE_QUOTE, resolveAnchor, type ResolvedAnchor, type StoredAnchor } from "#app/comments/anchoring";
import { writeContentToYDoc } from "#app/editor/content";
import {
  blockCharacters,
  blockId,
  blockText,
  deleteText,
  insertParagraph,
  insertText,
  joinBackward,
  moveBlock,
  Network,
  typedWords,
  randomDraft,
  removeBlock,
  seededBlockId,
  seededRandom,
  splitBlock,
  taggedRuns,
  tagRange,
  textblocks,
  type Random,
} from "#tests/support/random-draft";

const SEEDS = [1, 2, 3, 4, 5, 6];
const BLOCKS = 40;
const PASSAGES = 40;
const WHOLE_BLOCKS = 10;
const EDITS = 300;
const REPLICAS = 3;

const tag = (anchor: number): string => `t${anchor}`;
/** The tag of every character the draft had before the edits. */
const OLD = "old";

function replicas(seed: number): Y.Doc[] {
  return Array.from({ length: REPLICAS }, (_, replica) => {
    const doc = new Y.Doc();
    // Fixed client ids: Yjs orders concurrent inserts by client id, and the run must be the same every time.
    doc.clientID = seed * 100 + replica + 1;
    return doc;
  });
}

function syncAll(docs: Y.Doc[]): void {
  for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
}

interface Anchored {
  anchor: StoredAnchor;
  /** Index of its tag, for passages. */
  tag: string | null;
}

function createAnchors(random: Random, doc: Y.Doc): Anchored[] {
  const index = DocumentIndex.of(doc);
  for (const block of index.blocks) tagRange(block.element, 0, block.text.length, OLD);
  const everything = index.blocks.map((block) => block.text).join("\u0000");
  const anchors: Anchored[] = [];
  while (anchors.length < PASSAGES) {
    const block = random.pick(index.blocks);
    // A phrase, as people select one to comment on (MIN_UNIQUE_QUOTE: shorter quotes need their context to move).
    if (block.text.length < MIN_UNIQUE_QUOTE) continue;
    const length = random.between(MIN_UNIQUE_QUOTE, Math.min(40, block.text.length));
    const from = random.int(block.text.length - length + 1);
    const exact = block.text.slice(from, from + length);
    // People select words: a passage that starts or ends in a space could re-form from typed text around it.
    if (exact.trim() !== exact) continue;
    // The ground truth has to be unambiguous from the start; edits keep it so, as their words are random too.
    if (everything.indexOf(exact) !== everything.lastIndexOf(exact)) continue;
    const anchor = createAnchor(index, block.id, { from, to: from + length });
    expect(anchor).not.toBeNull();
    if (!anchor) continue;
    tagRange(block.element, from, from + length, tag(anchors.length));
    anchors.push({ anchor, tag: tag(anchors.length) });
  }
  for (let count = 0; count < WHOLE_BLOCKS; count++) {
    const anchor = createAnchor(index, random.pick(index.blocks).id);
    expect(anchor).not.toBeNull();
    if (anchor) anchors.push({ anchor, tag: null });
  }
  return anchors;
}

/** How often each kind of edit is made, in percent. */
const EDIT_MIX = {
  type: 56,
  erase: 12,
  split: 10,
  join: 5,
  move: 10,
  remove: 2,
  add: 5,
} as const;
type EditKind = keyof typeof EDIT_MIX;

function editKind(random: Random): EditKind {
  let roll = random.int(100);
  for (const [kind, weight] of Object.entries(EDIT_MIX) as [EditKind, number][]) {
    if (roll < weight) return kind;
    roll -= weight;
  }
  return "type";
}

/**
 * One user's edit, on their replica's current state. Most edits aim at an anchored passage (its tagged run in
 * this replica), at its edges and in its context more than inside it, as people edit around what was commented.
 */
function edit(random: Random, doc: Y.Doc, anchors: readonly Anchored[]): void {
  const blocks = textblocks(doc);
  if (blocks.length < 4) {
    insertParagraph(doc, random.int(blocks.length + 1), seededBlockId(random), typedWords(random, 8));
    return;
  }
  const anchored = random.pick(anchors);
  const runs = anchored.tag ? taggedRuns(doc, anchored.tag) : [];
  const run = runs.length > 0 && random.chance(0.7) ? random.pick(runs) : null;
  const ownBlock = blocks.find((element) => blockId(element) === anchored.anchor.blockId);
  const aimed = run?.element ?? ownBlock ?? random.pick(blocks);
  const anywhere = random.pick(blocks);
  const words = (): string => ` ${typedWords(random, random.between(1, 3))} `;

  switch (editKind(random)) {
    case "type": {
      if (!run) {
        insertText(anywhere, random.int(blockText(anywhere).length + 1), words());
        break;
      }
      const length = blockText(aimed).length;
      const where = random.next();
      let offset = random.chance(0.5) ? run.from : run.to;
      if (where < 0.08 && run.to - run.from > 1) offset = random.between(run.from + 1, run.to - 1);
      else if (where < 0.3)
        offset = random.chance(0.5) ? Math.max(0, run.from - random.between(1, 20)) : Math.min(length, run.to + random.between(1, 20));
      insertText(aimed, offset, words());
      break;
    }
    case "erase": {
      if (!run) {
        const length = blockText(anywhere).length;
        const from = random.int(length);
        deleteText(anywhere, from, Math.min(length, from + random.between(1, 20)));
      } else if (random.chance(0.2)) {
        deleteText(aimed, Math.max(0, run.from - random.int(4)), run.to + random.int(4));
      } else {
        // Near the passage but not in it: only its context suffers.
        const before = random.chance(0.5);
        const from = before ? Math.max(0, run.from - random.between(1, 20)) : run.to + random.int(10);
        deleteText(aimed, from, before ? Math.min(from + random.between(1, 6), run.from) : from + random.between(1, 6));
      }
      break;
    }
    case "split": {
      const element = random.chance(0.4) ? aimed : anywhere;
      const length = blockText(element).length;
      let offset = random.between(1, length - 1);
      if (run && element === aimed) offset = random.chance(0.5) ? run.from : run.from - random.int(30);
      if (offset > 0 && offset < length) splitBlock(element, offset, seededBlockId(random));
      break;
    }
    case "join":
      joinBackward(doc, anywhere);
      break;
    case "move":
      moveBlock(random.chance(0.5) ? aimed : anywhere, random);
      break;
    case "remove":
      removeBlock(anywhere);
      break;
    case "add":
      insertParagraph(doc, random.int(blocks.length), seededBlockId(random), typedWords(random, random.between(4, 12)));
      break;
  }
}

type Outcome = "relative" | "relative (edited)" | "quote-in-block" | "quote-anywhere" | "block" | "removed" | "block (whole)";

function noOutcomes(): Record<Outcome, number> {
  return { relative: 0, "relative (edited)": 0, "quote-in-block": 0, "quote-anywhere": 0, block: 0, removed: 0, "block (whole)": 0 };
}

/**
 * A passage found by its relative positions may hold text typed inside it since: each of its characters must be one
 * of its own (tagged) or typed (not old), and at least half of its characters must be there.
 */
function checkEditedPassage(doc: Y.Doc, resolved: { blockId: string; from: number; to: number }, exact: string, tag: string, context: () => string): boolean {
  const element = textblocks(doc).find((candidate) => blockId(candidate) === resolved.blockId);
  expect(element, context()).toBeDefined();
  if (!element) return false;
  const { text, attributes } = blockCharacters(element);
  let own = 0;
  for (let at = resolved.from; at < resolved.to; at++) {
    const attributesAt = attributes[at] ?? {};
    const isOwn = attributesAt[tag] !== undefined && attributesAt[tag] !== null;
    const isOld = attributesAt[OLD] !== undefined && attributesAt[OLD] !== null;
    expect(isOwn || !isOld, `character ${at} (${JSON.stringify(text[at])}) is other text: ${context()}`).toBe(true);
    if (isOwn) own++;
  }
  expect(own * 2, `${own} of ${exact.length} characters left: ${context()}`).toBeGreaterThanOrEqual(exact.length);
  return text.slice(resolved.from, resolved.to) !== exact;
}

function run(seed: number): Record<Outcome, number> {
  const random = seededRandom(seed);
  const docs = replicas(seed);
  const [first] = docs;
  if (!first) throw new Error("no replica");
  writeContentToYDoc(randomDraft(random, BLOCKS), first);
  const anchors = createAnchors(random, first);
  syncAll(docs);
  for (const [number, { anchor, tag }] of anchors.entries()) {
    if (!tag || !anchor.passage) continue;
    const runs = taggedRuns(first, tag);
    expect(
      runs.map((run) => run.text),
      `tag of anchor ${number}`,
    ).toEqual([anchor.passage.quote.exact]);
  }

  const network = new Network(docs);
  for (let count = 0; count < EDITS; count++) {
    const doc = random.pick(docs);
    doc.transact(() => edit(random, doc, anchors));
    while (random.chance(0.45)) network.deliverSome(random);
  }
  network.settle(random);

  const states = docs.map((doc) => Y.encodeStateVector(doc));
  const trees = docs.map((doc) => doc.getXmlFragment("default").toString());
  for (const doc of docs) expect(doc.store.pendingStructs).toBeNull();
  expect(states.slice(1)).toEqual([states[0], states[0]]);
  expect(trees.slice(1)).toEqual([trees[0], trees[0]]);

  const outcomes = noOutcomes();
  const indexes = docs.map((doc) => DocumentIndex.of(doc));
  const [index] = indexes;
  if (!index) throw new Error("no index");
  for (const [number, { anchor, tag }] of anchors.entries()) {
    const [resolved, ...elsewhere] = indexes.map((replica) => resolveAnchor(replica, anchor));
    if (!resolved) throw new Error("no index");
    const context = (): string =>
      `seed ${seed}, anchor ${number}: ${JSON.stringify(anchor)} resolved to ${JSON.stringify(resolved)}; tagged runs ` +
      JSON.stringify(tag ? taggedRuns(first, tag).map(({ element: _, ...run }) => run) : []);
    expect(elsewhere, context()).toEqual([resolved, resolved]);
    // What a page sends the live editor resolves the same.
    expect(resolveAnchor(index, anchorForResolving(anchor)), context()).toEqual(resolved);

    const ownBlock = textblocks(first).find((element) => blockId(element) === anchor.blockId);
    const fallback: ResolvedAnchor = ownBlock
      ? {
          state: "block",
          blockId: anchor.blockId,
          passageRemoved: anchor.passage !== null,
        }
      : { state: "removed" };
    const survivors = tag && anchor.passage ? taggedRuns(first, tag).filter((run) => run.text === anchor.passage?.quote.exact) : [];

    if (resolved.state === "passage" && resolved.via === "relative" && tag && anchor.passage) {
      const edited = checkEditedPassage(first, resolved, anchor.passage.quote.exact, tag, context);
      outcomes[edited ? "relative (edited)" : "relative"]++;
      continue;
    }
    if (survivors.length > 0 && resolved.state === "passage") {
      const matches = survivors.some((run) => run.blockId === resolved.blockId && run.from === resolved.from && run.to === resolved.to);
      expect(matches, context()).toBe(true);
      outcomes[resolved.via]++;
      continue;
    }
    // The passage's text is still there: the thread must be on it, wherever it went.
    expect(survivors, `must resolve to a passage: ${context()}`).toEqual([]);
    expect(resolved, context()).toEqual(fallback);
    if (resolved.state === "removed") outcomes.removed++;
    else if (anchor.passage) outcomes.block++;
    else outcomes["block (whole)"]++;
  }
  return outcomes;
}

describe("comment anchors under random concurrent editing", () => {
  const totals = noOutcomes();

  it.each(SEEDS)("seed %i: every anchor resolves to its tagged text (edited inside, or not), its block, or removed", (seed) => {
    const outcomes = run(seed);
    console.log(`anchoring seed ${seed}: ${JSON.stringify(outcomes)}`);
    expect(Object.values(outcomes).reduce((sum, count) => sum + count, 0)).toBe(PASSAGES + WHOLE_BLOCKS);
    for (const [outcome, count] of Object.entries(outcomes)) totals[outcome as Outcome] += count;
  });

  it("takes every resolution path, so none of them is left untested", () => {
    for (const outcome of ["relative", "relative (edited)", "quote-in-block", "quote-anywhere", "block", "removed", "block (whole)"] as const) {
      expect(totals[outcome], outcome).toBeGreaterThanOrEqual(SEEDS.length);
    }
  });
});
