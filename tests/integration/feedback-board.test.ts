import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocumentIndex } from "#app/comments/anchoring";
import { findDocumentBySlug } from "#db/repositories/documents";
import { findThread } from "#db/repositories/comments";
import { listWorkshops } from "#db/repositories/workshops";
import { listOutboxMessages } from "#db/repositories/outbox";
import { listAudit } from "#app/models/audit.server";
import { loadNotifications } from "#app/models/notifications.server";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { testDatabaseKinds } from "#tests/support/database";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const BOARD = `${DRAFT}/feedback`;
const COMMENT_LINK = /#comment-([0-9a-f-]{36})$/;

/** The checkboxes of the board's rows, in order: the thread each selects, and whether it is ticked. */
const rowBoxes = (html: string) =>
  [...html.matchAll(/<input [^>]*name="threadId"[^>]*>/g)].map(([input]) => ({
    threadId: /value="([0-9a-f-]{36})"/.exec(input)?.[1],
    checked: / checked=""/.test(input),
  }));
/** The ids of the threads whose rows a board page shows, in order. */
const rowIds = (html: string) => rowBoxes(html).map((box) => box.threadId);

describe.each(testDatabaseKinds())("the triage board (%s)", (database) => {
  let server: TestServer;
  let member: Awaited<ReturnType<typeof signedInAs>>;
  let editor: Awaited<ReturnType<typeof signedInAs>>;
  let blockId: string;
  let workshopTitle: string;
  let comment: string;
  let suggestion: string;

  const get = (path: string, cookie?: string) => fetch(`${server.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
  /** The bulk form as a browser sends it: one `threadId` per ticked checkbox. */
  const postBulk = (fields: [string, string][], cookie: string) =>
    fetch(`${server.url}${BOARD}`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: server.url, Cookie: cookie },
      body: new URLSearchParams(fields),
    });
  const startThread = async (fields: Record<string, string>) => {
    const response = await postForm(server.url, DRAFT, { intent: "create-thread", acceptLicence: "on", position: "", blockId, ...fields }, member.cookie);
    expect(response.status).toBe(302);
    const commentId = COMMENT_LINK.exec(response.headers.get("location") ?? "")?.[1] ?? "";
    const row = await server.services.db.selectFrom("comments").select("thread_id").where("id", "=", commentId).executeTakeFirstOrThrow();
    return row.thread_id;
  };

  beforeAll(async () => {
    server = await startTestServer({ database });
    const documentId = (await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug))?.id ?? "";
    blockId = await server.services.readDocument(documentId, (doc) => DocumentIndex.of(doc).blocks.find((block) => block.type === "paragraph")?.id ?? "");
    member = await signedInAs(server.services.db, "member", "Mats Medlem");
    editor = await signedInAs(server.services.db, "editor", "Eva Editor");
    const workshop = (await listWorkshops(server.services.db))[0];
    workshopTitle = workshop?.title ?? "";
    // Version 1, shown at a workshop: the threads below are made on it.
    const frozen = await postForm(server.url, `${DRAFT}/versions`, { name: "Remissversion", workshopId: workshop?.id ?? "" }, editor.cookie);
    expect(frozen.status).toBe(302);
    comment = await startThread({ body: "Vi föreslår EUPL för egna applikationer.", position: "supports" });
    suggestion = await startThread({ kind: "suggestion", suggestion: "Ny lydelse.", body: "Tydligare så här.", position: "opposes" });
  });
  afterAll(() => server?.dispose());

  it("shows editors every thread in one table, with its place, author, version, workshop, status and kind", async () => {
    const response = await get(BOARD, editor.cookie);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(rowIds(html)).toEqual([comment, suggestion]);
    expect(html).toMatch(/<caption[^>]*>2 trådar av 2<\/caption>/);
    for (const header of ["Plats", "Citat", "Skribent", "Version", "Workshop", "Status", "Svar", "Skriven"]) {
      expect(html).toContain(`<th scope="col">${header}</th>`);
    }
    expect(html).toContain(`href="${DRAFT}?comments=all&amp;show=${comment}#thread-${comment}"`);
    expect(html).toContain("Mats Medlem");
    expect(html).toContain("Testmyndigheten");
    expect(html).toContain(workshopTitle.replace(/&/g, "&amp;"));
    expect(html).toContain('badge--open">Öppen</span>');
    expect(html).toContain('<span class="hint">Förslag</span>');
    // The heat strip: both threads open in one section, with one position for and one against.
    expect(html).toMatch(/heat-strip__cell--4[\s\S]*?2 öppna[\s\S]*?1 stöder · 1 emot/);
  });

  it("filters by kind and status, and searches the comments without regard to case", async () => {
    expect(rowIds(await (await get(`${BOARD}?kind=suggestion`, editor.cookie)).text())).toEqual([suggestion]);
    expect(rowIds(await (await get(`${BOARD}?kind=comment&status=open`, editor.cookie)).text())).toEqual([comment]);
    expect(rowIds(await (await get(`${BOARD}?status=rejected`, editor.cookie)).text())).toEqual([]);
    expect(rowIds(await (await get(`${BOARD}?q=eupl`, editor.cookie)).text())).toEqual([comment]);
    expect(rowIds(await (await get(`${BOARD}?q=&sort=newest`, editor.cookie)).text())).toEqual([suggestion, comment]);
  });

  it("refuses a bulk change without a public response at the field, keeping what was chosen and typed", async () => {
    const response = await postBulk(
      [
        ["threadId", comment],
        ["threadId", suggestion],
        ["status", "rejected"],
        ["response", "   "],
      ],
      editor.cookie,
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toMatch(/class="field-error" id="bulk-response-error">Skriv ett svar/);
    expect(html).toMatch(/<option value="rejected" selected="">/);
    expect(rowBoxes(html)).toEqual([
      { threadId: comment, checked: true },
      { threadId: suggestion, checked: true },
    ]);
    expect(await findThread(server.services.db, comment)).toMatchObject({ status: "open", outcome: null });

    const nothingChosen = await postBulk(
      [
        ["status", "accepted"],
        ["response", "Vårt svar till alla"],
      ],
      editor.cookie,
    );
    expect(nothingChosen.status).toBe(400);
    const page = await nothingChosen.text();
    expect(page).toContain("Välj minst en tråd i tabellen.");
    expect(page).toMatch(/<textarea[^>]*name="response"[^>]*>Vårt svar till alla<\/textarea>/);
  });

  it("refuses members the board and its status changes, and sends visitors to sign in", async () => {
    expect((await get(BOARD, member.cookie)).status).toBe(403);
    const refused = await postBulk(
      [
        ["threadId", comment],
        ["status", "accepted"],
        ["response", "Jag godtar mitt eget."],
      ],
      member.cookie,
    );
    expect(refused.status).toBe(403);
    expect(await findThread(server.services.db, comment)).toMatchObject({ status: "open", outcome: null });
    const visitor = await get(BOARD);
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("location")).toBe(`/sign-in?redirectTo=${encodeURIComponent(BOARD)}`);
  });

  it("closes the chosen threads with one public response, shown on the live draft, and reopens them", async () => {
    const response = await postBulk(
      [
        ["threadId", comment],
        ["threadId", suggestion],
        ["status", "answered"],
        ["response", "Vi har läst och svarar i nästa version."],
      ],
      editor.cookie,
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("2 trådar har ändrats.");
    for (const threadId of [comment, suggestion]) {
      expect(await findThread(server.services.db, threadId)).toMatchObject({
        status: "resolved",
        outcome: "answered",
        response: "Vi har läst och svarar i nästa version.",
        responded_by_name: "Eva Editor",
      });
    }
    expect(await (await get(`${DRAFT}?comments=all&show=${comment}`)).text()).toContain("Vi har läst och svarar i nästa version.");
    // The author hears of the decision as of one taken on the draft's page: in the app, and by mail (on by default).
    const notified = await loadNotifications(server.services.db, member.userId);
    expect(notified.filter((notification) => notification.kind === "status").map((notification) => notification.href).sort()).toEqual(
      [comment, suggestion].map((threadId) => `${DRAFT}?comments=all&show=${threadId}#thread-${threadId}`).sort(),
    );
    const mails = await listOutboxMessages(server.services.db, { to: member.email, limit: 10 });
    expect(mails.filter((mail) => mail.body_text.includes("Vi har läst och svarar i nästa version."))).toHaveLength(2);
    const [logged] = (await listAudit(server.services.db, { limit: 1, offset: 0 })).entries;
    expect(logged).toMatchObject({ action: "threads.status-changed", actor: { id: editor.userId }, details: { status: "answered", threads: [comment, suggestion] } });
    expect(rowIds(await (await get(`${BOARD}?status=answered`, editor.cookie)).text())).toEqual([comment, suggestion]);

    const reopened = await postBulk(
      [
        ["threadId", suggestion],
        ["status", "reopen"],
      ],
      editor.cookie,
    );
    expect(reopened.status).toBe(200);
    expect(await findThread(server.services.db, suggestion)).toMatchObject({ status: "open", outcome: null, response: null });
  });

  it("lists a thread accepted before a version was frozen as incorporated in that version, on its page and the timeline", async () => {
    const accepted = await postBulk(
      [
        ["threadId", suggestion],
        ["status", "accepted"],
        ["response", "Vi tar in den nya lydelsen."],
      ],
      editor.cookie,
    );
    expect(accepted.status).toBe(200);
    expect((await postForm(server.url, `${DRAFT}/versions`, { name: "Med synpunkterna" }, editor.cookie)).status).toBe(302);

    const versionPage = await (await get(`${DRAFT}/v/2`)).text();
    expect(versionPage).toContain("Inarbetade synpunkter: 1 tråd");
    expect(versionPage).toContain(`show=${suggestion}#thread-${suggestion}`);
    expect(versionPage).not.toContain(`show=${comment}#thread-${comment}`);
    const timeline = await (await get(`${DRAFT}/versions`)).text();
    expect(timeline).toContain("Inarbetade synpunkter: 1 tråd");
    expect(timeline).toContain(`show=${suggestion}#thread-${suggestion}`);
    const firstVersion = await (await get(`${DRAFT}/v/1`)).text();
    expect(firstVersion).not.toContain("Inarbetade synpunkter");
  });
});
