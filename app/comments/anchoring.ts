/**
 * Where a comment thread sits in the draft, and how to find that place again after the draft has changed.
 *
 * A thread is started on a block (paragraph, heading or code block) or on a passage of one. The passage is kept
 * three ways, tried in order when the thread is shown: Yjs relative positions (the passage as edited since, while
 * at most half of its characters were deleted), then a W3C-style text quote in the block with the stored id, then
 * the quote anywhere in the draft (a split or a join gives the text a new block). What cannot be found again falls
 * back to the block, "changed or removed", and a thread whose block is gone says so: a thread is never silently
 * lost, nor moved to text it was not about.
 *
 * Runs in the browser (live editor) and on the server (stored state), so it uses nothing but yjs and lib0.
 */
import { fromBase64, toBase64 } from "lib0/buffer";
import * as Y from "yjs";
import type { CharacterRun, StoredAnchor, TextQuote } from "#db/anchor";

export type { CharacterRun, StoredAnchor, TextQuote };

/** from/to are offsets in the block's text (see IndexedBlock.text); the ProseMirror position is blockStart + 1 + offset. */
/**
 * A passage resolves while it reads its quote, or while its relative positions still enclose it in one block and at
 * most half of its characters were deleted: text typed inside it since is part of it then (its highlight grows),
 * text typed at its edges is not. From/to may therefore enclose other text than the quote.
 */
export type ResolvedAnchor =
  | {
      state: "passage";
      blockId: string;
      from: number;
      to: number;
      via: "relative" | "quote-in-block" | "quote-anywhere";
    }
  | { state: "block"; blockId: string; passageRemoved: boolean }
  | { state: "removed" };

export interface IndexedBlock {
  id: string;
  /** The node name: "paragraph", "heading" or "codeBlock". */
  type: string;
  /** Its inline content as ProseMirror counts it: text as is, any inline node (a hard break) as one "\n". */
  text: string;
  element: Y.XmlElement;
  /** Place in DocumentIndex.blocks. */
  order: number;
  /** Text offset at which each child of the element starts, then the text's length. */
  childStarts: readonly number[];
}

export const CONTEXT_LENGTH = 32;
export const BLOCK_TEXT_LENGTH = 500;

/**
 * The quote-anywhere rule. Outside its own block a passage is found again because a split or a join moved its
 * text: the candidate's block then holds the passage's old surroundings (as kept in blockText, or in the quote's
 * prefix and suffix where blockText does not reach) up to the new block's edge, give or take text typed since. A
 * phrase that recurs elsewhere agrees for a few words and then differs. So a candidate is accepted when on each
 * side its surroundings, read outward from the passage, are the stored ones in runs of MIN_RUN characters or
 * more, with at most MAX_GAP characters of insertions in all, until either text reaches a block edge or for
 * LONG_AGREEMENT characters; and the agreeing characters and the quote make MIN_SPAN together. Forgiving
 * deletions as well, or accepting 16 verbatim characters (W3C-style quote anchoring) would put threads on the
 * wrong paragraph of the seed draft, which says "Vi rekommenderar att myndigheten" in four paragraphs and
 * "görs tillgängligt över ett nätverk" in two.
 */
export const MIN_RUN = 4;
/**
 * A quote that was the only one of its kind in the draft when the thread was made is taken wherever it is now,
 * context or not: it is the same words, moved (a split or join gives text new Yjs items and a new block), or
 * copied (two editors moving the same block at once leave two copies; the one whose context agrees best wins).
 * Shorter quotes are too likely to be retyped by chance.
 */
export const MIN_UNIQUE_QUOTE = 12;
export const MAX_GAP = 64;
export const LONG_AGREEMENT = 48;
export const MIN_SPAN = 16;

// YJS_FRAGMENT of ~/editor/extensions, repeated so that this module does not load the whole editor schema.
const FRAGMENT = "default";
const COMMENTABLE = new Set(["paragraph", "heading", "codeBlock"]);
// Separates the blocks' texts in DocumentIndex's search string; a quote containing it cannot match across two.
const BLOCK_SEPARATOR = "\u0000";

