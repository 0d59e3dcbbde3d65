import type { SelectedPassage } from "./types";

/**
 * What of a DOM node the passage arithmetic reads: the browser's nodes have it, and a unit test can fake it without a
 * DOM library.
 */
export interface PassageNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly nodeValue: string | null;
  readonly childNodes: ArrayLike<PassageNode>;
  readonly parentNode: PassageNode | null;
  getAttribute?(name: string): string | null;
}

/** A boundary point of a selection or range: a node and an offset in it, as the DOM gives them. */
export interface BoundaryPoint {
  node: PassageNode;
  offset: number;
}

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;
/** The elements the static renderer (and the editor) make of textblocks: the only blocks a passage can be in. */
const TEXTBLOCKS = new Set(["P", "H1", "H2", "H3", "H4", "H5", "H6", "PRE"]);

/**
 * The passage a selection covers in the server-rendered reading view, in the editor's terms (SelectedPassage): the
 * block, offsets in its text and the text they read. Null when it is empty, outside `root`, in a margin, or not
 * within one textblock. Readers have no editor, so this is read from the markup StaticDocument renders: every block
 * element carries `data-block-id`, and a hard break (`<br>`) counts as one character, as ProseMirror counts it.
 */
export function passageOf(root: PassageNode, anchor: BoundaryPoint, focus: BoundaryPoint): SelectedPassage | null {
  const block = blockOf(root, anchor.node);
  if (!block || block !== blockOf(root, focus.node)) return null;
  const blockId = block.getAttribute?.("data-block-id");
  if (!blockId || !TEXTBLOCKS.has(block.nodeName.toUpperCase())) return null;
  const anchorOffset = offsetIn(block, anchor);
  const focusOffset = offsetIn(block, focus);
  if (anchorOffset === null || focusOffset === null || anchorOffset === focusOffset) return null;
  const from = Math.min(anchorOffset, focusOffset);
  const to = Math.max(anchorOffset, focusOffset);
  return { blockId, from, to, exact: textOf(block).slice(from, to) };
}

/** The innermost block element holding `node` inside `root`; null outside it or inside a block's margin. */
function blockOf(root: PassageNode, node: PassageNode): PassageNode | null {
  for (let current: PassageNode | null = node; current && current !== root; current = current.parentNode) {
    if (current.nodeType !== ELEMENT_NODE) continue;
    if (isMargin(current)) return null;
    if (current.getAttribute?.("data-block-id")) return isInside(root, current) ? current : null;
  }
  return null;
}

function isInside(root: PassageNode, node: PassageNode): boolean {
  for (let current = node.parentNode; current; current = current.parentNode) if (current === root) return true;
  return false;
}

/** Characters of the block's text before the point; null if the point is not in the block's own text. */
export function offsetIn(block: PassageNode, point: BoundaryPoint): number | null {
  let count = 0;
  let found: number | null = null;
  const visit = (node: PassageNode): boolean => {
    if (node.nodeType === TEXT_NODE) {
      const length = node.nodeValue?.length ?? 0;
      if (node === point.node) {
        found = count + Math.min(point.offset, length);
        return true;
      }
      count += length;
      return false;
    }
    if (node.nodeType !== ELEMENT_NODE) return false;
    if (isBreak(node)) {
      if (node === point.node) {
        found = count;
        return true;
      }
      count += 1;
      return false;
    }
    if (node !== point.node && isMargin(node)) return false;
    const children = node.childNodes;
    for (let index = 0; index < children.length; index += 1) {
      if (node === point.node && index === point.offset) {
        found = count;
        return true;
      }
      const child = children[index];
      if (child && visit(child)) return true;
    }
    if (node === point.node) {
      found = count;
      return true;
    }
    return false;
  };
  visit(block);
  return found;
}

/** The block's text as the editor reads it: a hard break is a line break, margins are not text. */
export function textOf(block: PassageNode): string {
  if (block.nodeType === TEXT_NODE) return block.nodeValue ?? "";
  if (block.nodeType !== ELEMENT_NODE || isMargin(block)) return "";
  if (isBreak(block)) return "\n";
  let text = "";
  for (let index = 0; index < block.childNodes.length; index += 1) {
    const child = block.childNodes[index];
    if (child) text += textOf(child);
  }
  return text;
}

function isBreak(node: PassageNode): boolean {
  return node.nodeName.toUpperCase() === "BR";
}

function isMargin(node: PassageNode): boolean {
  return (node.getAttribute?.("class") ?? "").split(/\s+/).includes("block-margin");
}
