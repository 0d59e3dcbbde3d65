/**
 * Accepting a suggestion: its text put in place of the passage (or block) it was made on, in the live draft, without
 * touching a character outside that passage. Runs on the server, inside the one Yjs transaction that
 * services.changeDocument opens, so that the change merges with whatever editors are typing at that moment.
 */
import * as Y from "yjs";
import { DocumentIndex, passageSpan, resolveAnchor, type IndexedBlock, type StoredAnchor } from "./anchoring";

/** The text a suggestion proposes to replace: its passage as it was quoted, or its block's text when it was made. */
export function suggestionOriginal(anchor: StoredAnchor): string {
  return anchor.passage?.quote.exact ?? anchor.blockText;
}

export type SuggestionPlace =
  | { state: "found"; block: IndexedBlock; from: number; to: number; current: string }
  | { state: "block-removed" | "passage-removed" };

/**
 * Where the suggestion's passage is now and what it reads. Its words where they are found again; else the text now
 * between its start and end (edited since, maybe to nothing); else it is gone. A block suggestion covers its block.
 */
export function locateSuggestion(index: DocumentIndex, anchor: StoredAnchor): SuggestionPlace {
  const resolved = resolveAnchor(index, anchor);
  if (resolved.state === "removed") return { state: "block-removed" };
  const found = (block: IndexedBlock | undefined, from: number, to: number): SuggestionPlace =>
    block ? { state: "found", block, from, to, current: block.text.slice(from, to) } : { state: "block-removed" };
  if (anchor.passage === null) {
    const block = index.block(anchor.blockId);
    return found(block, 0, block?.text.length ?? 0);
  }
  if (resolved.state === "passage") return found(index.block(resolved.blockId), resolved.from, resolved.to);
  const span = passageSpan(index, anchor);
  return span ? found(span.block, span.from, span.to) : { state: "passage-removed" };
}

export type SuggestionApplication =
  | { ok: true; replaced: string }
  | { ok: false; reason: "block-removed" | "passage-removed" | "mixed-formatting" }
  /** The passage no longer reads what was expected: `current` is what it reads now. */
  | { ok: false; reason: "conflict"; current: string };

/**
 * Replaces the suggestion's passage in `doc` with `text` when the passage reads `expected` now: the text the
 * suggestion was made on, or the current text an editor saw in a conflict and confirmed. Otherwise it changes
 * nothing and says why. Call it inside a transaction; it reads and writes the document synchronously.
 */
export function applySuggestion(doc: Y.Doc, anchor: StoredAnchor, text: string, expected: string): SuggestionApplication {
  const place = locateSuggestion(DocumentIndex.of(doc), anchor);
  if (place.state !== "found") return { ok: false, reason: place.state };
  if (place.current !== expected) return { ok: false, reason: "conflict", current: place.current };
  // Only a code block keeps line breaks as text; in a paragraph or heading a typed line break is a space.
  const replacement = place.block.type === "codeBlock" ? text : text.replace(/\s*\n\s*/g, " ");
  if (!replaceInBlock(place.block, place.from, place.to, replacement)) return { ok: false, reason: "mixed-formatting" };
  return { ok: true, replaced: place.current };
}

/**
 * Inserts the replacement right before the passage, with the passage's own formatting, then deletes the passage's
 * characters: text typed concurrently on either side, tied to characters outside, stays where it was typed. A passage
 * across a hard break, or with mixed formatting, cannot be given one formatting without changing the draft's
 * formatting silently: false, and nothing changes.
 */
function replaceInBlock(block: IndexedBlock, from: number, to: number, replacement: string): boolean {
  const children = block.element.toArray();
  if (children.length === 0) {
    // An empty block has no text node yet; ProseMirror's own first keystroke makes one the same way.
    const text = new Y.XmlText();
    block.element.insert(0, [text]);
    text.insert(0, replacement, {});
    return true;
  }
  for (const [position, child] of children.entries()) {
    const start = block.childStarts[position] ?? 0;
    const end = block.childStarts[position + 1] ?? start;
    if (!(child instanceof Y.XmlText) || from < start || to > end) continue;
    const formatting = uniformFormatting(child, from - start, to - start);
    if (formatting === null) return false;
    child.insert(from - start, replacement, formatting);
    if (to > from) child.delete(from - start + replacement.length, to - from);
    return true;
  }
  return false;
}

/**
 * The formatting shared by every character in [from, to) of the text, null when they differ. An empty range takes
 * that of the character before it, so that a word put into bold text is bold.
 */
function uniformFormatting(text: Y.XmlText, from: number, to: number): Record<string, unknown> | null {
  const [first, last] = from < to ? [from, to] : [Math.max(0, from - 1), from];
  const found = new Set<string>();
  const formatting: Record<string, unknown>[] = [];
  let offset = 0;
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    const length = typeof op.insert === "string" ? op.insert.length : 1;
    if (offset < last && offset + length > first) {
      const key = JSON.stringify(op.attributes ?? {});
      if (!found.has(key)) formatting.push(op.attributes ?? {});
      found.add(key);
    }
    offset += length;
  }
  if (formatting.length > 1) return null;
  // A copy: Yjs fills in the attributes object it is given.
  return { ...(formatting[0] ?? {}) };
}