interface Place {
  block: IndexedBlock;
  offset: number;
}

interface TextChild {
  block: IndexedBlock;
  start: number;
}

/** A snapshot of the draft's commentable blocks; build a new one after the document changes. */
export class DocumentIndex {
  readonly blocks: readonly IndexedBlock[];
  private readonly byId = new Map<string, IndexedBlock>();
  private readonly byElement = new Map<Y.XmlElement, IndexedBlock>();
  private readonly textChildren: Map<Y.XmlText, TextChild>;
  private searchText: { text: string; starts: number[] } | null = null;

  private constructor(
    readonly doc: Y.Doc,
    blocks: IndexedBlock[],
    textChildren: Map<Y.XmlText, TextChild>,
  ) {
    this.blocks = blocks;
    this.textChildren = textChildren;
    for (const block of blocks) {
      if (!this.byId.has(block.id)) this.byId.set(block.id, block);
      this.byElement.set(block.element, block);
    }
  }

  static of(doc: Y.Doc): DocumentIndex {
    const blocks: IndexedBlock[] = [];
    const textChildren = new Map<Y.XmlText, TextChild>();
    // Elements still to visit, the next on top: a stack of its own rather than recursion, which stored content of
    // any depth could overflow.
    const pending: Y.XmlElement[] = [];
    const pushChildren = (parent: Y.XmlFragment): void => {
      const children = parent.toArray();
      for (let index = children.length - 1; index >= 0; index--) {
        const child = children[index];
        if (child instanceof Y.XmlElement) pending.push(child);
      }
    };
    pushChildren(doc.getXmlFragment(FRAGMENT));
    for (let child = pending.pop(); child !== undefined; child = pending.pop()) {
      const id: unknown = child.getAttribute("id");
      if (!COMMENTABLE.has(child.nodeName) || typeof id !== "string" || id === "") {
        pushChildren(child);
        continue;
      }
      const parts: string[] = [];
      const childStarts: number[] = [];
      const texts: [Y.XmlText, number][] = [];
      let length = 0;
      for (const inline of child.toArray()) {
        childStarts.push(length);
        const part = inline instanceof Y.XmlText ? plainText(inline) : "\n";
        if (inline instanceof Y.XmlText) texts.push([inline, length]);
        parts.push(part);
        length += part.length;
      }
      childStarts.push(length);
      const block: IndexedBlock = {
        id,
        type: child.nodeName,
        text: parts.join(""),
        element: child,
        order: blocks.length,
        childStarts,
      };
      blocks.push(block);
      for (const [text, start] of texts) textChildren.set(text, { block, start });
    }
    return new DocumentIndex(doc, blocks, textChildren);
  }

  block(id: string): IndexedBlock | undefined {
    return this.byId.get(id);
  }

  /** The block and text offset of a Yjs index in one of the blocks' XmlTexts or in a block element's children. */
  locate(type: Y.AbstractType<unknown>, index: number): Place | null {
    if (type instanceof Y.XmlText) {
      const child = this.textChildren.get(type);
      return child ? { block: child.block, offset: child.start + index } : null;
    }
    if (type instanceof Y.XmlElement) {
      const block = this.byElement.get(type);
      const offset = block?.childStarts[index];
      return block && offset !== undefined ? { block, offset } : null;
    }
    return null;
  }

  /** Every occurrence of `exact` within a single block, in document order. */
  occurrences(exact: string): Place[] {
    // One indexOf over the whole draft instead of one per block: this runs for every anchor whose block moved.
    this.searchText ??= searchTextOf(this.blocks);
    const { text, starts } = this.searchText;
    const found: Place[] = [];
    for (let at = text.indexOf(exact); at !== -1; at = text.indexOf(exact, at + 1)) {
      const order = lastAtOrBefore(starts, at);
      const block = this.blocks[order];
      const start = starts[order];
      if (block === undefined || start === undefined) continue;
      const offset = at - start;
      if (offset + exact.length <= block.text.length) found.push({ block, offset });
    }
    return found;
  }
}

