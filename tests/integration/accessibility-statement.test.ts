import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCALE_COOKIE } from "#app/i18n/i18n";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { startTestServer, type TestServer } from "#tests/support/server";

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "";
const mainOf = (html: string) => /<main [^>]*>/.exec(html)?.[0] ?? "";

describe("the accessibility statement", () => {
  let server: TestServer;
  const get = async (path: string, locale: "sv" | "en" = "sv") => {
    const response = await fetch(`${server.url}${path}`, { headers: { Cookie: `${LOCALE_COOKIE}=${locale}` } });
    return { status: response.status, html: await response.text() };
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.dispose());

  it("is at /tillganglighet in Swedish, with DIGG's address for complaints and a way to the English one", async () => {
    const { status, html } = await get("/tillganglighet");
    expect(status).toBe(200);
    expect(titleOf(html)).toBe("Tillgänglighetsredogörelse – Samråd");
    expect(html).toContain('<html lang="sv">');
    expect(mainOf(html)).toContain('lang="sv"');
    expect(html).toContain("<h1>Tillgänglighetsredogörelse för Samråd</h1>");
    expect(html).toContain('<a href="https://www.digg.se/tdosanmalan">');
    expect(html).toMatch(/<a href="\/accessibility" hrefLang="en" lang="en">Read in English<\/a>/i);
  });

  it("is at /accessibility in English, its text marked English also in the Swedish interface", async () => {
    const english = await get("/accessibility", "en");
    expect(english.status).toBe(200);
    expect(titleOf(english.html)).toBe("Accessibility statement in English – Samråd");
    expect(english.html).toContain('<html lang="en">');
    expect(english.html).toContain("<h1>Accessibility statement for Samråd</h1>");
    const inSwedishInterface = await get("/accessibility", "sv");
    expect(mainOf(inSwedishInterface.html)).toContain('lang="en"');
  });

  it("is linked from the footer of every page, in the interface language", async () => {
    for (const path of ["/", `/d/${SEED_DOCUMENT.slug}`, "/workshops", "/no-such-page"]) {
      expect((await get(path, "sv")).html, path).toMatch(/<footer class="site-footer"><a [^>]*href="\/tillganglighet"[^>]*>Tillgänglighetsredogörelse<\/a><\/footer>/);
      expect((await get(path, "en")).html, path).toMatch(/<footer class="site-footer"><a [^>]*href="\/accessibility"[^>]*>Accessibility statement<\/a><\/footer>/);
    }
  });
});
