/**
 * Restoring a frozen version: the live draft is changed, inside the caller's Yjs transaction, until it reads what
 * the version reads, touching as little of it as it can (decision 0034).
 *
 * - Elements are matched by node type and block id; the matches kept are the longest run in the same order in both
 *   (Yjs cannot move an element, so one that moved is removed and inserted again). Elements without an id (lists,
 *   rules) are paired by type, in order, between two matched neighbours.
 * - A matched text block whose text, line breaks and formatting are equal is not touched: threads on it keep their
 *   anchors, and whoever is typing in it is not disturbed.
 * - A changed text block is changed by a word diff of its text: the words both share keep their Yjs characters,
 *   so text typed into it meanwhile lands between them as Yjs merges it; formatting is changed in place.
 * - Blocks the version has and the draft lacks are inserted at their place with their old ids; blocks added since
 *   are removed, with whatever is typed into them meanwhile.
 *
 * Server-side only: it reads the document schema.
 */
import * as Y from "yjs";
import { checkContent, type ContentNode } from "#app/editor/content";
import { documentSchema } from "#app/editor/extensions";
import { diffWords, longestIncreasingSubsequence, tokenize } from "./diff";

/** Counted in text blocks (paragraphs, headings, code blocks), as readers count what changed. */
export interface RestoreCounts {
  changed: number;
  added: number;
  removed: number;
}

export interface RestoreOutcome extends RestoreCounts {
  /** Whether the draft changed at all: false when it already read as the version; true also when only a list's or quote's shape did. */
  touched: boolean;
}

type Attributes = Record<string, unknown>;
type Inline = Y.XmlText | Y.XmlElement;

/** One UTF-16 unit of a text block's content, as Yjs counts it: a character with its formatting, or an inline node. */
interface Unit {
  char: string;
  /** The character's formatting; null for an inline node (a hard break). */
  attributes: Attributes | null;
  node: ContentNode | null;
}

// YJS_FRAGMENT of ~/editor/extensions.
const FRAGMENT = "default";
// Inline nodes (hard breaks) take a character of Unicode's private use area in the texts the word diff compares,
// one per node type: the diff then treats each as a word of its own, which a draft's text never contains.
const FIRST_INLINE_NODE_CHAR = 0xe000;

/**
 * Changes `doc`'s draft so that it reads `version` (ProseMirror JSON, as yDocToContent reads a version's state).
 * Call it inside a transaction; it reads and writes the document synchronously. Throws, before changing anything,
 * when `version` is not a draft the schema accepts.
 */
export function restoreVersion(doc: Y.Doc, version: ContentNode): RestoreOutcome {
  checkContent(version);
  const restore = new Restore();
  restore.children(doc.getXmlFragment(FRAGMENT), version.content ?? []);
  return restore.outcome;
}

class Restore {
  readonly outcome: RestoreOutcome = { changed: 0, added: 0, removed: 0, touched: false };
  private readonly inlineChars = new Map<string, string>();

  /** Makes `parent`'s children those of `target`, keeping every child it can match. */
  children(parent: Y.XmlFragment, target: readonly ContentNode[]): void {
    const live = parent.toArray();
    const pairs = pairChildren(live, target);
    let position = 0;
    let next = 0;
    const removeUpTo = (end: number) => {
      if (end <= next) return;
      for (const child of live.slice(next, end)) this.outcome.removed += countTextblocks(child);
      parent.delete(position, end - next);
      this.outcome.touched = true;
      next = end;
    };
    target.forEach((node, index) => {
      const match = pairs.get(index);
      if (match === undefined) {
        parent.insert(position, [this.build(node)]);
        this.outcome.touched = true;
        position++;
        return;
      }
      removeUpTo(match);
      const element = live[match];
      if (element instanceof Y.XmlElement) this.element(element, node);
      position++;
      next = match + 1;
    });
    removeUpTo(live.length);
  }