function plainText(text: Y.XmlText): string {
  const delta = text.toDelta() as { insert?: unknown }[];
  // An embed counts as one character in Yjs indices, so it must in ours too (y-tiptap writes none).
  return delta.map((op) => (typeof op.insert === "string" ? op.insert : "\uFFFC")).join("");
}

function searchTextOf(blocks: readonly IndexedBlock[]): {
  text: string;
  starts: number[];
} {
  const starts: number[] = [];
  let length = 0;
  for (const block of blocks) {
    starts.push(length);
    length += block.text.length + BLOCK_SEPARATOR.length;
  }
  return {
    text: blocks.map((block) => block.text).join(BLOCK_SEPARATOR),
    starts,
  };
}

function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((sorted[middle] ?? Infinity) <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}

// ---- Creating ----

export function createAnchor(index: DocumentIndex, blockId: string, range?: { from: number; to: number }): StoredAnchor | null {
  const block = index.block(blockId);
  if (!block) return null;
  const blockText = block.text.slice(0, BLOCK_TEXT_LENGTH);
  if (range === undefined) return { blockId, blockText, passage: null };
  const { from, to } = range;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || from >= to || to > block.text.length) return null;
  // The start sticks to the passage's first character and the end to its last, so text typed right before or
  // right after the passage stays outside it.
  const start = relativePosition(block, from, 0);
  const end = relativePosition(block, to - 1, -1);
  return {
    blockId,
    blockText,
    passage: {
      start: toBase64(Y.encodeRelativePosition(start)),
      end: toBase64(Y.encodeRelativePosition(end)),
      quote: {
        exact: block.text.slice(from, to),
        prefix: block.text.slice(Math.max(0, from - CONTEXT_LENGTH), from),
        suffix: block.text.slice(to, to + CONTEXT_LENGTH),
      },
      unique: index.occurrences(block.text.slice(from, to)).length === 1,
      characters: characterRuns(block, from, to),
    },
  };
}

/** The Yjs ids of characters [from, to) of the block's text, merged into runs. */
function characterRuns(block: IndexedBlock, from: number, to: number): CharacterRun[] {
  const runs: CharacterRun[] = [];
  const add = (id: Y.ID, length: number): void => {
    const last = runs[runs.length - 1];
    if (last && last[0] === id.client && last[1] + last[2] === id.clock) last[2] += length;
    else runs.push([id.client, id.clock, length]);
  };
  let offset = 0;
  for (const child of block.element.toArray()) {
    if (offset >= to) break;
    if (child instanceof Y.XmlText) {
      for (let item = child._start; item !== null && offset < to; item = item.right) {
        if (item.deleted || !item.countable) continue;
        const low = Math.max(from, offset);
        const high = Math.min(to, offset + item.length);
        if (low < high) add(Y.createID(item.id.client, item.id.clock + low - offset), high - low);
        offset += item.length;
      }
    } else {
      // An inline node (a hard break) is one character: its own item.
      if (offset >= from && child instanceof Y.XmlElement && child._item) add(child._item.id, 1);
      offset += 1;
    }
  }
  return runs;
}

/**
 * An anchor on `exact` in the block: the occurrence nearest `near`, for offsets that may be a moment old (the
 * browser's selection, the server's page). null when the block or the text is not there.
 */
export function anchorPassageNear(index: DocumentIndex, blockId: string, exact: string, near: number): StoredAnchor | null {
  const block = index.block(blockId);
  if (!block || exact === "") return null;
  let best: number | null = null;
  for (let at = block.text.indexOf(exact); at !== -1; at = block.text.indexOf(exact, at + 1)) {
    if (best === null || Math.abs(at - near) < Math.abs(best - near)) best = at;
  }
  return best === null ? null : createAnchor(index, blockId, { from: best, to: best + exact.length });
}

