import { TextSelection } from "@tiptap/pm/state";
import type { EditorView } from "@tiptap/pm/view";

/**
 * Where the reader is in the server's copy of the draft, told by block ids and text offsets rather than pixels or
 * DOM nodes, so that it can be found again in the live editor's text: the same blocks and ids, laid out alike, but
 * other elements.
 */
export interface ReadingPlace {
  /**
   * The block the reader is looking at, and where its top was in the window: the deep link's target while it is in
   * the window, else the block at the top of the window.
   */
  anchor: { blockId: string; top: number } | null;
  selection: { anchor: TextPoint; focus: TextPoint } | null;
  focus: FocusedControl | null;
}

interface TextPoint {
  blockId: string;
  /** Characters of the block's text before the point. */
  offset: number;
}

/** A block's margin control ("comment on 3.2 ¶2", its count of threads), or the n-th link in the block's text. */
type FocusedControl = { blockId: string; control: "comment" | "threads" } | { blockId: string; control: "link"; index: number };

const BLOCK = "[data-block-id]";

/** Reads the reader's place in the server's copy of the text, while it is still laid out. */
export function readingPlace(serverText: HTMLElement): ReadingPlace {
  return { anchor: anchorIn(serverText), selection: selectionIn(serverText), focus: focusIn(serverText) };
}

/**
 * Puts the reader back at the same place in the live editor's text, which has just replaced the server's copy in
 * the same frame: the window scrolls so the anchor block is where it was, and the selection and the keyboard focus
 * move to the same text and control.
 */
export function restoreReadingPlace(place: ReadingPlace, view: EditorView): void {
  const blockIn = (blockId: string) => view.dom.querySelector<HTMLElement>(`#${CSS.escape(blockId)}`);
  const anchor = place.anchor && blockIn(place.anchor.blockId);
  if (place.anchor && anchor) {
    window.scrollBy({ top: anchor.getBoundingClientRect().top - place.anchor.top, behavior: "instant" });
  }
  if (place.selection) restoreSelection(view, place.selection, blockIn);
  const control = place.focus && controlIn(place.focus, blockIn(place.focus.blockId));
  control?.focus({ preventScroll: true });
}

function anchorIn(serverText: HTMLElement): ReadingPlace["anchor"] {
  const target = deepLinkTarget(serverText);
  if (target?.matches(BLOCK)) {
    const { top, bottom } = target.getBoundingClientRect();
    if (bottom > 0 && top < window.innerHeight) return { blockId: target.id, top };
  }
  for (const block of serverText.querySelectorAll<HTMLElement>(BLOCK)) {
    // A list item or quotation holds blocks of its own: the innermost block is the more precise place.
    if (block.querySelector(BLOCK)) continue;
    const { top, bottom } = block.getBoundingClientRect();
    if (bottom > 0) return { blockId: block.id, top };
  }
  return null;
}

/** The element the address's fragment names in the server's copy (the live text, still hidden, has the same ids). */
function deepLinkTarget(serverText: HTMLElement): Element | null {
  if (window.location.hash.length < 2) return null;
  try {
    return serverText.querySelector(`#${CSS.escape(decodeURIComponent(window.location.hash.slice(1)))}`);
  } catch {
    // A malformed escape in the address names no element.
    return null;
  }
}

function selectionIn(serverText: HTMLElement): ReadingPlace["selection"] {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !selection.anchorNode || !selection.focusNode) return null;
  const anchor = textPoint(serverText, selection.anchorNode, selection.anchorOffset);
  const focus = textPoint(serverText, selection.focusNode, selection.focusOffset);
  return anchor && focus ? { anchor, focus } : null;
}

function textPoint(serverText: HTMLElement, node: Node, offset: number): TextPoint | null {
  const block = (node instanceof Element ? node : node.parentElement)?.closest<HTMLElement>(BLOCK);
  if (!block || !serverText.contains(block)) return null;
  const point = document.createRange();
  point.setStart(node, offset);
  let characters = 0;
  for (const text of textOf(block)) {
    if (text === node) return { blockId: block.id, offset: characters + offset };
    if (point.comparePoint(text, 0) > 0) break;
    characters += text.length;
  }
  return { blockId: block.id, offset: characters };
}

function focusIn(serverText: HTMLElement): FocusedControl | null {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !serverText.contains(active)) return null;
  const commentOn = active.getAttribute("data-comment-block");
  if (commentOn) return { blockId: commentOn, control: "comment" };
  if (active.hasAttribute("data-open-thread")) {
    const blockId = active.closest(".block-margin")?.querySelector("[data-comment-block]")?.getAttribute("data-comment-block");
    return blockId ? { blockId, control: "threads" } : null;
  }
  const block = active.closest<HTMLElement>(BLOCK);
  if (!block || !active.matches("a[href]")) return null;
  return { blockId: block.id, control: "link", index: [...block.querySelectorAll("a[href]")].indexOf(active) };
}

/** The live editor's margin is a widget just before its block (see annotations.ts); links are in the text. */
function controlIn(focus: FocusedControl, block: HTMLElement | null): HTMLElement | null {
  if (!block) return null;
  if (focus.control === "link") return block.querySelectorAll<HTMLElement>("a[href]")[focus.index] ?? null;
  const margin = block.previousElementSibling;
  if (!margin?.matches(".block-margin")) return null;
  return margin.querySelector<HTMLElement>(focus.control === "comment" ? ".block-ref" : ".block-count");
}

function restoreSelection(
  view: EditorView,
  { anchor, focus }: NonNullable<ReadingPlace["selection"]>,
  blockIn: (blockId: string) => HTMLElement | null,
): void {
  const anchorBlock = blockIn(anchor.blockId);
  const focusBlock = blockIn(focus.blockId);
  if (!anchorBlock || !focusBlock) return;
  const [anchorNode, anchorOffset] = domPoint(anchorBlock, anchor.offset);
  const [focusNode, focusOffset] = domPoint(focusBlock, focus.offset);
  window.getSelection()?.setBaseAndExtent(anchorNode, anchorOffset, focusNode, focusOffset);
  // ProseMirror writes its own selection back into the DOM on its next update; it must be this one.
  try {
    const selection = TextSelection.create(view.state.doc, view.posAtDOM(anchorNode, anchorOffset), view.posAtDOM(focusNode, focusOffset));
    view.dispatch(view.state.tr.setSelection(selection).setMeta("addToHistory", false));
  } catch {
    // A point ProseMirror cannot place keeps the browser's selection only, which is what the reader sees.
  }
}

/** The text position `offset` characters into the block. */
function domPoint(block: HTMLElement, offset: number): [Node, number] {
  let remaining = offset;
  for (const text of textOf(block)) {
    if (remaining <= text.length) return [text, remaining];
    remaining -= text.length;
  }
  return [block, block.childNodes.length];
}

/**
 * The block's own text, in order, the same in both copies: without the margins of the blocks in it (a list item's
 * paragraphs) or the live editor's widgets (other people's carets).
 */
function* textOf(block: HTMLElement): Generator<Text> {
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => {
      const aside = node.parentElement?.closest('.block-margin, [contenteditable="false"]');
      return aside && aside !== block && block.contains(aside) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
    },
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node instanceof Text) yield node;
}
