import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocumentIndex } from "#app/comments/anchoring";
import { findDocumentBySlug } from "#db/repositories/documents";
import { findWorkshopBySlug } from "#db/repositories/workshops";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { blockText, connectClient, plainText, type CollabClient } from "#tests/support/collab-client";
import { testDatabaseKinds } from "#tests/support/database";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";
import { eventually } from "#tests/support/wait";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const COMMENT_LINK = /#comment-([0-9a-f-]{36})$/;

/** A day in Swedish time as the freeze form takes it, `days` from today. */
function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Europe/Stockholm" });
}

describe.each(testDatabaseKinds())("comments across versions (%s)", (database) => {
  let server: TestServer;
  let documentId: string;
  let member: Awaited<ReturnType<typeof signedInAs>>;
  let editor: Awaited<ReturnType<typeof signedInAs>>;
  let editorClient: CollabClient;
  let paragraphs: { id: string; text: string }[];

  beforeAll(async () => {
    server = await startTestServer({ database });
    documentId = (await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug))?.id ?? "";
    paragraphs = await server.services.readDocument(documentId, (doc) =>
      DocumentIndex.of(doc)
        .blocks.filter((block) => block.type === "paragraph" && block.text.length > 80)
        .map((block) => ({ id: block.id, text: block.text })),
    );
    member = await signedInAs(server.services.db, "member", "Mats Medlem");
    editor = await signedInAs(server.services.db, "editor", "Eva Editor");
    editorClient = await connectClient(server.url, documentId, { cookie: editor.cookie });
  });
  afterAll(async () => {
    editorClient?.destroy();
    await server?.dispose();
  });

  const page = async (path: string, cookie?: string) => {
    const response = await fetch(`${server.url}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
    return { status: response.status, html: await response.text() };
  };
  const freeze = (fields: Record<string, string>) => postForm(server.url, `${DRAFT}/versions`, fields, editor.cookie);
  const comment = (blockId: string, body: string) =>
    postForm(server.url, DRAFT, { intent: "create-thread", acceptLicence: "on", position: "", blockId, body }, member.cookie);
  const paragraph = (index: number) => {
    const found = paragraphs[index];
    if (!found) throw new Error(`the seed has no paragraph ${index}`);
    return found;
  };

  it("takes comments only inside the comment window of the version the draft is based on", async () => {
    const early = await freeze({ name: "Inte öppen än", commentsOpenDate: day(2) });
    expect(early.status).toBe(302);
    const refused = await comment(paragraph(0).id, "För tidigt");
    expect(refused.status).toBe(400);
    const draft = await page(DRAFT, member.cookie);
    expect(draft.html).toContain("Kommentarer på version 1 tas emot från");
    expect(draft.html).not.toContain('name="body"');

    expect((await freeze({ name: "Stängd", commentsOpenDate: day(-3), commentsCloseDate: day(-1) })).status).toBe(302);
    expect((await comment(paragraph(0).id, "För sent")).status).toBe(400);
    expect((await page(DRAFT, member.cookie)).html).toContain("Tiden för kommentarer på version 2 gick ut");

    const badWindow = await freeze({ name: "Bakvänd", commentsOpenDate: day(3), commentsCloseDate: day(1) });
    expect(badWindow.status).toBe(400);
    expect(await badWindow.text()).toContain("Tiden för kommentarer måste sluta efter att den börjar.");
  });

  it("marks threads with the version they were written on, carries them forward and lists changed ones for review", async () => {
    const workshop = await findWorkshopBySlug(server.services.db, "2020-09-01-oppna-licenser-och-immaterialratt");
    expect((await freeze({ name: "Öppen för synpunkter", commentsCloseDate: day(7), workshopId: workshop?.id ?? "" })).status).toBe(302);
    const target = paragraph(1);
    const posted = await comment(target.id, "Otydligt stycke.");
    expect(posted.status).toBe(302);
    const commentId = COMMENT_LINK.exec(posted.headers.get("location") ?? "")?.[1] ?? "";
    const { thread_id: threadId } = await server.services.db.selectFrom("comments").select("thread_id").where("id", "=", commentId).executeTakeFirstOrThrow();
    const untouched = await comment(paragraph(2).id, "Bra som det är.");
    expect(untouched.status).toBe(302);

    blockText(editorClient.doc, target.id).insert(0, "Förtydligat: ");
    await eventually(async () =>
      expect(await server.services.readDocument(documentId, (doc) => plainText(doc, target.id))).toMatch(/^Förtydligat: /),
    );
    expect((await freeze({ name: "Efter synpunkterna" })).status).toBe(302);
    // The workshop where version 3 was shown leads to the feedback made on it.
    expect((await page("/workshops/2020-09-01-oppna-licenser-och-immaterialratt")).html).toContain("2 kommentarstrådar på den versionen");

    const draft = await page(`${DRAFT}?comments=all`, member.cookie);
    expect(draft.html).toContain("Bygger på version 4, ”Efter synpunkterna”");
    expect(draft.html).toContain("Skriven på version 3");

    const review = await page(`${DRAFT}/review`, editor.cookie);
    expect(review.status).toBe(200);
    expect(review.html).toContain("Vid version 4");
    expect(review.html).toContain("Texten har ändrats");
    expect(review.html).toContain(threadId);
    expect(review.html).not.toContain("Bra som det är.");
    expect((await page(`${DRAFT}/versions`, editor.cookie)).html).toContain("1 tråd att granska efter nya versioner");

    expect((await page(`${DRAFT}/review`, member.cookie)).status).toBe(403);
    const marked = await postForm(server.url, `${DRAFT}/review`, { threadId, versionNumber: "4" }, editor.cookie);
    expect(marked.status).toBe(200);
    const after = await page(`${DRAFT}/review`, editor.cookie);
    expect(after.html).toContain("Inga trådar väntar på granskning.");
    expect(after.html).toContain("Granskad av Eva Editor");
  });
});