  /** Brings a matched element's attributes and content to the target's. */
  private element(element: Y.XmlElement, target: ContentNode): void {
    const attributesChanged = syncAttributes(element, target.attrs ?? {});
    if (attributesChanged) this.outcome.touched = true;
    if (!isTextblock(target.type)) {
      this.children(element, target.content ?? []);
      return;
    }
    const contentChanged = this.inline(element, target.content ?? []);
    if (attributesChanged || contentChanged) this.outcome.changed++;
  }

  /** Brings a text block's text, line breaks and formatting to the target's; true when anything changed. */
  private inline(block: Y.XmlElement, target: readonly ContentNode[]): boolean {
    const units = this.units(target);
    const wanted = units.map((unit) => unit.char).join("");
    let changed = false;
    const current = this.liveText(block);
    if (current !== wanted) {
      changed = true;
      // From the end, so that the offsets of the hunks before stay valid.
      for (const hunk of hunks(current, wanted).reverse()) {
        if (hunk.to > hunk.from) deleteRange(block, hunk.from, hunk.to);
        insertUnits(block, hunk.from, units.slice(hunk.at, hunk.at + hunk.length));
      }
      normalizeInline(block);
    }
    if (formatLike(block, units)) changed = true;
    if (changed) this.outcome.touched = true;
    return changed;
  }

  /** The text block's content as units: characters with their formatting, inline nodes as one character each. */
  private units(content: readonly ContentNode[]): Unit[] {
    const units: Unit[] = [];
    for (const node of content) {
      if (node.type !== "text") {
        units.push({ char: this.inlineChar(node.type), attributes: null, node });
        continue;
      }
      const attributes: Attributes = {};
      for (const mark of node.marks ?? []) attributes[mark.type] = mark.attrs ?? {};
      const text = node.text ?? "";
      for (let index = 0; index < text.length; index++) units.push({ char: text.charAt(index), attributes, node: null });
    }
    return units;
  }

  private liveText(block: Y.XmlElement): string {
    return inlineChildren(block)
      .map((child) => (child instanceof Y.XmlText ? plainText(child) : this.inlineChar(child.nodeName)))
      .join("");
  }

  private inlineChar(nodeName: string): string {
    let char = this.inlineChars.get(nodeName);
    if (char === undefined) {
      char = String.fromCharCode(FIRST_INLINE_NODE_CHAR + this.inlineChars.size);
      this.inlineChars.set(nodeName, char);
    }
    return char;
  }

  /** A new element for a block the draft lacks, with its id and everything in it. */
  private build(node: ContentNode): Y.XmlElement {
    this.outcome.added += countTextblocksIn(node);
    return buildElement(node);
  }
}

/**
 * Which live child each target child keeps (target index → live index), in order in both. Children with an id are
 * matched by type and id, the longest run in the same order kept; children without one are paired by type, in order,
 * between two kept neighbours.
 */
function pairChildren(live: readonly unknown[], target: readonly ContentNode[]): Map<number, number> {
  const targetByKey = new Map<string, number>();
  target.forEach((node, index) => {
    const key = keyOf(node.type, node.attrs?.id);
    if (key !== null && !targetByKey.has(key)) targetByKey.set(key, index);
  });
  const matched: { live: number; target: number }[] = [];
  const used = new Set<number>();
  live.forEach((child, index) => {
    if (!(child instanceof Y.XmlElement)) return;
    const key = keyOf(child.nodeName, child.getAttribute("id"));
    const found = key === null ? undefined : targetByKey.get(key);
    if (found === undefined || used.has(found)) return;
    used.add(found);
    matched.push({ live: index, target: found });
  });
  const inOrder = longestIncreasingSubsequence(matched.map((match) => match.target));
  const pairs = new Map<number, number>();
  const kept = matched.filter((_, index) => inOrder.has(index));
  let liveStart = 0;
  let targetStart = 0;
  for (const anchor of [...kept, { live: live.length, target: target.length }]) {
    let liveNext = liveStart;
    for (let index = targetStart; index < anchor.target; index++) {
      const node = target[index];
      if (!node || keyOf(node.type, node.attrs?.id) !== null) continue;
      for (let candidate = liveNext; candidate < anchor.live; candidate++) {
        const child = live[candidate];
        if (child instanceof Y.XmlElement && child.nodeName === node.type && keyOf(child.nodeName, child.getAttribute("id")) === null) {
          pairs.set(index, candidate);
          liveNext = candidate + 1;
          break;
        }
      }
    }
    if (anchor.target < target.length) pairs.set(anchor.target, anchor.live);
    liveStart = anchor.live + 1;
    targetStart = anchor.target + 1;
  }
  return pairs;
}

