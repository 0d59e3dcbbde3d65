import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { splitSections } from "#app/models/present.server";
import type { Section } from "#app/present/view";
import { yDocToContent } from "#app/editor/content";
import { findDocumentBySlug } from "#db/repositories/documents";
import { findWorkshopBySlug } from "#db/repositories/workshops";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { blockText, connectClient, paragraphIds, plainText, type CollabClient } from "#tests/support/collab-client";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";
import { eventually } from "#tests/support/wait";
import { openStream } from "#tests/support/event-stream";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const PRESENT = `${DRAFT}/present`;

describe("present mode", () => {
  let server: TestServer;
  let documentId: string;
  let host: string;
  let member: string;
  let editor: CollabClient;
  let sections: Section[];

  beforeAll(async () => {
    server = await startTestServer();
    documentId = (await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug))?.id ?? "";
    host = (await signedInAs(server.services.db, "host", "Hedda Host")).cookie;
    member = (await signedInAs(server.services.db, "member", "Mats Medlem")).cookie;
    editor = await connectClient(server.url, documentId, { cookie: (await signedInAs(server.services.db, "editor")).cookie });
    sections = await server.services.readDocument(documentId, (doc) => splitSections(yDocToContent(doc)));
  });
  afterAll(async () => {
    editor?.destroy();
    await server?.dispose();
  });

  const page = async (path: string, cookie?: string) => {
    const response = await fetch(`${server.url}${path}`, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
    return { status: response.status, location: response.headers.get("location"), html: await response.text() };
  };
  const move = (fields: Record<string, string>, cookie = host) => postForm(server.url, PRESENT, { intent: "move", ...fields }, cookie);

  it("is for hosts: one section at a time, the section list, the QR code and link, and the freeze form", async () => {
    const hostPage = await page(`${PRESENT}?section=3`, host);
    expect(hostPage.status).toBe(200);
    expect(hostPage.html).toContain(`Avsnitt 3 av 12: <span lang="sv">2. Varför myndigheter bör licensiera öppet</span>`);
    expect(hostPage.html).toContain(`data-section-id="${sections[2]?.id}"`);
    // Only that section's text; every section in the list.
    expect(hostPage.html).not.toContain(`id="${sections[3]?.id}"`);
    expect(hostPage.html).toContain(">11. Fortsatt arbete och synpunkter på utkastet</a>");
    expect(hostPage.html).toMatch(/<svg class="qr-code" role="img" aria-label="QR-kod med adressen http:\/\/127\.0\.0\.1:\d+\/d\/[^"]+"/);
    expect(hostPage.html).toContain(`>127.0.0.1:${server.port}${DRAFT}</a>`);
    expect(hostPage.html).toContain('value="Version 1"');

    expect((await page(PRESENT, member)).status).toBe(403);
    expect((await page(PRESENT)).location).toBe(`/sign-in?redirectTo=${encodeURIComponent(PRESENT)}`);
  });

  it("lets anyone follow: a host's move reaches the listeners, and a late follower starts where the host is", async () => {
    const follower = await page(`${PRESENT}?follow`);
    expect(follower.status).toBe(200);
    expect(follower.html).toContain("Avsnitt 1 av 12");
    expect(follower.html).not.toContain("Spara versionen");

    const stream = await openStream(`${server.url}${PRESENT}/events`);
    expect(stream.response.headers.get("content-type")).toContain("text/event-stream");
    await stream.waitFor("retry:");
    const target = sections[4]?.id ?? "";
    expect((await move({ sectionId: target })).status).toBe(200);
    await stream.waitFor(`event: presenter-moved\ndata: {"sectionId":"${target}"}`);
    stream.close();

    const late = await openStream(`${server.url}${PRESENT}/events`);
    await late.waitFor(`data: {"sectionId":"${target}"}`);
    late.close();
    expect((await page(`${PRESENT}?follow`)).html).toContain(`Avsnitt 5 av 12: <span lang="sv">4. Att välja mellan CC0 och CC BY 4.0</span>`);
  });

  it("refuses positions that are not a section of the draft, and moves by anyone but a host", async () => {
    const before = await server.services.presenterEvents.current(documentId);
    const paragraph = paragraphIds(editor.doc)[2] ?? "";
    expect((await move({ sectionId: paragraph })).status).toBe(400);
    expect((await move({ sectionId: "" })).status).toBe(400);
    expect((await move({})).status).toBe(400);
    expect((await move({ sectionId: "x".repeat(101) })).status).toBe(400);
    expect((await move({ sectionId: sections[1]?.id ?? "" }, member)).status).toBe(403);
    expect(await server.services.presenterEvents.current(documentId)).toEqual(before);
  });

  it("freezes the version presented at a workshop, then marks what changed since", async () => {
    const workshop = await findWorkshopBySlug(server.services.db, "2020-09-01-oppna-licenser-och-immaterialratt");
    const freeze = (fields: Record<string, string>) => postForm(server.url, PRESENT, { intent: "freeze", section: "2", ...fields }, host);
    const empty = await freeze({ name: " ", workshopId: workshop?.id ?? "" });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Ge versionen ett namn.");
    const frozen = await freeze({ name: "Version 1", workshopId: workshop?.id ?? "" });
    expect(frozen.status).toBe(302);
    expect(frozen.headers.get("location")).toBe(`${PRESENT}?section=2&frozen=1`);
    const after = await page(`${PRESENT}?section=2&frozen=1`, host);
    expect(after.html).toContain("Version 1 är sparad.");
    expect(after.html).toContain('value="Version 2"');
    expect((await freeze({ name: "version 1" })).status).toBe(400);

    const paragraphId = paragraphIds(editor.doc)[3] ?? "";
    blockText(editor.doc, paragraphId).insert(0, "Tillägg efter workshoppen. ");
    await eventually(async () => expect(await server.services.readDocument(documentId, (doc) => plainText(doc, paragraphId))).toContain("Tillägg"));
    const number = sections.findIndex((section) => section.content.content?.some((node) => node.attrs?.id === paragraphId)) + 1;
    const marked = await page(`${PRESENT}?follow&section=${number}&changes=on`);
    expect(marked.html).toContain("sedan version 1, ”Version 1”, som visades vid Öppna licenser och immaterialrätt – hur hänger det ihop?");
    expect(marked.html.match(/present-marks--changed/g)).toHaveLength(1);
    expect(marked.html).toMatch(/>Ändrat(<!-- -->)? <span class="visually-hidden">sedan förra workshoppen<\/span>/);
    expect((await page(`${PRESENT}?follow&section=${number}`)).html).not.toContain("present-marks--changed");
  });
});
