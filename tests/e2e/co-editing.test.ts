import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { postForm } from "#tests/support/http";
import { findDocumentBySlug } from "#db/repositories/documents";
import { createSession, SESSION_COOKIE_NAME } from "#app/models/sessions.server";
import { serverAndBrowserForThisFile } from "#tests/support/browser";
import { LIVE_MS } from "#tests/support/time";

describe("the draft in the browser", () => {
  const session = serverAndBrowserForThisFile();

  const contextWithCookie = async (cookie?: string): Promise<BrowserContext> => {
    const context = await session.browser.newContext();
    if (cookie) {
      const [name = "", value = ""] = cookie.split("=");
      await context.addCookies([{ name, value, url: session.server.url }]);
    }
    return context;
  };

  const openDraft = async (context: BrowserContext): Promise<Page> => {
    const page = await context.newPage();
    await page.goto(`${session.server.url}/d/${SEED_DOCUMENT.slug}`);
    await page.getByRole("status").filter({ hasText: "Ansluten" }).waitFor();
    await page.locator(".ProseMirror[contenteditable]").waitFor();
    return page;
  };

  /** A reader's page keeps the server's text and has no editor, connection or connection status (decision 0022). */
  const openDraftToRead = async (context: BrowserContext): Promise<Page> => {
    const page = await context.newPage();
    await page.goto(`${session.server.url}/d/${SEED_DOCUMENT.slug}`);
    await page.locator("main.has-drawer .ProseMirror .block-margin").first().waitFor();
    return page;
  };
  const expectNoEditor = async (page: Page) => {
    expect(await page.locator(".ProseMirror[contenteditable]").count()).toBe(0);
    expect(await page.locator(".editor-toolbar").count()).toBe(0);
  };

  const openAsEditor = async (name: string): Promise<Page> => {
    const { cookie } = await signedInAs(session.server.services.db, "editor", name);
    return openDraft(await contextWithCookie(cookie));
  };

  it("lets two editors type in the same paragraph and see each other's text and named caret", async () => {
    const anna = await openAsEditor("Anna Andersson");
    const bertil = await openAsEditor("Bertil Berg");
    const paragraph = (page: Page) => page.locator(".ProseMirror p").nth(2);
    const paragraphId = await paragraph(anna).getAttribute("id");
    expect(paragraphId).toMatch(/^b[0-9a-z]{10}$/);

    await paragraph(anna).click();
    await anna.keyboard.press("Home");
    await anna.keyboard.type("Annas tillägg. ");
    await paragraph(bertil).click();
    await bertil.keyboard.press("End");
    await bertil.keyboard.type(" Bertils tillägg.");

    for (const page of [anna, bertil]) {
      const sameParagraph = page.locator(`[id="${paragraphId}"]`);
      await sameParagraph.filter({ hasText: "Annas tillägg." }).filter({ hasText: "Bertils tillägg." }).waitFor({ timeout: LIVE_MS });
    }
    // Carets carry the account's name and organisation.
    await anna.locator(".collaboration-carets__label", { hasText: "Bertil Berg (Testmyndigheten)" }).waitFor({ timeout: LIVE_MS });
    await bertil.locator(".collaboration-carets__label", { hasText: "Anna Andersson (Testmyndigheten)" }).waitFor({ timeout: LIVE_MS });

    await anna.context().close();
    await bertil.context().close();
  });

  it("tells an editor whose sign-in ended elsewhere, and stores what they typed once they sign in again", async () => {
    const elin = await signedInAs(session.server.services.db, "editor", "Elin Utloggad");
    const context = await contextWithCookie(elin.cookie);
    const page = await openDraft(context);
    // Signing out in another tab ends the session, and with it this page's editing socket.
    expect((await postForm(session.server.url, "/sign-out", {}, elin.cookie)).status).toBe(302);
    await page.getByRole("status").filter({ hasText: "Din inloggning har avslutats" }).waitFor();
    expect(await page.getByRole("link", { name: "Logga in igen" }).getAttribute("href")).toBe(
      `/sign-in?redirectTo=${encodeURIComponent(`/d/${SEED_DOCUMENT.slug}`)}`,
    );

    const paragraph = page.locator(".ProseMirror p").nth(3);
    await paragraph.click();
    await page.keyboard.press("Home");
    await page.keyboard.type("Skrivet efter utloggningen. ");

    // Signed in again in the same browser: the page sends what was kept.
    const { token } = await createSession(session.server.services.db, elin.userId);
    await context.addCookies([{ name: SESSION_COOKIE_NAME, value: token, url: session.server.url }]);
    await page.reload();
    await page.locator(".connection", { hasText: "alla ändringar är sparade" }).waitFor();
    const document = await findDocumentBySlug(session.server.services.db, SEED_DOCUMENT.slug);
    expect(JSON.stringify(await session.server.services.readDocumentContent(document?.id ?? ""))).toContain("Skrivet efter utloggningen.");
    await context.close();
  });

  it("shows the whole draft without JavaScript", async () => {
    const context = await session.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const response = await page.goto(`${session.server.url}/d/${SEED_DOCUMENT.slug}`);
    expect(response?.status()).toBe(200);
    expect(await page.locator("main h1").first().textContent()).toBe(SEED_DOCUMENT.title);
    expect(await page.locator("main h2").count()).toBeGreaterThanOrEqual(8);
    expect(await page.locator("main p[id]").count()).toBeGreaterThanOrEqual(30);
    await context.close();
  });

  it("lets a visitor read, sign up, and edit only once an admin has made them an editor", async () => {
    const visitorContext = await contextWithCookie();
    const visitor = await openDraftToRead(visitorContext);
    await visitor.getByText("Du läser utkastet.").waitFor();
    await expectNoEditor(visitor);

    await visitor.getByRole("link", { name: "Skapa konto" }).click();
    const email = `ny-medlem-${Date.now()}@example.test`;
    await visitor.getByLabel("Namn", { exact: true }).fill("Nora Nyberg <script>alert(1)</script>");
    await visitor.getByLabel("E-postadress").fill(email);
    await visitor.getByLabel("Organisation").fill("Kommunen");
    await visitor.getByLabel("Lösenord").fill("ett-långt-lösenord");
    await visitor.getByLabel("Jag godkänner").check();
    await visitor.getByRole("button", { name: "Skapa konto" }).click();
    // The name is shown as text, markup and all: nothing a user types becomes HTML.
    await visitor.getByText("Inloggad som Nora Nyberg <script>alert(1)</script>").waitFor();

    await visitor.goto(`${session.server.url}/d/${SEED_DOCUMENT.slug}`);
    await visitor.getByText("Bara redaktörer kan ändra texten").waitFor();
    await visitor.locator("main.has-drawer .ProseMirror .block-margin").first().waitFor();
    await expectNoEditor(visitor);
    // A reader is not told that anything is saved: nothing of theirs is.
    expect(await visitor.locator("main").textContent()).not.toContain("sparad");

    const { cookie: adminCookie } = await signedInAs(session.server.services.db, "admin", "Adam Admin");
    const admin = await (await contextWithCookie(adminCookie)).newPage();
    await admin.goto(`${session.server.url}/admin/accounts?q=${encodeURIComponent(email)}`);
    await admin.getByLabel("Byt roll för Nora Nyberg <script>alert(1)</script>").selectOption("editor");
    await admin.getByRole("button", { name: "Spara" }).click();
    await admin.getByText("Rollen är ändrad.").waitFor();

    const colleague = await openAsEditor("Cecilia Carlsson");
    await visitor.reload();
    await visitor.getByRole("status").filter({ hasText: "Ansluten" }).waitFor();
    await visitor.locator(".ProseMirror[contenteditable=true]").waitFor();
    const paragraph = visitor.locator(".ProseMirror p").nth(4);
    const paragraphId = await paragraph.getAttribute("id");
    await paragraph.click();
    await visitor.keyboard.press("Home");
    await visitor.keyboard.type("Noras första ändring. ");
    await colleague.locator(`[id="${paragraphId}"]`, { hasText: "Noras första ändring." }).waitFor({ timeout: LIVE_MS });

    await visitorContext.close();
    await admin.context().close();
    await colleague.context().close();
  });
});
