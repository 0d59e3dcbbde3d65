/**
 * Markdown (CommonMark with tables and strikethrough, markdown-it's default) as the draft's ProseMirror JSON. Raw
 * HTML in the Markdown is not interpreted: it stays as the text it is. See decision 0032.
 */
import MarkdownIt, { type Token } from "markdown-it";
import type { ContentNode } from "#app/editor/content";
import { MAX_NESTING_DEPTH } from "#app/editor/extensions";
import { isSafeLink } from "#app/editor/links";
import { blockquote, codeBlock, hardBreak, horizontalRule, list, paragraph, tableRow, text, textBlock, type Mark } from "./blocks";
import type { HtmlCounts } from "./from-html";

// markdown-it drops what nests deeper than maxNesting without a word; up to twice the draft's limit the import can
// say that the file nests too deep (see finish in import.server.ts) instead of that it is empty.
const markdown = new MarkdownIt("default", { html: false, linkify: false, maxNesting: 2 * MAX_NESTING_DEPTH });

const MARK_OF_TOKEN: Record<string, string> = { strong_open: "bold", em_open: "italic", s_open: "strike" };

/** A block token with the tokens between its opening and closing one. */
interface BlockToken {
  token: Token;
  children: BlockToken[];
}

export function markdownToContent(source: string): { blocks: ContentNode[]; counts: HtmlCounts } {
  const counts: HtmlCounts = { images: 0, tables: 0, footnotes: 0, linksAsText: 0 };
  const root: BlockToken[] = [];
  const open: BlockToken[][] = [root];
  for (const token of markdown.parse(source, {})) {
    const siblings = open[open.length - 1] ?? root;
    if (token.nesting === 1) {
      const block: BlockToken = { token, children: [] };
      siblings.push(block);
      open.push(block.children);
    } else if (token.nesting === -1) {
      open.pop();
    } else {
      siblings.push({ token, children: [] });
    }
  }
  return { blocks: blocks(root, counts), counts };
}

function blocks(tokens: readonly BlockToken[], counts: HtmlCounts): ContentNode[] {
  return tokens.flatMap((block) => {
    const node = blockOf(block, counts);
    return Array.isArray(node) ? node : node ? [node] : [];
  });
}

function blockOf({ token, children }: BlockToken, counts: HtmlCounts): ContentNode | ContentNode[] | null {
  switch (token.type) {
    case "heading_open":
      return textBlock("heading", inlineOf(children, counts), Number(token.tag.slice(1)));
    case "paragraph_open":
      return paragraph(inlineOf(children, counts));
    case "bullet_list_open":
    case "ordered_list_open": {
      const items = children.filter((child) => child.token.type === "list_item_open").map((item) => blocks(item.children, counts));
      const start = Number(token.attrGet("start") ?? 1);
      return list(token.type === "ordered_list_open" ? "orderedList" : "bulletList", items, Number.isFinite(start) ? start : 1);
    }
    case "blockquote_open":
      return blockquote(blocks(children, counts));
    case "fence":
    case "code_block":
      return codeBlock(token.content, /^[\w+-]+$/.test(token.info.trim()) ? token.info.trim() : null);
    case "hr":
      return horizontalRule();
    case "html_block":
      // Shown as written, as the Markdown's reader would see it without a browser.
      return paragraph([text(token.content, [])]);
    case "table_open":
      counts.tables += 1;
      return rowsOf(children, counts);
    default:
      return blocks(children, counts);
  }
}

function rowsOf(tokens: readonly BlockToken[], counts: HtmlCounts): ContentNode[] {
  return tokens.flatMap(({ token, children }) => {
    if (token.type !== "tr_open") return rowsOf(children, counts);
    const row = tableRow(children.map((cell) => inlineOf(cell.children, counts)));
    return row ? [row] : [];
  });
}

/** The inline token of a paragraph, heading or cell, as text with marks. */
function inlineOf(tokens: readonly BlockToken[], counts: HtmlCounts): ContentNode[] {
  const inline: ContentNode[] = [];
  for (const { token } of tokens) if (token.type === "inline") inline.push(...inlineTokens(token.children ?? [], counts));
  return inline;
}

function inlineTokens(tokens: readonly Token[], counts: HtmlCounts): ContentNode[] {
  const inline: ContentNode[] = [];
  let marks: Mark[] = [];
  for (const token of tokens) {
    const mark = MARK_OF_TOKEN[token.type];
    if (mark) marks = [...marks, { type: mark }];
    else if (token.type === "strong_close" || token.type === "em_close" || token.type === "s_close") marks = withoutLast(marks, MARK_OF_TOKEN[token.type.replace("_close", "_open")]);
    else if (token.type === "link_open") {
      const href = token.attrGet("href") ?? "";
      if (isSafeLink(href)) marks = [...marks, { type: "link", attrs: { href } }];
      else counts.linksAsText += 1;
    } else if (token.type === "link_close") marks = withoutLast(marks, "link");
    else if (token.type === "text" || token.type === "html_inline") inline.push(text(token.content, marks));
    else if (token.type === "code_inline") inline.push(text(token.content, [...marks, { type: "code" }]));
    else if (token.type === "softbreak") inline.push(text(" ", marks));
    else if (token.type === "hardbreak") inline.push(hardBreak());
    else if (token.type === "image") counts.images += 1;
  }
  return inline;
}

function withoutLast(marks: readonly Mark[], type: string | undefined): Mark[] {
  const index = marks.map((mark) => mark.type).lastIndexOf(type ?? "");
  return index === -1 ? [...marks] : [...marks.slice(0, index), ...marks.slice(index + 1)];
}
