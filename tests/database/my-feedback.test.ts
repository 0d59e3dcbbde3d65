import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { writeContentToYDoc, type ContentNode } from "#app/editor/content";
import { CommentCache } from "#app/models/comment-cache.server";
import { runCommentCommand, type CommentDeps } from "#app/models/comments/commands.server";
import { createMailer } from "#app/models/mail.server";
import { loadMyFeedback } from "#app/models/my-feedback.server";
import type { CurrentSession } from "#app/models/sessions.server";
import { insertDocument } from "#db/repositories/documents";
import { InProcessCommentEvents } from "#server/comment-events";
import { sessionAs } from "#tests/support/accounts";
import { silentLogger } from "#tests/support/collab-fakes";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "#tests/support/database";

const draft: ContentNode = {
  type: "doc",
  content: [
    { type: "heading", attrs: { id: "bheading001", level: 2 }, content: [{ type: "text", text: "1. Om vägledningen" }] },
    { type: "paragraph", attrs: { id: "bparagraph1" }, content: [{ type: "text", text: "Myndigheter bör licensiera öppet." }] },
    { type: "paragraph", attrs: { id: "bparagraph2" }, content: [{ type: "text", text: "Källkod publiceras under EUPL." }] },
  ],
};

describe.each(testDatabaseKinds())("a member's feedback page (%s)", (kind) => {
  let database: TestDatabase;
  let deps: CommentDeps;
  const live = new Y.Doc();
  const other = new Y.Doc();
  let documentId: string;
  let otherDocumentId: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    documentId = (await insertDocument(database.db, { slug: `min-${kind}`, title: "Vägledning", language: "sv" })).id;
    otherDocumentId = (await insertDocument(database.db, { slug: `andra-${kind}`, title: "Andra utkastet", language: "sv" })).id;
    writeContentToYDoc(draft, live);
    writeContentToYDoc(draft, other);
    deps = {
      db: database.db,
      readDocument: async <T>(id: string, read: (doc: Y.Doc) => T) => read(id === documentId ? live : other),
      commentCache: new CommentCache(database.db),
      commentEvents: new InProcessCommentEvents(),
      // Nothing here accepts suggestions: the draft is never changed.
      changeDocument: () => Promise.reject(new Error("these tests do not change the draft")),
      mailer: createMailer({ db: database.db, log: silentLogger() }),
      publicUrl: undefined,
    };
  });
  afterAll(() => database?.close());

  const run = async (actor: CurrentSession, onDocument: string, fields: Record<string, string>) => {
    const result = await runCommentCommand(deps, actor, onDocument, { acceptLicence: "on", ...fields });
    if (!result.ok) throw new Error(`${fields.intent} failed: ${JSON.stringify(result)}`);
    return result.threadId;
  };

  it("lists the threads the member started or wrote in, newest first, each where its text is now and with its outcome", async () => {
    const [member, someone, editor] = await Promise.all([sessionAs(database.db, "member"), sessionAs(database.db, "member"), sessionAs(database.db, "editor")]);
    const onRemovedText = await run(member, documentId, { intent: "create-thread", blockId: "bparagraph2", body: "Nämn också MIT." });
    const answered = await run(member, documentId, { intent: "create-thread", blockId: "bparagraph1", body: "Skriv ska.", kind: "suggestion", suggestion: "Myndigheter ska licensiera öppet." });
    await run(someone, documentId, { intent: "reply", threadId: answered, body: "Instämmer." });
    await run(editor, documentId, { intent: "close", threadId: answered, outcome: "accepted", response: "Vi ändrar." });
    const someoneElses = await run(someone, otherDocumentId, { intent: "create-thread", blockId: "bparagraph1", body: "Något annat." });
    await run(member, otherDocumentId, { intent: "reply", threadId: someoneElses, body: "Jag svarar här." });
    await run(someone, documentId, { intent: "create-thread", blockId: "bparagraph1", body: "Inte medlemmens." });
    // The paragraph the first thread is on goes, after it was commented on.
    live.getXmlFragment("default").delete(2, 1);

    const items = await loadMyFeedback(deps, member.user.id);
    expect(items.map((item) => item.threadId)).toEqual([someoneElses, answered, onRemovedText]);
    expect(items[0]).toMatchObject({ document: { slug: `andra-${kind}` }, startedByMember: false, replies: 1, status: "open", outcome: null });
    expect(items[1]).toMatchObject({
      document: { slug: `min-${kind}`, title: "Vägledning" },
      reference: { section: "1", paragraph: 1 },
      quote: "Myndigheter bör licensiera öppet.",
      kind: "suggestion",
      suggestedText: "Myndigheter ska licensiera öppet.",
      status: "resolved",
      outcome: "accepted",
      response: { text: "Vi ändrar.", byName: editor.user.name },
      startedByMember: true,
      firstComment: { authorName: member.user.name, excerpt: "Skriv ska." },
      replies: 1,
    });
    expect(items[2]).toMatchObject({ reference: null, quote: "Källkod publiceras under EUPL.", kind: "comment" });
  });
});
