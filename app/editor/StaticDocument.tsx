import { Fragment, type ReactNode } from "react";
import type { ContentNode } from "./content";

const SAFE_LINK = /^(https?:|mailto:)/i;

/**
 * Server-rendered reading view of the draft: the same elements, ids and classes Tiptap renders,
 * built as React elements so user text is always escaped and never injected as HTML.
 */
export function StaticDocument({ content }: { content: ContentNode }) {
  return <div className="tiptap ProseMirror document-text">{renderChildren(content)}</div>;
}

function renderChildren(node: ContentNode): ReactNode {
  return node.content?.map((child, index) => <Fragment key={blockKey(child, index)}>{renderNode(child)}</Fragment>);
}

function blockKey(node: ContentNode, index: number): string {
  const id = node.attrs?.id;
  return typeof id === "string" ? id : `${node.type}-${index}`;
}

function blockIdProps(node: ContentNode): { id?: string; "data-block-id"?: string } {
  const id = node.attrs?.id;
  return typeof id === "string" && id ? { id, "data-block-id": id } : {};
}

function renderNode(node: ContentNode): ReactNode {
  const children = renderChildren(node);
  switch (node.type) {
    case "paragraph":
      return <p {...blockIdProps(node)}>{children}</p>;
    case "heading":
      return renderHeading(node, children);
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
      return (
        <pre {...blockIdProps(node)}>
          <code>{children}</code>
        </pre>
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
        if (typeof href === "string" && SAFE_LINK.test(href)) {
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
