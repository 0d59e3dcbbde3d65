/**
 * Restoring a frozen version into the live draft (app/versions/restore.ts): random edits after the version, then
 * the restore must make the draft read as the version, leave the blocks nobody edited alone, and merge with what an
 * editor typed meanwhile as any other change does.
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { writeContentToYDoc, yDocToContent, type ContentNode } from "#app/editor/content";
import { documentSchema } from "#app/editor/extensions";
import { createAnchor, DocumentIndex, resolveAnchor } from "#app/comments/anchoring";
import { restoreVersion } from "#app/versions/restore";
import { BoundEditor } from "#tests/support/bound-editor";
import {
  blockId,
  blockText,
  deleteText,
  insertParagraph,
  insertText,
  joinBackward,
  moveBlock,
  randomDraft,
  removeBlock,
  seededBlockId,
  seededRandom,
  splitBlock,
  tagRange,
  textblocks,
  typedWords,
  type Random,
} from "#tests/support/random-draft";

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

function draftOf(content: ContentNode): Y.Doc {
  const doc = new Y.Doc();
  writeContentToYDoc(content, doc);
  return doc;
}

/** The draft as ProseMirror reads it: adjacent texts of the same formatting joined, attribute defaults filled in. */
function normalized(content: ContentNode): unknown {
  return documentSchema.nodeFromJSON(content).toJSON();
}

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** Some edits an editor makes between two versions: typing, deleting, formatting, Enter, Backspace, moves, new and removed blocks. */
function editRandomly(doc: Y.Doc, random: Random, count: number): void {
  for (let step = 0; step < count; step++) {
    const blocks = textblocks(doc);
    const element = random.pick(blocks);
    const length = blockText(element).length;
    const roll = random.next();
    if (roll < 0.3) insertText(element, random.int(length + 1), typedWords(random, random.between(1, 3)));
    else if (roll < 0.5 && length > 0) {
      const from = random.int(length);
      deleteText(element, from, Math.min(length, from + random.between(1, 12)));
    } else if (roll < 0.6 && length > 1) {
      const from = random.int(length - 1);
      tagRange(element, from, Math.min(length, from + random.between(1, 8)), "italic");
    } else if (roll < 0.7 && length > 1) splitBlock(element, random.between(1, length - 1), seededBlockId(random));
    else if (roll < 0.75 && blocks.length > 2) joinBackward(doc, element);
    else if (roll < 0.85) moveBlock(element, random);
    else if (roll < 0.92) insertParagraph(doc, random.int(doc.getXmlFragment("default").length + 1), seededBlockId(random), typedWords(random, 4));
    else if (blocks.length > 2) removeBlock(element);
  }
}

/** Every textblock laid out as ProseMirror's binding writes it: no empty text, no two texts side by side. */
function expectCanonicalInline(doc: Y.Doc): void {
  for (const element of textblocks(doc)) {
    const children = element.toArray();
    children.forEach((child, index) => {
      if (!(child instanceof Y.XmlText)) return;
      expect(child.length, `empty text in ${blockId(element)}`).toBeGreaterThan(0);
      expect(children[index - 1] instanceof Y.XmlText, `two texts side by side in ${blockId(element)}`).toBe(false);
    });
  }
}

