import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocumentIndex } from "#app/comments/anchoring";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { testDatabaseKinds } from "#tests/support/database";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const COMMENT_LINK = /#comment-([0-9a-f-]{36})$/;

describe.each(testDatabaseKinds())("comments on the draft (%s)", (database) => {
  let server: TestServer;
  let documentId: string;
  let blocks: { id: string; text: string }[];
  let member: Awaited<ReturnType<typeof signedInAs>>;
  let otherMember: Awaited<ReturnType<typeof signedInAs>>;
  let editor: Awaited<ReturnType<typeof signedInAs>>;

  beforeAll(async () => {
    server = await startTestServer({ database });
    const document = await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    documentId = document.id;
    blocks = await server.services.readDocument(documentId, (doc) =>
      DocumentIndex.of(doc).blocks.map((block) => ({ id: block.id, text: block.text })),
    );
    member = await signedInAs(server.services.db, "member", "Mats Medlem");
    otherMember = await signedInAs(server.services.db, "member", "Olga Annan");
    editor = await signedInAs(server.services.db, "editor", "Eva Editor");
  });
  afterAll(() => server?.dispose());

  const longParagraph = () => {
    const block = blocks.find((candidate) => candidate.text.length > 200);
    if (!block) throw new Error("the seed has no long paragraph");
    return block;
  };
  const page = async (cookie?: string, search = "") =>
    (await fetch(`${server.url}${DRAFT}${search}`, { headers: cookie ? { Cookie: cookie } : {} })).text();
  /** Posts a comment form as a browser without JavaScript does (to the page's own address). */
  const post = (fields: Record<string, string>, cookie?: string, search = "") => postForm(server.url, `${DRAFT}${search}`, fields, cookie);
  const startThread = async (cookie: string, fields: Record<string, string>) => {
    const response = await post({ intent: "create-thread", acceptLicence: "on", position: "", ...fields }, cookie);
    expect(response.status).toBe(302);
    const commentId = COMMENT_LINK.exec(response.headers.get("location") ?? "")?.[1];
    expect(commentId).toBeTruthy();
    const row = await server.services.db.selectFrom("comments").select("thread_id").where("id", "=", commentId ?? "").executeTakeFirstOrThrow();
    return { commentId: commentId ?? "", threadId: row.thread_id };
  };

  it("lets a member comment on a block and on a passage; everyone reads it, with the passage highlighted", async () => {
    const block = longParagraph();
    const exact = block.text.slice(20, 60);
    await startThread(member.cookie, { blockId: block.id, body: "Hela stycket är oklart.\nSe https://example.org/x.", position: "opposes" });
    const { commentId } = await startThread(member.cookie, { blockId: block.id, from: "20", to: "60", exact, body: "Just den här meningen." });

    const html = await page();
    expect(html).toContain("Hela stycket är oklart.");
    expect(html).toContain('href="https://example.org/x"');
    expect(html).toContain(`id="comment-${commentId}"`);
    expect(html).toContain(`<mark class="comment-highlight"`);
    expect(html).toMatch(new RegExp(`<blockquote class="thread__quote">${escapeForRegExp(exact)}</blockquote>`));
    expect(html).toContain("Mats Medlem");
    expect(html).toContain("Emot");
  });

  it("refuses comments from visitors, who are sent to sign in, and stores nothing", async () => {
    const before = await countComments();
    const response = await post({ intent: "create-thread", blockId: longParagraph().id, body: "Anonym synpunkt" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/sign-in\?redirectTo=/);
    expect(await countComments()).toBe(before);
    expect(await page()).toContain("Logga in för att kommentera");
  });

  it("lets only authors edit and delete their comments; the thread stays readable", async () => {
    const { commentId, threadId } = await startThread(member.cookie, { blockId: longParagraph().id, body: "Första versionen" });

    const byOther = await post({ intent: "edit-comment", commentId, body: "Kapad text" }, otherMember.cookie);
    expect(byOther.status).toBe(403);
    expect(await byOther.text()).toContain("Du har inte behörighet att göra det.");
    const byEditor = await post({ intent: "delete-comment", commentId }, editor.cookie);
    expect(byEditor.status).toBe(403);

    expect((await post({ intent: "edit-comment", commentId, body: "Andra versionen" }, member.cookie)).status).toBe(302);
    let html = await page();
    expect(html).toContain("Andra versionen");
    expect(html).not.toContain("Första versionen");
    expect(html).toContain("redigerad");

    expect((await post({ intent: "reply", threadId, body: "Ett svar", acceptLicence: "on" }, otherMember.cookie)).status).toBe(302);
    expect((await post({ intent: "delete-comment", commentId }, member.cookie)).status).toBe(302);
    html = await page();
    expect(html).toContain("Kommentaren har tagits bort av den som skrev den.");
    expect(html).toContain("Ett svar");
    expect(html).not.toContain("Andra versionen");
  });

  it("lets authors resolve their own threads and editors anyone's; other members cannot", async () => {
    const { threadId } = await startThread(member.cookie, { blockId: longParagraph().id, body: "Ska lösas" });
    const refused = await post({ intent: "resolve", threadId }, otherMember.cookie);
    expect(refused.status).toBe(403);
    expect(await threadStatus(threadId)).toBe("open");

    expect((await post({ intent: "resolve", threadId }, member.cookie)).status).toBe(302);
    expect(await threadStatus(threadId)).toBe("resolved");
    expect((await post({ intent: "reopen", threadId }, editor.cookie)).status).toBe(302);
    expect(await threadStatus(threadId)).toBe("open");
    expect((await post({ intent: "resolve", threadId }, editor.cookie)).status).toBe(302);

    expect(await page(undefined, "?comments=open")).not.toContain("Ska lösas");
    const resolved = await page(undefined, "?comments=resolved");
    expect(resolved).toContain("Ska lösas");
    expect(resolved).toContain("Löst");
  });

  it("counts positions and +1s on the thread, and refuses a +1 on one's own thread", async () => {
    const { threadId } = await startThread(member.cookie, { blockId: longParagraph().id, body: "Räkna mig", position: "supports" });
    expect((await post({ intent: "reply", threadId, body: "Jag med", position: "supports", acceptLicence: "on" }, otherMember.cookie)).status).toBe(302);
    expect((await post({ intent: "agree", threadId }, otherMember.cookie)).status).toBe(302);
    expect((await post({ intent: "agree", threadId }, editor.cookie)).status).toBe(302);
    const own = await post({ intent: "agree", threadId }, member.cookie);
    expect(own.status).toBe(400);
    expect(await own.text()).toContain("Du kan inte ge +1 till din egen tråd.");
    const html = await page();
    expect(html).toContain("2 stöder · 0 emot · 0 neutrala · 2 håller med");
  });

  it("answers bad input with a message in place and keeps the typed text in the box", async () => {
    const block = longParagraph();
    const search = `?comment=${block.id}`;
    const empty = await post({ intent: "create-thread", blockId: block.id, body: "   ", acceptLicence: "on" }, member.cookie, search);
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Skriv något först.");

    const tooLong = "Lång synpunkt. ".repeat(400);
    const overLong = await post({ intent: "create-thread", blockId: block.id, body: tooLong, acceptLicence: "on" }, member.cookie, search);
    expect(overLong.status).toBe(400);
    const overLongPage = await overLong.text();
    expect(overLongPage).toContain("Texten är för lång: högst 5000 tecken.");
    expect(overLongPage).toContain(`>${tooLong}</textarea>`);

    const unknownBlock = await post(
      { intent: "create-thread", blockId: "bfinnsinte0", body: "Min text om ett borttaget stycke", acceptLicence: "on" },
      member.cookie,
      "?comment=bfinnsinte0",
    );
    expect(unknownBlock.status).toBe(400);
    const unknownBlockPage = await unknownBlock.text();
    expect(unknownBlockPage).toContain("Stycket finns inte längre i utkastet.");
    expect(unknownBlockPage).toContain(">Min text om ett borttaget stycke</textarea>");

    const changed = await post(
      { intent: "create-thread", blockId: block.id, from: "0", to: "12", exact: "Inte där alls", body: "Min text", acceptLicence: "on" },
      member.cookie,
      search,
    );
    expect(changed.status).toBe(400);
    const changedPage = await changed.text();
    expect(changedPage).toContain("Den markerade texten ändrades medan du skrev.");
    expect(changedPage).toContain(">Min text</textarea>");

    const unknownThread = await post({ intent: "reply", threadId: "00000000-0000-4000-8000-000000000000", body: "Svar" }, member.cookie);
    expect(unknownThread.status).toBe(400);
    expect(await unknownThread.text()).toContain("Tråden finns inte i det här utkastet.");

    const { commentId, threadId } = await startThread(otherMember.cookie, { blockId: block.id, body: "Snart borta" });
    await post({ intent: "delete-comment", commentId }, otherMember.cookie);
    const toRemoved = await post({ intent: "reply", threadId, body: "Mitt svar på en borttagen tråd", acceptLicence: "on" }, member.cookie);
    expect(toRemoved.status).toBe(400);
    const toRemovedPage = await toRemoved.text();
    expect(toRemovedPage).toContain("Tråden är borttagen och går inte att svara på.");
  });

  it("asks an account that has not accepted the contribution licence to accept it, once", async () => {
    const fresh = await signedInAs(server.services.db, "member", "Ny Medlem");
    expect(await page(fresh.cookie, `?comment=${longParagraph().id}`)).toContain("Jag godkänner att mina synpunkter publiceras under licensen");
    const refused = await post({ intent: "create-thread", blockId: longParagraph().id, body: "Utan samtycke" }, fresh.cookie, `?comment=${longParagraph().id}`);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Godkänn licensen för att kunna publicera.");
    await startThread(fresh.cookie, { blockId: longParagraph().id, body: "Med samtycke" });
    const after = await page(fresh.cookie, `?comment=${longParagraph().id}`);
    expect(after).not.toContain("Jag godkänner att mina synpunkter publiceras");
    expect(after).toContain("Kommentarer publiceras under licensen");
  });

  it("lets members flag a comment and editors hide it with a reason that stays in the thread", async () => {
    const { commentId } = await startThread(member.cookie, { blockId: longParagraph().id, body: "Olämplig text här" });
    expect((await post({ intent: "flag", commentId, reason: "" }, otherMember.cookie)).status).toBe(400);
    expect((await post({ intent: "flag", commentId, reason: "Personangrepp" }, otherMember.cookie)).status).toBe(302);

    const memberQueue = await fetch(`${server.url}${DRAFT}/moderation`, { headers: { Cookie: member.cookie } });
    expect(memberQueue.status).toBe(403);
    const queue = await (await fetch(`${server.url}${DRAFT}/moderation`, { headers: { Cookie: editor.cookie } })).text();
    expect(queue).toContain("Olämplig text här");
    expect(queue).toContain("Skäl: Personangrepp");
    const flagId = /name="flagId" value="([0-9a-f-]{36})"/.exec(queue)?.[1] ?? "";

    const noReason = await postForm(server.url, `${DRAFT}/moderation`, { intent: "hide", flagId, reason: "" }, editor.cookie);
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("Ange ett skäl.");
    const hidden = await postForm(server.url, `${DRAFT}/moderation`, { intent: "hide", flagId, reason: "Bryter mot reglerna" }, editor.cookie);
    expect(hidden.status).toBe(200);
    expect(await hidden.text()).not.toContain("Olämplig text här");

    const html = await page();
    expect(html).toContain("Dold av en moderator: Bryter mot reglerna");
    expect(html).not.toContain("Olämplig text här");
    const audit = await server.services.db.selectFrom("audit_log").select("action").where("subject", "=", commentId).execute();
    expect(audit.map((entry) => entry.action)).toEqual(["comment.hidden"]);
  });

  it("lists threads 25 to a page, and a link to a comment opens the page that holds it", async () => {
    let last = { commentId: "", threadId: "" };
    for (let count = 1; count <= 26; count++) last = await startThread(member.cookie, { blockId: longParagraph().id, body: `Sidtråd ${count}` });
    const first = await page(undefined, "?comments=all");
    expect(first).toMatch(/Visar 1–25 av \d+ trådar/);
    expect(first).toContain('href="/d/vagledning-oppna-licenser?comments=all&amp;page=2"');
    expect(first).not.toContain(`id="comment-${last.commentId}"`);
    const shown = await page(undefined, `?comments=all&show=${last.commentId}`);
    expect(shown).toContain(`id="comment-${last.commentId}"`);
    // Every thread still has its highlight and badge, whichever page of the list is shown.
    expect(first).toContain(`${last.threadId}`);
  });

  it("tells open pages about a new comment over server-sent events", async () => {
    const controller = new AbortController();
    const stream = await fetch(`${server.url}${DRAFT}/events`, { signal: controller.signal });
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const reader = stream.body?.getReader();
    if (!reader) throw new Error("no event stream");
    const decoder = new TextDecoder();
    let received = "";
    // The stream opens with a retry hint; only what follows can be the event.
    received += decoder.decode((await reader.read()).value, { stream: true });
    const eventArrived = (async () => {
      while (!received.includes("event: thread-changed")) {
        const { value, done } = await reader.read();
        if (done) break;
        received += decoder.decode(value, { stream: true });
      }
    })();
    const { threadId } = await startThread(member.cookie, { blockId: longParagraph().id, body: "Live" });
    await eventArrived;
    expect(received).toContain(`"threadId":"${threadId}"`);
    controller.abort();
  });

  async function countComments(): Promise<number> {
    const row = await server.services.db
      .selectFrom("comments")
      .innerJoin("comment_threads", "comment_threads.id", "comments.thread_id")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .where("comment_threads.document_id", "=", documentId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async function threadStatus(threadId: string): Promise<string> {
    const row = await server.services.db.selectFrom("comment_threads").select("status").where("id", "=", threadId).executeTakeFirstOrThrow();
    return row.status;
  }
});

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