function keyOf(type: string, id: unknown): string | null {
  return typeof id === "string" && id !== "" ? `${type}#${id}` : null;
}

function isTextblock(type: string): boolean {
  return documentSchema.nodes[type]?.isTextblock ?? false;
}

/** Sets the attributes the target has, removes those it lacks; true when any changed. y-tiptap stores no nulls. */
function syncAttributes(element: Y.XmlElement, wanted: Attributes): boolean {
  let changed = false;
  const current = element.getAttributes() as Attributes;
  for (const [key, value] of Object.entries(wanted)) {
    if (value === null || value === undefined || sameValue(current[key], value)) continue;
    element.setAttribute(key, value as string);
    changed = true;
  }
  for (const [key, value] of Object.entries(current)) {
    if (value === null || value === undefined || (wanted[key] !== null && wanted[key] !== undefined)) continue;
    element.removeAttribute(key);
    changed = true;
  }
  return changed;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || canonical(a) === canonical(b);
}

/** JSON with object keys sorted, so that two equal formattings compare equal whatever order Yjs kept them in. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value as Attributes)
    .filter(([, inner]) => inner !== null && inner !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(",")}}`;
}

// ---- Text blocks ----

interface Hunk {
  /** The live text's characters from..to are replaced with the wanted text's `length` characters from `at`. */
  from: number;
  to: number;
  at: number;
  length: number;
}

/**
 * Beyond this many differing words and spaces in one block, the block's differing middle is replaced as a whole:
 * Myers' diff keeps a trace that grows with the square of the difference, and this runs in the collaboration
 * server's transaction. A rewritten paragraph of a few hundred words still gets the word diff.
 */
const MAX_DIFFED_TOKENS = 2_000;

