import { afterEach, describe, expect, it } from "vitest";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { blockText, connectClient, paragraphIds, waitForDoc } from "#tests/support/collab-client";
import { startTestServer, type TestServer } from "#tests/support/server";

/** Every element id the page gives a block, in order: `<p id="b…" data-block-id="b…">`. */
function blockIdsInHtml(html: string): string[] {
  return [...html.matchAll(/<(?:p|h[1-6]|li|blockquote|pre) id="([^"]+)" data-block-id="\1"/g)].map((match) => match[1] ?? "");
}

describe("the document page", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });

  it("renders every paragraph with its stable id, unchanged by a restart and by edits elsewhere", async () => {
    server = await startTestServer();
    const url = () => `${server?.url}/d/${SEED_DOCUMENT.slug}`;
    const first = await (await fetch(url())).text();
    const ids = blockIdsInHtml(first);

    const document = await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    const { cookie } = await signedInAs(server.services.db, "editor");
    const client = await connectClient(server.url, document.id, { cookie });
    const paragraphs = paragraphIds(client.doc);
    expect(paragraphs.length).toBeGreaterThanOrEqual(30);
    // Each paragraph of the stored draft is in the HTML, with its id, in document order.
    expect(ids.filter((id) => paragraphs.includes(id))).toEqual(paragraphs);
    expect(new Set(ids).size).toBe(ids.length);

    // An edit in one paragraph leaves every id where it was.
    const edited = paragraphs[5] ?? "";
    blockText(client.doc, edited).insert(0, "Nytt inledande led. ");
    await waitForDoc(client.doc, () => blockText(client.doc, edited).toString().startsWith("Nytt inledande led. "));
    const afterEdit = await (await fetch(url())).text();
    expect(afterEdit).toContain("Nytt inledande led. ");
    expect(blockIdsInHtml(afterEdit)).toEqual(ids);
    client.destroy();

    server = await server.restart();
    const afterRestart = await (await fetch(url())).text();
    expect(blockIdsInHtml(afterRestart)).toEqual(ids);
    expect(afterRestart).toContain("Nytt inledande led. ");
  });

  it("sends a Content-Security-Policy whose nonce is on every script the page has", async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/d/${SEED_DOCUMENT.slug}`);
    const policy = response.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeTruthy();
    expect(policy).toContain("frame-ancestors 'none'");
    const scripts = [...(await response.text()).matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    // A new response, a new nonce.
    const again = (await fetch(`${server.url}/`)).headers.get("content-security-policy");
    expect(again).not.toBe(policy);
  });

  it("answers an unknown draft with a 404 page that leads back home", async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/d/finns-inte`);
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain("Sidan finns inte");
    expect(html).toContain('href="/"');
  });

  it("serves the interface in English once chosen, keeping the draft in Swedish", async () => {
    server = await startTestServer();
    const choose = await fetch(`${server.url}/language`, {
      method: "POST",
      body: new URLSearchParams({ locale: "en", returnTo: `/d/${SEED_DOCUMENT.slug}` }),
      redirect: "manual",
      headers: { Origin: server.url },
    });
    expect(choose.status).toBe(302);
    expect(choose.headers.get("location")).toBe(`/d/${SEED_DOCUMENT.slug}`);
    const cookie = (choose.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const html = await (await fetch(`${server.url}/d/${SEED_DOCUMENT.slug}`, { headers: { Cookie: cookie } })).text();
    expect(html).toContain('<html lang="en"');
    expect(html).toContain("Skip to content");
    expect(html).toContain('<div lang="sv">');
  });
});
