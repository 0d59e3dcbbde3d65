import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDocumentBySlug } from "#db/repositories/documents";
import { freezeVersion } from "#app/models/versions.server";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { sessionAs, signedInAs } from "#tests/support/accounts";
import { blockText, connectClient, paragraphIds, plainText, waitForDoc, type CollabClient } from "#tests/support/collab-client";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";
import { eventually } from "#tests/support/wait";

const VERSION_PAGE = `/d/${SEED_DOCUMENT.slug}/v/1`;
const EDITED = "Ändrat efter version 1. ";

describe("restoring a version over HTTP", () => {
  let server: TestServer;
  let documentId: string;
  let client: CollabClient;
  let paragraph: string;

  beforeAll(async () => {
    server = await startTestServer();
    documentId = (await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug))?.id ?? "";
    expect((await freezeVersion(server.services, await sessionAs(server.services.db, "editor"), documentId, { name: "Version 1" })).ok).toBe(true);
    client = await connectClient(server.url, documentId, { cookie: (await signedInAs(server.services.db, "editor")).cookie });
    paragraph = paragraphIds(client.doc)[2] ?? "";
    blockText(client.doc, paragraph).insert(0, EDITED);
    await eventually(async () => expect(await server.services.readDocument(documentId, (doc) => plainText(doc, paragraph))).toContain(EDITED));
  });
  afterAll(async () => {
    client?.destroy();
    await server?.dispose();
  });

  const page = async (path: string, cookie?: string) => (await fetch(`${server.url}${path}`, { headers: cookie ? { Cookie: cookie } : {} })).text();

  it("offers restoring only to editors, and refuses anyone else's post, changing nothing", async () => {
    const member = await signedInAs(server.services.db, "member");
    const host = await signedInAs(server.services.db, "host");
    for (const cookie of [undefined, member.cookie, host.cookie]) {
      expect(await page(VERSION_PAGE, cookie)).not.toContain("Återställ den här versionen");
      expect(await page(`${VERSION_PAGE}?restore`, cookie)).not.toContain("Ja, återställ version 1");
    }
    expect((await postForm(server.url, VERSION_PAGE, {}, member.cookie)).status).toBe(403);
    expect((await postForm(server.url, VERSION_PAGE, {}, host.cookie)).status).toBe(403);
    expect((await postForm(server.url, VERSION_PAGE, {})).status).not.toBe(200);
    expect(await server.services.readDocument(documentId, (doc) => plainText(doc, paragraph))).toContain(EDITED);
  });

  it("restores for an editor, after a confirmation, and every open editor receives the change", async () => {
    const editor = await signedInAs(server.services.db, "editor", "Eva Editor");
    expect(await page(VERSION_PAGE, editor.cookie)).toContain("Återställ den här versionen …");
    const confirmation = await page(`${VERSION_PAGE}?restore`, editor.cookie);
    expect(confirmation).toContain("1 stycke i det levande utkastet skiljer sig från den här versionen.");
    expect(confirmation).toContain("Det levande utkastet har ändringar som ingen version sparar.");

    const response = await postForm(server.url, VERSION_PAGE, {}, editor.cookie);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Version 1 är återställd i det levande utkastet. Stycken ändrade: 1, tillagda: 0, borttagna: 0.");
    await waitForDoc(client.doc, () => !plainText(client.doc, paragraph).includes(EDITED.trim()));
    expect(await server.services.readDocument(documentId, (doc) => plainText(doc, paragraph))).toBe(plainText(client.doc, paragraph));

    const again = await postForm(server.url, VERSION_PAGE, {}, editor.cookie);
    expect(await again.text()).toContain("Det levande utkastet lyder redan som version 1: inget ändrades.");
  });
});
