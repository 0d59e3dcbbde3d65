import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freezeVersion } from "#app/models/versions.server";
import { findDocumentBySlug } from "#db/repositories/documents";
import { findWorkshopBySlug } from "#db/repositories/workshops";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { sessionAs, signedInAs } from "#tests/support/accounts";
import { blockText, connectClient, paragraphIds, plainText } from "#tests/support/collab-client";
import { startTestServer, type TestServer } from "#tests/support/server";
import { eventually } from "#tests/support/wait";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const HOSTILE = `<script>alert("x")</script> *fet* [länk](javascript:x) # `;

describe("a version as Markdown and as HTML", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    const documentId = (await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug))?.id ?? "";
    const editor = await connectClient(server.url, documentId, { cookie: (await signedInAs(server.services.db, "editor")).cookie });
    const paragraphId = paragraphIds(editor.doc)[2] ?? "";
    blockText(editor.doc, paragraphId).insert(0, HOSTILE);
    await eventually(async () => expect(await server.services.readDocument(documentId, (doc) => plainText(doc, paragraphId))).toContain(HOSTILE));
    editor.destroy();
    const workshop = await findWorkshopBySlug(server.services.db, "2020-09-01-oppna-licenser-och-immaterialratt");
    const frozen = await freezeVersion(server.services, await sessionAs(server.services.db, "editor"), documentId, {
      name: "Version 0.1 <b>",
      workshopId: workshop?.id,
    });
    expect(frozen.ok).toBe(true);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const get = async (path: string) => {
    const response = await fetch(`${server.url}${path}`);
    return { status: response.status, headers: response.headers, body: await response.text() };
  };

  it("downloads Markdown with the title block first and the user's text escaped", async () => {
    const markdown = await get(`${DRAFT}/v/1/export.md`);
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(markdown.headers.get("content-disposition")).toBe(`attachment; filename="${SEED_DOCUMENT.slug}-v1.md"`);
    expect(markdown.body.startsWith(`# ${SEED_DOCUMENT.title}\n\n- **Version:** Version 1: Version 0.1 \\<b\\>\n- **Sparad:** `)).toBe(true);
    expect(markdown.body).toContain("- **Visad vid workshop:** Öppna licenser och immaterialrätt – hur hänger det ihop?, ");
    expect(markdown.body).toContain("- **Licens för bidrag:** [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/deed.sv)");
    expect(markdown.body).toContain(`\\<script\\>alert("x")\\</script\\> \\*fet\\* \\[länk\\](javascript:x) # `);
  });

  it("opens HTML as a page of its own, in the document's language, with every text escaped", async () => {
    const html = await get(`${DRAFT}/v/1/export.html`);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html.headers.get("content-disposition")).toBe(`inline; filename="${SEED_DOCUMENT.slug}-v1.html"`);
    expect(html.body).toContain('<html lang="sv">');
    expect(html.body).toContain("<dt>Version</dt><dd>Version 1: Version 0.1 &#60;b&#62;</dd>");
    expect(html.body).toContain("<dt>Visad vid workshop</dt><dd>Öppna licenser och immaterialrätt – hur hänger det ihop?, ");
    expect(html.body).toContain('rel="license">CC BY 4.0</a>');
    expect(html.body).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; *fet* [länk](javascript:x) # ");
    expect(html.body).not.toContain("<script");
  });

  it("links both from the version page and the versions list", async () => {
    for (const path of [`${DRAFT}/v/1`, `${DRAFT}/versions`]) {
      const page = await get(path);
      expect(page.body).toContain(`href="${DRAFT}/v/1/export.md"`);
      expect(page.body).toContain(`href="${DRAFT}/v/1/export.html"`);
    }
    const version = await get(`${DRAFT}/v/1`);
    expect(version.body).toContain("<dt>Licens för bidrag</dt>");
    // The workshop named on the title page, marked as Swedish text for a screen reader in the English interface too.
    expect(version.body).toContain(`<span lang="sv">Öppna licenser och immaterialrätt – hur hänger det ihop?</span>, `);
  });

  it("answers 404 for a version or document that does not exist", async () => {
    expect((await get(`${DRAFT}/v/99/export.md`)).status).toBe(404);
    expect((await get(`${DRAFT}/v/0/export.html`)).status).toBe(404);
    expect((await get(`/d/finns-inte/v/1/export.md`)).status).toBe(404);
  });

  it("leads back from an unknown version: to the draft and its versions when the document exists, else home", async () => {
    for (const path of [`${DRAFT}/v/99`, `${DRAFT}/compare?from=1&to=99`]) {
      const page = await get(path);
      expect(page.status).toBe(404);
      expect(page.body).toContain(`href="${DRAFT}/versions"`);
      expect(page.body).toContain(`href="${DRAFT}"`);
      expect(page.body).toContain('href="/"');
    }
    expect((await get(`${DRAFT}/v/99`)).body).toContain("Versionen finns inte.");
    expect((await get(`${DRAFT}/compare?from=1&to=99`)).body).toContain("En av versionerna finns inte.");
    const english = await fetch(`${server.url}${DRAFT}/v/99`, { headers: { Cookie: "lang=en" } });
    expect(await english.text()).toContain("To all versions of");
    const noDocument = await get("/d/finns-inte/v/1");
    expect(noDocument.status).toBe(404);
    expect(noDocument.body).toContain('href="/"');
    expect(noDocument.body).not.toContain('href="/d/finns-inte/versions"');
  });
});
