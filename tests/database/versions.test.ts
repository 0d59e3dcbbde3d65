import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { writeContentToYDoc, type ContentNode } from "#app/editor/content";
import { CommentCache } from "#app/models/comment-cache.server";
import { createMailer } from "#app/models/mail.server";
import { freezeVersion, versionBlocks } from "#app/models/versions.server";
import { diffVersions, type VersionBlock } from "#app/versions/diff";
import { insertDocument } from "#db/repositories/documents";
import { findVersion } from "#db/repositories/versions";
import { listWorkshops } from "#db/repositories/workshops";
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
  ],
};

describe.each(testDatabaseKinds())("freezing versions (%s)", (kind) => {
  let database: TestDatabase;
  let documentId: string;
  const live = new Y.Doc();
  const deps = () => ({
    db: database.db,
    readDocument: async <T>(_: string, read: (doc: Y.Doc) => T) => read(live),
    commentCache: new CommentCache(database.db),
    commentEvents: new InProcessCommentEvents(),
    mailer: createMailer({ db: database.db, log: silentLogger() }),
    publicUrl: undefined,
  });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDatabase(database.db);
    documentId = (await insertDocument(database.db, { slug: `versioner-${kind}`, title: "Versioner", language: "sv" })).id;
    writeContentToYDoc(draft, live);
  });
  afterAll(() => database?.close());

  it("numbers versions, keeps each one byte for byte while the draft changes, and diffs them", async () => {
    const editor = await sessionAs(database.db, "editor");
    const [workshop] = await listWorkshops(database.db);
    const first = await freezeVersion(deps(), editor, documentId, { name: "Version 0.1", changeNote: "Första utkastet", workshopId: workshop?.id });
    if (!first.ok) throw new Error(`freezing failed: ${JSON.stringify(first)}`);
    expect(first.version.number).toBe(1);
    expect(first.version.workshop_id).toBe(workshop?.id);
    const frozenState = Uint8Array.from(first.version.state);

    const text = live.getXmlFragment("default").get(1) as Y.XmlElement;
    (text.get(0) as Y.XmlText).insert("Myndigheter bör ".length, "alltid ");
    const second = await freezeVersion(deps(), editor, documentId, { name: "Version 0.2" });
    if (!second.ok) throw new Error(`freezing failed: ${JSON.stringify(second)}`);
    expect(second.version.number).toBe(2);

    const stored = await findVersion(database.db, documentId, 1);
    expect(Uint8Array.from(stored?.state ?? [])).toEqual(frozenState);
    const restored = new Y.Doc();
    Y.applyUpdateV2(restored, stored?.state ?? new Uint8Array());
    expect(versionBlocks(restored).map((block) => block.text)).toEqual(["1. Om vägledningen", "Myndigheter bör licensiera öppet."]);

    const diff = diffVersions(stored?.blocks as VersionBlock[], second.version.blocks as VersionBlock[]);
    expect(diff.summary).toEqual({ sectionsChanged: 1, edited: 1, added: 0, removed: 0, moved: 0 });
  });

  it("refuses an empty or used name at the field, and anyone who may not freeze", async () => {
    const host = await sessionAs(database.db, "host");
    expect(await freezeVersion(deps(), host, documentId, { name: "  " })).toEqual({ ok: false, error: "invalid-input", field: "name", code: "required" });
    expect(await freezeVersion(deps(), host, documentId, { name: "version 0.1" })).toEqual({
      ok: false,
      error: "invalid-input",
      field: "name",
      code: "name-taken",
    });
    expect(await freezeVersion(deps(), host, documentId, { name: "Ny", workshopId: "inte-en-workshop" })).toMatchObject({ field: "workshopId", code: "unknown-workshop" });
    const member = await sessionAs(database.db, "member");
    expect(await freezeVersion(deps(), member, documentId, { name: "Version 9" })).toEqual({ ok: false, error: "not-allowed" });
  });
});
