import { Extension } from "@tiptap/core";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet, type EditorView } from "@tiptap/pm/view";
import type * as Y from "yjs";
import { DocumentIndex, resolveAnchor, type StoredAnchor } from "#app/comments/anchoring";
import { blockReferences, formatReference } from "#app/comments/references";

/** What the page wants marked in the live text; replaced as a whole whenever the threads or the language change. */
export interface AnnotationInput {
  /**
   * Threads on passages, with their stored anchors (see anchorForResolving): each is highlighted where it resolves in
   * this browser's copy of the draft, by the rule the server applies to its own.
   */
  threads: readonly { id: string; anchor: StoredAnchor }[];
  /** Open threads per block id, shown as a badge in the margin. */
  counts: Readonly<Record<string, number>>;
  activeThreadId: string | null;
  /** The margin's words, in the reader's language: part of the input, so that they follow a language switch. */
  labels: AnnotationLabels;
}

export interface AnnotationLabels {
  title: string;
  commentOn: (reference: string) => string;
  openThreads: (count: number) => string;
}

export interface AnnotationOptions {
  /** The shared document the anchors' relative positions point into. */
  doc: Y.Doc | null;
  onCommentBlock: (blockId: string, reference: string) => void;
  onOpenThread: (threadId: string) => void;
  onOpenBlock: (blockId: string) => void;
}

interface AnnotationState {
  input: AnnotationInput;
  decorations: DecorationSet;
}

const annotationKey = new PluginKey<AnnotationState>("commentAnnotations");

/** Replaces what the live text marks (from React, when the threads or the active thread change). */
export function setAnnotations(view: EditorView, input: AnnotationInput): void {
  view.dispatch(view.state.tr.setMeta(annotationKey, { input }).setMeta("addToHistory", false));
}

/**
 * Comment marks on the live editor: each block's reference and comment button in the margin, a count badge,
 * and highlighted passages. Anchors are resolved against the Y.Doc after every change to it, so the highlights
 * follow what editors type; between two resolutions they move with ProseMirror's own mapping.
 */
export const CommentAnnotations = Extension.create<AnnotationOptions>({
  name: "commentAnnotations",

  addOptions() {
    return {
      doc: null,
      onCommentBlock: () => {},
      onOpenThread: () => {},
      onOpenBlock: () => {},
    };
  },

  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin<AnnotationState>({
        key: annotationKey,
        state: {
          init: (_, state) => {
            const input: AnnotationInput = {
              threads: [],
              counts: {},
              activeThreadId: null,
              labels: { title: "", commentOn: (reference) => reference, openThreads: (count) => String(count) },
            };
            return { input, decorations: buildDecorations(state.doc, input, options) };
          },
          apply: (tr, previous, _oldState, newState) => {
            const meta = tr.getMeta(annotationKey) as { input?: AnnotationInput; rebuild?: true } | undefined;
            const input = meta?.input ?? previous.input;
            if (meta) return { input, decorations: buildDecorations(newState.doc, input, options) };
            return tr.docChanged ? { input, decorations: previous.decorations.map(tr.mapping, tr.doc) } : previous;
          },
        },
        props: {
          decorations: (state) => annotationKey.getState(state)?.decorations,
          handleClick: (_view, _pos, event) => {
            const target = event.target instanceof Element ? event.target.closest("[data-thread-id]") : null;
            const threadId = target?.getAttribute("data-thread-id");
            if (!threadId) return false;
            options.onOpenThread(threadId);
            return false;
          },
        },
        view: (view) => {
          // Y.Doc changes land in ProseMirror in the same task; resolving once per frame is enough for the eye.
          let frame: number | null = null;
          const schedule = () => {
            if (frame !== null) return;
            frame = requestAnimationFrame(() => {
              frame = null;
              if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(annotationKey, { rebuild: true }).setMeta("addToHistory", false));
            });
          };
          options.doc?.on("update", schedule);
          return {
            destroy: () => {
              options.doc?.off("update", schedule);
              if (frame !== null) cancelAnimationFrame(frame);
            },
          };
        },
      }),
    ];
  },
});

function buildDecorations(doc: ProseMirrorNode, input: AnnotationInput, options: AnnotationOptions): DecorationSet {
  const blocks = new Map<string, { pos: number; node: ProseMirrorNode }>();
  const outline: { id: string; headingLevel: number | null }[] = [];
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    const id: unknown = node.attrs.id;
    if (typeof id === "string" && id && !blocks.has(id)) {
      blocks.set(id, { pos, node });
      outline.push({ id, headingLevel: node.type.name === "heading" ? Number(node.attrs.level) || 1 : null });
    }
    return false;
  });

  const { labels } = input;
  const decorations: Decoration[] = [];
  for (const [id, reference] of blockReferences(outline)) {
    const block = blocks.get(id);
    if (!block) continue;
    const count = input.counts[id] ?? 0;
    const label = formatReference(reference, labels.title);
    const margin: Margin = {
      blockId: id,
      reference: label,
      commentLabel: labels.commentOn(label),
      count,
      countLabel: count > 0 ? labels.openThreads(count) : "",
    };
    decorations.push(
      // Before the block's element, not inside it, so it is not part of the block's accessible name.
      Decoration.widget(block.pos, () => marginElement(margin, options), {
        side: -1,
        // Every word it shows or says is in the key: a widget with the same key is not drawn again.
        key: `margin:${id}:${margin.reference}:${margin.commentLabel}:${count}:${margin.countLabel}`,
        ignoreSelection: true,
        stopEvent: () => true,
      }),
    );
  }

  if (options.doc && input.threads.length > 0) {
    const index = DocumentIndex.of(options.doc);
    for (const thread of input.threads) {
      const resolved = resolveAnchor(index, thread.anchor);
      if (resolved.state !== "passage") continue;
      const block = blocks.get(resolved.blockId);
      if (!block) continue;
      const size = block.node.content.size;
      const from = block.pos + 1 + Math.min(resolved.from, size);
      const to = block.pos + 1 + Math.min(resolved.to, size);
      if (to <= from) continue;
      const active = thread.id === input.activeThreadId;
      decorations.push(
        Decoration.inline(from, to, { class: active ? "comment-highlight comment-highlight--active" : "comment-highlight", "data-thread-id": thread.id }),
      );
    }
  }
  return DecorationSet.create(doc, decorations);
}

interface Margin {
  blockId: string;
  reference: string;
  commentLabel: string;
  count: number;
  countLabel: string;
}

/** The margin of a block: its reference as the comment button, and the count of open threads. */
function marginElement({ blockId, reference, commentLabel, count, countLabel }: Margin, options: AnnotationOptions): HTMLElement {
  const margin = document.createElement("span");
  margin.className = "block-margin";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "block-ref";
  button.textContent = reference;
  button.setAttribute("aria-label", commentLabel);
  // One Tab stop for all margins, moved with the arrow keys (see use-roving-margin.ts).
  button.tabIndex = -1;
  button.addEventListener("click", () => options.onCommentBlock(blockId, reference));
  margin.append(button);
  if (count > 0) {
    const badge = document.createElement("button");
    badge.type = "button";
    badge.className = "block-count";
    badge.textContent = String(count);
    badge.setAttribute("aria-label", countLabel);
    badge.tabIndex = -1;
    badge.addEventListener("click", () => options.onOpenBlock(blockId));
    margin.append(badge);
  }
  return margin;
}
