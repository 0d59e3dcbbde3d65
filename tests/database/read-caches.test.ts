import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { writeContentToYDoc } from "#app/editor/content";
import { CommentCache } from "#app/models/comment-cache.server";
import { type StoredThreads } from "#app/models/comments/threads.server";
import { readingOf, selectThreads } from "#app/models/document-reading.server";
import { insertDocument } from "#db/repositories/documents";
import { insertComment, insertThread } from "#db/repositories/comments";
import { IdleDocumentCache } from "#server/collab/idle-documents";
import { signedInAs } from "#tests/support/accounts";
import { createTestDatabase, type TestDatabase } from "#tests/support/database";

/** A load that resolves when the test says so, to change things while it is under way. */
function deferredLoad<T>(value: T) {
  let release = () => {};
  const started = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { load: async () => (await started, value), release: () => release() };
}

function stateWithText(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, text);
  return Y.encodeStateAsUpdateV2(doc);
}

describe("documents kept for readers while nobody has them open", () => {
  it("serves the loaded document again until a change to it is stored", async () => {
    const cache = new IdleDocumentCache();
    let loads = 0;
    const load = async () => (loads++, stateWithText("ett"));
    const first = await cache.read("d", load);
    expect(await cache.read("d", load)).toBe(first);
    expect(loads).toBe(1);
    cache.forget("d");
    expect((await cache.read("d", load)).getText("t").toString()).toBe("ett");
    expect(loads).toBe(2);
  });

  it("does not keep a copy loaded while a change was being stored: the next read loads again", async () => {
    const cache = new IdleDocumentCache();
    const slow = deferredLoad(stateWithText("gammal"));
    const reading = cache.read("d", slow.load);
    cache.forget("d");
    slow.release();
    expect((await reading).getText("t").toString()).toBe("gammal");
    expect((await cache.read("d", async () => stateWithText("ny"))).getText("t").toString()).toBe("ny");
  });

  it("keeps at most its limit, dropping the least recently read", async () => {
    const cache = new IdleDocumentCache(2);
    let loads = 0;
    const load = async () => (loads++, null);
    await cache.read("a", load);
    await cache.read("b", load);
    await cache.read("a", load);
    await cache.read("c", load);
    expect(loads).toBe(3);
    await cache.read("a", load);
    expect(loads).toBe(3);
    await cache.read("b", load);
    expect(loads).toBe(4);
  });
});

describe("stored threads kept between page requests", () => {
  let database: TestDatabase;
  let documentId: string;
  let authorId: string;

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    documentId = (await insertDocument(database.db, { slug: "cache", title: "Cache", language: "sv" })).id;
    authorId = (await signedInAs(database.db, "member")).userId;
  });
  afterAll(() => database?.close());

  const addThread = (body: string) =>
    insertThread(database.db, { documentId, blockId: "b1", anchor: { blockId: "b1", blockText: "", passage: null }, authorId, body, position: null, versionNumber: null, suggestedText: null });

  it("reads the database once, and again after an invalidation", async () => {
    const cache = new CommentCache(database.db);
    await addThread("Första");
    const first = await cache.read(documentId);
    expect(first.threads).toHaveLength(1);
    const { threadId } = await addThread("Andra");
    await insertComment(database.db, { threadId, authorId, body: "Svar", position: null, versionNumber: null });
    // Nothing told the cache: it still has what it read.
    expect(await cache.read(documentId)).toBe(first);
    cache.invalidate(documentId);
    const second = await cache.read(documentId);
    expect(second.threads).toHaveLength(2);
    expect(second.commentsByThread.get(threadId)?.map((comment) => comment.body)).toEqual(["Andra", "Svar"]);
  });

  it("does not keep a read that was under way when a change happened", async () => {
    const cache = new CommentCache(database.db);
    const reading = cache.read(documentId);
    await addThread("Tredje");
    cache.invalidate(documentId);
    await reading;
    expect((await cache.read(documentId)).threads.map((thread) => thread.id)).toHaveLength(3);
  });
});

describe("one reading of a document shared by its readers", () => {
  const noThreads = (): StoredThreads => ({ currentVersion: null, threads: [], commentsByThread: new Map(), agreements: new Map() });
  const draft = (text: string) => {
    const doc = new Y.Doc();
    writeContentToYDoc({ type: "doc", content: [{ type: "paragraph", attrs: { id: "p1" }, content: [{ type: "text", text }] }] }, doc);
    return doc;
  };

  it("is the same until the text changes, and then shows the change", () => {
    const doc = draft("Första lydelsen.");
    const stored = noThreads();
    const first = readingOf(doc, stored);
    expect(readingOf(doc, stored)).toBe(first);
    expect(selectThreads(first, "open", () => true).staticDraft).toBe(selectThreads(first, "open", () => true).staticDraft);

    const paragraph = doc.getXmlFragment("default").get(0) as Y.XmlElement;
    (paragraph.get(0) as Y.XmlText).delete(0, "Första ".length);
    const second = readingOf(doc, stored);
    expect(second).not.toBe(first);
    expect(JSON.stringify(second.content)).toContain("lydelsen.");
    expect(JSON.stringify(second.content)).not.toContain("Första");
  });

  it("is made again for new stored threads, and never shares the per-reader filter", () => {
    const doc = draft("Text.");
    const stored = noThreads();
    const reading = readingOf(doc, stored);
    expect(readingOf(doc, noThreads())).not.toBe(reading);
    expect(selectThreads(reading, "mine", () => true)).not.toBe(selectThreads(reading, "mine", () => true));
  });
});
