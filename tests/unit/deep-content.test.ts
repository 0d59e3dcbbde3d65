/**
 * Drafts stored before the server refused deep nesting (issue 12: 5,000 nested blockquotes made the page and the
 * report answer 500) are read without recursion and flattened beyond MAX_NESTING_DEPTH, so that every renderer gets
 * content of bounded depth and no text is lost.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { DocumentIndex } from "#app/comments/anchoring";
import { StaticDocument } from "#app/editor/StaticDocument";
import { writeContentToYDoc, yDocToContent, type ContentNode } from "#app/editor/content";
import { MAX_NESTING_DEPTH, YJS_FRAGMENT } from "#app/editor/extensions";
import { versionToHtml, versionToMarkdown } from "#app/versions/export";
import { DEEP_TEXT, nestedBlockquotes } from "#tests/support/hostile-updates";

const DEPTH = 5_000;

/** How deep the JSON nests, counted without recursion (the doc node is 0). */
function depthOf(root: ContentNode): number {
  let deepest = 0;
  const stack: Array<[ContentNode, number]> = [[root, 0]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [node, depth] = next;
    deepest = Math.max(deepest, depth);
    for (const child of node.content ?? []) stack.push([child, depth + 1]);
  }
  return deepest;
}

function textOf(root: ContentNode): string {
  const parts: string[] = [];
  const stack = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.text) parts.push(node.text);
    for (const child of [...(node.content ?? [])].reverse()) stack.push(child);
  }
  return parts.join("|");
}

function storedDeepDraft(): Y.Doc {
  const doc = new Y.Doc();
  writeContentToYDoc({ type: "doc", content: [{ type: "paragraph", attrs: { id: "p1" }, content: [{ type: "text", text: "Före citaten." }] }] }, doc);
  doc.transact(() => nestedBlockquotes(doc.getXmlFragment(YJS_FRAGMENT), DEPTH));
  return doc;
}

describe("a stored draft nested 5,000 deep", () => {
  const doc = storedDeepDraft();

  it("reads as content no deeper than the limit allows, with every text in order", () => {
    const content = yDocToContent(doc);
    expect(depthOf(content)).toBeLessThanOrEqual(MAX_NESTING_DEPTH + 4);
    expect(textOf(content)).toBe(`${DEEP_TEXT}|Före citaten.`);
    // The quotes up to the limit are kept, and the paragraph sits in the last of them.
    let node = content.content?.[0];
    let quotes = 0;
    while (node?.type === "blockquote") {
      quotes++;
      node = node.content?.[0];
    }
    expect(quotes).toBe(MAX_NESTING_DEPTH);
    expect(node).toEqual({ type: "paragraph", content: [{ type: "text", text: DEEP_TEXT }] });
  });

  it("renders as the reading view, and as Markdown and HTML", () => {
    const content = yDocToContent(doc);
    const html = renderToStaticMarkup(createElement(StaticDocument, { content }));
    expect(html.match(/<blockquote>/g)).toHaveLength(MAX_NESTING_DEPTH);
    expect(html).toContain(`<p>${DEEP_TEXT}</p>`);
    const markdown = versionToMarkdown({ title: "Djupt", language: "sv", facts: [], content });
    expect(markdown).toContain(`${"> ".repeat(MAX_NESTING_DEPTH)}${DEEP_TEXT}`);
    expect(versionToHtml({ title: "Djupt", language: "sv", facts: [], content })).toContain(`<p>${DEEP_TEXT}</p>`);
  });

  it("is indexed for comments whatever the depth", () => {
    const deep = new Y.Doc();
    writeContentToYDoc({ type: "doc", content: [{ type: "paragraph", attrs: { id: "p1" }, content: [{ type: "text", text: "Före." }] }] }, deep);
    deep.transact(() => {
      nestedBlockquotes(deep.getXmlFragment(YJS_FRAGMENT), DEPTH);
      let innermost = deep.getXmlFragment(YJS_FRAGMENT).get(0) as Y.XmlElement;
      while (innermost.get(0) instanceof Y.XmlElement && (innermost.get(0) as Y.XmlElement).nodeName === "blockquote") innermost = innermost.get(0) as Y.XmlElement;
      (innermost.get(0) as Y.XmlElement).setAttribute("id", "djup");
    });
    expect(DocumentIndex.of(deep).blocks.map((block) => [block.id, block.text])).toEqual([
      ["djup", DEEP_TEXT],
      ["p1", "Före."],
    ]);
  });
});

describe("writing content", () => {
  const quotes = (depth: number): ContentNode => {
    let node: ContentNode = { type: "paragraph", content: [{ type: "text", text: DEEP_TEXT }] };
    for (let level = 1; level < depth; level++) node = { type: "blockquote", content: [node] };
    return { type: "doc", content: [node] };
  };

  it("takes content nested exactly to the limit, and refuses deeper content before converting it", () => {
    const doc = new Y.Doc();
    writeContentToYDoc(quotes(MAX_NESTING_DEPTH), doc);
    expect(textOf(yDocToContent(doc))).toBe(DEEP_TEXT);
    expect(() => writeContentToYDoc(quotes(DEPTH), new Y.Doc())).toThrow(`Content nests deeper than ${MAX_NESTING_DEPTH} elements`);
  });
});

describe("flattening beyond the limit", () => {
  function nested(build: (fragment: Y.XmlFragment) => void): ContentNode {
    const doc = new Y.Doc();
    doc.transact(() => build(doc.getXmlFragment(YJS_FRAGMENT)));
    return yDocToContent(doc);
  }

  function paragraph(text: string): Y.XmlElement {
    const element = new Y.XmlElement("paragraph");
    element.insert(0, [new Y.XmlText(text)]);
    return element;
  }

  it("keeps a list at the limit and flattens in its items, so that lists still hold list items", () => {
    const content = nested((fragment) => {
      let outer: Y.XmlFragment = fragment;
      for (let level = 0; level < MAX_NESTING_DEPTH - 1; level++) {
        const quote = new Y.XmlElement("blockquote");
        outer.insert(0, [quote]);
        outer = quote;
      }
      let list = new Y.XmlElement("bulletList");
      outer.insert(0, [list]);
      for (let level = 0; level < 50; level++) {
        const item = new Y.XmlElement("listItem");
        list.insert(0, [item]);
        item.insert(0, [paragraph(`punkt ${level}`)]);
        if (level === 49) break;
        const inner = new Y.XmlElement("bulletList");
        item.insert(1, [inner]);
        list = inner;
      }
    });
    let node = content.content?.[0];
    while (node?.type === "blockquote") node = node.content?.[0];
    expect(node?.type).toBe("bulletList");
    const item = node?.content?.[0];
    expect(item?.type).toBe("listItem");
    expect(item?.content?.map((child) => child.type)).toEqual(Array.from({ length: 50 }, () => "paragraph"));
    expect(textOf(content)).toBe(Array.from({ length: 50 }, (_, level) => `punkt ${level}`).join("|"));
  });

  it("bounds any nesting, even of elements no schema allows to nest", () => {
    const content = nested((fragment) => {
      let outer: Y.XmlFragment = fragment;
      for (let level = 0; level < DEPTH; level++) {
        const element = new Y.XmlElement(level % 2 === 0 ? "paragraph" : "okänd");
        outer.insert(0, [element]);
        outer = element;
      }
      outer.insert(0, [new Y.XmlText("botten")]);
    });
    expect(depthOf(content)).toBeLessThanOrEqual(MAX_NESTING_DEPTH + 4);
    expect(textOf(content)).toBe("botten");
  });
});
