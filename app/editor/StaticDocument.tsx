import { Fragment, type ReactNode } from "react";
import type { Mark, Node as ProseMirrorNode } from "@tiptap/pm/model";
import type { MarkProps, NodeProps, TiptapStaticRendererOptions } from "@tiptap/static-renderer/json/react";
import { domOutputSpecToReactElement, renderToReactElement } from "@tiptap/static-renderer/pm/react";
import type { ContentNode } from "./content";
import { staticExtensions } from "./extensions";
import { isSafeLink } from "./links";
import { renderableContent } from "./renderable";

/** A highlighted passage: offsets in its block's text (a hard break counts as one character). */
export interface Highlight {
  from: number;
  to: number;
  threadId: string;
}

/** Comment marks on the reading view: the margin of each commentable block and the highlighted passages. */
export interface StaticAnnotations {
  margin(blockId: string): ReactNode;
  highlights: Record<string, Highlight[]>;
}

type Options = Partial<TiptapStaticRendererOptions<ReactNode, Mark, ProseMirrorNode>>;
type BlockProps = NodeProps<ProseMirrorNode, ReactNode | ReactNode[]>;
type InlineMarkProps = MarkProps<Mark, ReactNode | ReactNode[], ProseMirrorNode>;

/**
 * Server-rendered reading view of the draft: the elements, ids and classes the editor renders, since both come from
 * the same extensions (Tiptap's static renderer runs their renderHTML). React builds it, so user text is always
 * escaped and never injected as HTML. What the schema does not say is added by node and mark mappings: the margins
 * and highlights of comments, and which links are shown as links.
 */
export function StaticDocument({ content, annotations }: { content: ContentNode; annotations?: StaticAnnotations }) {
  return (
    <div className="tiptap ProseMirror document-text">
      {renderToReactElement({ content: renderableContent(content), extensions: staticExtensions, options: readingOptions(annotations) })}
    </div>
  );
}

function readingOptions(annotations: StaticAnnotations | undefined): Options {
  const textblock = ({ node, children, renderElement }: BlockProps): ReactNode => {
    const id = node.attrs.id;
    if (!annotations || typeof id !== "string" || !id) return schemaElement(node, children);
    const highlights = annotations.highlights[id] ?? [];
    const element = schemaElement(node, highlights.length > 0 ? highlightedContent(node, highlights, renderElement) : children);
    // The margin goes before its block's element, not in it, so the reference and its button are not part of a
    // heading's or paragraph's accessible name.
    return (
      <>
        {annotations.margin(id)}
        {element}
      </>
    );
  };
  return {
    nodeMapping: { paragraph: textblock, heading: textblock, codeBlock: textblock },
    markMapping: { link: safeLink },
    // Content stored before the server checked it against the schema: what no extension knows keeps its text.
    unhandledNode: ({ children }) => <>{children}</>,
    unhandledMark: ({ children }) => <>{children}</>,
  };
}

/** The element the node's extension renders (its renderHTML, with its attributes such as the block id). */
function schemaElement(node: ProseMirrorNode, children: ReactNode): ReactNode {
  const spec = node.type.spec.toDOM?.(node);
  return spec === undefined ? children : domOutputSpecToReactElement(spec)(children);
}

/** A textblock's content, with highlighted passages wrapped in <mark>. */
function highlightedContent(node: ProseMirrorNode, highlights: Highlight[], renderElement: BlockProps["renderElement"]): ReactNode[] {
  const pieces: ReactNode[] = [];
  // ProseMirror's offsets in a textblock count a character of text, and a hard break, as one.
  node.forEach((child, start) => {
    if (!child.isText) {
      pieces.push(<Fragment key={start}>{renderElement({ content: child, parent: node })}</Fragment>);
      return;
    }
    const end = start + child.nodeSize;
    const cuts = new Set([start, end]);
    for (const { from, to } of highlights) {
      if (from > start && from < end) cuts.add(from);
      if (to > start && to < end) cuts.add(to);
    }
    const points = [...cuts].sort((a, b) => a - b);
    points.slice(0, -1).forEach((from, index) => {
      const to = points[index + 1] ?? end;
      const piece = renderElement({ content: child.cut(from - start, to - start), parent: node });
      const covering = highlights.find((highlight) => highlight.from <= from && highlight.to >= to);
      pieces.push(
        covering ? (
          <mark key={from} className="comment-highlight" data-thread-id={covering.threadId}>
            {piece}
          </mark>
        ) : (
          <Fragment key={from}>{piece}</Fragment>
        ),
      );
    });
  });
  return pieces;
}

/** Web and mail links only: a `javascript:` address someone typed stays plain text. */
function safeLink({ mark, children }: InlineMarkProps): ReactNode {
  const href: unknown = mark.attrs.href;
  return isSafeLink(href) ? (
    <a href={href} rel="noopener noreferrer nofollow">
      {children}
    </a>
  ) : (
    <>{children}</>
  );
}
