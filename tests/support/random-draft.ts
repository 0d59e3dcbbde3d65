/**
 * Seeded random drafts and the structural edits a Tiptap editor makes to them over Yjs (split, join, move,
 * delete of blocks), written directly against the Y.Xml types the way @tiptap/y-tiptap lays them out, for
 * tests that must not depend on an editor. Everything here reads the document on its own terms, independent of
 * app/comments/anchoring.ts, so tests can use it as ground truth.
 */
import * as Y from "yjs";
import type { ContentNode } from "#app/editor/content";

// ---- Randomness ----

export interface Random {
  /** In [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [min, max]. */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: T[]): T[];
}

/** mulberry32: small, fast and good enough to drive tests reproducibly. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (probability) => next() < probability,
    pick<T>(items: readonly T[]): T {
      const item = items[int(items.length)];
      if (item === undefined) throw new Error("pick from an empty list");
      return item;
    },
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [items[i], items[j]] = [items[j] as T, items[i] as T];
      }
      return items;
    },
  };
}

const ONSETS = ["b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "sk", "st", "tr", "kl", "br"];
const VOWELS = ["a", "e", "i", "o", "u", "y", "å", "ä", "ö", "ei", "au"];
const CODAS = ["", "", "", "n", "r", "s", "k", "l", "m", "t", "ng", "st"];

/** A made-up word of one to three random syllables: some 10 bits each, so passages do not repeat by chance. */
export function pseudoWord(random: Random): string {
  let word = "";
  for (let count = random.between(1, 3); count > 0; count--) {
    word += random.pick(ONSETS) + random.pick(VOWELS) + random.pick(CODAS);
  }
  return word;
}

export function pseudoWords(random: Random, count: number): string {
  return Array.from({ length: count }, () => pseudoWord(random)).join(" ");
}

const TYPED_ONSETS = ["c", "q", "w", "x", "z", "cw", "qu", "zw"];
const TYPED_VOWELS = ["é", "ü", "è", "ï", "ê"];

/**
 * Words as a user types them in a test, from letters the draft never uses: typed text next to a damaged passage
 * can then never make up the passage's words again, so whether a passage survived is known from its tags alone.
 */
export function typedWords(random: Random, count: number): string {
  return Array.from({ length: count }, () => {
    let word = "";
    for (let syllables = random.between(1, 3); syllables > 0; syllables--) word += random.pick(TYPED_ONSETS) + random.pick(TYPED_VOWELS);
    return word;
  }).join(" ");
}

function sentence(random: Random): string {
  const text = pseudoWords(random, random.between(4, 12));
  return text.charAt(0).toUpperCase() + text.slice(1) + random.pick([".", ".", ".", "?", "!"]);
}

/** A block id like newBlockId() makes, but from the seeded source. */
export function seededBlockId(random: Random): string {
  return "b" + Array.from({ length: 10 }, () => random.int(36).toString(36)).join("");
}

// ---- Drafts ----

function inline(random: Random, sentences: number, allowBreak: boolean): ContentNode[] {
  const nodes: ContentNode[] = [];
  for (let i = 0; i < sentences; i++) {
    if (i > 0) {
      if (allowBreak && random.chance(0.3)) nodes.push({ type: "hardBreak" });
      else nodes.push({ type: "text", text: " " });
    }
    const text = sentence(random);
    const space = text.indexOf(" ");
    if (random.chance(0.3) && space > 0) {
      nodes.push({ type: "text", text: text.slice(0, space), marks: [{ type: "bold" }] });
      nodes.push({ type: "text", text: text.slice(space) });
    } else {
      nodes.push({ type: "text", text });
    }
  }
  // ProseMirror keeps adjacent text nodes with the same marks as one.
  const merged: ContentNode[] = [];
  for (const node of nodes) {
    const last = merged[merged.length - 1];
    if (last?.type === "text" && node.type === "text" && !last.marks && !node.marks) last.text = (last.text ?? "") + (node.text ?? "");
    else merged.push({ ...node });
  }
  return merged;
}

/**
 * A draft of about `size` commentable blocks: a title, then headings, paragraphs (some with hard breaks and bold
 * words), bullet and ordered lists, and one blockquote, all of made-up words and with seeded ids.
 */
