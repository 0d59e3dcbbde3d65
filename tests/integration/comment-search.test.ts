import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocumentIndex } from "#app/comments/anchoring";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const SEARCH = `${DRAFT}/comments`;
const COMMENT_LINK = /#comment-([0-9a-f-]{36})$/;
const HIDDEN_WORD = "zebraränder";

/** The threads a search page lists, in order, by the links to them. */
const foundThreads = (html: string) => [...html.matchAll(/href="[^"]*#thread-([0-9a-f-]{36})"/g)].map(([, id]) => id);

describe("searching the comments as a reader", () => {
  let server: TestServer;
  let member: Awaited<ReturnType<typeof signedInAs>>;
  let archivist: Awaited<ReturnType<typeof signedInAs>>;
  const threads = { eupl: { thread: "", comment: "" }, archive: { thread: "", comment: "" }, hidden: { thread: "", comment: "" } };

  const get = (path: string, cookie?: string) => fetch(`${server.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
  const startThread = async (cookie: string, blockId: string, body: string) => {
    const response = await postForm(server.url, DRAFT, { intent: "create-thread", acceptLicence: "on", position: "", blockId, body }, cookie);
    expect(response.status).toBe(302);
    const comment = COMMENT_LINK.exec(response.headers.get("location") ?? "")?.[1] ?? "";
    const row = await server.services.db.selectFrom("comments").select("thread_id").where("id", "=", comment).executeTakeFirstOrThrow();
    return { thread: row.thread_id, comment };
  };

  beforeAll(async () => {
    server = await startTestServer();
    const { db } = server.services;
    const documentId = (await findDocumentBySlug(db, SEED_DOCUMENT.slug))?.id ?? "";
    // The first paragraph (before the first section) and the first of section 2.
    const [first, inSection2] = await server.services.readDocument(documentId, (doc) => {
      const blocks = DocumentIndex.of(doc).blocks;
      const section2 = blocks.findIndex((block) => block.type === "heading" && block.text.startsWith("2."));
      return [blocks.find((block) => block.type === "paragraph")?.id ?? "", blocks.slice(section2).find((block) => block.type === "paragraph")?.id ?? ""];
    });
    member = await signedInAs(db, "member", "Mats Medlem");
    archivist = await signedInAs(db, "member", "Arja Arkivarie");
    await db.updateTable("users").set({ organisation: "Riksarkivet" }).where("id", "=", archivist.userId).execute();
    const editor = await signedInAs(db, "editor", "Eva Editor");

    threads.eupl = await startThread(member.cookie, first, "Vi föreslår EUPL för egna applikationer.");
    threads.archive = await startThread(archivist.cookie, inSection2, "Arkivlagen behöver nämnas här.");
    threads.hidden = await startThread(member.cookie, inSection2, `Ett olämpligt ord: ${HIDDEN_WORD}.`);
    expect((await postForm(server.url, DRAFT, { intent: "flag", commentId: threads.hidden.comment, reason: "Olämpligt" }, archivist.cookie)).status).toBe(302);
    const queue = await (await get(`${DRAFT}/moderation`, editor.cookie)).text();
    const flagId = /name="flagId" value="([0-9a-f-]{36})"/.exec(queue)?.[1] ?? "";
    expect((await postForm(server.url, `${DRAFT}/moderation`, { intent: "hide", flagId, reason: "Bryter mot reglerna" }, editor.cookie)).status).toBe(200);
  });
  afterAll(() => server?.dispose());

  it("is linked from the draft page, and titled", async () => {
    const draft = await (await get(DRAFT)).text();
    expect(draft).toContain(`href="${SEARCH}"`);
    const page = await get(SEARCH);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>Sök bland kommentarerna – [^<]+ – Samråd<\/title>/);
  });

  it("finds a member's comment by a word of its text, and leads to it on the draft page", async () => {
    const html = await (await get(`${SEARCH}?q=eupl`, member.cookie)).text();
    expect(foundThreads(html)).toEqual([threads.eupl.thread]);
    expect(html).toContain(`href="${DRAFT}?comments=all&amp;show=${threads.eupl.comment}#comment-${threads.eupl.comment}"`);
    expect(html).toContain("Vi föreslår EUPL för egna applikationer.");
  });

  it("finds a comment by its author's organisation, and filters by section and status", async () => {
    expect(foundThreads(await (await get(`${SEARCH}?q=riksarkivet`, member.cookie)).text())).toEqual([threads.archive.thread]);
    expect(foundThreads(await (await get(`${SEARCH}?section=2`, member.cookie)).text())).toEqual([threads.archive.thread, threads.hidden.thread]);
    expect(foundThreads(await (await get(`${SEARCH}?section=2&q=arkivlagen&status=open`)).text())).toEqual([threads.archive.thread]);
    expect(foundThreads(await (await get(`${SEARCH}?status=rejected`)).text())).toEqual([]);
  });

  it("never shows or finds a hidden comment, to a visitor or a member", async () => {
    for (const cookie of [undefined, member.cookie]) {
      const found = await (await get(`${SEARCH}?q=${HIDDEN_WORD}`, cookie)).text();
      expect(foundThreads(found)).toEqual([]);
      expect(found).toContain("Inga trådar matchar sökningen.");
      const all = await (await get(SEARCH, cookie)).text();
      expect(all).not.toContain(HIDDEN_WORD);
      expect(all).not.toContain(`#comment-${threads.hidden.comment}`);
    }
  });

  it("answers hostile input with 400 or an empty search, never an error", async () => {
    const long = await get(`${SEARCH}?q=${"a".repeat(5000)}`);
    expect(long.status).toBe(400);
    expect(await long.text()).toContain("Sökningen är för lång");
    for (const query of ["status=bogus", "section=%3Cscript%3E", "page=99999999999999999999", "q=%E2%80%AE%C2%A0", "q=a&q=b&status=open&status=x"]) {
      const response = await get(`${SEARCH}?${query}`);
      expect(response.status, query).toBe(200);
    }
    expect(foundThreads(await (await get(`${SEARCH}?section=%3Cscript%3E`)).text())).toEqual([]);
  });
});
