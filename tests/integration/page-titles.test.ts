import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTranslate, LOCALE_COOKIE, LOCALES, type Locale } from "#app/i18n/i18n";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const WORKSHOP = "/workshops/2020-09-01-oppna-licenser-och-immaterialratt";

/**
 * Every page, the `titles` key its title starts with, and whether it needs a signed-in administrator (who may do
 * everything; visitors see the rest).
 */
const PAGES: { path: string; key: string; signedIn: boolean; status?: number }[] = [
  { path: "/", key: "home", signedIn: false },
  { path: "/sign-in", key: "signIn", signedIn: false },
  { path: "/sign-up", key: "signUp", signedIn: false },
  { path: "/forgot-password", key: "forgotPassword", signedIn: false },
  // An unknown token is a page too (saying the link no longer works), answered 400.
  { path: "/reset-password/no-such-token", key: "resetPassword", signedIn: false, status: 400 },
  { path: "/workshops", key: "workshops", signedIn: false },
  { path: WORKSHOP, key: "workshop", signedIn: false },
  { path: DRAFT, key: "draft", signedIn: false },
  { path: `${DRAFT}/versions`, key: "versions", signedIn: false },
  { path: `${DRAFT}/v/1`, key: "version", signedIn: false },
  { path: `${DRAFT}/compare?from=1&to=live`, key: "compare", signedIn: false },
  { path: `${DRAFT}/comments`, key: "commentSearch", signedIn: false },
  { path: "/tillganglighet", key: "accessibility", signedIn: false },
  { path: "/accessibility", key: "accessibilityEnglish", signedIn: false },
  { path: "/account", key: "account", signedIn: true },
  { path: "/my-feedback", key: "myFeedback", signedIn: true },
  { path: "/notifications", key: "notifications", signedIn: true },
  { path: "/admin/accounts", key: "adminAccounts", signedIn: true },
  { path: "/admin/audit", key: "adminAudit", signedIn: true },
  { path: "/workshops/new", key: "newWorkshop", signedIn: true },
  { path: `${WORKSHOP}/edit`, key: "editWorkshop", signedIn: true },
  { path: `${DRAFT}/feedback`, key: "feedback", signedIn: true },
  { path: `${DRAFT}/moderation`, key: "moderation", signedIn: true },
  { path: `${DRAFT}/review`, key: "review", signedIn: true },
  { path: `${DRAFT}/present`, key: "present", signedIn: true },
];

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "";
const swedish = (text: string) => `<span lang="sv">${text}</span>`;

describe("page titles (WCAG 2.4.2) and the language of content", () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = (await signedInAs(server.services.db, "admin", "Ada Admin")).cookie;
    const frozen = await postForm(server.url, `${DRAFT}/versions`, { name: "Version 0.1" }, admin);
    expect(frozen.status).toBe(302);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const fetchPage = async (path: string, locale: Locale, signedIn: boolean) => {
    const cookie = [`${LOCALE_COOKIE}=${locale}`, ...(signedIn ? [admin] : [])].join("; ");
    const response = await fetch(`${server.url}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
    return { status: response.status, html: await response.text() };
  };

  for (const locale of LOCALES) {
    it(`gives every page its own title, in ${locale}`, async () => {
      const t = createTranslate(locale);
      const titles = new Map<string, string>();
      for (const { path, key, signedIn, status: expected = 200 } of PAGES) {
        const { status, html } = await fetchPage(path, locale, signedIn);
        expect(status, path).toBe(expected);
        const title = titleOf(html);
        expect(title, path).not.toBe("Samråd");
        expect(title.endsWith(" – Samråd"), path).toBe(true);
        // The catalogue's text up to its first placeholder (a version's number): the title is in the chosen language.
        const what = t(`titles.${key}`).split("{{")[0] ?? "";
        expect(what, key).not.toBe("");
        expect(title.startsWith(what), `${path}: ${title}`).toBe(true);
        titles.set(path, title);
      }
      expect(new Set(titles.values()).size, [...titles.values()].join("\n")).toBe(PAGES.length);
    });

    it(`titles the 404 page and writes it in ${locale}`, async () => {
      const t = createTranslate(locale);
      const expected: Record<string, string> = {
        "/no-such-page": `${t("titles.notFound")} – Samråd`,
        "/d/no-such-draft": `${t("titles.notFound")} – Samråd`,
        [`${DRAFT}/v/99`]: `${t("titles.versionNotFound")} – ${SEED_DOCUMENT.title} – Samråd`,
      };
      for (const [path, title] of Object.entries(expected)) {
        const { status, html } = await fetchPage(path, locale, false);
        expect(status, path).toBe(404);
        expect(html, path).toContain(`<html lang="${locale}"`);
        expect(titleOf(html), path).toBe(title);
        expect(html, path).toContain(t("errors.notFoundTitle"));
      }
    });
  }

  it("marks the Swedish draft's title, version names and workshop titles as Swedish in the English interface", async () => {
    const home = (await fetchPage("/", "en", false)).html;
    // On the title alone: the draft's state beside it is in the interface language.
    expect(home).toMatch(new RegExp(`<li><a lang="sv" [^>]*href="${DRAFT}"[^>]*>${SEED_DOCUMENT.title}</a>`));
    const versions = (await fetchPage(`${DRAFT}/versions`, "en", false)).html;
    expect(versions).toContain(`<h1>Versions of ${swedish(SEED_DOCUMENT.title)}</h1>`);
    expect(versions).toContain(swedish("Version 0.1"));
    expect((await fetchPage(`${DRAFT}/compare?from=1&to=live`, "en", false)).html).toContain(swedish(SEED_DOCUMENT.title));
    expect((await fetchPage(`${DRAFT}/v/1`, "en", false)).html).toContain(swedish(SEED_DOCUMENT.title));
    expect((await fetchPage(`${DRAFT}/feedback`, "en", true)).html).toContain(swedish(SEED_DOCUMENT.title));
    expect((await fetchPage(`${DRAFT}/present`, "en", true)).html).toContain(`Present ${swedish(SEED_DOCUMENT.title)}`);
    expect((await fetchPage(WORKSHOP, "en", false)).html).toMatch(/<h1 lang="sv">/);
  });
});