export function randomDraft(random: Random, size = 40): ContentNode {
  let blocks = 0;
  const id = (): string => {
    blocks++;
    return seededBlockId(random);
  };
  const paragraph = (sentences: number): ContentNode => ({
    type: "paragraph",
    attrs: { id: id() },
    content: inline(random, sentences, true),
  });
  const list = (type: "bulletList" | "orderedList"): ContentNode => ({
    type,
    ...(type === "orderedList" ? { attrs: { start: 1, type: null } } : {}),
    content: Array.from({ length: random.between(2, 4) }, () => ({
      type: "listItem",
      attrs: { id: seededBlockId(random) },
      content: [paragraph(random.between(1, 2))],
    })),
  });
  const heading = (level: number): ContentNode => ({
    type: "heading",
    attrs: { id: id(), level },
    content: inline(random, 1, false),
  });

  const content: ContentNode[] = [heading(1)];
  let quoted = false;
  while (blocks < size) {
    const roll = random.next();
    if (!quoted && (roll < 0.08 || blocks > size / 2)) {
      quoted = true;
      content.push({
        type: "blockquote",
        attrs: { id: seededBlockId(random) },
        content: [paragraph(random.between(1, 3)), paragraph(random.between(1, 3))],
      });
    } else if (roll < 0.2) content.push(heading(random.between(2, 3)));
    else if (roll < 0.32) content.push(list("bulletList"));
    else if (roll < 0.38) content.push(list("orderedList"));
    else content.push(paragraph(random.between(1, 4)));
  }
  return { type: "doc", content };
}

// ---- Reading the Yjs document ----

const TEXTBLOCKS = new Set(["paragraph", "heading", "codeBlock"]);
type Inline = Y.XmlText | Y.XmlElement;

/** The textblocks with an id, in document order. */
export function textblocks(doc: Y.Doc): Y.XmlElement[] {
  const found: Y.XmlElement[] = [];
  const visit = (parent: Y.XmlFragment): void => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (TEXTBLOCKS.has(child.nodeName) && typeof child.getAttribute("id") === "string") found.push(child);
      else visit(child);
    }
  };
  visit(doc.getXmlFragment("default"));
  return found;
}

export function blockId(element: Y.XmlElement): string {
  const id: unknown = element.getAttribute("id");
  if (typeof id !== "string") throw new Error(`<${element.nodeName}> has no id`);
  return id;
}

function inlineChildren(element: Y.XmlElement): Inline[] {
  return element.toArray().filter((child): child is Inline => child instanceof Y.XmlText || child instanceof Y.XmlElement);
}

function inlineLength(child: Inline): number {
  return child instanceof Y.XmlText ? child.length : 1;
}

interface DeltaOp {
  insert: string;
  attributes?: Record<string, unknown>;
}

function deltaOf(text: Y.XmlText): DeltaOp[] {
  return (text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]).map((op) => {
    if (typeof op.insert !== "string") throw new Error("unexpected embed");
    return op.attributes ? { insert: op.insert, attributes: op.attributes } : { insert: op.insert };
  });
}

/** The characters of a block, each with the tags (formatting attributes) it carries; a hard break is "\n". */
export function blockCharacters(element: Y.XmlElement): { text: string; attributes: Record<string, unknown>[] } {
  let text = "";
  const attributes: Record<string, unknown>[] = [];
  for (const child of inlineChildren(element)) {
    if (child instanceof Y.XmlText) {
      for (const op of deltaOf(child)) {
        text += op.insert;
        for (let i = 0; i < op.insert.length; i++) attributes.push(op.attributes ?? {});
      }
    } else {
      text += "\n";
      attributes.push(child.getAttributes());
    }
  }
  return { text, attributes };
}

export function blockText(element: Y.XmlElement): string {
  return blockCharacters(element).text;
}

export interface TaggedRun {
  element: Y.XmlElement;
  blockId: string;
  from: number;
  to: number;
  text: string;
}

/** Maximal runs of characters carrying `tag`, per block, in document order. */
export function taggedRuns(doc: Y.Doc, tag: string): TaggedRun[] {
  const runs: TaggedRun[] = [];
  for (const element of textblocks(doc)) {
    const { text, attributes } = blockCharacters(element);
    let from = -1;
    for (let i = 0; i <= text.length; i++) {
      const tagged = i < text.length && attributes[i]?.[tag] !== undefined && attributes[i]?.[tag] !== null;
      if (tagged && from < 0) from = i;
      if (!tagged && from >= 0) {
        runs.push({ element, blockId: blockId(element), from, to: i, text: text.slice(from, i) });
        from = -1;
      }
    }
  }
  return runs;
}

