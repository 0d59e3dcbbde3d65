import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { writeContentToYDoc, type ContentNode } from "#app/editor/content";
import { CommentCache } from "#app/models/comment-cache.server";
import { runCommentCommand, type CommentDeps } from "#app/models/comments/commands.server";
import { createMailer, type Mailer } from "#app/models/mail.server";
import { changeThreads } from "#app/models/comments/changes.server";
import { countUnread, loadNotifications, markAllRead, saveEmailSettings, type NotificationEvent } from "#app/models/notifications.server";
import type { CurrentSession } from "#app/models/sessions.server";
import { setThreadsStatus } from "#app/models/feedback.server";
import { freezeVersion } from "#app/models/versions.server";
import { listAudit } from "#app/models/audit.server";
import { setThreadOutcome } from "#db/repositories/comments";
import { insertDocument } from "#db/repositories/documents";
import { listOutboxMessages } from "#db/repositories/outbox";
import { InProcessCommentEvents } from "#server/comment-events";
import { sessionAs } from "#tests/support/accounts";
import { silentLogger } from "#tests/support/collab-fakes";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "#tests/support/database";

const PUBLIC_URL = "https://samrad.example";
const BLOCK_ID = "bparagraph1";
const draft: ContentNode = {
  type: "doc",
  content: [
    { type: "heading", attrs: { id: "bheading001", level: 2 }, content: [{ type: "text", text: "1. Om vägledningen" }] },
    { type: "paragraph", attrs: { id: BLOCK_ID }, content: [{ type: "text", text: "Myndigheter bör licensiera öppet." }] },
  ],
};

