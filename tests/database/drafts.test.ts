import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { importWord } from "#app/drafts/import.server";
import { yDocToContent, type ContentNode } from "#app/editor/content";
import { documentSchema } from "#app/editor/extensions";
import { listAudit } from "#app/models/audit.server";
import { CommentCache } from "#app/models/comment-cache.server";
import { runCommentCommand } from "#app/models/comments/commands.server";
import { loadModerationQueue } from "#app/models/comments/moderation.server";
import { createDraft, deleteEmptyDraft, importDraft, setDraftArchived, suggestDraftSlug } from "#app/models/drafts.server";
import { loadFeedbackBoard } from "#app/models/feedback.server";
import { loadHome } from "#app/models/home.server";
import { createMailer } from "#app/models/mail.server";
import { countWaitingReviews, markReviewed } from "#app/models/thread-reviews.server";
import { freezeVersion, loadVersionTimeline } from "#app/models/versions.server";
import type { CurrentSession } from "#app/models/sessions.server";
import { seedDatabase } from "#app/seed";
import { findDocumentBySlug, listDocuments } from "#db/repositories/documents";
import { InProcessCommentEvents } from "#server/comment-events";
import { sessionAs } from "#tests/support/accounts";
import { silentLogger } from "#tests/support/collab-fakes";
import { createTestDatabase, storedDocument, testDatabaseKinds, type TestDatabase } from "#tests/support/database";

describe("a draft's suggested address", () => {
  it("folds Swedish letters and joins words with single hyphens", () => {
    expect(suggestDraftSlug("Vägledning om öppna licenser & IP – del 2")).toBe("vagledning-om-oppna-licenser-ip-del-2");
    expect(suggestDraftSlug("Åtgärder")).toBe("atgarder");
  });
});

