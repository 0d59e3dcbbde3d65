import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createAnchor, DocumentIndex, type StoredAnchor } from "#app/comments/anchoring";
import { writeContentToYDoc, type ContentNode } from "#app/editor/content";
import { versionBlocks } from "#app/models/versions.server";
import { carryThreadsForward, type OpenThread } from "#app/versions/carry-forward";

const paragraph = (id: string, text: string): ContentNode => ({ type: "paragraph", attrs: { id }, content: [{ type: "text", text }] });

function draft(): Y.Doc {
  const doc = new Y.Doc();
  writeContentToYDoc(
    {
      type: "doc",
      content: [
        paragraph("p1", "Myndigheter bör licensiera sitt material öppet."),
        paragraph("p2", "Använd EUPL 1.2 för egna applikationer."),
        paragraph("p3", "Data publiceras under CC0."),
        paragraph("p4", "Texten är inte beslutad."),
      ],
    },
    doc,
  );
  return doc;
}

function textOf(doc: Y.Doc, id: string): Y.XmlText {
  const block = doc
    .getXmlFragment("default")
    .toArray()
    .find((node) => node instanceof Y.XmlElement && node.getAttribute("id") === id) as Y.XmlElement;
  return block.get(0) as Y.XmlText;
}

function threadOn(doc: Y.Doc, id: string, blockId: string, exact?: string, createdAt = new Date("2020-09-01T10:00:00Z")): OpenThread {
  const index = DocumentIndex.of(doc);
  const from = exact ? (index.block(blockId)?.text.indexOf(exact) ?? -1) : -1;
  const anchor = createAnchor(index, blockId, exact ? { from, to: from + exact.length } : undefined) as StoredAnchor;
  return { id, anchor, createdAt };
}

describe("carrying open threads forward to a new version", () => {
  it("tells unchanged, moved, changed and removed text apart", () => {
    const doc = draft();
    const previous = { createdAt: new Date("2020-09-02T10:00:00Z"), blocks: versionBlocks(doc) };
    const threads = [
      threadOn(doc, "same", "p1", "licensiera sitt material"),
      threadOn(doc, "passage-typed-in", "p2", "EUPL 1.2"),
      threadOn(doc, "passage-rewritten", "p2", "egna applikationer"),
      threadOn(doc, "block-edited", "p3"),
      threadOn(doc, "passage-gone", "p1", "öppet"),
      threadOn(doc, "block-gone", "p4"),
      threadOn(doc, "moved", "p3", "CC0"),
    ];

    textOf(doc, "p2").insert("Använd EUPL".length, " version");
    // 13 of its 18 characters typed over: most of the passage is gone.
    const p2 = textOf(doc, "p2");
    p2.delete(p2.length - "applikationer.".length, "applikationer".length);
    p2.insert(p2.length - 1, "program");
    textOf(doc, "p3").insert(0, "Öppna ");
    const p1 = textOf(doc, "p1");
    p1.delete(p1.length - "öppet.".length, "öppet.".length);
    const fragment = doc.getXmlFragment("default");
    fragment.delete(3, 1);
    // p3 moves to the top: removed and added again with its id, as the editor's drag and drop does.
    const moved = fragment.get(2) as Y.XmlElement;
    const copy = moved.clone();
    fragment.delete(2, 1);
    fragment.insert(0, [copy]);

    const outcomes = carryThreadsForward(threads, DocumentIndex.of(doc), versionBlocks(doc), previous);
    expect(Object.fromEntries(outcomes.map(({ threadId, outcome }) => [threadId, outcome]))).toEqual({
      same: "unchanged",
      // Text typed inside a passage is part of it (decision 0016): changed only when most of the quote is gone.
      "passage-typed-in": "unchanged",
      "passage-rewritten": "text-changed",
      "block-edited": "text-changed",
      "passage-gone": "removed",
      "block-gone": "removed",
      moved: "moved",
    });
  });

  it("compares a thread started after the previous version with the text it was started on", () => {
    const doc = draft();
    const previous = { createdAt: new Date("2020-09-02T10:00:00Z"), blocks: versionBlocks(doc) };
    textOf(doc, "p3").insert(0, "Öppna ");
    // Started on the already changed text: nothing has changed for it since.
    const later = threadOn(doc, "later", "p3", undefined, new Date("2020-09-03T10:00:00Z"));
    const [outcome] = carryThreadsForward([later], DocumentIndex.of(doc), versionBlocks(doc), previous);
    expect(outcome?.outcome).toBe("unchanged");
  });

  it("has nothing to compare moves with at the first version", () => {
    const doc = draft();
    const [outcome] = carryThreadsForward([threadOn(doc, "first", "p1")], DocumentIndex.of(doc), versionBlocks(doc), null);
    expect(outcome?.outcome).toBe("unchanged");
  });
});
