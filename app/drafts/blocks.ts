/**
 * Building blocks of an imported draft, shared by the Word (HTML) and Markdown converters: every block gets a fresh
 * block id, inline content is tidied the way the editor would keep it, and a table becomes one paragraph per row.
 */
import type { ContentNode } from "#app/editor/content";
import { documentSchema, newBlockId } from "#app/editor/extensions";

export type Mark = NonNullable<ContentNode["marks"]>[number];

/** Between the cells of a table row flattened into one paragraph. */
const CELL_SEPARATOR = " | ";

/** The order ProseMirror keeps a text's marks in (the schema's): a text with marks out of that order fails its check. */
const MARK_RANK = new Map(Object.keys(documentSchema.marks).map((name, rank) => [name, rank]));

/** Text with marks; code excludes every other mark in the schema, so code text keeps that one alone. */
export function text(value: string, marks: readonly Mark[]): ContentNode {
  const code = marks.find((mark) => mark.type === "code");
  const sorted = (code ? [code] : [...marks]).sort((a, b) => (MARK_RANK.get(a.type) ?? 0) - (MARK_RANK.get(b.type) ?? 0));
  return sorted.length > 0 ? { type: "text", text: value, marks: sorted } : { type: "text", text: value };
}

export function hardBreak(): ContentNode {
  return { type: "hardBreak" };
}

/** A paragraph or heading with its inline content tidied; null when nothing but white space is left. */
export function textBlock(type: "paragraph" | "heading", inline: ContentNode[], level?: number): ContentNode | null {
  const content = tidyInline(inline);
  if (content.length === 0) return null;
  return { type, attrs: type === "heading" ? { id: newBlockId(), level } : { id: newBlockId() }, content };
}

export function paragraph(inline: ContentNode[]): ContentNode | null {
  return textBlock("paragraph", inline);
}

export function blockquote(blocks: ContentNode[]): ContentNode | null {
  return blocks.length > 0 ? { type: "blockquote", attrs: { id: newBlockId() }, content: blocks } : null;
}

export function list(type: "bulletList" | "orderedList", items: ContentNode[][], start = 1): ContentNode | null {
  const listItems = items.filter((blocks) => blocks.length > 0).map(listItem);
  if (listItems.length === 0) return null;
  return { type, ...(type === "orderedList" && start !== 1 ? { attrs: { start } } : {}), content: listItems };
}

/** A list item must open with a paragraph: one whose first block is a list (or a quote) gets an empty one before it. */
function listItem(blocks: ContentNode[]): ContentNode {
  const content = blocks[0]?.type === "paragraph" ? blocks : [{ type: "paragraph", attrs: { id: newBlockId() } }, ...blocks];
  return { type: "listItem", attrs: { id: newBlockId() }, content };
}

export function horizontalRule(): ContentNode {
  return { type: "horizontalRule" };
}

export function codeBlock(code: string, language: string | null): ContentNode {
  const trimmed = code.replace(/\n$/, "");
  return {
    type: "codeBlock",
    attrs: { id: newBlockId(), language },
    ...(trimmed === "" ? {} : { content: [{ type: "text", text: trimmed }] }),
  };
}

/** A table row as one paragraph, its cells' text in order between separators. */
export function tableRow(cells: ContentNode[][]): ContentNode | null {
  const filled = cells.map(tidyInline).filter((cell) => cell.length > 0);
  const inline = filled.flatMap((cell, index) => (index === 0 ? cell : [text(CELL_SEPARATOR, []), ...cell]));
  return paragraph(inline);
}

/**
 * Inline content as the editor keeps it: runs of the same marks joined, tabs and line ends as spaces, runs of white
 * space as one, no white space at the ends or around a hard break, no hard break at the very end.
 */
export function tidyInline(inline: ContentNode[]): ContentNode[] {
  const joined: ContentNode[] = [];
  for (const node of inline) {
    const previous = joined[joined.length - 1];
    if (node.type === "text") {
      const value = (node.text ?? "").replace(/[\t\r\n]+/g, " ").replace(/ {2,}/g, " ");
      if (value === "") continue;
      if (previous?.type === "text" && sameMarks(previous.marks, node.marks)) previous.text = (previous.text ?? "") + value;
      else joined.push({ ...node, text: value });
    } else {
      joined.push(node);
    }
  }
  for (let index = 0; index < joined.length; index++) {
    const node = joined[index];
    if (node?.type !== "text") continue;
    let value = node.text ?? "";
    const before = joined[index - 1];
    const after = joined[index + 1];
    if (before === undefined || before.type === "hardBreak" || (before.type === "text" && before.text?.endsWith(" "))) value = value.replace(/^ +/, "");
    if (after === undefined || after.type === "hardBreak") value = value.replace(/ +$/, "");
    node.text = value;
  }
  const kept = joined.filter((node) => node.type !== "text" || node.text !== "");
  while (kept[kept.length - 1]?.type === "hardBreak") kept.pop();
  while (kept[0]?.type === "hardBreak") kept.shift();
  return kept;
}

function sameMarks(a: ContentNode["marks"], b: ContentNode["marks"]): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}
