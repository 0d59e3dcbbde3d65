import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createAnchor, DocumentIndex, type StoredAnchor } from "#app/comments/anchoring";
import { applySuggestion, locateSuggestion, suggestionOriginal } from "#app/comments/suggestions";
import { writeContentToYDoc, type ContentNode } from "#app/editor/content";
import { blockCharacters, blockText, deleteText, insertText, removeBlock, textblocks } from "#tests/support/random-draft";

const text = (value: string, bold = false): ContentNode =>
  bold ? { type: "text", text: value, marks: [{ type: "bold" }] } : { type: "text", text: value };
const paragraph = (id: string, ...content: ContentNode[]): ContentNode => ({ type: "paragraph", attrs: { id }, content });

const P1 = "Myndigheter bör licensiera sitt material öppet.";

function docOf(): Y.Doc {
  const doc = new Y.Doc();
  writeContentToYDoc(
    {
      type: "doc",
      content: [
        paragraph("p1", text(P1)),
        paragraph("p2", text("Det gäller "), text("rapporter och data", true), text(" från myndigheten.")),
        paragraph("p3", text("Första raden"), { type: "hardBreak" }, text("andra raden")),
        { type: "codeBlock", attrs: { id: "c1", language: null }, content: [text("npm test")] },
      ],
    },
    doc,
  );
  return doc;
}

function element(doc: Y.Doc, id: string): Y.XmlElement {
  const found = textblocks(doc).find((block) => block.getAttribute("id") === id);
  if (!found) throw new Error(`no block ${id}`);
  return found;
}

function anchorOn(doc: Y.Doc, id: string, exact?: string): StoredAnchor {
  const index = DocumentIndex.of(doc);
  const from = exact === undefined ? -1 : (index.block(id)?.text.indexOf(exact) ?? -1);
  const anchor = createAnchor(index, id, exact === undefined ? undefined : { from, to: from + exact.length });
  if (!anchor) throw new Error("no anchor");
  return anchor;
}

const textOf = (doc: Y.Doc, id: string) => blockText(element(doc, id));

