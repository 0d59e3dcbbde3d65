import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDocumentBySlug } from "#db/repositories/documents";
import { findWorkshopBySlug } from "#db/repositories/workshops";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { blockText, connectClient, paragraphIds, plainText, type CollabClient } from "#tests/support/collab-client";
import { readCalendarEvent } from "#tests/support/calendar";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";
import { eventually } from "#tests/support/wait";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;

describe("versions of the draft", () => {
  let server: TestServer;
  let editor: CollabClient;
  let cookie: string;
  let documentId: string;

  beforeAll(async () => {
    server = await startTestServer();
    documentId = (await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug))?.id ?? "";
    cookie = (await signedInAs(server.services.db, "editor", "Eva Editor")).cookie;
    editor = await connectClient(server.url, documentId, { cookie });
  });
  afterAll(async () => {
    editor?.destroy();
    await server?.dispose();
  });

  const page = async (path: string) => {
    const response = await fetch(`${server.url}${path}`, { headers: { Cookie: cookie } });
    return { status: response.status, html: await response.text() };
  };
  const freeze = (fields: Record<string, string>) => postForm(server.url, `${DRAFT}/versions`, fields, cookie);

  it("freezes v1 at the 1 September workshop, then v2 after an edit; the compare page shows exactly that edit", async () => {
    const workshop = await findWorkshopBySlug(server.services.db, "2020-09-01-oppna-licenser-och-immaterialratt");
    const first = await freeze({ name: "Version 0.1", changeNote: "Som visad vid workshoppen", workshopId: workshop?.id ?? "" });
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe(`${DRAFT}/v/1`);

    const paragraphId = paragraphIds(editor.doc)[3] ?? "";
    const original = plainText(editor.doc, paragraphId);
    blockText(editor.doc, paragraphId).insert(0, "Tillägg efter workshoppen. ");
    await eventually(async () =>
      expect(await server.services.readDocument(documentId, (doc) => plainText(doc, paragraphId))).toContain("Tillägg"),
    );
    expect((await freeze({ name: "Version 0.2" })).headers.get("location")).toBe(`${DRAFT}/v/2`);

    const compare = await page(`${DRAFT}/compare?from=1&to=2`);
    expect(compare.status).toBe(200);
    expect(compare.html).toContain("1 avsnitt ändrade: 1 stycken redigerade, 0 tillagda, 0 borttagna, 0 flyttade.");
    // The added words, between the hidden words that tell a screen reader where the addition begins and ends.
    expect(compare.html).toMatch(/<ins><span class="visually-hidden">Tillagt:(<!-- -->)? <\/span>Tillägg efter workshoppen\. <span class="visually-hidden">[^<]*(<!-- -->)?\(slut på tillägget\)<\/span><\/ins>/);
    expect(compare.html.match(/class="change change--/g)).toHaveLength(1);

    const v1 = await page(`${DRAFT}/v/1`);
    expect(v1.html).toContain(original);
    expect(v1.html).not.toContain("Tillägg efter workshoppen.");
    expect(v1.html).toContain("Du läser version 1, ”Version 0.1”");
    const timeline = await page(`${DRAFT}/versions`);
    expect(timeline.html).toContain("Visad vid workshoppen Öppna licenser och immaterialrätt – hur hänger det ihop?");
    expect(timeline.html).toContain(`href="${DRAFT}/compare?from=1&amp;to=live"`);

    // The workshop's page leads to the version shown there and to what has changed since.
    const workshopPage = await page("/workshops/2020-09-01-oppna-licenser-och-immaterialratt");
    expect(workshopPage.html).toContain(`href="${DRAFT}/v/1"`);
    expect(workshopPage.html).toContain(`href="${DRAFT}/compare?from=1&amp;to=live"`);
    const calendar = await fetch(`${server.url}/workshops/2020-09-01-oppna-licenser-och-immaterialratt/calendar.ics`);
    expect(calendar.headers.get("content-type")).toContain("text/calendar");
    expect(readCalendarEvent(await calendar.text())).toMatchObject({
      start: "2020-09-01T08:00:00.000Z",
      end: "2020-09-01T10:00:00.000Z",
      summary: "Öppna licenser och immaterialrätt – hur hänger det ihop?",
    });
  });

  it("says so for a version compared with itself, an unknown version, and a name already used", async () => {
    expect((await page(`${DRAFT}/compare?from=2&to=2`)).html).toContain("Inga skillnader.");
    expect((await page(`${DRAFT}/v/99`)).status).toBe(404);
    expect((await page(`${DRAFT}/compare?from=1&to=99`)).status).toBe(404);
    const again = await freeze({ name: "version 0.1" });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("Det namnet har redan en version av det här utkastet.");
    const empty = await freeze({ name: " " });
    expect(await empty.text()).toContain("Ge versionen ett namn.");
    const member = await signedInAs(server.services.db, "member");
    expect((await postForm(server.url, `${DRAFT}/versions`, { name: "Min version" }, member.cookie)).status).toBe(403);
  });
});