// ---- Editing ----

/** Marks characters from..to of a block with `tag`: a formatting attribute on text, an attribute on a hard break. */
export function tagRange(element: Y.XmlElement, from: number, to: number, tag: string): void {
  let start = 0;
  for (const child of inlineChildren(element)) {
    const length = inlineLength(child);
    const low = Math.max(from, start);
    const high = Math.min(to, start + length);
    if (low < high) {
      if (child instanceof Y.XmlText) child.format(low - start, high - low, { [tag]: true });
      else child.setAttribute(tag, "1");
    }
    start += length;
  }
}

/** Types `text` at a block offset, with no formatting: never inherited from the neighbours, so never a tag. */
export function insertText(element: Y.XmlElement, offset: number, text: string): void {
  let start = 0;
  const children = inlineChildren(element);
  for (const [index, child] of children.entries()) {
    const length = inlineLength(child);
    if (child instanceof Y.XmlText && offset >= start && offset <= start + length) {
      child.insert(offset - start, text, {});
      return;
    }
    if (offset <= start) {
      element.insert(index, [plainXmlText(text)]);
      return;
    }
    start += length;
  }
  element.insert(children.length, [plainXmlText(text)]);
}

function plainXmlText(text: string): Y.XmlText {
  const node = new Y.XmlText();
  node.applyDelta([{ insert: text }]);
  return node;
}

export function deleteText(element: Y.XmlElement, from: number, to: number): void {
  const children = inlineChildren(element);
  const starts: number[] = [];
  let start = 0;
  for (const child of children) {
    starts.push(start);
    start += inlineLength(child);
  }
  for (let index = children.length - 1; index >= 0; index--) {
    const child = children[index];
    const childStart = starts[index] ?? 0;
    if (!child) continue;
    const low = Math.max(from, childStart);
    const high = Math.min(to, childStart + inlineLength(child));
    if (low >= high) continue;
    if (child instanceof Y.XmlText) child.delete(low - childStart, high - low);
    else element.delete(index, 1);
  }
}

function sliceDelta(text: Y.XmlText, from: number): DeltaOp[] {
  const sliced: DeltaOp[] = [];
  let start = 0;
  for (const op of deltaOf(text)) {
    const end = start + op.insert.length;
    if (end > from) {
      const insert = op.insert.slice(Math.max(0, from - start));
      sliced.push({ insert, attributes: op.attributes ?? {} });
    }
    start = end;
  }
  return sliced;
}

function parentOf(node: Y.XmlElement): Y.XmlFragment {
  const parent = node.parent;
  if (!(parent instanceof Y.XmlFragment)) throw new Error("detached node");
  return parent;
}

function indexIn(parent: Y.XmlFragment, node: Y.XmlElement): number {
  const index = parent.toArray().indexOf(node);
  if (index < 0) throw new Error("node not in its parent");
  return index;
}

/** Enter at `offset` (0 < offset < length): the tail, formatting and tags kept, becomes a new paragraph right after. */
export function splitBlock(element: Y.XmlElement, offset: number, newId: string): void {
  const children = inlineChildren(element);
  const tail: Inline[] = [];
  let cut = children.length;
  let start = 0;
  for (const [index, child] of children.entries()) {
    const length = inlineLength(child);
    if (offset <= start) {
      cut = index;
      break;
    }
    if (child instanceof Y.XmlText && offset < start + length) {
      const rest = new Y.XmlText();
      rest.applyDelta(sliceDelta(child, offset - start));
      tail.push(rest);
      child.delete(offset - start, length - (offset - start));
      cut = index + 1;
      break;
    }
    start += length;
  }
  for (const child of children.slice(cut)) tail.push(child.clone());
  if (cut < children.length) element.delete(cut, children.length - cut);
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.setAttribute("id", newId);
  paragraph.insert(0, tail);
  const parent = parentOf(element);
  parent.insert(indexIn(parent, element) + 1, [paragraph]);
}