/** Sends each document's changes to the others until all hold the same state. */
function exchange(...docs: Y.Doc[]): void {
  for (const from of docs) for (const to of docs) if (from !== to) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

describe("accepting a suggestion", () => {
  it("replaces exactly the passage's characters, and nothing around them", () => {
    const doc = docOf();
    const anchor = anchorOn(doc, "p1", "licensiera sitt material");

    const result = doc.transact(() => applySuggestion(doc, anchor, "dela med sig av det", suggestionOriginal(anchor)));

    expect(result).toEqual({ ok: true, replaced: "licensiera sitt material" });
    expect(textOf(doc, "p1")).toBe("Myndigheter bör dela med sig av det öppet.");
    expect(textOf(doc, "p2")).toBe("Det gäller rapporter och data från myndigheten.");
  });

  it("keeps what two editors typed concurrently on either side of the passage, in every copy", () => {
    const server = docOf();
    const alice = new Y.Doc();
    const bob = new Y.Doc();
    exchange(server, alice, bob);
    const anchor = anchorOn(server, "p1", "licensiera sitt material");

    // Not yet seen by the server: typed right before and right after the passage.
    insertText(element(alice, "p1"), "Myndigheter bör ".length, "[a]");
    insertText(element(bob, "p1"), "Myndigheter bör licensiera sitt material".length, "[b]");
    server.transact(() => applySuggestion(server, anchor, "publicera", suggestionOriginal(anchor)), { test: true });
    exchange(server, alice, bob);

    const converged = textOf(server, "p1");
    for (const copy of [alice, bob]) expect(textOf(copy, "p1")).toBe(converged);
    // Text typed right at an edge and the new text are concurrent inserts at one place: Yjs orders them by client.
    expect(["Myndigheter bör [a]publicera[b] öppet.", "Myndigheter bör publicera[a][b] öppet."]).toContain(converged);
  });

  it("reports a passage edited since as a conflict with what it reads now, and applies once that text is confirmed", () => {
    const doc = docOf();
    const anchor = anchorOn(doc, "p1", "licensiera sitt material");
    insertText(element(doc, "p1"), "Myndigheter bör licensiera ".length, "allt ");

    expect(applySuggestion(doc, anchor, "publicera", suggestionOriginal(anchor))).toEqual({
      ok: false,
      reason: "conflict",
      current: "licensiera allt sitt material",
    });
    expect(textOf(doc, "p1")).toBe("Myndigheter bör licensiera allt sitt material öppet.");
    // Confirmed against a text that has changed again: still a conflict.
    expect(applySuggestion(doc, anchor, "publicera", "licensiera sitt material")).toMatchObject({ reason: "conflict" });

    expect(applySuggestion(doc, anchor, "publicera allt", "licensiera allt sitt material")).toEqual({
      ok: true,
      replaced: "licensiera allt sitt material",
    });
    expect(textOf(doc, "p1")).toBe("Myndigheter bör publicera allt öppet.");
  });

  it("finds a passage deleted since as empty, where it was", () => {
    const doc = docOf();
    const anchor = anchorOn(doc, "p1", " sitt material");
    const from = "Myndigheter bör licensiera".length;
    deleteText(element(doc, "p1"), from, from + " sitt material".length);

    expect(applySuggestion(doc, anchor, " det", suggestionOriginal(anchor))).toEqual({ ok: false, reason: "conflict", current: "" });
    expect(applySuggestion(doc, anchor, " det", "")).toMatchObject({ ok: true });
    expect(textOf(doc, "p1")).toBe("Myndigheter bör licensiera det öppet.");
  });

  it("gives the new text the passage's formatting, and refuses a passage with mixed formatting without changing anything", () => {
    const doc = docOf();
    const bold = anchorOn(doc, "p2", "rapporter och data");
    expect(applySuggestion(doc, bold, "underlag", suggestionOriginal(bold))).toMatchObject({ ok: true });
    const { text, attributes } = blockCharacters(element(doc, "p2"));
    expect(text).toBe("Det gäller underlag från myndigheten.");
    expect(attributes[text.indexOf("underlag")]).toEqual({ bold: {} });
    expect(attributes[text.indexOf("från")]).toEqual({});

    const mixed = anchorOn(doc, "p2", "gäller underlag");
    expect(applySuggestion(doc, mixed, "avser", suggestionOriginal(mixed))).toEqual({ ok: false, reason: "mixed-formatting" });
    const across = anchorOn(doc, "p3", "raden\nandra");
    expect(applySuggestion(doc, across, "och", suggestionOriginal(across))).toEqual({ ok: false, reason: "mixed-formatting" });
    expect(textOf(doc, "p2")).toBe("Det gäller underlag från myndigheten.");
    expect(textOf(doc, "p3")).toBe("Första raden\nandra raden");
  });

  it("replaces a whole block's text; line breaks become spaces except in code", () => {
    const doc = docOf();
    const block = anchorOn(doc, "p1");
    expect(applySuggestion(doc, block, "Myndigheter ska\nlicensiera öppet.", suggestionOriginal(block))).toMatchObject({ ok: true });
    expect(textOf(doc, "p1")).toBe("Myndigheter ska licensiera öppet.");
    const code = anchorOn(doc, "c1");
    expect(applySuggestion(doc, code, "npm ci\nnpm test", suggestionOriginal(code))).toMatchObject({ ok: true });
    expect(textOf(doc, "c1")).toBe("npm ci\nnpm test");
  });

  it("cannot be applied once its block is deleted", () => {
    const doc = docOf();
    const passage = anchorOn(doc, "p1", "licensiera");
    const block = anchorOn(doc, "p1");
    removeBlock(element(doc, "p1"));

    expect(locateSuggestion(DocumentIndex.of(doc), block)).toEqual({ state: "block-removed" });
    expect(applySuggestion(doc, passage, "dela", suggestionOriginal(passage))).toEqual({ ok: false, reason: "block-removed" });
  });
});