describe("restoring a version", () => {
  it.each(SEEDS)("makes the draft read as the version after random edits (seed %i)", (seed) => {
    const random = seededRandom(seed);
    const live = draftOf(randomDraft(random, 30));
    const version = yDocToContent(live);
    editRandomly(live, random, random.between(5, 40));

    const outcome = Y.transact(live, () => restoreVersion(live, version));

    expect(normalized(yDocToContent(live))).toEqual(normalized(version));
    expect(outcome.touched).toBe(true);
    expectCanonicalInline(live);
    // A second restore finds nothing to do, and writes nothing.
    const updates: Uint8Array[] = [];
    live.on("update", (update: Uint8Array) => updates.push(update));
    expect(Y.transact(live, () => restoreVersion(live, version))).toEqual({ changed: 0, added: 0, removed: 0, touched: false });
    expect(updates).toEqual([]);
  });

  it.each(SEEDS)("leaves the blocks nobody edited alone, and keeps the words of edited ones (seed %i)", (seed) => {
    const random = seededRandom(seed);
    const live = draftOf(randomDraft(random, 30));
    const version = yDocToContent(live);
    const blocks = textblocks(live);
    const edited = new Set<Y.XmlElement>();
    for (let step = random.between(1, 6); step > 0; step--) {
      const element = random.pick(blocks);
      edited.add(element);
      insertText(element, random.int(blockText(element).length + 1), typedWords(random, 2));
    }
    const touched = new Set<unknown>();
    live.on("afterTransaction", (transaction: Y.Transaction) => {
      for (const type of transaction.changed.keys()) touched.add(type);
    });

    const outcome = Y.transact(live, () => restoreVersion(live, version));

    expect(outcome).toEqual({ changed: edited.size, added: 0, removed: 0, touched: true });
    for (const element of blocks) {
      const changedTypes = [element, ...element.toArray()].filter((type) => touched.has(type));
      if (edited.has(element)) expect(changedTypes.length).toBeGreaterThan(0);
      else expect(changedTypes, `block ${blockId(element)} was touched`).toEqual([]);
    }
    expect(normalized(yDocToContent(live))).toEqual(normalized(version));
  });

  it.each(SEEDS)("merges with typing that arrives after it, and with typing it has already seen (seed %i)", (seed) => {
    const random = seededRandom(seed);
    const server = draftOf(randomDraft(random, 20));
    const version = yDocToContent(server);
    editRandomly(server, random, random.between(3, 15));
    const editor = copyOf(server);
    const editorAfterwards = copyOf(server);

    // The editor types into a paragraph the server has not heard of yet.
    const typedBlocks = textblocks(editor);
    const element = random.pick(typedBlocks);
    const typedId = blockId(element);
    const typed = typedWords(random, 2);
    insertText(element, random.int(blockText(element).length + 1), typed);
    const typing = Y.encodeStateAsUpdate(editor, Y.encodeStateVector(server));

    // Order 1: the restore runs first, the typing arrives after it; each side gets the other's change.
    const restoredFirst = copyOf(server);
    const before = Y.encodeStateVector(restoredFirst);
    Y.transact(restoredFirst, () => restoreVersion(restoredFirst, version));
    const restore = Y.encodeStateAsUpdate(restoredFirst, before);
    Y.applyUpdate(restoredFirst, typing);
    Y.applyUpdate(editor, restore);
    expect(normalized(yDocToContent(editor))).toEqual(normalized(yDocToContent(restoredFirst)));
    const typedBlock = textblocks(restoredFirst).find((block) => blockId(block) === typedId);
    const versionTexts = new Set(textblocks(draftOf(version)).map((block) => blockText(block)));
    if (typedBlock && !versionTexts.has(blockText(typedBlock))) {
      // The typed words survived in a block the restore kept: only they differ from the version there.
      expect(blockText(typedBlock)).toContain(typed);
    }

    // Order 2: the typing arrived first, so the restore sees it and takes it out with the rest.
    const restoredAfter = copyOf(server);
    Y.applyUpdate(restoredAfter, typing);
    const seen = Y.encodeStateVector(restoredAfter);
    Y.transact(restoredAfter, () => restoreVersion(restoredAfter, version));
    Y.applyUpdate(editorAfterwards, typing);
    Y.applyUpdate(editorAfterwards, Y.encodeStateAsUpdate(restoredAfter, seen));
    expect(normalized(yDocToContent(restoredAfter))).toEqual(normalized(version));
    expect(normalized(yDocToContent(editorAfterwards))).toEqual(normalized(version));
  });

  it("keeps words typed concurrently between the words it rewrites in a paragraph", () => {
    const server = draftOf({
      type: "doc",
      content: [{ type: "paragraph", attrs: { id: "p1" }, content: [{ type: "text", text: "one two three four five" }] }],
    });
    const version = yDocToContent(server);
    const [paragraph] = textblocks(server);
    if (!paragraph) throw new Error("no paragraph");
    deleteText(paragraph, 4, 8); // "one three four five"
    insertText(paragraph, 19, " six"); // "one three four five six"
    const editor = copyOf(server);
    const [edited] = textblocks(editor);
    if (!edited) throw new Error("no paragraph");
    insertText(edited, 14, " and a half"); // after "four"
    const typing = Y.encodeStateAsUpdate(editor, Y.encodeStateVector(server));

    const before = Y.encodeStateVector(server);
    Y.transact(server, () => restoreVersion(server, version));
    Y.applyUpdate(editor, Y.encodeStateAsUpdate(server, before));
    Y.applyUpdate(server, typing);

    expect(blockText(paragraph)).toBe("one two three four and a half five");
    expect(blockText(edited)).toBe("one two three four and a half five");
  });

  it("restores formatting in place, and line breaks, headings and removed blocks with their ids", () => {
    const version: ContentNode = {
      type: "doc",
      content: [
        { type: "heading", attrs: { id: "h1", level: 1 }, content: [{ type: "text", text: "Title" }] },
        {
          type: "paragraph",
          attrs: { id: "p1" },
          content: [
            { type: "text", text: "Bold", marks: [{ type: "bold", attrs: {} }] },
            { type: "text", text: " and plain" },
            { type: "hardBreak" },
            { type: "text", text: "second line" },
          ],
        },
        { type: "paragraph", attrs: { id: "p2" }, content: [{ type: "text", text: "Removed since" }] },
        { type: "bulletList", content: [{ type: "listItem", attrs: { id: "li1" }, content: [{ type: "paragraph", attrs: { id: "p3" }, content: [{ type: "text", text: "item" }] }] }] },
      ],
    };
    const live = draftOf({
      type: "doc",
      content: [
        { type: "heading", attrs: { id: "h1", level: 2 }, content: [{ type: "text", text: "Title" }] },
        { type: "paragraph", attrs: { id: "p1" }, content: [{ type: "text", text: "Bold and plain second line" }] },
        { type: "paragraph", attrs: { id: "new" }, content: [{ type: "text", text: "Added since" }] },
        { type: "orderedList", attrs: { start: 1 }, content: [{ type: "listItem", attrs: { id: "li1" }, content: [{ type: "paragraph", attrs: { id: "p3" }, content: [{ type: "text", text: "item" }] }] }] },
      ],
    });
    const [, paragraph] = textblocks(live);
    const firstText = paragraph?.get(0);

    const outcome = Y.transact(live, () => restoreVersion(live, version));

    expect(normalized(yDocToContent(live))).toEqual(normalized(version));
    // The heading's level and p1 changed; p2 and the bullet list's paragraph came back; "new" and the ordered list's went.
    expect(outcome).toEqual({ changed: 2, added: 2, removed: 2, touched: true });
    // "Bold and plain" kept its characters: the same text, formatted and cut at the line break.
    expect(paragraph?.get(0)).toBe(firstText);
    expect(firstText instanceof Y.XmlText && firstText.toString()).toContain("Bold");
    expectCanonicalInline(live);
  });

  it("removes a line break without leaving two texts side by side", () => {
    const version: ContentNode = { type: "doc", content: [{ type: "paragraph", attrs: { id: "p1" }, content: [{ type: "text", text: "one two" }] }] };
    const live = draftOf({
      type: "doc",
      content: [{ type: "paragraph", attrs: { id: "p1" }, content: [{ type: "text", text: "one" }, { type: "hardBreak" }, { type: "text", text: "x" }, { type: "hardBreak" }, { type: "text", text: " two" }] }],
    });
    Y.transact(live, () => restoreVersion(live, version));
    expect(normalized(yDocToContent(live))).toEqual(normalized(version));
    expectCanonicalInline(live);
  });

  it("reaches an editor bound to the draft as a remote change, which it shows as the version", () => {
    const random = seededRandom(99);
    const server = draftOf(randomDraft(random, 20));
    const version = yDocToContent(server);
    editRandomly(server, random, 20);
    const client = copyOf(server);
    const editor = new BoundEditor(client);
    const before = Y.encodeStateVector(server);
    Y.transact(server, () => restoreVersion(server, version), { restoredVersion: 1, restoredBy: "someone" });
    const written: unknown[] = [];
    client.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== "server") written.push(Y.decodeUpdate(update));
    });
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server, before), "server");

    expect(normalized(editor.state.doc.toJSON() as ContentNode)).toEqual(normalized(version));
    // The binding took the layout as it is: it wrote nothing back.
    expect(written).toEqual([]);
  });

  it("brings back the passages of threads whose text it restores, and leaves the others' anchors as they were", () => {
    const live = draftOf({
      type: "doc",
      content: [
        { type: "paragraph", attrs: { id: "kept" }, content: [{ type: "text", text: "Nobody edits this paragraph at all." }] },
        { type: "paragraph", attrs: { id: "gone" }, content: [{ type: "text", text: "This paragraph is deleted after the version." }] },
      ],
    });
    const version = yDocToContent(live);
    const index = DocumentIndex.of(live);
    const onKept = createAnchor(index, "kept", { from: 7, to: 12 });
    const onGone = createAnchor(index, "gone", { from: 5, to: 14 });
    if (!onKept || !onGone) throw new Error("no anchors");
    live.getXmlFragment("default").delete(1, 1);
    expect(resolveAnchor(DocumentIndex.of(live), onGone).state).toBe("removed");

    Y.transact(live, () => restoreVersion(live, version));

    const restored = DocumentIndex.of(live);
    expect(resolveAnchor(restored, onKept)).toEqual({ state: "passage", blockId: "kept", from: 7, to: 12, via: "relative" });
    // Its characters are new, but its block is back with its id and its words: the quote finds the passage there.
    expect(resolveAnchor(restored, onGone)).toEqual({ state: "passage", blockId: "gone", from: 5, to: 14, via: "quote-in-block" });
  });

  it("replaces the differing middle of a long block whole, without splitting a surrogate pair", () => {
    const words = (prefix: string) => Array.from({ length: 1_500 }, (_, index) => `${prefix}${index}`).join(" ");
    const paragraph = (text: string): ContentNode => ({ type: "doc", content: [{ type: "paragraph", attrs: { id: "p1" }, content: [{ type: "text", text }] }] });
    // 😀 and 😃 share their first UTF-16 unit.
    const version = paragraph(`Början 😀 ${words("a")} slut.`);
    const live = draftOf(paragraph(`Början 😃 ${words("b")} slut.`));
    expect(Y.transact(live, () => restoreVersion(live, version))).toEqual({ changed: 1, added: 0, removed: 0, touched: true });
    expect(yDocToContent(live)).toEqual(version);
  });

  it("refuses content the schema does not accept, before changing anything", () => {
    const live = draftOf({ type: "doc", content: [{ type: "paragraph", attrs: { id: "p1" }, content: [{ type: "text", text: "kept" }] }] });
    const updates: Uint8Array[] = [];
    live.on("update", (update: Uint8Array) => updates.push(update));
    expect(() => restoreVersion(live, { type: "doc", content: [{ type: "bulletList", content: [{ type: "text", text: "loose" }] }] })).toThrow();
    expect(updates).toEqual([]);
  });
});
