import { useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from "react";

/** The draft's blocks, each a paragraph, heading or code block with its id. */
const BLOCKS = ".document-text :is(p, h1, h2, h3, h4, h5, h6, pre)[id]";

/** Ctrl+Alt+M (⌘+Option+M on a Mac), as in Google Docs: comment on the selection. Alt changes `key`, so `code`. */
export function isCommentShortcut(event: Pick<KeyboardEvent, "altKey" | "ctrlKey" | "metaKey" | "code" | "shiftKey">): boolean {
  return event.altKey && (event.ctrlKey || event.metaKey) && !event.shiftKey && event.code === "KeyM";
}

const MOVES: Record<string, { direction: "forward" | "backward"; granularity: "character" | "line" | "lineboundary" }> = {
  ArrowLeft: { direction: "backward", granularity: "character" },
  ArrowRight: { direction: "forward", granularity: "character" },
  ArrowUp: { direction: "backward", granularity: "line" },
  ArrowDown: { direction: "forward", granularity: "line" },
  Home: { direction: "backward", granularity: "lineboundary" },
  End: { direction: "forward", granularity: "lineboundary" },
};

/**
 * A caret in text that is not editable (the reading view of members and visitors): the reading container is one Tab
 * stop; focusing it puts a caret at the start of the first block in view, the arrow keys move it (Ctrl or Alt: by
 * word) and Shift with them selects, through the browser's Selection.modify. The caret is drawn by `caret`, since a
 * browser draws none outside editable text. Editable text (the editor's) keeps its own keys.
 */
export function useKeyboardSelection(container: RefObject<HTMLElement | null>, caret: RefObject<HTMLElement | null>) {
  const focused = useRef(false);

  // The drawn caret follows the selection while the container has focus.
  useEffect(() => {
    const update = () => drawCaret(container.current, caret.current, focused.current);
    document.addEventListener("selectionchange", update);
    window.addEventListener("resize", update);
    return () => {
      document.removeEventListener("selectionchange", update);
      window.removeEventListener("resize", update);
    };
  }, [container, caret]);

  const onFocus = (event: React.FocusEvent<HTMLElement>) => {
    if (event.target !== event.currentTarget) return;
    focused.current = true;
    if (!selectionIn(event.currentTarget)) placeCaretAtFirstVisibleBlock(event.currentTarget);
    drawCaret(event.currentTarget, caret.current, true);
  };
  const onBlur = (event: React.FocusEvent<HTMLElement>) => {
    if (event.target !== event.currentTarget) return;
    focused.current = false;
    drawCaret(event.currentTarget, caret.current, false);
  };
  const onKeyDown = (event: ReactKeyboardEvent<HTMLElement>) => {
    const root = event.currentTarget;
    const move = MOVES[event.key];
    if (event.target !== root || !move || event.defaultPrevented) return;
    const selection = window.getSelection();
    if (!selection) return;
    event.preventDefault();
    if (!selectionIn(root)) placeCaretAtFirstVisibleBlock(root);
    const { anchorNode, anchorOffset, focusNode, focusOffset } = selection;
    const word = (event.ctrlKey || event.altKey) && move.granularity === "character";
    selection.modify(event.shiftKey ? "extend" : "move", move.direction, word ? "word" : move.granularity);
    // The caret stays in the text: not in the margins, nor the page around the text.
    if (!selectionIn(root) && anchorNode && focusNode) selection.setBaseAndExtent(anchorNode, anchorOffset, focusNode, focusOffset);
    scrollFocusIntoView(selection);
  };
  return { onFocus, onBlur, onKeyDown };
}

function textOf(root: HTMLElement): HTMLElement | null {
  return root.querySelector<HTMLElement>(".document-text");
}

/** Whether the window's selection is within the container's text. */
export function selectionIn(root: HTMLElement): boolean {
  const selection = window.getSelection();
  const text = textOf(root);
  if (!selection?.anchorNode || !selection.focusNode || !text) return false;
  return text.contains(selection.anchorNode) && text.contains(selection.focusNode) && !insideMargin(selection.focusNode);
}

function insideMargin(node: Node): boolean {
  const element = node instanceof Element ? node : node.parentElement;
  return Boolean(element?.closest(".block-margin"));
}

function placeCaretAtFirstVisibleBlock(root: HTMLElement): void {
  const blocks = [...root.querySelectorAll<HTMLElement>(BLOCKS)];
  const block = blocks.find((candidate) => candidate.getBoundingClientRect().bottom > 0) ?? blocks[0];
  if (!block) return;
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  const text = walker.nextNode();
  window.getSelection()?.collapse(text ?? block, 0);
}

/** The rectangle of the selection's focus: where the caret is, or where a selection being extended ends. */
function focusRect(selection: Selection): DOMRect | null {
  if (!selection.focusNode) return null;
  const range = document.createRange();
  range.setStart(selection.focusNode, selection.focusOffset);
  range.collapse(true);
  const rect = range.getClientRects()[0] ?? range.getBoundingClientRect();
  if (rect.height > 0) return rect;
  const element = selection.focusNode instanceof Element ? selection.focusNode : selection.focusNode.parentElement;
  return element?.getBoundingClientRect() ?? null;
}

function scrollFocusIntoView(selection: Selection): void {
  const rect = focusRect(selection);
  if (!rect) return;
  const margin = 48;
  if (rect.top < margin) window.scrollBy({ top: rect.top - margin });
  else if (rect.bottom > window.innerHeight - margin) window.scrollBy({ top: rect.bottom - window.innerHeight + margin });
}

function drawCaret(root: HTMLElement | null, caret: HTMLElement | null, focused: boolean): void {
  if (!root || !caret) return;
  const selection = window.getSelection();
  const rect = focused && selection?.isCollapsed && selectionIn(root) ? focusRect(selection) : null;
  if (!rect) {
    caret.hidden = true;
    return;
  }
  const origin = root.getBoundingClientRect();
  caret.hidden = false;
  caret.style.left = `${rect.left - origin.left}px`;
  caret.style.top = `${rect.top - origin.top}px`;
  caret.style.height = `${rect.height}px`;
}