/** Backspace at the start of a block: its content is appended to the previous textblock, and it is removed. */
export function joinBackward(doc: Y.Doc, element: Y.XmlElement): boolean {
  const blocks = textblocks(doc);
  const previous = blocks[blocks.indexOf(element) - 1];
  if (!previous) return false;
  const rest = inlineChildren(element);
  const targetChildren = inlineChildren(previous);
  const last = targetChildren[targetChildren.length - 1];
  const first = rest[0];
  if (last instanceof Y.XmlText && first instanceof Y.XmlText) {
    rest.shift();
    last.applyDelta([{ retain: last.length }, ...sliceDelta(first, 0)]);
  }
  previous.insert(previous.length, rest.map((child) => child.clone()));
  removeBlock(element);
  return true;
}

/** Deletes a block, and the list item, list or blockquote that would be left empty by it. */
export function removeBlock(element: Y.XmlElement): void {
  let node = element;
  for (let parent = node.parent; parent instanceof Y.XmlElement && parent.length === 1; parent = node.parent) node = parent;
  const parent = parentOf(node);
  parent.delete(indexIn(parent, node), 1);
}

/**
 * Drag and drop: a block (its list item, inside a list) is deleted and a copy, same id and content, is inserted
 * at `to` among the siblings that remain.
 */
export function moveBlockTo(element: Y.XmlElement, to: number): void {
  const unit = element.parent instanceof Y.XmlElement && element.parent.nodeName === "listItem" ? element.parent : element;
  const parent = parentOf(unit);
  const copy = unit.clone();
  parent.delete(indexIn(parent, unit), 1);
  parent.insert(Math.min(to, parent.length), [copy]);
}

/** moveBlockTo a random other place in the same parent; false when there is none. */
export function moveBlock(element: Y.XmlElement, random: Random): boolean {
  const unit = element.parent instanceof Y.XmlElement && element.parent.nodeName === "listItem" ? element.parent : element;
  const parent = parentOf(unit);
  if (parent.length < 2) return false;
  const from = indexIn(parent, unit);
  let to = random.int(parent.length - 1);
  if (to >= from) to++;
  moveBlockTo(element, to > from ? to - 1 : to);
  return true;
}

export function insertParagraph(doc: Y.Doc, index: number, id: string, text: string): void {
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.setAttribute("id", id);
  paragraph.insert(0, [plainXmlText(text)]);
  const fragment = doc.getXmlFragment("default");
  fragment.insert(Math.min(index, fragment.length), [paragraph]);
}

// ---- Replicas ----

const REMOTE = Symbol("remote");

/**
 * Replicas of one document that exchange updates over links that deliver late, partially and out of order: each
 * replica's own updates queue per peer until the test lets some of them through.
 */
export class Network {
  private readonly queues: Uint8Array[][][];

  constructor(readonly docs: Y.Doc[]) {
    this.queues = docs.map(() => docs.map(() => []));
    docs.forEach((doc, from) => {
      doc.on("update", (update: Uint8Array, origin: unknown) => {
        if (origin === REMOTE) return;
        docs.forEach((_, to) => {
          if (to !== from) this.queues[from]?.[to]?.push(update);
        });
      });
    });
  }

  /** Lets a random selection of one link's queued updates through, in random order. */
  deliverSome(random: Random): void {
    const from = random.int(this.docs.length);
    let to = random.int(this.docs.length - 1);
    if (to >= from) to++;
    const row = this.queues[from];
    const queue = row?.[to];
    const target = this.docs[to];
    if (!row || !queue || !target || queue.length === 0) return;
    const chosen = random.shuffle(queue.map((_, index) => index)).slice(0, random.between(1, queue.length));
    const delivered = new Set(chosen);
    for (const index of chosen) {
      const update = queue[index];
      if (update) Y.applyUpdate(target, update, REMOTE);
    }
    row[to] = queue.filter((_, index) => !delivered.has(index));
  }

  /** Delivers everything still queued, in random order, then syncs every pair as a reconnect would. */
  settle(random: Random): void {
    this.queues.forEach((row, from) =>
      row.forEach((queue, to) => {
        const target = this.docs[to];
        if (from === to || !target) return;
        for (const update of random.shuffle([...queue])) Y.applyUpdate(target, update, REMOTE);
        row[to] = [];
      }),
    );
    for (const a of this.docs) {
      for (const b of this.docs) {
        if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), REMOTE);
      }
    }
  }
}
