import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocumentIndex } from "#app/comments/anchoring";
import { composePath } from "#app/comments/links";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs, TEST_PASSWORD } from "#tests/support/accounts";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;

/** The HTML text of `text`, as React writes it. */
const escaped = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

describe("a visitor who chose a passage to comment on signs in and comes back to it", () => {
  let server: TestServer;
  let block: { id: string; text: string };

  beforeAll(async () => {
    server = await startTestServer();
    const document = await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    const blocks = await server.services.readDocument(document.id, (doc) => DocumentIndex.of(doc).blocks.map(({ id, text }) => ({ id, text })));
    const long = blocks.find((candidate) => candidate.text.length > 200);
    if (!long) throw new Error("the seed has no long paragraph");
    block = long;
  });
  afterAll(() => server?.dispose());

  const page = async (path: string, cookie?: string) => (await fetch(`${server.url}${path}`, { headers: cookie ? { Cookie: cookie } : {} })).text();

  it("keeps the passage through signing in: the composer quotes it, and the page opens at its paragraph", async () => {
    const asked = composePath(SEED_DOCUMENT.slug, block.id, { from: 20, to: 60 });
    expect(asked).toBe(`${DRAFT}?comment=${block.id}&from=20&to=60#${block.id}`);
    // The visitor's page sends them to sign in with the passage in the address to come back to.
    expect(await page(asked)).toContain(`href="/sign-in?redirectTo=${escaped(encodeURIComponent(asked))}"`);

    const { email } = await signedInAs(server.services.db, "member", "Mats Medlem");
    const signedIn = await postForm(server.url, "/sign-in", { email, password: TEST_PASSWORD, redirectTo: asked });
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("location")).toBe(asked);
    const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";

    const html = await page(asked, cookie);
    expect(html).toContain(`<blockquote>${escaped(block.text.slice(20, 60))}</blockquote>`);
    expect(html).toContain('name="from" value="20"');
    expect(html).toContain('name="to" value="60"');
  });

  it("opens the composer for the whole paragraph when the passage does not fit the paragraph's text", async () => {
    const { cookie } = await signedInAs(server.services.db, "member", "Mia Medlem");
    for (const range of ["&from=20&to=100000", "&from=60&to=20", "&from=x&to=4", "&from=-1&to=4"]) {
      const html = await page(`${DRAFT}?comment=${block.id}${range}`, cookie);
      expect(html).toContain('id="new-comment"');
      expect(html).not.toContain('name="from"');
    }
  });
});
