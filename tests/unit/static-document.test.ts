/**
 * The reading view and the version files are rendered from the editor's extensions (issue 13): the elements come from
 * the schema, and what the schema does not say (margins, highlights, which links are links) from the mappings.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ContentNode } from "#app/editor/content";
import { documentSchema } from "#app/editor/extensions";
import { StaticDocument, type StaticAnnotations } from "#app/editor/StaticDocument";
import { versionToHtml, versionToMarkdown } from "#app/versions/export";

const text = (value: string, marks: ContentNode["marks"] = []): ContentNode => ({ type: "text", text: value, ...(marks.length > 0 ? { marks } : {}) });
const node = (type: string, content: ContentNode[], attrs?: Record<string, unknown>): ContentNode => ({ type, content, ...(attrs ? { attrs } : {}) });

/** One of every node and mark the schema has, each with a text of its own where it can hold one. */
const everyType: ContentNode = node("doc", [
  node("heading", [text("Rubrik")], { id: "rubrik", level: 2 }),
  node("paragraph", [
    text("fet", [{ type: "bold" }]),
    text("kursiv", [{ type: "italic" }]),
    text("struken", [{ type: "strike" }]),
    text("understruken", [{ type: "underline" }]),
    text("kod", [{ type: "code" }]),
    text("länk", [{ type: "link", attrs: { href: "https://example.org/" } }]),
    { type: "hardBreak" },
    text("efter brytningen"),
  ], { id: "stycke" }),
  node("bulletList", [node("listItem", [node("paragraph", [text("punkt")], { id: "punkt" })], { id: "punktlista" })]),
  node("orderedList", [node("listItem", [node("paragraph", [text("nummer")], { id: "nummer" })], { id: "nummerlista" })], { start: 2 }),
  node("blockquote", [node("paragraph", [text("citat")], { id: "citat" })], { id: "citatblock" }),
  node("codeBlock", [text("kodblock")], { id: "kodblock" }),
  { type: "horizontalRule" },
]);

function typesIn(content: ContentNode): { nodes: Set<string>; marks: Set<string> } {
  const nodes = new Set<string>();
  const marks = new Set<string>();
  const stack = [content];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    nodes.add(next.type);
    for (const mark of next.marks ?? []) marks.add(mark.type);
    stack.push(...(next.content ?? []));
  }
  return { nodes, marks };
}

const reading = (content: ContentNode, annotations?: StaticAnnotations) => renderToStaticMarkup(createElement(StaticDocument, { content, annotations }));
const margin = (blockId: string) => createElement("span", { className: "block-margin" }, `¶ ${blockId}`);

describe("one renderer from the schema", () => {
  it("has a fixture with every node and mark of the schema, so a new extension is rendered and tested everywhere", () => {
    const { nodes, marks } = typesIn(everyType);
    expect([...nodes].sort()).toEqual(Object.keys(documentSchema.nodes).sort());
    expect([...marks].sort()).toEqual(Object.keys(documentSchema.marks).sort());
  });

  it("writes every text of every node and mark in the reading view and in both files", () => {
    const version = { title: "Alla", language: "sv", facts: [], content: everyType };
    const outputs = [reading(everyType), versionToHtml(version), versionToMarkdown(version)];
    for (const word of ["Rubrik", "fet", "kursiv", "struken", "understruken", "kod", "länk", "efter brytningen", "punkt", "nummer", "citat", "kodblock"]) {
      for (const output of outputs) expect(output).toContain(word);
    }
  });

  it("renders the elements, ids and classes the editor renders", () => {
    expect(reading(everyType)).toBe(
      '<div class="tiptap ProseMirror document-text">' +
        '<h2 id="rubrik" data-block-id="rubrik">Rubrik</h2>' +
        '<p id="stycke" data-block-id="stycke"><strong>fet</strong><em>kursiv</em><s>struken</s><u>understruken</u><code>kod</code>' +
        '<a href="https://example.org/" rel="noopener noreferrer nofollow">länk</a><br/>efter brytningen</p>' +
        '<ul><li id="punktlista" data-block-id="punktlista"><p id="punkt" data-block-id="punkt">punkt</p></li></ul>' +
        '<ol start="2"><li id="nummerlista" data-block-id="nummerlista"><p id="nummer" data-block-id="nummer">nummer</p></li></ol>' +
        '<blockquote id="citatblock" data-block-id="citatblock"><p id="citat" data-block-id="citat">citat</p></blockquote>' +
        '<pre id="kodblock" data-block-id="kodblock"><code>kodblock</code></pre>' +
        "<hr/>" +
        "</div>",
    );
  });

  it("puts each commentable block's margin just before it, and highlights passages across marks and line breaks", () => {
    const content = node("doc", [
      node("paragraph", [text("Ett "), text("fett", [{ type: "bold" }]), text(" ord"), { type: "hardBreak" }, text("och mer")], { id: "p1" }),
      node("bulletList", [node("listItem", [node("paragraph", [text("punkt")], { id: "p2" })], { id: "li" })]),
    ]);
    // Offsets count a hard break as one character: "Ett fett ord" is 0–12, the break 12, "och mer" 13–20.
    const html = reading(content, {
      margin,
      highlights: {
        p1: [
          { from: 2, to: 6, threadId: "t1" },
          { from: 4, to: 15, threadId: "t2" },
        ],
      },
    });
    expect(html).toBe(
      '<div class="tiptap ProseMirror document-text">' +
        '<span class="block-margin">¶ p1</span><p id="p1" data-block-id="p1">Et' +
        '<mark class="comment-highlight" data-thread-id="t1">t </mark>' +
        '<mark class="comment-highlight" data-thread-id="t1"><strong>fe</strong></mark>' +
        '<mark class="comment-highlight" data-thread-id="t2"><strong>tt</strong></mark>' +
        '<mark class="comment-highlight" data-thread-id="t2"> ord</mark><br/>' +
        '<mark class="comment-highlight" data-thread-id="t2">oc</mark>h mer</p>' +
        // A list item holds blocks: its paragraph has the margin, the item itself has none.
        '<ul><li id="li" data-block-id="li"><span class="block-margin">¶ p2</span><p id="p2" data-block-id="p2">punkt</p></li></ul>' +
        "</div>",
    );
  });

  it("shows only web and mail addresses as links", () => {
    const content = node("doc", [
      node("paragraph", [
        text("skript", [{ type: "link", attrs: { href: "javascript:alert(1)" } }]),
        text(" och "),
        text("post", [{ type: "link", attrs: { href: "mailto:a@example.org" } }]),
      ]),
    ]);
    const version = { title: "Länkar", language: "sv", facts: [], content };
    for (const output of [reading(content), versionToHtml(version), versionToMarkdown(version)]) {
      expect(output).not.toContain("javascript:");
      expect(output).toContain("mailto:a@example.org");
    }
  });

  it("keeps the text of node and mark types the schema does not know, as stored before the server checked updates", () => {
    const content = node("doc", [node("okänd", [node("paragraph", [text("inuti", [{ type: "okändmarkering" }])], { id: "p" })])]);
    const version = { title: "Okänt", language: "sv", facts: [], content };
    expect(reading(content)).toBe('<div class="tiptap ProseMirror document-text"><p id="p" data-block-id="p">inuti</p></div>');
    expect(versionToHtml(version)).toContain("<main>\n<p>inuti</p>\n\n</main>");
    expect(versionToMarkdown(version).endsWith("---\n\ninuti\n")).toBe(true);
  });
});
