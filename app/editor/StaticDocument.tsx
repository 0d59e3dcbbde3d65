import { Fragment, type ReactNode } from "react";
import type { ContentNode } from "./content";
import { isSafeLink } from "./links";

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

/**
 * Server-rendered reading view of the draft: the same elements, ids and classes Tiptap renders,
 * built as React elements so user text is always escaped and never injected as HTML.
 */
export function StaticDocument({ content, annotations }: { content: ContentNode; annotations?: StaticAnnotations }) {
  return <div className="tiptap ProseMirror document-text">{renderChildren(content, annotations)}</div>;
}

function renderChildren(node: ContentNode, annotations: StaticAnnotations | undefined): ReactNode {
  return node.content?.map((child, index) => <Fragment key={blockKey(child, index)}>{renderNode(child, annotations)}</Fragment>);
}

/** A textblock's content, with highlighted passages wrapped in <mark>. */
function renderTextblock(node: ContentNode, annotations: StaticAnnotations | undefined): ReactNode {
  const id = node.attrs?.id;
  const highlights = annotations && typeof id === "string" ? (annotations.highlights[id] ?? []) : [];
  if (highlights.length === 0) return renderChildren(node, undefined);
  let offset = 0;
  return node.content?.map((child, index) => {
    const start = offset;
    offset += child.type === "text" ? (child.text ?? "").length : 1;
    if (child.type !== "text") return <Fragment key={index}>{renderNode(child, undefined)}</Fragment>;
    return <Fragment key={index}>{renderHighlightedText(child, start, highlights)}</Fragment>;
  });
}

/**
 * A commentable block's margin goes before its element, not in it, so the reference and its button are not part
 * of a heading's or paragraph's accessible name.
 */
function withMargin(node: ContentNode, annotations: StaticAnnotations | undefined, element: ReactNode): ReactNode {
  const id = node.attrs?.id;
  if (!annotations || typeof id !== "string") return element;
  return (
    <>
      {annotations.margin(id)}
      {element}
    </>
  );
}

function renderHighlightedText(node: ContentNode, start: number, highlights: Highlight[]): ReactNode {
  const text = node.text ?? "";
  const end = start + text.length;
  const cuts = new Set([start, end]);
  for (const { from, to } of highlights) {
    if (from > start && from < end) cuts.add(from);
    if (to > start && to < end) cuts.add(to);
  }
  const points = [...cuts].sort((a, b) => a - b);
  return points.slice(0, -1).map((from, index) => {
    const to = points[index + 1] ?? end;
    const piece = renderText({
      ...node,
      text: text.slice(from - start, to - start),
    });
    const covering = highlights.filter((highlight) => highlight.from <= from && highlight.to >= to);
    const first = covering[0];
    return first ? (
      <mark key={from} className="comment-highlight" data-thread-id={first.threadId}>
        {piece}
      </mark>
    ) : (
      <Fragment key={from}>{piece}</Fragment>
    );
  });
}

function blockKey(node: ContentNode, index: number): string {
  const id = node.attrs?.id;
  return typeof id === "string" ? id : `${node.type}-${index}`;
}

function blockIdProps(node: ContentNode): {
  id?: string;
  "data-block-id"?: string;
} {
  const id = node.attrs?.id;
  return typeof id === "string" && id ? { id, "data-block-id": id } : {};
}

function renderNode(node: ContentNode, annotations: StaticAnnotations | undefined): ReactNode {
  const children =
    node.type === "paragraph" || node.type === "heading" || node.type === "codeBlock"
      ? renderTextblock(node, annotations)
      : renderChildren(node, annotations);
  switch (node.type) {
    case "paragraph":
      return withMargin(node, annotations, <p {...blockIdProps(node)}>{children}</p>);
    case "heading":
      return withMargin(node, annotations, renderHeading(node, children));
    case "bulletList":
      return <ul>{children}</ul>;
    case "orderedList": {
      const start = typeof node.attrs?.start === "number" && node.attrs.start !== 1 ? node.attrs.start : undefined;
      return <ol start={start}>{children}</ol>;
    }
    case "listItem":
      return <li {...blockIdProps(node)}>{children}</li>;
    case "blockquote":
      return <blockquote {...blockIdProps(node)}>{children}</blockquote>;
    case "codeBlock":
      return withMargin(
        node,
        annotations,
        <pre {...blockIdProps(node)}>
          <code>{children}</code>
        </pre>,
      );
    case "horizontalRule":
      return <hr />;
    case "hardBreak":
      return <br />;
    case "text":
      return renderText(node);
    default:
      return children;
  }
}

function renderHeading(node: ContentNode, children: ReactNode): ReactNode {
  const props = blockIdProps(node);
  switch (node.attrs?.level) {
    case 1:
      return <h1 {...props}>{children}</h1>;
    case 2:
      return <h2 {...props}>{children}</h2>;
    case 3:
      return <h3 {...props}>{children}</h3>;
    case 4:
      return <h4 {...props}>{children}</h4>;
    case 5:
      return <h5 {...props}>{children}</h5>;
    default:
      return <h6 {...props}>{children}</h6>;
  }
}

function renderText(node: ContentNode): ReactNode {
  let rendered: ReactNode = node.text ?? "";
  for (const mark of node.marks ?? []) {
    switch (mark.type) {
      case "bold":
        rendered = <strong>{rendered}</strong>;
        break;
      case "italic":
        rendered = <em>{rendered}</em>;
        break;
      case "strike":
        rendered = <s>{rendered}</s>;
        break;
      case "underline":
        rendered = <u>{rendered}</u>;
        break;
      case "code":
        rendered = <code>{rendered}</code>;
        break;
      case "link": {
        const href = mark.attrs?.href;
        if (isSafeLink(href)) {
          rendered = (
            <a href={href} rel="noopener noreferrer nofollow">
              {rendered}
            </a>
          );
        }
        break;
      }
    }
  }
  return rendered;
}
