import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT } from "#db/seed/draft";
import { launchBrowser } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";

/** What a participant would call "seeing it live": well within a conversation's pause. */
const LIVE_MS = 2_000;

describe("the draft in the browser", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const openEditor = async (name: string): Promise<Page> => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/d/${SEED_DOCUMENT.slug}`);
    await page.getByRole("status").filter({ hasText: "Ansluten" }).waitFor();
    const nameField = page.getByLabel("Ditt namn i utkastet");
    await nameField.fill(name);
    await page.getByRole("button", { name: "Spara namn" }).click();
    await page.locator(".ProseMirror[contenteditable=true]").waitFor();
    return page;
  };

  it("lets two people type in the same paragraph and see each other's text and caret", async () => {
    const anna = await openEditor("Anna Andersson");
    const bertil = await openEditor("Bertil Berg");
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
    await anna.locator(".collaboration-carets__label", { hasText: "Bertil Berg" }).waitFor({ timeout: LIVE_MS });
    await bertil.locator(".collaboration-carets__label", { hasText: "Anna Andersson" }).waitFor({ timeout: LIVE_MS });

    await anna.context().close();
    await bertil.context().close();
  });

  it("shows the whole draft without JavaScript", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const response = await page.goto(`${server.url}/d/${SEED_DOCUMENT.slug}`);
    expect(response?.status()).toBe(200);
    expect(await page.locator("main h1").first().textContent()).toBe(SEED_DOCUMENT.title);
    expect(await page.locator("main h2").count()).toBeGreaterThanOrEqual(8);
    expect(await page.locator("main p[id]").count()).toBeGreaterThanOrEqual(30);
    await context.close();
  });
});
