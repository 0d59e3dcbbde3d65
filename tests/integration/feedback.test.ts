import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocumentIndex } from "#app/comments/anchoring";
import { findDocumentBySlug } from "#db/repositories/documents";
import { findThread } from "#db/repositories/comments";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { testDatabaseKinds } from "#tests/support/database";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const COMMENT_LINK = /#comment-([0-9a-f-]{36})$/;

describe.each(testDatabaseKinds())("editors handling feedback (%s)", (database) => {
  let server: TestServer;
  let member: Awaited<ReturnType<typeof signedInAs>>;
  let editor: Awaited<ReturnType<typeof signedInAs>>;
  let blockId: string;

  beforeAll(async () => {
    server = await startTestServer({ database });
    const documentId = (await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug))?.id ?? "";
    blockId = await server.services.readDocument(documentId, (doc) => DocumentIndex.of(doc).blocks.find((block) => block.type === "paragraph")?.id ?? "");
    member = await signedInAs(server.services.db, "member", "Mats Medlem");
    editor = await signedInAs(server.services.db, "editor", "Eva Editor");
  });
  afterAll(() => server?.dispose());

  const post = (fields: Record<string, string>, cookie: string) => postForm(server.url, DRAFT, fields, cookie);
  const startThread = async (fields: Record<string, string> = {}) => {
    const response = await post({ intent: "create-thread", acceptLicence: "on", position: "", blockId, body: "Förslag.", ...fields }, member.cookie);
    expect(response.status).toBe(302);
    const commentId = COMMENT_LINK.exec(response.headers.get("location") ?? "")?.[1] ?? "";
    const row = await server.services.db.selectFrom("comments").select("thread_id").where("id", "=", commentId).executeTakeFirstOrThrow();
    return row.thread_id;
  };

  it("stores a suggestion's replacement text, also an empty one that proposes deleting the text", async () => {
    const suggestion = await findThread(server.services.db, await startThread({ kind: "suggestion", suggestion: "Ny lydelse." }));
    expect(suggestion).toMatchObject({ kind: "suggestion", suggested_text: "Ny lydelse." });
    const deletion = await findThread(server.services.db, await startThread({ kind: "suggestion", suggestion: "" }));
    expect(deletion).toMatchObject({ kind: "suggestion", suggested_text: "" });
    const comment = await findThread(server.services.db, await startThread());
    expect(comment).toMatchObject({ kind: "comment", suggested_text: null });
  });

  it("lets editors close a thread only with a public response, and only editors reopen it", async () => {
    const threadId = await startThread();
    const unanswered = await post({ intent: "close", threadId, outcome: "rejected", response: "  " }, editor.cookie);
    expect(unanswered.status).toBe(400);
    expect(await findThread(server.services.db, threadId)).toMatchObject({ status: "open", outcome: null });

    expect((await post({ intent: "close", threadId, outcome: "accepted", response: "Vi ändrar." }, member.cookie)).status).toBe(403);
    expect((await post({ intent: "close", threadId, outcome: "partly-accepted", response: "Delvis inarbetat." }, editor.cookie)).status).toBe(302);
    expect(await findThread(server.services.db, threadId)).toMatchObject({
      status: "resolved",
      outcome: "partly-accepted",
      response: "Delvis inarbetat.",
      responded_by_name: "Eva Editor",
    });
    const page = await (await fetch(`${server.url}${DRAFT}?comments=all&show=${threadId}`)).text();
    expect(page).toContain("Delvis inarbetat.");

    // Its author may reopen a thread they resolved themselves, not one the editors answered.
    expect((await post({ intent: "reopen", threadId }, member.cookie)).status).toBe(403);
    expect((await post({ intent: "reopen", threadId }, editor.cookie)).status).toBe(302);
    expect(await findThread(server.services.db, threadId)).toMatchObject({ status: "open", outcome: null, response: null });
  });

  it("stamps threads accepted since the previous version with the version that contains their change", async () => {
    const accepted = await startThread();
    const rejected = await startThread();
    await post({ intent: "close", threadId: accepted, outcome: "accepted", response: "Inarbetat." }, editor.cookie);
    await post({ intent: "close", threadId: rejected, outcome: "rejected", response: "Vi behåller lydelsen." }, editor.cookie);
    expect((await postForm(server.url, `${DRAFT}/versions`, { name: "Med synpunkterna" }, editor.cookie)).status).toBe(302);
    expect((await findThread(server.services.db, accepted))?.incorporated_in).toBe(1);
    expect((await findThread(server.services.db, rejected))?.incorporated_in).toBeNull();
    await postForm(server.url, `${DRAFT}/versions`, { name: "Nästa" }, editor.cookie);
    expect((await findThread(server.services.db, accepted))?.incorporated_in).toBe(1);
  });
});
