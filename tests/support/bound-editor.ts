/**
 * A ProseMirror editor state bound to a Y.Doc by y-tiptap's sync plugin, as in the browser, but without a DOM: the
 * "view" is the least the binding reads (state, dispatch, focus). It lets tests type into a paragraph as a person
 * does, keystroke by keystroke at their caret, while remote changes arrive, and check where the caret ends up.
 */
import { joinBackward } from "@tiptap/pm/commands";
import { Fragment, Slice, type Node as ProseMirrorNode } from "@tiptap/pm/model";
import { EditorState, Plugin, TextSelection, type Transaction } from "@tiptap/pm/state";
import { ySyncPlugin, ySyncPluginKey } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { documentSchema, newBlockId, YJS_FRAGMENT } from "#app/editor/extensions";

interface PluginViewLike {
  update?: (view: never, previous: EditorState) => void;
  destroy?: () => void;
}

/** Gives a block that shares its id with an earlier one a new id, as the editor's UniqueID extension does after a split. */
const uniqueBlockIds = new Plugin({
  appendTransaction(transactions, _old, state) {
    if (!transactions.some((transaction) => transaction.docChanged)) return null;
    // Like the editor's, it leaves changes that arrived from others alone: their author's editor made the ids.
    if (transactions.some((transaction) => (transaction.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin)) {
      return null;
    }
    const seen = new Set<string>();
    let tr: Transaction | null = null;
    state.doc.descendants((node, pos) => {
      const id: unknown = node.attrs.id;
      if (typeof id !== "string") return;
      if (seen.has(id)) {
        tr ??= state.tr;
        tr.setNodeAttribute(pos, "id", newBlockId());
      } else {
        seen.add(id);
      }
    });
    return tr;
  },
});

export class BoundEditor {
  state: EditorState;
  private readonly pluginViews: PluginViewLike[] = [];
  private readonly view: { state: EditorState; dispatch(tr: Transaction): void; hasFocus(): boolean };

  constructor(readonly doc: Y.Doc) {
    this.state = EditorState.create({
      schema: documentSchema,
      plugins: [ySyncPlugin(doc.getXmlFragment(YJS_FRAGMENT)), uniqueBlockIds],
    });
    const currentState = () => this.state;
    this.view = {
      get state() {
        return currentState();
      },
      dispatch: (tr) => this.dispatch(tr),
      // Not focused: the binding then never measures the DOM selection to decide on scrolling.
      hasFocus: () => false,
    };
    for (const plugin of this.state.plugins) {
      const view = plugin.spec.view?.(this.view as never) as PluginViewLike | undefined;
      if (view) this.pluginViews.push(view);
    }
  }

  dispatch(tr: Transaction): void {
    const previous = this.state;
    this.state = this.state.applyTransaction(tr).state;
    for (const view of this.pluginViews) view.update?.(this.view as never, previous);
  }

  /** The caret as (top-level block index, offset in its text). */
  caret(): { block: number; offset: number } {
    const { $head } = this.state.selection;
    return { block: $head.index(0), offset: $head.parentOffset };
  }

  placeCaret(block: number, offset: number): void {
    this.dispatch(this.state.tr.setSelection(TextSelection.create(this.state.doc, positionIn(this.state.doc, block, offset))));
  }

  type(text: string): void {
    for (const character of text) this.dispatch(this.state.tr.insertText(character));
  }

  /** Enter: splits the block at the caret. */
  pressEnter(): void {
    const { $from } = this.state.selection;
    this.dispatch(this.state.tr.split($from.pos).scrollIntoView());
  }

  /** Selects [from, to) of block `block` and deletes it, as a person selecting text and pressing Delete does. */
  deleteText(block: number, from: number, to: number): void {
    const start = positionIn(this.state.doc, block, from);
    const tr = this.state.tr.setSelection(TextSelection.create(this.state.doc, start, start + to - from));
    this.dispatch(tr.deleteSelection());
  }

  /** Backspace: deletes the character before the caret, or joins the block to the one before at its start. */
  pressBackspace(): void {
    const { $from } = this.state.selection;
    if ($from.parentOffset > 0) this.dispatch(this.state.tr.delete($from.pos - 1, $from.pos));
    else joinBackward(this.state, (tr) => this.dispatch(tr));
  }

  /** Pastes plain text; each line after the first becomes a paragraph of its own, as pasting lines does. */
  paste(text: string): void {
    const lines = text.split("\n");
    if (lines.length === 1) {
      this.dispatch(this.state.tr.insertText(text));
      return;
    }
    const { schema } = this.state;
    const paragraph = schema.nodes.paragraph;
    if (!paragraph) throw new Error("the schema has no paragraphs");
    const paragraphs = lines.map((line) => paragraph.create({ id: newBlockId() }, line ? schema.text(line) : null));
    this.dispatch(this.state.tr.replaceSelection(new Slice(Fragment.from(paragraphs), 1, 1)));
  }

  /** The caret's place in text(): its index in the blocks' texts joined by line feeds. */
  caretIndex(): number {
    const { $head } = this.state.selection;
    let index = 0;
    let found = -1;
    this.state.doc.descendants((node, pos) => {
      if (found >= 0) return false;
      if (!node.isTextblock) return true;
      if (pos + 1 === $head.start()) found = index + $head.parentOffset;
      index += node.content.size + 1;
      return false;
    });
    return found;
  }

  /** Places the caret at an index of text(). */
  placeCaretAtIndex(target: number): void {
    let index = 0;
    let position = -1;
    this.state.doc.descendants((node, pos) => {
      if (position >= 0) return false;
      if (!node.isTextblock) return true;
      if (target <= index + node.content.size) position = pos + 1 + target - index;
      index += node.content.size + 1;
      return false;
    });
    if (position < 0) throw new Error(`index ${target} is past the end of the text`);
    this.dispatch(this.state.tr.setSelection(TextSelection.create(this.state.doc, position)));
  }

  /** Every textblock's text, joined by line feeds. */
  text(): string {
    return this.blockTexts().join("\n");
  }

  /** The text of every textblock, in document order. */
  blockTexts(): string[] {
    const texts: string[] = [];
    this.state.doc.descendants((node) => {
      if (!node.isTextblock) return true;
      texts.push(node.textContent);
      return false;
    });
    return texts;
  }

  destroy(): void {
    for (const view of this.pluginViews) view.destroy?.();
  }
}

/** The document position of `offset` in the text of top-level block `block`. */
export function positionIn(doc: ProseMirrorNode, block: number, offset: number): number {
  let position = 0;
  for (let index = 0; index < block; index++) position += doc.child(index).nodeSize;
  return position + 1 + offset;
}
