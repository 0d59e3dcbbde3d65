import { useRef, useState, type ReactNode } from "react";
import { useTranslation } from "#app/i18n/translation";
import type { ComposeTarget } from "#app/components/comments/Composer";
import type { SelectedPassage } from "#app/comments/types";
import { SelectionAdder } from "./SelectionAdder";
import { isCommentShortcut, useKeyboardSelection } from "./use-keyboard-selection";
import { useRovingMargin } from "./use-roving-margin";

/** The text's element, when it is the Tab stop. */
export const READING_TEXT_ID = "reading-text";

interface Props {
  /** With JavaScript: the keys, the margin's single Tab stop and the comment button beside a selection. */
  enhanced: boolean;
  /** Whether the container itself is the Tab stop: not when the text in it is the editor's, editable and focusable. */
  focusable: boolean;
  selection: SelectedPassage | null;
  /** Whether commenting is offered: not while the box for a new comment is open, nor to members who may not comment. */
  canComment: boolean;
  referenceOf: (blockId: string) => string | null;
  onCompose: (target: ComposeTarget) => void;
  /** The text: the live editor and the server's copy it replaces. */
  children: ReactNode;
}

/**
 * The draft's text as a reader reaches it by keyboard: one Tab stop with a name and a described keyboard hint, a caret
 * moved and a selection made with the keys, Ctrl+Alt+M (or "Comment" beside the selection) to comment on it.
 */
export function ReadingText({ enhanced, focusable, selection, canComment, referenceOf, onCompose, children }: Props) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const caret = useRef<HTMLSpanElement>(null);
  const adder = useRef<HTMLButtonElement>(null);
  const keys = useKeyboardSelection(container, caret);
  useRovingMargin(container, enhanced);
  const selectionKey = selection ? `${selection.blockId}:${selection.from}:${selection.to}` : null;
  const [dismissedKey, setDismissedKey] = useState<string | null>(null);
  const commentable = canComment && selection !== null && referenceOf(selection.blockId) !== null;
  const adderShown = enhanced && commentable && dismissedKey !== selectionKey;

  // The selected passage, or else the block the caret is in.
  const comment = () => {
    if (!canComment) return;
    if (selection) {
      const reference = referenceOf(selection.blockId);
      if (reference !== null) onCompose({ blockId: selection.blockId, reference, passage: selection });
      return;
    }
    const blockId = caretBlock(container.current);
    const reference = blockId ? referenceOf(blockId) : null;
    if (blockId && reference !== null) onCompose({ blockId, reference, passage: null });
  };
  const dismiss = () => {
    setDismissedKey(selectionKey);
    if (focusable) container.current?.focus({ preventScroll: true });
  };

  return (
    <>
      {/* Rendered with the page, not once the keys work, so the text below does not move then (hidden without
          JavaScript by app.css, as the keys need it). */}
      <p className="hint reading-keys" id="reading-keys">
        {t("reading.keyboardHelp")}
      </p>
      <div
        ref={container}
        className="reading-text"
        {...(enhanced && focusable
          ? { id: READING_TEXT_ID, tabIndex: 0, role: "region", "aria-label": t("reading.textLabel"), "aria-describedby": "reading-keys" }
          : {})}
        onFocus={enhanced ? keys.onFocus : undefined}
        onBlur={enhanced ? keys.onBlur : undefined}
        onKeyDown={
          enhanced
            ? (event) => {
                if (isCommentShortcut(event)) {
                  event.preventDefault();
                  comment();
                } else if (event.key === "Escape" && adderShown) {
                  dismiss();
                } else if (event.key === "Tab" && !event.shiftKey && adderShown && !event.defaultPrevented && event.target !== adder.current) {
                  // The button beside the selection comes right after it, whatever links the text has in between.
                  event.preventDefault();
                  adder.current?.focus();
                } else {
                  keys.onKeyDown(event);
                }
              }
            : undefined
        }
      >
        {children}
        {enhanced ? <span ref={caret} className="reading-caret" aria-hidden="true" hidden /> : null}
        {enhanced ? (
          <SelectionAdder
            selection={commentable ? selection : null}
            container={container}
            button={adder}
            dismissed={dismissedKey === selectionKey}
            onDismiss={dismiss}
            onComment={comment}
          />
        ) : null}
      </div>
    </>
  );
}

/** The id of the block the caret is in, if it is in the text. */
function caretBlock(root: HTMLElement | null): string | null {
  const node = window.getSelection()?.focusNode;
  if (!root || !node || !root.contains(node)) return null;
  const element = node instanceof Element ? node : node.parentElement;
  return element?.closest(".document-text [id]")?.id ?? null;
}