/** A position tied to the character at `offset`: before it when assoc >= 0, after it when assoc < 0. */
function relativePosition(block: IndexedBlock, offset: number, assoc: number): Y.RelativePosition {
  const children = block.element.toArray();
  const childIndex = lastAtOrBefore(block.childStarts, offset);
  const child = children[childIndex];
  const start = block.childStarts[childIndex] ?? 0;
  const after = assoc < 0 ? 1 : 0;
  if (child instanceof Y.XmlText) return Y.createRelativePositionFromTypeIndex(child, offset - start + after, assoc);
  // A hard break has no characters of its own to hold on to: tie the position to the break in its paragraph.
  return Y.createRelativePositionFromTypeIndex(block.element, childIndex + after, assoc);
}

// ---- Resolving ----

export function resolveAnchor(index: DocumentIndex, anchor: StoredAnchor): ResolvedAnchor {
  const { passage } = anchor;
  if (passage !== null) {
    const { exact } = passage.quote;
    const start = absolutePosition(index, passage.start);
    const end = absolutePosition(index, passage.end);
    // A position on a deleted character resolves to a live place nearby: what lies between the two holds the
    // passage while it reads the quote, or while at most half of the quoted characters are gone from it.
    if (
      start &&
      end &&
      start.block === end.block &&
      start.offset < end.offset &&
      (start.block.text.slice(start.offset, end.offset) === exact || mostlyKept(index.doc, passage.characters, exact.length))
    ) {
      return {
        state: "passage",
        blockId: start.block.id,
        from: start.offset,
        to: end.offset,
        via: "relative",
      };
    }

    const own = index.block(anchor.blockId);
    if (own && exact !== "") {
      const candidates: Place[] = [];
      for (let at = own.text.indexOf(exact); at !== -1; at = own.text.indexOf(exact, at + 1)) {
        candidates.push({ block: own, offset: at });
      }
      const best = bestPlace(candidates, passage.quote, start, null);
      if (best) return passageAt(best, exact, "quote-in-block");
    }

    if (exact !== "") {
      const candidates = index.occurrences(exact).filter((place) => place.block !== own);
      const best = bestPlace(candidates, passage.quote, start, movesWithoutContext(passage) ? null : { blockText: anchor.blockText });
      if (best) return passageAt(best, exact, "quote-anywhere");
    }
  }
  const block = index.block(anchor.blockId);
  return block ? { state: "block", blockId: block.id, passageRemoved: passage !== null } : { state: "removed" };
}

/** Whether the quote is taken anywhere, context or not (see MIN_UNIQUE_QUOTE). */
function movesWithoutContext(passage: NonNullable<StoredAnchor["passage"]>): boolean {
  return passage.unique === true && passage.quote.exact.length >= MIN_UNIQUE_QUOTE;
}

/**
 * The anchor with what resolveAnchor reads of it, for a page that sends the anchors of all its threads to the live
 * editor: the block's text (up to BLOCK_TEXT_LENGTH characters) only serves to find a quote that was not unique
 * outside its block.
 */
export function anchorForResolving(anchor: StoredAnchor): StoredAnchor {
  return anchor.passage !== null && movesWithoutContext(anchor.passage) ? { ...anchor, blockText: "" } : anchor;
}

/**
 * Whether at least half of the passage's characters, by their Yjs ids, are still in the document. Characters are
 * never moved in Yjs: a surviving one is where it was, between the passage's start and end. Anchors made before the
 * ids were kept count as changed at the first edit, as they did then.
 */
function mostlyKept(doc: Y.Doc, characters: unknown, length: number): boolean {
  if (!Array.isArray(characters) || length === 0) return false;
  let kept = 0;
  for (const run of characters) {
    if (!isCharacterRun(run)) return false;
    kept += keptInRun(doc, run);
  }
  // "Changed" is when most of the passage is gone: exactly half gone still counts as the passage.
  return kept * 2 >= length;
}

