import { Extension } from "@tiptap/core";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet, type EditorView } from "@tiptap/pm/view";
import type * as Y from "yjs";
import { anchorPassageNear, DocumentIndex, resolveAnchor, type StoredAnchor } from "~/comments/anchoring";
import { blockReferences, formatReference } from "~/comments/references";

/** What the page wants marked in the live text; replaced as a whole whenever the threads change. */
export interface AnnotationInput {
  /** Threads whose passages are highlighted, where the server found them when it made the page. */
  threads: readonly { id: string; passage: { blockId: string; from: number; exact: string } }[];
  /** Open threads per block id, shown as a badge in the margin. */
  counts: Readonly<Record<string, number>>;
  activeThreadId: string | null;
}

export interface AnnotationOptions {
  /** The shared document the anchors' relative positions point into. */
  doc: Y.Doc | null;
  labels: { title: string; commentOn: (reference: string) => string; openThreads: (count: number) => string };
  onCommentBlock: (blockId: string, reference: string) => void;
  onOpenThread: (threadId: string) => void;
  onOpenBlock: (blockId: string) => void;
}

interface AnnotationState {
  input: AnnotationInput;
  /** The input's passages anchored in this browser's copy of the draft, followed from then on. */
  anchored: readonly { id: string; anchor: StoredAnchor }[];
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
      labels: { title: "", commentOn: (reference) => reference, openThreads: (count) => String(count) },
      onCommentBlock: () => {},
      onOpenThread: () => {},
      onOpenBlock: () => {},
    };
  },

  addProseMirrorPlugins() {
    const options = this.options;
    const build = (state: EditorState, input: AnnotationInput, anchored: AnnotationState["anchored"]): DecorationSet =>
      buildDecorations(state.doc, input, anchored, options);
    const anchorAll = (input: AnnotationInput): AnnotationState["anchored"] => {
      if (!options.doc || input.threads.length === 0) return [];
      const index = DocumentIndex.of(options.doc);
      return input.threads.flatMap(({ id, passage }) => {
        const anchor = anchorPassageNear(index, passage.blockId, passage.exact, passage.from);
        return anchor ? [{ id, anchor }] : [];
      });
    };
    return [
      new Plugin<AnnotationState>({
        key: annotationKey,
        state: {
          init: (_, state) => {
            const input: AnnotationInput = { threads: [], counts: {}, activeThreadId: null };
            return { input, anchored: [], decorations: build(state, input, []) };
          },
          apply: (tr, previous, _oldState, newState) => {
            const meta = tr.getMeta(annotationKey) as { input?: AnnotationInput; rebuild?: true } | undefined;
            if (meta?.input) {
              // The same threads with another active one need no new anchors.
              const anchored = meta.input.threads === previous.input.threads ? previous.anchored : anchorAll(meta.input);
              return { input: meta.input, anchored, decorations: build(newState, meta.input, anchored) };
            }
            if (meta?.rebuild) return { ...previous, decorations: build(newState, previous.input, previous.anchored) };
            return tr.docChanged ? { ...previous, decorations: previous.decorations.map(tr.mapping, tr.doc) } : previous;
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

function buildDecorations(
  doc: ProseMirrorNode,
  input: AnnotationInput,
  anchored: AnnotationState["anchored"],
  options: AnnotationOptions,
): DecorationSet {
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

  const decorations: Decoration[] = [];
  for (const [id, reference] of blockReferences(outline)) {
    const block = blocks.get(id);
    if (!block) continue;
    const label = formatReference(reference, options.labels.title);
    const count = input.counts[id] ?? 0;
    decorations.push(
      // Before the block's element, not inside it, so it is not part of the block's accessible name.
      Decoration.widget(block.pos, () => marginElement(id, label, count, options), {
        side: -1,
        key: `margin:${id}:${label}:${count}`,
        ignoreSelection: true,
        stopEvent: () => true,
      }),
    );
  }

  if (options.doc && anchored.length > 0) {
    const index = DocumentIndex.of(options.doc);
    for (const thread of anchored) {
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

/** The margin of a block: its reference as the comment button, and the count of open threads. */
function marginElement(blockId: string, reference: string, count: number, options: AnnotationOptions): HTMLElement {
  const margin = document.createElement("span");
  margin.className = "block-margin";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "block-ref";
  button.textContent = reference;
  button.setAttribute("aria-label", options.labels.commentOn(reference));
  button.addEventListener("click", () => options.onCommentBlock(blockId, reference));
  margin.append(button);
  if (count > 0) {
    const badge = document.createElement("button");
    badge.type = "button";
    badge.className = "block-count";
    badge.textContent = String(count);
    badge.setAttribute("aria-label", options.labels.openThreads(count));
    badge.addEventListener("click", () => options.onOpenBlock(blockId));
    margin.append(badge);
  }
  return margin;
}
