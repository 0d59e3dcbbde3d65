import type { ReactElement } from "react";
import { formatReference, type BlockReference } from "#app/comments/references";
import type { Translate } from "#app/i18n/translation";
import type { StaticAnnotations, StaticDocument } from "#app/editor/StaticDocument";
import type { StaticDraft, ThreadFilter } from "#app/models/document-page";

export interface ReadingViewInput {
  draft: StaticDraft;
  references: Record<string, BlockReference>;
  openThreadCounts: Record<string, number>;
  filter: ThreadFilter;
  t: Translate;
}

/** "Comment on 3.2 ¶2": the catalogue's text cut once around the reference, not translated once per block. */
export function commentOnLabelFor(t: Translate): (reference: string) => string {
  const [before, after = ""] = t("comments.commentOn", { reference: "\u0000" }).split("\u0000");
  return (reference) => `${before}${reference}${after}`;
}

/**
 * The draft as readers get it from the server, with each block's margin (its reference, which asks for a comment on
 * it, and its count of open threads) and the highlighted passages: the document page's first paint, and the markup
 * readers' pages fetch again when the text or its threads change (`/d/<slug>/reading`). Rendered on the server only;
 * `Renderer` is handed in so that no browser code imports the renderer and the schema.
 */
export function readingView(Renderer: typeof StaticDocument, { draft, references, openThreadCounts, filter, t }: ReadingViewInput): ReactElement {
  const titleLabel = t("comments.titleReference");
  const commentOnLabel = commentOnLabelFor(t);
  const annotations: StaticAnnotations = {
    highlights: draft.highlights,
    margin: (blockId) => {
      const known = references[blockId];
      if (!known) return null;
      const reference = formatReference(known, titleLabel);
      const count = openThreadCounts[blockId] ?? 0;
      const firstThread = count > 0 ? draft.firstThreads[blockId] : undefined;
      return (
        <span className="block-margin">
          {/* For visitors too: the panel then says how to sign in and come back to this paragraph. */}
          <a className="block-ref" href={`?comment=${blockId}#new-comment`} data-comment-block={blockId} aria-label={commentOnLabel(reference)}>
            {reference}
          </a>
          {firstThread ? (
            <a
              className="block-count"
              href={`?comments=${filter}&show=${firstThread}#thread-${firstThread}`}
              data-open-thread={firstThread}
              aria-label={t("comments.openThreads", { count })}
            >
              {count}
            </a>
          ) : null}
        </span>
      );
    },
  };
  return <Renderer content={draft.content} annotations={annotations} />;
}