function isCharacterRun(run: unknown): run is CharacterRun {
  return Array.isArray(run) && run.length === 3 && run.every((part) => Number.isSafeInteger(part) && (part as number) >= 0);
}

/** How many characters of the run are in the document and not deleted. */
function keptInRun(doc: Y.Doc, [client, clock, length]: CharacterRun): number {
  const structs = doc.store.clients.get(client);
  // Characters this copy of the document has not received (a version frozen before them) count as gone.
  if (!structs || Y.getState(doc.store, client) <= clock) return 0;
  let kept = 0;
  for (let at = Y.findIndexSS(structs, clock); at < structs.length; at++) {
    const struct = structs[at];
    if (!struct || struct.id.clock >= clock + length) break;
    if (!struct.deleted) kept += Math.min(clock + length, struct.id.clock + struct.length) - Math.max(clock, struct.id.clock);
  }
  return kept;
}

/**
 * Whether a passage that no longer resolves was edited rather than deleted: its start and end still enclose some
 * text of one block, only not the words commented on.
 */
export function passageWasEdited(index: DocumentIndex, anchor: StoredAnchor): boolean {
  const span = passageSpan(index, anchor);
  return span !== null && span.from < span.to;
}

/**
 * Where the passage's start and end are now, whatever text lies between them (empty when all of it was deleted);
 * null when they are gone or no longer in one block in order.
 */
export function passageSpan(index: DocumentIndex, anchor: StoredAnchor): { block: IndexedBlock; from: number; to: number } | null {
  if (!anchor.passage) return null;
  const start = absolutePosition(index, anchor.passage.start);
  const end = absolutePosition(index, anchor.passage.end);
  if (start === null || end === null || start.block !== end.block || start.offset > end.offset) return null;
  return { block: start.block, from: start.offset, to: end.offset };
}

function absolutePosition(index: DocumentIndex, encoded: string): Place | null {
  let position: Y.AbsolutePosition | null;
  try {
    position = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(fromBase64(encoded)), index.doc);
  } catch {
    // Stored data from elsewhere (or a future encoding): the quote still gets its chance.
    return null;
  }
  return position ? index.locate(position.type, position.index) : null;
}

function passageAt({ block, offset }: Place, exact: string, via: "quote-in-block" | "quote-anywhere"): ResolvedAnchor {
  return {
    state: "passage",
    blockId: block.id,
    from: offset,
    to: offset + exact.length,
    via,
  };
}

/**
 * The candidate whose context agrees best with the stored one; ties go to the one nearest `hint`, then the first.
 * With `outside`, only candidates that pass the quote-anywhere rule count, ranked by how much context they keep.
 */
function bestPlace(
  candidates: readonly Place[],
  quote: TextQuote,
  hint: Place | null,
  outside: { blockText: string } | null,
): Place | null {
  let best: { place: Place; agreement: number; distance: number } | null = null;
  for (const place of candidates) {
    let agreement: number;
    if (outside) {
      const { blockText } = outside;
      const fit = contextFit(quote, blockText, place.block.text, place.offset);
      if (!fit.accepted) continue;
      agreement = fit.agreement;
    } else {
      const { text } = place.block;
      const end = place.offset + quote.exact.length;
      agreement =
        commonSuffixLength(quote.prefix, text.slice(Math.max(0, place.offset - CONTEXT_LENGTH), place.offset)) +
        commonPrefixLength(quote.suffix, text.slice(end, end + CONTEXT_LENGTH));
    }
    const distance = hint && hint.block === place.block ? Math.abs(hint.offset - place.offset) : Infinity;
    if (!best || agreement > best.agreement || (agreement === best.agreement && distance < best.distance)) {
      best = { place, agreement, distance };
    }
  }
  return best?.place ?? null;
}