describe.each(testDatabaseKinds())("drafts (%s)", (kind) => {
  let database: TestDatabase;
  let editor: CurrentSession;
  let admin: CurrentSession;
  let member: CurrentSession;
  const readOnlyChanges: { documentId: string; readOnly: boolean }[] = [];
  const liveDocuments = { accessChanged: (documentId: string, access: { readOnly: boolean }) => void readOnlyChanges.push({ documentId, ...access }) };

  const storedContent = (documentId: string) => storedDocument(database.db, documentId);
  const commentDeps = () => ({
    db: database.db,
    readDocument: async <T,>(documentId: string, read: (doc: Y.Doc) => T) => read(await storedContent(documentId)),
    changeDocument: () => Promise.reject(new Error("no change to the text expected")),
    commentCache: new CommentCache(database.db),
    commentEvents: new InProcessCommentEvents(),
    mailer: createMailer({ db: database.db, log: silentLogger() }),
    publicUrl: undefined,
  });
  const draftFields = (title: string, slug?: string) => ({ title, slug, language: "sv", contributionLicence: "CC-BY-4.0" });
  const firstBlockId = async (documentId: string) => {
    const content = yDocToContent(await storedContent(documentId));
    return String(content.content?.[0]?.attrs?.id);
  };
  const startThread = async (author: CurrentSession, documentId: string) =>
    runCommentCommand(commentDeps(), author, documentId, { intent: "create-thread", blockId: await firstBlockId(documentId), body: "En synpunkt.", acceptLicence: "on" });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDatabase(database.db);
    [editor, admin, member] = await Promise.all([sessionAs(database.db, "editor"), sessionAs(database.db, "admin"), sessionAs(database.db, "member")]);
  });
  afterAll(() => database?.close());

  it("creates an empty draft with its own address, title, language and licence, the title as heading and an empty paragraph, and an audit record", async () => {
    const result = await createDraft(database, { ...draftFields("Riktlinjer för öppen källkod"), contributionLicence: "CC0-1.0", createdBy: editor });
    if (!result.ok) throw new Error(`creating failed: ${JSON.stringify(result)}`);
    expect(result.document).toMatchObject({ slug: "riktlinjer-for-oppen-kallkod", title: "Riktlinjer för öppen källkod", language: "sv", contribution_licence: "CC0-1.0", archived_at: null });
    const content = yDocToContent(await storedContent(result.document.id));
    const blockId = expect.stringMatching(/^b[0-9a-z]{10}$/);
    expect(content.content).toEqual([
      { type: "heading", attrs: { id: blockId, level: 1 }, content: [{ type: "text", text: "Riktlinjer för öppen källkod" }] },
      { type: "paragraph", attrs: { id: blockId } },
    ]);
    const { entries } = await listAudit(database.db, { limit: 5, offset: 0 });
    expect(entries[0]).toMatchObject({ action: "draft.created", subject: result.document.id, actor: { id: editor.user.id } });

    const home = await loadHome(database.db, "editor");
    expect(home.canCreateDraft).toBe(true);
    // The newest activity first: the new draft before the seeded one.
    expect(home.documents[0]).toMatchObject({ slug: "riktlinjer-for-oppen-kallkod", state: "open", openThreads: 0 });
    expect((await loadHome(database.db, "member")).canCreateDraft).toBe(false);
  });

  it("starts from given content, as the Word and Markdown importers will give it", async () => {
    const content: ContentNode = {
      type: "doc",
      content: [
        { type: "heading", attrs: { id: "bimported01", level: 2 }, content: [{ type: "text", text: "1. Inledning" }] },
        { type: "paragraph", attrs: { id: "bimported02" }, content: [{ type: "text", text: "Importerad text." }] },
      ],
    };
    const result = await createDraft(database, { ...draftFields("Importerat utkast"), content, createdBy: editor });
    if (!result.ok) throw new Error(`creating failed: ${JSON.stringify(result)}`);
    expect(yDocToContent(await storedContent(result.document.id)).content?.map((block) => block.attrs?.id)).toEqual(["bimported01", "bimported02"]);
  });

  it("refuses a slug or title another draft has, whatever the case, at the field; a malformed slug; and members", async () => {
    await createDraft(database, { ...draftFields("Upptagen titel", "upptagen-adress"), createdBy: editor });
    expect(await createDraft(database, { ...draftFields("UPPTAGEN TITEL", "annan-adress"), createdBy: editor })).toEqual({
      ok: false,
      error: "invalid-input",
      fieldErrors: { title: "title-taken" },
    });
    expect(await createDraft(database, { ...draftFields("Annan titel", "upptagen-adress"), createdBy: admin })).toEqual({
      ok: false,
      error: "invalid-input",
      fieldErrors: { slug: "slug-taken" },
    });
    expect(await createDraft(database, { ...draftFields("Tredje titel", "Öppna_Licenser"), createdBy: editor })).toMatchObject({ fieldErrors: { slug: "invalid-slug" } });
    expect(await createDraft(database, { ...draftFields("  ", ""), createdBy: editor })).toMatchObject({ fieldErrors: { title: "required", slug: "required" } });
    expect(await createDraft(database, { ...draftFields("Fjärde titel"), language: "de", createdBy: editor })).toMatchObject({ fieldErrors: { language: "invalid" } });
    expect(await createDraft(database, { ...draftFields("Medlemmens utkast"), createdBy: member })).toEqual({ ok: false, error: "not-allowed" });
    expect(await findDocumentBySlug(database.db, "medlemmens-utkast")).toBeUndefined();
  });

  it("archives a draft: it refuses new comments, replies, agreements and versions, and the open rooms are told; unarchiving undoes it", async () => {
    const created = await createDraft(database, { ...draftFields("Att arkivera"), createdBy: editor });
    if (!created.ok) throw new Error("creating failed");
    const { id } = created.document;
    const thread = await startThread(member, id);
    if (!thread.ok) throw new Error(`commenting failed: ${JSON.stringify(thread)}`);

    expect(await setDraftArchived({ db: database.db, liveDocuments }, editor, "att-arkivera", true)).toEqual({ ok: false, error: "not-allowed" });
    const archived = await setDraftArchived({ db: database.db, liveDocuments }, admin, "att-arkivera", true);
    expect(archived).toMatchObject({ ok: true, document: { archived_at: expect.any(Date) } });
    expect(readOnlyChanges.at(-1)).toEqual({ documentId: id, readOnly: true });

    expect(await startThread(member, id)).toMatchObject({ ok: false, error: "archived", field: "body" });
    const reply = await runCommentCommand(commentDeps(), member, id, { intent: "reply", threadId: thread.threadId, body: "Svar." });
    expect(reply).toMatchObject({ ok: false, error: "archived" });
    expect(await runCommentCommand(commentDeps(), editor, id, { intent: "agree", threadId: thread.threadId })).toMatchObject({ ok: false, error: "archived" });
    expect(await freezeVersion({ ...commentDeps(), db: database.db }, editor, id, { name: "Version 1" })).toMatchObject({ ok: false, code: "archived" });
    expect(await markReviewed(commentDeps(), editor, id, { threadId: thread.threadId, versionNumber: "1" })).toEqual({ ok: false, error: "archived" });
    expect((await loadHome(database.db, null)).documents.find((document) => document.slug === "att-arkivera")).toMatchObject({ state: "archived", openThreads: 1 });

    const unarchived = await setDraftArchived({ db: database.db, liveDocuments }, admin, "att-arkivera", false);
    expect(unarchived).toMatchObject({ ok: true, document: { archived_at: null } });
    expect(readOnlyChanges.at(-1)).toEqual({ documentId: id, readOnly: false });
    const replyAfter = { intent: "reply", threadId: thread.threadId, body: "Svar.", acceptLicence: "on" };
    expect(await runCommentCommand(commentDeps(), member, id, replyAfter)).toMatchObject({ ok: true });
    const actions = (await listAudit(database.db, { limit: 3, offset: 0 })).entries.map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(["draft.archived", "draft.unarchived"]));
  });

  it("deletes an archived draft without threads or versions, with its update log, and refuses any other", async () => {
    const empty = await createDraft(database, { ...draftFields("Tomt utkast"), createdBy: editor });
    const used = await createDraft(database, { ...draftFields("Använt utkast"), createdBy: editor });
    if (!empty.ok || !used.ok) throw new Error("creating failed");
    await startThread(member, used.document.id);
    const deps = { db: database.db, liveDocuments };

    expect(await deleteEmptyDraft(deps, admin, "tomt-utkast", true)).toEqual({ ok: false, error: "not-archived-yet" });
    await setDraftArchived(deps, admin, "tomt-utkast", true);
    await setDraftArchived(deps, admin, "anvant-utkast", true);
    expect(await deleteEmptyDraft(deps, editor, "tomt-utkast", true)).toEqual({ ok: false, error: "not-allowed" });
    expect(await deleteEmptyDraft(deps, admin, "tomt-utkast", false)).toEqual({ ok: false, error: "not-confirmed" });
    expect(await deleteEmptyDraft(deps, admin, "anvant-utkast", true)).toEqual({ ok: false, error: "not-empty" });

    expect(await deleteEmptyDraft(deps, admin, "tomt-utkast", true)).toEqual({ ok: true });
    expect(await findDocumentBySlug(database.db, "tomt-utkast")).toBeUndefined();
    const log = await database.db.selectFrom("document_updates").select("seq").where("document_id", "=", empty.document.id).execute();
    expect(log).toEqual([]);
    expect(await findDocumentBySlug(database.db, "anvant-utkast")).toBeDefined();
    expect((await listAudit(database.db, { limit: 1, offset: 0 })).entries[0]).toMatchObject({ action: "draft.deleted", subject: empty.document.id });
  });

  it("keeps each draft's threads, versions, triage board, reviews and moderation queue to itself", async () => {
    const first = await createDraft(database, { ...draftFields("Första utkastet"), createdBy: editor });
    const second = await createDraft(database, { ...draftFields("Andra utkastet"), createdBy: editor });
    if (!first.ok || !second.ok) throw new Error("creating failed");
    const [a, b] = [first.document.id, second.document.id];
    const threadOnB = await startThread(member, b);
    if (!threadOnB.ok || threadOnB.commentId === null) throw new Error("commenting failed");
    const flagger = await sessionAs(database.db, "member");
    expect(await runCommentCommand(commentDeps(), flagger, b, { intent: "flag", commentId: threadOnB.commentId, reason: "Olämpligt" })).toMatchObject({ ok: true });
    expect(await freezeVersion({ ...commentDeps(), db: database.db }, editor, b, { name: "Version 1" })).toMatchObject({ ok: true });
    // The same name is free on the other draft: versions are numbered and named per draft.
    expect(await freezeVersion({ ...commentDeps(), db: database.db }, editor, a, { name: "Version 1" })).toMatchObject({ ok: true, version: { number: 1 } });

    const board = (documentId: string) => loadFeedbackBoard(commentDeps(), documentId, new URLSearchParams());
    expect((await board(a)).total).toBe(0);
    expect((await board(b)).total).toBe(1);
    expect(await loadModerationQueue(database.db, a)).toEqual([]);
    expect(await loadModerationQueue(database.db, b)).toHaveLength(1);
    expect((await loadVersionTimeline(database.db, a)).map((version) => version.number)).toEqual([1]);
    expect((await loadVersionTimeline(database.db, b)).map((version) => version.number)).toEqual([1]);
    expect(await countWaitingReviews(database.db, a)).toBe(0);
    // A thread on one draft cannot be answered, resolved or agreed with through the other.
    expect(await runCommentCommand(commentDeps(), editor, a, { intent: "reply", threadId: threadOnB.threadId, body: "Fel utkast." })).toMatchObject({ ok: false, error: "thread-not-found" });
    expect(await runCommentCommand(commentDeps(), editor, a, { intent: "resolve", threadId: threadOnB.threadId })).toMatchObject({ ok: false, error: "thread-not-found" });

    const home = await loadHome(database.db, null);
    expect(home.documents.find((document) => document.slug === "forsta-utkastet")).toMatchObject({ openThreads: 0 });
    expect(home.documents.find((document) => document.slug === "andra-utkastet")).toMatchObject({ openThreads: 1 });
  });
});

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
    const result = await importDraft(database.db, { fileName, bytes, language: "sv" });
    if (!result.ok) throw new Error(`Not imported: ${result.error}`);
    expect(result.document).toMatchObject({ slug: "remissvar-om-oppna-data", title: "Remissvar om öppna data", language: "sv" });
    expect(result.report.notes.map((note) => note.kind)).toEqual(["images", "comments", "trackedChanges", "tables", "unknownStyles"]);
    const stored = yDocToContent(await storedDocument(database.db, result.document.id));
    // Through the schema, which fills in the attributes left at their defaults, as the stored draft has them.
    const stripIds = (json: ContentNode) => JSON.parse(JSON.stringify(documentSchema.nodeFromJSON(json).toJSON()).replace(/"id":"b[0-9a-z]{10}"/g, '"id":"…"')) as unknown;
    expect(stripIds(stored)).toEqual(stripIds((await importWord(bytes)).content));
    const audit = await listAudit(database.db, { limit: 10, offset: 0 });
    expect(audit.entries.find((entry) => entry.subject === result.document.id)).toMatchObject({ action: "draft.created", details: { via: "command-line" } });
  });

  it("refuses a slug or a title another draft has, and creates nothing", async () => {
    const before = await listDocuments(database.db);
    const slugTaken = await importDraft(database.db, { fileName, bytes, language: "sv", title: "Något annat", slug: "remissvar-om-oppna-data" });
    expect(slugTaken).toMatchObject({ ok: false, error: "invalid-input", fieldErrors: { slug: "slug-taken" }, slug: "remissvar-om-oppna-data" });
    const titleTaken = await importDraft(database.db, { fileName, bytes, language: "sv", title: "remissvar om öppna data", slug: "ny-adress" });
    expect(titleTaken).toMatchObject({ ok: false, error: "invalid-input", fieldErrors: { title: "title-taken" } });
    expect(await importDraft(database.db, { fileName, bytes, language: "sv", slug: "Inte En Adress" })).toMatchObject({ ok: false, error: "invalid-input", fieldErrors: { slug: "invalid-slug" } });
    expect(await listDocuments(database.db)).toHaveLength(before.length);
  });

  it("creates nothing from a file it cannot import", async () => {
    const before = await listDocuments(database.db);
    const encrypted = new Uint8Array(readFileSync("tests/fixtures/word/encrypted.docx"));
    expect(await importDraft(database.db, { fileName: "skyddad.docx", bytes: encrypted, language: "sv" })).toEqual({ ok: false, error: "import", code: "encrypted" });
    expect(await listDocuments(database.db)).toHaveLength(before.length);
  });
});
