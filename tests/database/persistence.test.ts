import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { migrateToLatest } from "#db/migrate";
import {
  appendUpdates,
  ConcurrentCompactionError,
  countLoggedUpdates,
  readDocumentState,
  replaceLogWithSnapshot,
} from "#db/repositories/document-state";
import { documentExists, findDocumentBySlug, insertDocument, listDocuments } from "#db/repositories/documents";
import { insertWorkshop, listWorkshops } from "#db/repositories/workshops";
import type { Logger } from "#app/log.server";
import { DocumentStore } from "#server/collab/document-store";
import { createTestDatabase, StorageOutage, testDatabaseKinds, type TestDatabase } from "#tests/support/database";
import { scaledMs } from "#tests/support/time";
import { eventually } from "#tests/support/wait";

const DOCUMENT_ID = "5b7d2c1e-8f3a-4d6b-9e2f-1a4c7b9d0e35";

/** A draft as an editor builds it: a title and paragraphs, recording every update Yjs emits (V1, as in the app). */
function createDraft() {
  const doc = new Y.Doc();
  doc.clientID = 4242;
  const emitted: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => emitted.push(update));
  const title = doc.getText("title");
  const body = doc.getXmlFragment("body");
  return {
    emitted,
    setTitle(text: string) {
      doc.transact(() => {
        title.delete(0, title.length);
        title.insert(0, text);
      });
    },
    addParagraph(text: string) {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText(text)]);
      body.push([paragraph]);
    },
    removeParagraph(index: number) {
      body.delete(index, 1);
    },
  };
}

/** What a reader of the stored document would see. */
function readContent(stored: Uint8Array | null) {
  const doc = new Y.Doc();
  if (stored) Y.applyUpdateV2(doc, stored);
  const paragraphs = doc
    .getXmlFragment("body")
    .toArray()
    .map((node) => (node instanceof Y.XmlElement ? node.toArray().map((text) => text.toString()).join("") : ""));
  const content = { title: doc.getText("title").toString(), paragraphs };
  doc.destroy();
  return content;
}

/** Makes every query fail while `failing` is set, as an unreachable database would. */
function recordingLogger() {
  const errors: string[] = [];
  let reportError: () => void = () => {};
  const firstError = new Promise<void>((resolve) => {
    reportError = resolve;
  });
  const log: Logger = {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: (message) => {
      errors.push(message);
      reportError();
    },
  };
  return { log, errors, firstError };
}