/** The word diff of the block's text and the wanted text, as replacements in order. */
function hunks(current: string, wanted: string): Hunk[] {
  let start = 0;
  while (start < current.length && start < wanted.length && current[start] === wanted[start]) start++;
  let end = 0;
  while (end < current.length - start && end < wanted.length - start && current[current.length - 1 - end] === wanted[wanted.length - 1 - end]) end++;
  if (tokenize(current.slice(start, current.length - end)).length + tokenize(wanted.slice(start, wanted.length - end)).length > MAX_DIFFED_TOKENS) {
    // Never between the two halves of a surrogate pair: Yjs would replace both with U+FFFD.
    if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
    if (end > 0 && isHighSurrogate(current.charCodeAt(current.length - end - 1))) end--;
    return [{ from: start, to: current.length - end, at: start, length: wanted.length - end - start }];
  }
  return wordHunks(current, wanted);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function wordHunks(current: string, wanted: string): Hunk[] {
  const found: Hunk[] = [];
  let from = 0;
  let at = 0;
  let open: Hunk | null = null;
  for (const change of diffWords(current, wanted)) {
    const length = change.text.length;
    if (change.kind === "same") {
      open = null;
      from += length;
      at += length;
      continue;
    }
    if (open === null) {
      open = { from, to: from, at, length: 0 };
      found.push(open);
    }
    if (change.kind === "removed") {
      open.to += length;
      from += length;
    } else {
      open.length += length;
      at += length;
    }
  }
  return found;
}

interface Slot {
  child: Inline;
  /** Index among the block's children. */
  index: number;
  start: number;
  length: number;
}

function inlineChildren(block: Y.XmlElement): Inline[] {
  return block.toArray().filter((child): child is Inline => child instanceof Y.XmlText || child instanceof Y.XmlElement);
}

function layout(block: Y.XmlElement): Slot[] {
  const slots: Slot[] = [];
  let start = 0;
  block.toArray().forEach((child, index) => {
    if (!(child instanceof Y.XmlText || child instanceof Y.XmlElement)) return;
    const length = child instanceof Y.XmlText ? child.length : 1;
    slots.push({ child, index, start, length });
    start += length;
  });
  return slots;
}

function plainText(text: Y.XmlText): string {
  return deltaOf(text)
    .map((op) => (typeof op.insert === "string" ? op.insert : "\uFFFC"))
    .join("");
}

interface DeltaOp {
  insert: unknown;
  attributes?: Attributes;
}

function deltaOf(text: Y.XmlText): DeltaOp[] {
  return text.toDelta() as DeltaOp[];
}

/** Deletes the block's characters (and inline nodes) from..to; emptied texts stay until normalizeInline. */
function deleteRange(block: Y.XmlElement, from: number, to: number): void {
  const slots = layout(block);
  for (let position = slots.length - 1; position >= 0; position--) {
    const slot = slots[position];
    if (!slot) continue;
    const low = Math.max(from, slot.start);
    const high = Math.min(to, slot.start + slot.length);
    if (low >= high) continue;
    if (slot.child instanceof Y.XmlText) slot.child.delete(low - slot.start, high - low);
    else block.delete(slot.index, 1);
  }
}

/** Inserts the units at a block offset: runs of characters with their formatting, inline nodes as elements. */
function insertUnits(block: Y.XmlElement, offset: number, units: readonly Unit[]): void {
  let position = offset;
  let index = 0;
  while (index < units.length) {
    const unit = units[index];
    if (!unit) break;
    if (unit.node !== null) {
      insertInlineNode(block, position, unit.node);
      position++;
      index++;
      continue;
    }
    let end = index + 1;
    while (end < units.length && units[end]?.attributes === unit.attributes) end++;
    const text = units
      .slice(index, end)
      .map((each) => each.char)
      .join("");
    insertText(block, position, text, unit.attributes ?? {});
    position += text.length;
    index = end;
  }
}

/** Types `text` at a block offset with exactly `attributes` as its formatting, into the text there or a new one. */
function insertText(block: Y.XmlElement, offset: number, text: string, attributes: Attributes): void {
  const slots = layout(block);
  const host = slots.find((slot) => slot.child instanceof Y.XmlText && slot.start <= offset && offset <= slot.start + slot.length);
  if (host?.child instanceof Y.XmlText) {
    // A copy: Yjs fills in the attributes object it is given.
    host.child.insert(offset - host.start, text, { ...attributes });
    return;
  }
  const created = new Y.XmlText();
  block.insert(childIndexAt(block, slots, offset), [created]);
  created.insert(0, text, { ...attributes });
}

/** Inserts an inline node (a hard break) at a block offset, splitting the text there in two when it falls inside one. */
function insertInlineNode(block: Y.XmlElement, offset: number, node: ContentNode): void {
  const slots = layout(block);
  const inside = slots.find((slot) => slot.child instanceof Y.XmlText && slot.start < offset && offset < slot.start + slot.length);
  if (!(inside?.child instanceof Y.XmlText)) {
    block.insert(childIndexAt(block, slots, offset), [buildElement(node)]);
    return;
  }
  // Yjs cannot split a text: the part after the node moves to a new text after it, as ProseMirror's binding does.
  const cut = offset - inside.start;
  const tail = sliceDelta(inside.child, cut);
  inside.child.delete(cut, inside.length - cut);
  const rest = new Y.XmlText();
  block.insert(inside.index + 1, [buildElement(node), rest]);
  rest.applyDelta(tail);
}

/** The index among the block's children at which something inserted at a text offset goes. */
function childIndexAt(block: Y.XmlElement, slots: readonly Slot[], offset: number): number {
  return slots.find((slot) => slot.start >= offset)?.index ?? block.length;
}

function sliceDelta(text: Y.XmlText, from: number): DeltaOp[] {
  const sliced: DeltaOp[] = [];
  let start = 0;
  for (const op of deltaOf(text)) {
    const length = typeof op.insert === "string" ? op.insert.length : 1;
    const end = start + length;
    if (end > from) {
      const insert = typeof op.insert === "string" ? op.insert.slice(Math.max(0, from - start)) : op.insert;
      sliced.push({ insert, attributes: { ...(op.attributes ?? {}) } });
    }
    start = end;
  }
  return sliced;
}

/**
 * Leaves the block as ProseMirror's binding writes one: no empty text, and no two texts side by side (a removed
 * line break leaves two; the second's characters move into the first).
 */
function normalizeInline(block: Y.XmlElement): void {
  for (let index = block.length - 1; index >= 0; index--) {
    const child = block.get(index);
    if (child instanceof Y.XmlText && child.length === 0) block.delete(index, 1);
  }
  for (let index = block.length - 1; index > 0; index--) {
    const child = block.get(index);
    const before = block.get(index - 1);
    if (!(child instanceof Y.XmlText && before instanceof Y.XmlText)) continue;
    const moved = sliceDelta(child, 0);
    block.delete(index, 1);
    before.applyDelta([{ retain: before.length }, ...moved]);
  }
}

/** Gives each character the target's formatting; true when any changed. The block's text must already be the target's. */
function formatLike(block: Y.XmlElement, units: readonly Unit[]): boolean {
  let changed = false;
  for (const slot of layout(block)) {
    if (!(slot.child instanceof Y.XmlText)) continue;
    const text = slot.child;
    const current: Attributes[] = [];
    for (const op of deltaOf(text)) {
      const length = typeof op.insert === "string" ? op.insert.length : 1;
      for (let index = 0; index < length; index++) current.push(op.attributes ?? {});
    }
    let runStart = -1;
    let runChange: Attributes | null = null;
    const flush = (end: number) => {
      if (runChange !== null && runStart >= 0) text.format(runStart, end - runStart, runChange);
      runStart = -1;
      runChange = null;
    };
    for (let index = 0; index < current.length; index++) {
      const have = current[index] ?? {};
      const want = units[slot.start + index]?.attributes ?? {};
      const change = canonical(have) === canonical(want) ? null : formattingChange(have, want);
      if (change === null || canonical(change) !== canonical(runChange)) flush(index);
      if (change !== null && runStart < 0) {
        runStart = index;
        runChange = change;
        changed = true;
      }
    }
    flush(current.length);
  }
  return changed;
}

/** What `format` needs to turn one formatting into another: the wanted marks, and null for each mark to drop. */
function formattingChange(have: Attributes, want: Attributes): Attributes {
  const change: Attributes = {};
  for (const key of Object.keys(have)) if (!(key in want)) change[key] = null;
  for (const [key, value] of Object.entries(want)) change[key] = value;
  return change;
}

// ---- New elements ----

/** A Y.XmlElement holding `node` as y-tiptap lays it out: attributes without nulls, one text per run between inline nodes. */
function buildElement(node: ContentNode): Y.XmlElement {
  const element = new Y.XmlElement(node.type);
  for (const [key, value] of Object.entries(node.attrs ?? {})) {
    if (value !== null && value !== undefined) element.setAttribute(key, value as string);
  }
  const children: Inline[] = [];
  let text: Y.XmlText | null = null;
  let length = 0;
  for (const child of node.content ?? []) {
    if (child.type !== "text") {
      children.push(buildElement(child));
      text = null;
      continue;
    }
    if (text === null) {
      text = new Y.XmlText();
      length = 0;
      children.push(text);
    }
    const attributes: Attributes = {};
    for (const mark of child.marks ?? []) attributes[mark.type] = mark.attrs ?? {};
    const value = child.text ?? "";
    text.insert(length, value, attributes);
    length += value.length;
  }
  if (children.length > 0) element.insert(0, children);
  return element;
}

/** How many text blocks a live child holds, itself included: what removing it removes. */
function countTextblocks(child: unknown): number {
  let count = 0;
  const pending: unknown[] = [child];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (!(next instanceof Y.XmlElement)) continue;
    if (isTextblock(next.nodeName)) count++;
    else pending.push(...next.toArray());
  }
  return count;
}

function countTextblocksIn(node: ContentNode): number {
  let count = 0;
  const pending: ContentNode[] = [node];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (isTextblock(next.type)) count++;
    else pending.push(...(next.content ?? []));
  }
  return count;
}
