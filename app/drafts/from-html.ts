/**
 * The HTML mammoth makes of a Word file, as the draft's ProseMirror JSON. The HTML is parsed (htmlparser2) and only
 * the elements the draft's schema has are taken over; nothing of the HTML itself is passed on. See decision 0032.
 */
import { parseDocument } from "htmlparser2";
import { isTag, isText, type ChildNode, type Element } from "domhandler";
import type { ContentNode } from "#app/editor/content";
import { isSafeLink } from "#app/editor/links";
import { blockquote, codeBlock, hardBreak, horizontalRule, list, paragraph, tableRow, text, textBlock, type Mark } from "./blocks";

/** What the conversion left out or changed, counted for the import report. */
export interface HtmlCounts {
  images: number;
  tables: number;
  footnotes: number;
  linksAsText: number;
}

const MARK_OF_ELEMENT: Record<string, string> = { strong: "bold", b: "bold", em: "italic", i: "italic", u: "underline", s: "strike", del: "strike", code: "code" };
const HEADING = /^h([1-6])$/;
// mammoth's footnotes and endnotes: the list at the end holds them, the references in the text and the links back
// from the notes point at these ids.
const NOTE_ID = /^(footnote|endnote)-\d+$/;
const NOTE_BACK_LINK = /^#(footnote|endnote)-ref-\d+$/;

export function htmlToContent(html: string): { blocks: ContentNode[]; counts: HtmlCounts } {
  const counts: HtmlCounts = { images: 0, tables: 0, footnotes: 0, linksAsText: 0 };
  const converter = new Converter(counts);
  return { blocks: converter.blocks(parseDocument(html).children), counts };
}

class Converter {
  constructor(private readonly counts: HtmlCounts) {}

  /** Block content: each element the schema has as a block, inline content between them as paragraphs. */
  blocks(nodes: readonly ChildNode[]): ContentNode[] {
    const blocks: ContentNode[] = [];
    let pendingInline: ContentNode[] = [];
    const flush = () => {
      push(blocks, paragraph(pendingInline));
      pendingInline = [];
    };
    for (const node of nodes) {
      if (isTag(node) && this.isBlock(node)) {
        flush();
        blocks.push(...this.block(node));
      } else {
        pendingInline.push(...this.inline([node], []));
      }
    }
    flush();
    return blocks;
  }

  private isBlock(element: Element): boolean {
    return /^(h[1-6]|p|ul|ol|li|blockquote|table|pre|hr|div)$/.test(element.name);
  }

  private block(element: Element): ContentNode[] {
    const name = element.name;
    const heading = HEADING.exec(name);
    if (heading) return optional(textBlock("heading", this.inline(element.children, []), Number(heading[1])));
    if (name === "p") return optional(paragraph(this.inline(element.children, [])));
    if (name === "ul" || name === "ol") return this.list(element);
    if (name === "blockquote") return optional(blockquote(this.blocks(element.children)));
    if (name === "table") return this.table(element);
    if (name === "pre") return [codeBlock(textOf(element), null)];
    if (name === "hr") return [horizontalRule()];
    // A list item outside a list, a div: their content stands on its own.
    return this.blocks(element.children);
  }

  private list(element: Element): ContentNode[] {
    const items = element.children.filter((child): child is Element => isTag(child) && child.name === "li");
    const notes = items.filter((item) => NOTE_ID.test(item.attribs.id ?? ""));
    this.counts.footnotes += notes.length;
    const start = Number.parseInt(element.attribs.start ?? "1", 10);
    return optional(list(element.name === "ol" ? "orderedList" : "bulletList", items.map((item) => this.blocks(item.children)), Number.isFinite(start) ? start : 1));
  }

  /** A table as paragraphs, one per row; the text of a cell's blocks is joined into the row. */
  private table(element: Element): ContentNode[] {
    this.counts.tables += 1;
    const rows: ContentNode[] = [];
    const visit = (nodes: readonly ChildNode[]) => {
      for (const node of nodes) {
        if (!isTag(node)) continue;
        if (node.name === "tr") {
          const cells = node.children.filter((cell): cell is Element => isTag(cell) && (cell.name === "td" || cell.name === "th"));
          push(rows, tableRow(cells.map((cell) => this.cellInline(cell.children))));
        } else if (node.name !== "table") {
          // thead, tbody, tfoot; a table inside a cell is part of that cell's text.
          visit(node.children);
        }
      }
    };
    visit(element.children);
    return rows;
  }

  /** A cell's text: its blocks' inline content, a space between blocks. */
  private cellInline(nodes: readonly ChildNode[]): ContentNode[] {
    const parts: ContentNode[] = [];
    for (const node of nodes) {
      if (isTag(node) && this.isBlock(node)) parts.push(text(" ", []), ...this.cellInline(node.children));
      else parts.push(...this.inline([node], []));
    }
    return parts;
  }

  private inline(nodes: readonly ChildNode[], marks: readonly Mark[]): ContentNode[] {
    const inline: ContentNode[] = [];
    for (const node of nodes) {
      if (isText(node)) {
        inline.push(text(node.data, marks));
      } else if (isTag(node)) {
        inline.push(...this.inlineElement(node, marks));
      }
    }
    return inline;
  }

  private inlineElement(element: Element, marks: readonly Mark[]): ContentNode[] {
    const name = element.name;
    if (name === "br") return [hardBreak()];
    if (name === "img") {
      this.counts.images += 1;
      return [];
    }
    const mark = MARK_OF_ELEMENT[name];
    if (mark) return this.inline(element.children, withMark(marks, { type: mark }));
    if (name === "a") {
      const href = element.attribs.href ?? "";
      // The arrow back from a footnote to its reference: the note is at the end now, the arrow leads nowhere.
      if (NOTE_BACK_LINK.test(href)) return [];
      if (isSafeLink(href)) return this.inline(element.children, withMark(marks, { type: "link", attrs: { href } }));
      // A reference to a note, a bookmark in the file: its text stays (a note's number shows which one is meant).
      if (!/^#/.test(href)) this.counts.linksAsText += 1;
      return this.inline(element.children, marks);
    }
    // Blocks met in inline content (a list in a heading cannot be kept) give their text; sup, sub, span are text.
    return this.inline(element.children, marks);
  }
}

function withMark(marks: readonly Mark[], mark: Mark): Mark[] {
  return [...marks.filter((each) => each.type !== mark.type), mark];
}

function textOf(element: Element): string {
  return element.children.map((child) => (isText(child) ? child.data : isTag(child) ? (child.name === "br" ? "\n" : textOf(child)) : "")).join("");
}

function optional(node: ContentNode | null): ContentNode[] {
  return node ? [node] : [];
}

function push(into: ContentNode[], node: ContentNode | null): void {
  if (node) into.push(node);
}