describe.each(testDatabaseKinds())("persistence on %s", (kind) => {
  let database: TestDatabase;
  const stores: DocumentStore[] = [];

  function openStore(options: { compactAfterUpdates?: number; log?: Logger } = {}) {
    const store = new DocumentStore({
      db: database.db,
      compactAfterUpdates: options.compactAfterUpdates ?? 1_000,
      log: options.log ?? recordingLogger().log,
    });
    stores.push(store);
    return store;
  }

  async function createDocument() {
    await insertDocument(database.db, {
      id: DOCUMENT_ID,
      slug: "vagledning-oppna-licenser",
      title: "Vägledning om öppna licenser",
      language: "sv",
    });
  }

  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close().catch(() => {});
    await database.close();
  });

  it("applies the migrations once, creating tables the repositories can use", async () => {
    expect(await migrateToLatest(database.db)).toEqual([]);
    const tables = (await database.db.introspection.getTables()).map((table) => table.name).sort();
    expect(tables).toEqual([
      "audit_log",
      "comment_flags",
      "comment_threads",
      "comments",
      "document_snapshots",
      "document_updates",
      "document_versions",
      "documents",
      "draft_imports",
      "invites",
      "memberships",
      "notifications",
      "outbox",
      "password_reset_tokens",
      "sessions",
      "spaces",
      "thread_agreements",
      "thread_reviews",
      "users",
      "workshops",
    ]);

    await createDocument();
    expect(await documentExists(database.db, DOCUMENT_ID)).toBe(true);
    expect(await documentExists(database.db, "9a1e5f60-0000-4000-8000-000000000000")).toBe(false);
    expect(await documentExists(database.db, "not-a-uuid")).toBe(false);
    expect((await findDocumentBySlug(database.db, "vagledning-oppna-licenser"))?.id).toBe(DOCUMENT_ID);
    expect((await listDocuments(database.db)).map((document) => document.language)).toEqual(["sv"]);

    await insertWorkshop(database.db, {
      slug: "2020-10-06-upphovsratt",
      title: "Upphovsrätt i offentlig sektor",
      starts_at: new Date("2020-10-06T08:00:00Z"),
      ends_at: new Date("2020-10-06T10:00:00Z"),
      description: "Andra workshoppen.",
      organisers: "DIGG",
    });
    await insertWorkshop(database.db, {
      slug: "2020-09-01-oppna-licenser",
      title: "Öppna licenser",
      starts_at: new Date("2020-09-01T08:00:00Z"),
      ends_at: new Date("2020-09-01T10:00:00Z"),
      description: "Första workshoppen.",
      organisers: "Catharina Ekdahl och Charlott Galant (PRV)",
    });
    const workshops = await listWorkshops(database.db);
    expect(workshops.map((workshop) => workshop.slug)).toEqual(["2020-09-01-oppna-licenser", "2020-10-06-upphovsratt"]);
    expect(workshops[0]?.starts_at).toEqual(new Date("2020-09-01T08:00:00Z"));
  });

  it("loads nothing for a document that was never edited", async () => {
    await createDocument();
    expect(await openStore().load(DOCUMENT_ID)).toBeNull();
  });

  it("loads what was appended, from the snapshot and the log after it", async () => {
    await createDocument();
    const store = openStore();
    const draft = createDraft();

    draft.setTitle("Vägledning");
    draft.addParagraph("Öppna licenser gör offentlig information återanvändbar.");
    for (const update of draft.emitted.splice(0)) store.append(DOCUMENT_ID, update);
    await store.compact(DOCUMENT_ID);

    draft.addParagraph("Creative Commons BY 4.0 rekommenderas.");
    for (const update of draft.emitted.splice(0)) store.append(DOCUMENT_ID, update);
    await store.flush();

    const stored = await readDocumentState(database.db, DOCUMENT_ID);
    expect(stored.snapshot).toBeInstanceOf(Uint8Array);
    expect(stored.updates).toHaveLength(1);
    expect(readContent(await store.load(DOCUMENT_ID))).toEqual({
      title: "Vägledning",
      paragraphs: [
        "Öppna licenser gör offentlig information återanvändbar.",
        "Creative Commons BY 4.0 rekommenderas.",
      ],
    });
  });

  it("stores an update within a second without being asked to flush", async () => {
    await createDocument();
    const store = openStore();
    const draft = createDraft();
    draft.addParagraph("Sparas utan att någon väntar.");
    for (const update of draft.emitted.splice(0)) store.append(DOCUMENT_ID, update);

    await eventually(async () => expect(await countLoggedUpdates(database.db, DOCUMENT_ID)).toBe(1), {
      timeout: scaledMs(1_000),
      interval: 20,
    });
  });

  it("compacts the log into a snapshot whenever it reaches the threshold, keeping the content", async () => {
    await createDocument();
    const store = openStore({ compactAfterUpdates: 5 });
    const draft = createDraft();
    draft.setTitle("Utkast");
    for (const number of [1, 2, 3, 4, 5, 6, 7, 8]) draft.addParagraph(`Stycke ${number}`);
    draft.removeParagraph(0);
    draft.setTitle("Utkast 2");
    const expected = {
      title: "Utkast 2",
      paragraphs: ["Stycke 2", "Stycke 3", "Stycke 4", "Stycke 5", "Stycke 6", "Stycke 7", "Stycke 8"],
    };
    const updates = draft.emitted.splice(0);
    const uncompacted = readContent(Y.mergeUpdatesV2(updates.map((update) => Y.convertUpdateFormatV1ToV2(update))));
    expect(uncompacted).toEqual(expected);

    // Each flush writes its batch as one log row, so flushing after every update grows the log row by row.
    for (const update of updates) {
      store.append(DOCUMENT_ID, update);
      await store.flush(DOCUMENT_ID);
    }
    expect(updates.length).toBeGreaterThan(5);

    // Every time the log reached five rows it was folded into the snapshot.
    expect(await countLoggedUpdates(database.db, DOCUMENT_ID)).toBeLessThan(5);
    expect((await readDocumentState(database.db, DOCUMENT_ID)).snapshot).not.toBeNull();
    expect(readContent(await store.load(DOCUMENT_ID))).toEqual(expected);
  });

  it("keeps log rows appended while a compaction is between reading and replacing the log", async () => {
    await createDocument();
    const draft = createDraft();
    draft.addParagraph("Före kompakteringen.");
    await appendUpdates(database.db, DOCUMENT_ID, draft.emitted.splice(0).map((update) => Y.convertUpdateFormatV1ToV2(update)));

    const read = await readDocumentState(database.db, DOCUMENT_ID);
    draft.addParagraph("Under kompakteringen.");
    await appendUpdates(database.db, DOCUMENT_ID, draft.emitted.splice(0).map((update) => Y.convertUpdateFormatV1ToV2(update)));
    await replaceLogWithSnapshot(
      database.db,
      DOCUMENT_ID,
      Y.mergeUpdatesV2(read.updates.map((row) => row.update)),
      read.updates.map((row) => row.seq),
      read.snapshot,
    );

    expect(await countLoggedUpdates(database.db, DOCUMENT_ID)).toBe(1);
    expect(readContent(await openStore().load(DOCUMENT_ID)).paragraphs).toEqual([
      "Före kompakteringen.",
      "Under kompakteringen.",
    ]);
  });

  it("keeps updates appended to the store while it compacts", async () => {
    await createDocument();
    const store = openStore();
    const draft = createDraft();
    for (const number of [1, 2, 3]) draft.addParagraph(`Före ${number}`);
    for (const update of draft.emitted.splice(0)) store.append(DOCUMENT_ID, update);
    await store.flush();

    const compaction = store.compact(DOCUMENT_ID);
    for (const number of [1, 2, 3]) draft.addParagraph(`Under ${number}`);
    for (const update of draft.emitted.splice(0)) store.append(DOCUMENT_ID, update);
    await Promise.all([compaction, store.flush()]);

    expect(readContent(await store.load(DOCUMENT_ID)).paragraphs).toEqual([
      "Före 1",
      "Före 2",
      "Före 3",
      "Under 1",
      "Under 2",
      "Under 3",
    ]);
  });

  it("refuses to write a snapshot over one that another process wrote after it read the log", async () => {
    await createDocument();
    const draft = createDraft();
    const append = () => appendUpdates(database.db, DOCUMENT_ID, draft.emitted.splice(0).map((update) => Y.convertUpdateFormatV1ToV2(update)));
    draft.addParagraph("Före kompakteringarna.");
    await append();
    const slower = await readDocumentState(database.db, DOCUMENT_ID);
    // Another server process appends and compacts everything, this row included, while the first one still builds.
    draft.addParagraph("Från den andra processen.");
    await append();
    await openStore().compact(DOCUMENT_ID);

    const write = replaceLogWithSnapshot(
      database.db,
      DOCUMENT_ID,
      Y.mergeUpdatesV2(slower.updates.map((row) => row.update)),
      slower.updates.map((row) => row.seq),
      slower.snapshot,
    );

    await expect(write).rejects.toBeInstanceOf(ConcurrentCompactionError);
    expect(readContent(await openStore().load(DOCUMENT_ID)).paragraphs).toEqual(["Före kompakteringarna.", "Från den andra processen."]);
  });

  it("keeps an update whose write failed queued, and stores it once the database is back", async () => {
    await createDocument();
    const outage = new StorageOutage();
    const { log, errors, firstError } = recordingLogger();
    const store = new DocumentStore({ db: database.db.withPlugin(outage), compactAfterUpdates: 1_000, log });
    stores.push(store);
    const draft = createDraft();

    outage.failing = true;
    draft.addParagraph("Skrivet under avbrottet.");
    for (const update of draft.emitted.splice(0)) store.append(DOCUMENT_ID, update);
    await firstError;
    expect(errors).toHaveLength(1);
    await expect(store.flush()).rejects.toThrow("connection terminated unexpectedly");
    expect(await countLoggedUpdates(database.db, DOCUMENT_ID)).toBe(0);

    outage.failing = false;
    // No flush here: the store's own retry must bring the update in.
    await eventually(async () => expect(await countLoggedUpdates(database.db, DOCUMENT_ID)).toBe(1), {
      timeout: scaledMs(2_000),
      interval: 20,
    });
    expect(readContent(await store.load(DOCUMENT_ID)).paragraphs).toEqual(["Skrivet under avbrottet."]);
  });

  /** A store whose database writes fail while `outage.failing`; `firstError` resolves when it logs the first failure. */
  const storeBehindOutage = () => {
    const outage = new StorageOutage();
    const { log, firstError } = recordingLogger();
    const store = new DocumentStore({ db: database.db.withPlugin(outage), compactAfterUpdates: 1_000, log });
    stores.push(store);
    return { outage, firstError, store };
  };

  it("reports an appended update stored only once it is written, not while writes fail", async () => {
    await createDocument();
    const { outage, firstError, store } = storeBehindOutage();
    const draft = createDraft();

    outage.failing = true;
    draft.addParagraph("Först.");
    draft.addParagraph("Sedan.");
    const order: string[] = [];
    const appended = draft.emitted.splice(0).map((update, index) => store.append(DOCUMENT_ID, update).then(() => order.push(`update ${index}`)));
    await firstError;
    expect(order).toEqual([]);

    outage.failing = false;
    await Promise.all(appended);
    expect(order).toEqual(["update 0", "update 1"]);
    expect(readContent(await openStore().load(DOCUMENT_ID)).paragraphs).toEqual(["Först.", "Sedan."]);
  });
  it("tells how many updates wait for the database and since when, while writes fail and after", async () => {
    await createDocument();
    const { outage, firstError, store } = storeBehindOutage();
    const draft = createDraft();
    expect(store.stats()).toEqual({ unstoredUpdates: 0, oldestUnstoredAgeMs: 0, storedUpdates: 0, failing: false });

    outage.failing = true;
    draft.addParagraph("Väntar på databasen.");
    draft.addParagraph("Också.");
    const appendedAt = Date.now();
    const updates = draft.emitted.splice(0);
    const appended = updates.map((update) => store.append(DOCUMENT_ID, update));
    await firstError;
    const later = Date.now() + 60_000;
    expect(store.stats(later)).toMatchObject({ unstoredUpdates: updates.length, storedUpdates: 0, failing: true });
    expect(store.stats(later).oldestUnstoredAgeMs).toBeGreaterThanOrEqual(later - Date.now());
    expect(store.stats(later).oldestUnstoredAgeMs).toBeLessThanOrEqual(later - appendedAt);

    outage.failing = false;
    await Promise.all(appended);
    expect(store.stats()).toEqual({ unstoredUpdates: 0, oldestUnstoredAgeMs: 0, storedUpdates: updates.length, failing: false });
  });
});

describe.each(testDatabaseKinds())("durability on %s", (kind) => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase(kind, { persistent: true });
  });

  afterEach(async () => {
    await database.close();
  });

  it("still has a closed store's updates after the database is reopened", async () => {
    await insertDocument(database.db, { id: DOCUMENT_ID, slug: "utkast", title: "Utkast", language: "sv" });
    const store = new DocumentStore({ db: database.db, compactAfterUpdates: 1_000 });
    const draft = createDraft();
    draft.setTitle("Riktlinjer");
    draft.addParagraph("Sista stycket innan omstarten.");
    for (const update of draft.emitted.splice(0)) store.append(DOCUMENT_ID, update);
    await store.close();

    await database.restart();

    const reopened = new DocumentStore({ db: database.db, compactAfterUpdates: 1_000 });
    expect(readContent(await reopened.load(DOCUMENT_ID))).toEqual({
      title: "Riktlinjer",
      paragraphs: ["Sista stycket innan omstarten."],
    });
    await reopened.close();
  });
});