describe.each(testDatabaseKinds())("who is notified (%s)", (kind) => {
  let database: TestDatabase;
  let deps: CommentDeps;
  let documentId: string;
  let otherDocumentId: string;
  let mailer: Mailer;
  const live = new Y.Doc();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    mailer = createMailer({ db: database.db, log: silentLogger() });
    deps = {
      db: database.db,
      readDocument: async <T>(_: string, read: (doc: Y.Doc) => T) => read(live),
      commentCache: new CommentCache(database.db),
      commentEvents: new InProcessCommentEvents(),
      // Nothing here accepts suggestions: the draft is never changed.
      changeDocument: () => Promise.reject(new Error("these tests do not change the draft")),
      mailer,
      publicUrl: PUBLIC_URL,
    };
    writeContentToYDoc(draft, live);
    documentId = (await insertDocument(database.db, { slug: `notiser-${kind}`, title: "Vägledning", language: "sv" })).id;
    otherDocumentId = (await insertDocument(database.db, { slug: `annat-${kind}`, title: "Annat utkast", language: "sv" })).id;
  });
  afterAll(async () => {
    mailer?.close();
    await database?.close();
  });

  const command = async (actor: CurrentSession, fields: Record<string, string>, onDocument = documentId) => {
    const result = await runCommentCommand(deps, actor, onDocument, { acceptLicence: "on", ...fields });
    if (!result.ok) throw new Error(`${fields.intent} failed: ${JSON.stringify(result)}`);
    return result.threadId;
  };
  const startThread = (actor: CurrentSession, onDocument = documentId) =>
    command(actor, { intent: "create-thread", blockId: BLOCK_ID, body: "Skriv “bör” som “ska”." }, onDocument);
  const reply = (actor: CurrentSession, threadId: string) => command(actor, { intent: "reply", threadId, body: "Instämmer." });
  /** What a change that logs `event` tells: through the one place every writer of threads goes through. */
  const tell = (event: NotificationEvent) =>
    changeThreads(deps, { documentId: event.documentId, actorId: event.actorId }, async (_trx, changes) => {
      if (event.kind === "version") changes.versionFrozen(event.version);
      else changes.thread(event.threadId, event.kind);
    });
  const notificationsOf = async (actor: CurrentSession) =>
    (await loadNotifications(database.db, actor.user.id)).map(({ kind: notified, href, unread }) => ({ kind: notified, href, unread }));

  it("tells the thread's author and earlier commenters of a reply, never the one replying", async () => {
    const [author, first, second] = await Promise.all([sessionAs(database.db, "member"), sessionAs(database.db, "member"), sessionAs(database.db, "member")]);
    const threadId = await startThread(author);
    expect(await notificationsOf(author)).toEqual([]);

    await reply(first, threadId);
    const threadLink = `/d/notiser-${kind}?comments=all&show=${threadId}#thread-${threadId}`;
    expect(await notificationsOf(author)).toEqual([{ kind: "reply", href: threadLink, unread: true }]);
    expect(await notificationsOf(first)).toEqual([]);

    await reply(second, threadId);
    expect(await countUnread(database.db, author.user.id)).toBe(2);
    expect(await countUnread(database.db, first.user.id)).toBe(1);
    expect(await countUnread(database.db, second.user.id)).toBe(0);

    // The author answering tells both who replied, and not the author.
    await reply(author, threadId);
    expect(await countUnread(database.db, author.user.id)).toBe(2);
    expect(await countUnread(database.db, first.user.id)).toBe(2);
    expect(await countUnread(database.db, second.user.id)).toBe(1);
  });

  it("tells a thread's author when editors change its status, and no one when the author resolves it", async () => {
    const [author, bystander, editor] = await Promise.all([sessionAs(database.db, "member"), sessionAs(database.db, "member"), sessionAs(database.db, "editor")]);
    const own = await startThread(author);
    await command(author, { intent: "resolve", threadId: own });
    await command(author, { intent: "reopen", threadId: own });
    expect(await notificationsOf(author)).toEqual([]);

    const answered = await startThread(author);
    await reply(bystander, answered);
    await markAllRead(database.db, author.user.id);
    await command(editor, { intent: "close", threadId: answered, outcome: "accepted", response: "Vi ändrar lydelsen." });
    expect(await notificationsOf(author)).toMatchObject([{ kind: "status", unread: true }, { kind: "reply", unread: false }]);
    // Only the author hears of a status change; the others who wrote in the thread do not.
    expect((await notificationsOf(bystander)).map((notification) => notification.kind)).toEqual([]);

    await command(editor, { intent: "reopen", threadId: answered });
    await command(editor, { intent: "resolve", threadId: answered });
    expect(await countUnread(database.db, author.user.id)).toBe(3);
    expect(await countUnread(database.db, editor.user.id)).toBe(0);
  });

  it("tells each author of threads an editor decides on the board, mails them as they asked, and logs the decision", async () => {
    const [author, quiet, other, editor] = await Promise.all([
      sessionAs(database.db, "member"),
      sessionAs(database.db, "member"),
      sessionAs(database.db, "member"),
      sessionAs(database.db, "editor"),
    ]);
    const first = await startThread(author);
    const second = await startThread(quiet);
    const own = await startThread(editor);
    const untouched = await startThread(other);
    await saveEmailSettings(database.db, quiet.user.id, {});
    const mailsTo = (actor: CurrentSession) => listOutboxMessages(database.db, { to: actor.user.email, limit: 10 });

    const decided = await setThreadsStatus(
      deps,
      editor,
      documentId,
      { threadId: [first, second, own], status: "rejected", response: "Vi behåller lydelsen." },
      { ip: "192.0.2.7" },
    );
    expect(decided).toEqual({ ok: true, status: "rejected", count: 3 });
    expect(await notificationsOf(author)).toMatchObject([{ kind: "status", unread: true }]);
    expect(await notificationsOf(quiet)).toMatchObject([{ kind: "status", unread: true }]);
    expect(await notificationsOf(other)).toEqual([]);
    expect(await notificationsOf(editor)).toEqual([]);

    // Stored with the decision: in the outbox as soon as the board has answered.
    const [mail] = await mailsTo(author);
    expect(mail?.body_text).toContain("Beslut: Avslagen");
    expect(mail?.body_text).toContain("Vi behåller lydelsen.");
    expect(mail?.body_text).toContain(`${PUBLIC_URL}/d/notiser-${kind}?comments=all&show=${first}#thread-${first}`);
    // Status mail turned off.
    expect(await mailsTo(quiet)).toEqual([]);

    const [entry] = (await listAudit(database.db, { limit: 1, offset: 0 })).entries;
    expect(entry).toMatchObject({
      action: "threads.status-changed",
      subject: documentId,
      ip: "192.0.2.7",
      actor: { id: editor.user.id },
      details: { status: "rejected", response: "Vi behåller lydelsen.", threads: [first, second, own] },
    });
    expect(entry?.details.threads).not.toContain(untouched);

    // Reopening from the board is a decision too; reopening what is open changes nothing and tells no one.
    expect(await setThreadsStatus(deps, editor, documentId, { threadId: [first, untouched], status: "reopen" })).toMatchObject({ ok: true, count: 1 });
    expect(await countUnread(database.db, author.user.id)).toBe(2);
    expect(await notificationsOf(other)).toEqual([]);
  });

  it("tells everyone with a thread on the draft of a new version once, but not who froze it or those on other drafts", async () => {
    const [busy, quiet, elsewhere, editor] = await Promise.all([
      sessionAs(database.db, "member"),
      sessionAs(database.db, "member"),
      sessionAs(database.db, "member"),
      sessionAs(database.db, "editor"),
    ]);
    await startThread(busy);
    await startThread(busy);
    await startThread(editor);
    await startThread(elsewhere, otherDocumentId);

    const frozen = await freezeVersion(deps, editor, documentId, { name: `Version för ${kind}` });
    if (!frozen.ok) throw new Error(`freezing failed: ${JSON.stringify(frozen)}`);
    const versionLink = `/d/notiser-${kind}/v/${frozen.version.number}`;
    expect(await notificationsOf(busy)).toEqual([{ kind: "version", href: versionLink, unread: true }]);
    expect(await notificationsOf(quiet)).toEqual([]);
    expect(await notificationsOf(elsewhere)).toEqual([]);
    expect((await notificationsOf(editor)).filter((notification) => notification.kind === "version")).toEqual([]);
  });

  it("marks every notification read at once", async () => {
    const [author, replier] = await Promise.all([sessionAs(database.db, "member"), sessionAs(database.db, "member")]);
    const threadId = await startThread(author);
    await reply(replier, threadId);
    await reply(replier, threadId);
    expect(await countUnread(database.db, author.user.id)).toBe(2);
    await markAllRead(database.db, author.user.id);
    expect(await countUnread(database.db, author.user.id)).toBe(0);
    expect((await notificationsOf(author)).every((notification) => !notification.unread)).toBe(true);
  });

  it("mails what each member asked for, with a link on PUBLIC_URL; replies and status changes unless turned off, versions if turned on", async () => {
    const [author, replier, editor] = await Promise.all([sessionAs(database.db, "member"), sessionAs(database.db, "member"), sessionAs(database.db, "editor")]);
    const threadId = await startThread(author);
    const mailsTo = (actor: CurrentSession) => listOutboxMessages(database.db, { to: actor.user.email, limit: 10 });

    await tell({ kind: "reply", documentId, threadId, actorId: replier.user.id });
    const [replyMail] = await mailsTo(author);
    expect(replyMail?.subject).toContain("Nytt svar i din tråd i Vägledning");
    expect(replyMail?.body_text).toContain(`${PUBLIC_URL}/d/notiser-${kind}?comments=all&show=${threadId}#thread-${threadId}`);
    expect(replyMail?.body_text).toContain(replier.user.name);

    // Straight to the database: the page's close would mail too, and this test looks for the mail it asks for.
    await setThreadOutcome(database.db, threadId, { outcome: "rejected", response: "Vi behåller lydelsen." }, editor.user.id, new Date());
    await tell({ kind: "status", documentId, threadId, actorId: editor.user.id });
    const [statusMail] = await mailsTo(author);
    expect(statusMail?.body_text).toContain("Beslut: Avslagen");
    expect(statusMail?.body_text).toContain("Vi behåller lydelsen.");

    const version = { kind: "version", documentId, version: { number: 7, name: "Sjunde" }, actorId: editor.user.id } as const;
    const before = (await mailsTo(author)).length;
    await tell(version);
    expect(await mailsTo(author)).toHaveLength(before);

    await saveEmailSettings(database.db, author.user.id, { emailOnVersion: "on" });
    await tell(version);
    const [versionMail] = await mailsTo(author);
    expect(versionMail?.subject).toContain("Ny version av Vägledning: Sjunde");
    expect(versionMail?.body_text).toContain(`${PUBLIC_URL}/d/notiser-${kind}/v/7`);

    // Unticked boxes are absent from the form: replies are now off too.
    await tell({ kind: "reply", documentId, threadId, actorId: replier.user.id });
    expect(await mailsTo(author)).toHaveLength(before + 1);
  });

  it("keeps the reply, its notification and its mail in the outbox when delivering fails", async () => {
    const [author, replier] = await Promise.all([sessionAs(database.db, "member"), sessionAs(database.db, "member")]);
    const threadId = await startThread(author);
    let delivering: () => void = () => {};
    const delivered = new Promise<void>((resolve) => (delivering = resolve));
    const broken: CommentDeps = {
      ...deps,
      mailer: {
        deliver: () => {
          delivering();
          return Promise.reject(new Error("the SMTP server is gone"));
        },
      },
    };
    const result = await runCommentCommand(broken, replier, documentId, { intent: "reply", threadId, body: "Ett svar.", acceptLicence: "on" });
    expect(result.ok).toBe(true);
    expect(await countUnread(database.db, author.user.id)).toBe(1);
    await delivered;
    const [stored] = await listOutboxMessages(database.db, { to: author.user.email, limit: 1 });
    expect(stored?.body_text).toContain(threadId);
    expect(stored?.sent_at).toBeNull();
  });
});
