/** A new draft from a Word file: stored as the import made it, and refused with nothing created when its slug or title is taken. */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { yDocToContent, type ContentNode } from "#app/editor/content";
import { documentSchema } from "#app/editor/extensions";
import { importWord } from "#app/drafts/import.server";
import { listAudit } from "#app/models/audit.server";
import { importDraft } from "#app/models/drafts.server";
import { listDocuments } from "#db/repositories/documents";
import { createTestDatabase, storedDocument, testDatabaseKinds, type TestDatabase } from "#tests/support/database";

const bytes = new Uint8Array(readFileSync("tests/fixtures/word/python-docx-draft.docx"));
const fileName = "tests/fixtures/word/python-docx-draft.docx";

describe.each(testDatabaseKinds())("importing a draft (%s)", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("creates the draft at an address made from the file's title, with the imported text", async () => {
    const result = await importDraft(database.db, { fileName, bytes, language: "sv", via: "command-line" });
    if (!result.ok) throw new Error(`Not imported: ${result.error}`);
    expect(result.document).toMatchObject({ slug: "remissvar-om-oppna-data", title: "Remissvar om öppna data", language: "sv" });
    expect(result.report.notes.map((note) => note.kind)).toEqual(["images", "comments", "trackedChanges", "tables", "unknownStyles"]);
    const stored = yDocToContent(await storedDocument(database.db, result.document.id));
    // Through the schema, which fills in the attributes left at their defaults, as the stored draft has them.
    const stripIds = (json: ContentNode) => JSON.parse(JSON.stringify(documentSchema.nodeFromJSON(json).toJSON()).replace(/"id":"b[0-9a-z]{10}"/g, '"id":"…"')) as unknown;
    expect(stripIds(stored)).toEqual(stripIds((await importWord(bytes)).content));
    const audit = await listAudit(database.db, { limit: 10, offset: 0 });
    expect(audit.entries.find((entry) => entry.subject === result.document.id)).toMatchObject({ action: "document.created", details: { via: "command-line" } });
  });

  it("refuses a slug or a title another draft has, and creates nothing", async () => {
    const before = await listDocuments(database.db);
    const slugTaken = await importDraft(database.db, { fileName, bytes, language: "sv", title: "Något annat", slug: "remissvar-om-oppna-data", via: "command-line" });
    expect(slugTaken).toMatchObject({ ok: false, error: "slug-taken", slug: "remissvar-om-oppna-data" });
    const titleTaken = await importDraft(database.db, { fileName, bytes, language: "sv", title: "remissvar om öppna data", slug: "ny-adress", via: "command-line" });
    expect(titleTaken).toMatchObject({ ok: false, error: "title-taken" });
    expect(await importDraft(database.db, { fileName, bytes, language: "sv", slug: "Inte En Adress", via: "command-line" })).toMatchObject({ ok: false, error: "invalid-slug" });
    expect(await listDocuments(database.db)).toHaveLength(before.length);
  });

  it("creates nothing from a file it cannot import", async () => {
    const before = await listDocuments(database.db);
    const encrypted = new Uint8Array(readFileSync("tests/fixtures/word/encrypted.docx"));
    expect(await importDraft(database.db, { fileName: "skyddad.docx", bytes: encrypted, language: "sv", via: "command-line" })).toEqual({ ok: false, error: "import", code: "encrypted" });
    expect(await listDocuments(database.db)).toHaveLength(before.length);
  });
});
