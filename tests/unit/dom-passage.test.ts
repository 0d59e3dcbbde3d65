/**
 * Readers select passages in the server-rendered text, without the editor (issue 14): the selection must give the
 * offsets the editor would, so a comment on a passage is anchored on the same characters either way.
 */
import { describe, expect, it } from "vitest";
import { passageOf, type PassageNode } from "#app/comments/dom-passage";

/** Just enough of the DOM for the arithmetic: elements with attributes and children, and text nodes. */
class FakeNode implements PassageNode {
  parentNode: FakeNode | null = null;
  readonly childNodes: FakeNode[];
  constructor(
    readonly nodeType: number,
    readonly nodeName: string,
    readonly nodeValue: string | null,
    private readonly attributes: Record<string, string>,
    children: FakeNode[],
  ) {
    this.childNodes = children;
    for (const child of children) child.parentNode = this;
  }
  getAttribute(name: string): string | null {
    return this.attributes[name] ?? null;
  }
}

const text = (value: string) => new FakeNode(3, "#text", value, {}, []);
const element = (name: string, attributes: Record<string, string>, ...children: FakeNode[]) =>
  new FakeNode(1, name.toUpperCase(), null, attributes, children);
const margin = (reference: string) => element("span", { class: "block-margin" }, element("a", { class: "block-ref" }, text(reference)));

/**
 * The reading view of: a paragraph "Öppna data är bra" with "data" highlighted, a hard break and "Ny rad"; a list
 * item with a paragraph of its own; a heading.
 */
function reading() {
  const highlighted = text("data");
  const before = text("Öppna ");
  const after = text(" är bra");
  const newLine = text("Ny rad");
  const br = element("br", {});
  const paragraph = element("p", { id: "p1", "data-block-id": "p1" }, before, element("mark", { class: "comment-highlight" }, highlighted), after, br, newLine);
  const itemText = text("Punkt ett");
  const itemParagraph = element("p", { id: "p2", "data-block-id": "p2" }, itemText);
  const item = element("li", { id: "li1", "data-block-id": "li1" }, margin("1 ¶2"), itemParagraph);
  const headingText = text("Rubrik");
  const heading = element("h2", { id: "h1", "data-block-id": "h1" }, headingText);
  const marginText = text("1 ¶1");
  const paragraphMargin = element("span", { class: "block-margin" }, element("a", {}, marginText));
  const root = element("div", { class: "document-text" }, heading, paragraphMargin, paragraph, element("ul", {}, item));
  return { root, paragraph, before, highlighted, after, br, newLine, item, itemText, itemParagraph, heading, headingText, marginText };
}

describe("passages selected in the reading view", () => {
  it("counts the characters of the block's text before each end, across highlights", () => {
    const { root, before, after } = reading();
    expect(passageOf(root, { node: before, offset: 2 }, { node: after, offset: 3 })).toEqual({
      blockId: "p1",
      from: 2,
      to: 13,
      exact: "pna data är",
    });
  });

  it("orders the ends whichever way the reader dragged", () => {
    const { root, before, after } = reading();
    expect(passageOf(root, { node: after, offset: 3 }, { node: before, offset: 2 })).toMatchObject({ from: 2, to: 13 });
  });

  it("counts a hard break as one character, read as a line break", () => {
    const { root, after, newLine } = reading();
    // "Öppna data är bra" is 17 characters, the break the 18th.
    expect(passageOf(root, { node: after, offset: 4 }, { node: newLine, offset: 3 })).toEqual({
      blockId: "p1",
      from: 14,
      to: 21,
      exact: "bra\nNy ",
    });
  });

  it("reads points between elements as the DOM gives them (an element and a child index)", () => {
    const { root, paragraph } = reading();
    // Before the <mark> (child 1) and after the <br> (child 4).
    expect(passageOf(root, { node: paragraph, offset: 1 }, { node: paragraph, offset: 4 })).toEqual({
      blockId: "p1",
      from: 6,
      to: 18,
      exact: "data är bra\n",
    });
  });

  it("takes the innermost block: a paragraph in a list item, not the item with its margin", () => {
    const { root, itemText } = reading();
    expect(passageOf(root, { node: itemText, offset: 0 }, { node: itemText, offset: 5 })).toEqual({ blockId: "p2", from: 0, to: 5, exact: "Punkt" });
  });

  it("gives headings too", () => {
    const { root, headingText } = reading();
    expect(passageOf(root, { node: headingText, offset: 1 }, { node: headingText, offset: 4 })).toEqual({ blockId: "h1", from: 1, to: 4, exact: "ubr" });
  });

  it("gives nothing for an empty selection, one across blocks, one in a margin or one outside the text", () => {
    const { root, before, headingText, marginText, item, itemText } = reading();
    expect(passageOf(root, { node: before, offset: 2 }, { node: before, offset: 2 })).toBeNull();
    expect(passageOf(root, { node: headingText, offset: 1 }, { node: before, offset: 2 })).toBeNull();
    expect(passageOf(root, { node: marginText, offset: 0 }, { node: before, offset: 2 })).toBeNull();
    expect(passageOf(root, { node: item, offset: 0 }, { node: itemText, offset: 2 })).toBeNull();
    const elsewhere = text("Kommentar");
    element("div", {}, elsewhere);
    expect(passageOf(root, { node: elsewhere, offset: 0 }, { node: elsewhere, offset: 4 })).toBeNull();
  });
});
