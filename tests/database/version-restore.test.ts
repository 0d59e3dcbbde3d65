import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { writeContentToYDoc, yDocToContent, type ContentNode } from "#app/editor/content";
import { CommentCache } from "#app/models/comment-cache.server";
import { createMailer } from "#app/models/mail.server";
import { listAudit } from "#app/models/audit.server";
import { previewRestore, restoreVersionIntoDraft } from "#app/models/version-restore.server";
import { freezeVersion } from "#app/models/versions.server";
import { insertDocument, setDocumentArchivedAt } from "#db/repositories/documents";
import { seedDatabase } from "#app/seed";
import { InProcessCommentEvents } from "#server/comment-events";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "#tests/support/database";
import { sessionAs } from "#tests/support/accounts";
import { silentLogger } from "#tests/support/collab-fakes";

const draft: ContentNode = {
  type: "doc",
  content: [
    { type: "heading", attrs: { id: "bheading001", level: 2 }, content: [{ type: "text", text: "1. Om vägledningen" }] },
    { type: "paragraph", attrs: { id: "bparagraph1" }, content: [{ type: "text", text: "Myndigheter bör licensiera öppet." }] },
    { type: "paragraph", attrs: { id: "bparagraph2" }, content: [{ type: "text", text: "Koden ska vara fri." }] },
  ],
};

describe.each(testDatabaseKinds())("restoring a version (%s)", (kind) => {
  let database: TestDatabase;
  let documentId: string;
  const live = new Y.Doc();
  const origins: unknown[] = [];
  const deps = () => ({
    db: database.db,
    readDocument: async <T>(_: string, read: (doc: Y.Doc) => T) => read(live),
    changeDocument: async <T>(_: string, origin: object, change: (doc: Y.Doc) => T) => {
      origins.push(origin);
      return Y.transact(live, () => change(live), origin);
    },
    commentCache: new CommentCache(database.db),
    commentEvents: new InProcessCommentEvents(),
    mailer: createMailer({ db: database.db, log: silentLogger() }),
    publicUrl: undefined,
  });
  const restoreEntries = async () => (await listAudit(database.db, { limit: 50, offset: 0 })).entries.filter((entry) => entry.action === "version.restored");

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDatabase(database.db);
    documentId = (await insertDocument(database.db, { slug: `återställ-${kind}`, title: "Återställ", language: "sv" })).id;
    writeContentToYDoc(draft, live);
    const editor = await sessionAs(database.db, "editor");
    const first = await freezeVersion(deps(), editor, documentId, { name: "Version 1" });
    if (!first.ok) throw new Error(`freezing failed: ${JSON.stringify(first)}`);
  });
  afterAll(() => database?.close());

  it("lets only editors restore, and a version of this document", async () => {
    const host = await sessionAs(database.db, "host");
    const member = await sessionAs(database.db, "member");
    const editor = await sessionAs(database.db, "editor");
    expect(await restoreVersionIntoDraft(deps(), host, documentId, 1)).toEqual({ ok: false, error: "not-allowed" });
    expect(await restoreVersionIntoDraft(deps(), member, documentId, 1)).toEqual({ ok: false, error: "not-allowed" });
    expect(await restoreVersionIntoDraft(deps(), editor, documentId, 7)).toEqual({ ok: false, error: "version-not-found" });
    const other = await insertDocument(database.db, { slug: `annat-${kind}`, title: "Annat", language: "sv" });
    expect(await restoreVersionIntoDraft(deps(), editor, other.id, 1)).toEqual({ ok: false, error: "version-not-found" });
    expect(origins).toEqual([]);
  });

  it("refuses an archived draft, which nobody may change", async () => {
    const editor = await sessionAs(database.db, "editor");
    await setDocumentArchivedAt(database.db, documentId, new Date());
    try {
      expect(await restoreVersionIntoDraft(deps(), editor, documentId, 1)).toEqual({ ok: false, error: "archived" });
      expect(origins).toEqual([]);
    } finally {
      await setDocumentArchivedAt(database.db, documentId, null);
    }
  });

  it("says so and writes nothing when the draft reads as the version", async () => {
    const editor = await sessionAs(database.db, "editor");
    const updates: Uint8Array[] = [];
    const record = (update: Uint8Array) => updates.push(update);
    live.on("update", record);
    expect(await restoreVersionIntoDraft(deps(), editor, documentId, 1)).toEqual({ ok: true, number: 1, unchanged: true });
    live.off("update", record);
    expect(updates).toEqual([]);
    expect(await restoreVersionIntoDraft(deps(), editor, documentId, 1)).toMatchObject({ unchanged: true });
    expect(await restoreEntries()).toEqual([]);
  });

  it("restores the version as one change attributed to the editor, counts it and logs it", async () => {
    const editor = await sessionAs(database.db, "editor", "Eva Editor");
    const fragment = live.getXmlFragment("default");
    ((fragment.get(1) as Y.XmlElement).get(0) as Y.XmlText).insert("Myndigheter bör ".length, "alltid ");
    fragment.delete(2, 1);
    const added = new Y.XmlElement("paragraph");
    added.setAttribute("id", "bparagraph3");
    fragment.insert(2, [added]);
    expect(await previewRestore(deps(), documentId, 1)).toEqual({ differingBlocks: 3, unsavedChanges: true });

    const transactions: unknown[] = [];
    const record = (transaction: Y.Transaction) => transactions.push(transaction.origin);
    live.on("afterTransaction", record);
    const result = await restoreVersionIntoDraft(deps(), editor, documentId, 1, { ip: "192.0.2.7" });
    live.off("afterTransaction", record);

    expect(result).toEqual({ ok: true, number: 1, unchanged: false, layoutOnly: false, changed: 1, added: 1, removed: 1 });
    expect(transactions).toEqual([{ restoredVersion: 1, restoredBy: editor.user.id }]);
    expect(yDocToContent(live)).toEqual(draft);
    const [entry] = await restoreEntries();
    expect(entry).toMatchObject({
      subject: documentId,
      ip: "192.0.2.7",
      details: { documentId, version: 1, changed: 1, added: 1, removed: 1 },
      actor: { id: editor.user.id, name: "Eva Editor" },
    });
    expect(await previewRestore(deps(), documentId, 1)).toEqual({ differingBlocks: 0, unsavedChanges: false });
  });
});
