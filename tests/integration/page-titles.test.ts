import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTranslate,
  LOCALE_COOKIE,
  LOCALES,
  type Locale,
} from "#app/i18n/i18n";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const WORKSHOP = "/workshops/2020-09-01-oppna-licenser-och-immaterialratt";

/** Each page, the `titles` key its title starts with, and whether it needs an administrator (who may do all). */
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

const titleOf = (html: string) =>
  /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "";

describe("page titles (WCAG 2.4.2) and the language of content", () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = (await signedInAs(server.services.db, "admin", "Ada Admin")).cookie;
    const frozen = await postForm(
      server.url,
      `${DRAFT}/versions`,
      { name: "Version 0.1" },
      admin
    );
    expect(frozen.status).toBe(302);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const fetchPage = async (path: string, locale: Locale, signedIn: boolean) => {
    const cookie = [
      `${LOCALE_COOKIE}=${locale}`,
      ...(signedIn ? [admin] : []),
    ].join("; ");
    const response = await fetch(`${server.url}${path}`, {
      headers: { Cookie: cookie },
      redirect: "manual",
    });
    return { status: response.status, html: await response.text() };
  };

  for (const locale of LOCALES) {
    it(`gives every page its own title in ${locale}`, async () => {
      const t = createTranslate(locale);
      const titles = new Map<string, string>();
      for (const { path, key, signedIn, status: expected = 200 } of PAGES) {
        const { status, html } = await fetchPage(path, locale, signedIn);
        expect(status, path).toBe(expected);
        const title = titleOf(html);
        expect(title, path).not.toBe("");
        expect(title, path).not.toBe("Samråd");
        expect(title.endsWith(" – Samråd"), path).toBe(true);
        // The interpolated part (a version's number and name) is checked up to its first placeholder.
        const what = t(`titles.${key}`).split("{{")[0] ?? "";
        expect(title.startsWith(what), `${path}: ${title}`).toBe(true);
        titles.set(path, title);
      }
      expect(
        new Set(titles.values()).size,
        [...titles.values()].join("\n")
      ).toBe(PAGES.length);
    });

    it(`titles the 404 page and writes it in ${locale}`, async () => {
      const t = createTranslate(locale);
      const expected: Record<string, string> = {
        "/no-such-page": `${t("titles.notFound")} – Samråd`,
        "/d/no-such-draft": `${t("titles.notFound")} – Samråd`,
        [`${DRAFT}/v/99`]: `${t("titles.versionNotFound")} – ${
          SEED_DOCUMENT.title
        } – Samråd`,
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

  it("marks the Swedish draft's and workshop's titles as Swedish inside the English interface", async () => {
    const escaped = SEED_DOCUMENT.title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const home = (await fetchPage("/", "en", false)).html;
    expect(home).toMatch(new RegExp(`<li lang="sv"><a [^>]*>${escaped}</a>`));
    const versions = (await fetchPage(`${DRAFT}/versions`, "en", false)).html;
    expect(versions).toMatch(new RegExp(`<span lang="sv">${escaped}</span>`));
    const workshop = (await fetchPage(WORKSHOP, "en", false)).html;
    expect(workshop).toMatch(/<h1 lang="sv">/);
  });
});