/**
 * The quote-anywhere rule (see MIN_RUN) for the passage of a stored quote found at `offset` of a block's text;
 * `agreement` counts the characters of the old surroundings found again.
 */
export function contextFit(quote: TextQuote, blockText: string, text: string, offset: number): { accepted: boolean; agreement: number } {
  const { exact, prefix, suffix } = quote;
  // blockText holds the passage's whole surroundings unless the passage lay beyond its first 500 characters.
  const found = blockText.indexOf(prefix + exact + suffix);
  const at = found + prefix.length;
  const stored =
    found >= 0
      ? {
          before: blockText.slice(0, at),
          beforeIsEdge: true,
          after: blockText.slice(at + exact.length),
          afterIsEdge: blockText.length < BLOCK_TEXT_LENGTH,
        }
      : {
          before: prefix,
          beforeIsEdge: prefix.length < CONTEXT_LENGTH,
          after: suffix,
          afterIsEdge: suffix.length < CONTEXT_LENGTH,
        };
  // One character more than sideFit reads tells it whether the text ends there.
  const reach = LONG_AGREEMENT + MAX_GAP + 1;
  const end = offset + exact.length;
  const before = sideFit(
    reversed(stored.before.slice(-reach)),
    stored.beforeIsEdge && stored.before.length < reach,
    reversed(text.slice(Math.max(0, offset - reach), offset)),
  );
  const after = sideFit(stored.after.slice(0, reach), stored.afterIsEdge && stored.after.length < reach, text.slice(end, end + reach));
  const agreement = before.found + after.found;
  return {
    accepted: before.supported && after.supported && agreement + exact.length >= MIN_SPAN,
    agreement,
  };
}

/**
 * How far `stored` (read from the passage outward) is found again in `current`: the run right at the passage,
 * then further runs of at least MIN_RUN characters (or finishing `stored`), each found as soon as possible after
 * the last, with at most MAX_GAP characters of `current` skipped in all as typed since. Supported when all of
 * `stored` is found and it ended at a block edge, or `current` is used up at a block edge by found text (not by
 * typed text), or when LONG_AGREEMENT characters are found.
 */
function sideFit(wholeStored: string, wholeIsEdge: boolean, whole: string): { found: number; supported: boolean } {
  // Past LONG_AGREEMENT characters a side is supported anyway: comparing further would only cost time.
  const stored = wholeStored.slice(0, LONG_AGREEMENT);
  const storedIsEdge = wholeIsEdge && wholeStored.length <= LONG_AGREEMENT;
  const current = whole.slice(0, stored.length + MAX_GAP);
  const currentIsEdge = whole.length === current.length;
  let found = runLength(stored, 0, current, 0);
  let position = found;
  let skipped = 0;
  for (;;) {
    if (found === stored.length || position === current.length) break;
    let next: { skip: number; run: number } | null = null;
    for (let skip = 1; skip <= MAX_GAP - skipped && position + skip < current.length; skip++) {
      const run = runLength(stored, found, current, position + skip);
      if (run >= MIN_RUN || (run > 0 && found + run === stored.length)) {
        next = { skip, run };
        break;
      }
    }
    if (!next) break;
    skipped += next.skip;
    found += next.run;
    position += next.skip + next.run;
  }
  const supported = (found === stored.length && storedIsEdge) || (position === current.length && currentIsEdge) || found >= LONG_AGREEMENT;
  return { found, supported };
}

function runLength(a: string, from: number, b: string, at: number): number {
  let length = 0;
  while (from + length < a.length && at + length < b.length && a.charCodeAt(from + length) === b.charCodeAt(at + length)) length++;
  return length;
}

function reversed(text: string): string {
  return text.split("").reverse().join("");
}

function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let length = 0;
  while (length < limit && a.charCodeAt(length) === b.charCodeAt(length)) length++;
  return length;
}

function commonSuffixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let length = 0;
  while (length < limit && a.charCodeAt(a.length - 1 - length) === b.charCodeAt(b.length - 1 - length)) length++;
  return length;
}
