import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { freezeVersion } from "#app/models/versions.server";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { sessionAs, signedInAs } from "#tests/support/accounts";
import { serverAndBrowserForThisFile } from "#tests/support/browser";
import { blockText, connectClient, paragraphIds, plainText } from "#tests/support/collab-client";
import { eventually } from "#tests/support/wait";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const EDITED = "Tillägg efter workshoppen. ";
const ADDED_PARAGRAPH_END = " Och en mening till.";

describe("versions in the browser", () => {
  const session = serverAndBrowserForThisFile();
  let originalText = "";

  /** Version 1, then an editor's edits of two paragraphs through the collaboration server, then version 2. */
  beforeAll(async () => {
    const { services, url } = session.server;
    const documentId = (await findDocumentBySlug(services.db, SEED_DOCUMENT.slug))?.id ?? "";
    const editor = await sessionAs(services.db, "editor", "Eva Editor");
    expect((await freezeVersion(services, editor, documentId, { name: "Version 0.1" })).ok).toBe(true);

    const client = await connectClient(url, documentId, { cookie: (await signedInAs(services.db, "editor")).cookie });
    const [first = "", second = ""] = [paragraphIds(client.doc)[3], paragraphIds(client.doc)[6]];
    originalText = plainText(client.doc, first);
    blockText(client.doc, first).insert(0, EDITED);
    const secondText = blockText(client.doc, second);
    secondText.insert(secondText.length, ADDED_PARAGRAPH_END);
    await eventually(async () =>
      expect(await services.readDocument(documentId, (doc) => plainText(doc, second))).toContain(ADDED_PARAGRAPH_END.trim()),
    );
    client.destroy();
    expect((await freezeVersion(services, editor, documentId, { name: "Version 0.2" })).ok).toBe(true);
  });

  const openAsVisitor = async (path: string): Promise<Page> => {
    const context = await session.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${session.server.url}${path}`);
    return page;
  };

  /** The id of the element with focus, or "" for none. */
  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

  it("shows a visitor version 1 as it was: the banner and the old text, not the later edit", async () => {
    const page = await openAsVisitor(`${DRAFT}/v/1`);
    await page.getByRole("note").getByText("Du läser version 1, ”Version 0.1”").waitFor();
    expect(await page.locator(".document-text").textContent()).toContain(originalText);
    expect(await page.locator(".document-text").textContent()).not.toContain(EDITED.trim());
    await page.context().close();
  });

  it("shows a visitor what changed, inline and side by side, and moves from change to change by keyboard", async () => {
    const page = await openAsVisitor(`${DRAFT}/compare?from=1&to=2`);
    expect(await page.locator(".lead").textContent()).toMatch(/^\d avsnitt ändrade: 2 stycken redigerade, 0 tillagda, 0 borttagna, 0 flyttade\.$/);
    expect(await page.locator(".change-list ins").first().textContent()).toBe(`Tillagt: ${EDITED} (slut på tillägget)`);

    await page.getByRole("link", { name: "Sida vid sida" }).click();
    await page.waitForURL(/view=side-by-side/);
    const firstChange = page.locator("#change-1");
    expect(await firstChange.locator(".side-by-side__side--after ins").textContent()).toBe(`Tillagt: ${EDITED} (slut på tillägget)`);
    expect(await firstChange.locator(".side-by-side__side--before ins").count()).toBe(0);
    expect(await page.getByRole("link", { name: "Sida vid sida" }).getAttribute("aria-current")).toBe("page");

    // Each change is a labelled item the keys move focus to: j forward, k back.
    const label = await page.locator("#change-1-label").textContent();
    expect(label).toMatch(/^Ändring 1 av 2: redigering – stycke \S+/);
    expect(await firstChange.getAttribute("aria-labelledby")).toBe("change-1-label");
    await page.locator("h1").click();
    await page.keyboard.press("j");
    await expect.poll(() => focusedId(page)).toBe("change-1");
    await page.keyboard.press("j");
    await expect.poll(() => focusedId(page)).toBe("change-2");
    expect(await page.locator("#change-2").evaluate((element) => element.getBoundingClientRect().top >= 0 && element.getBoundingClientRect().top < window.innerHeight)).toBe(true);
    expect(page.url()).toMatch(/#change-2$/);
    await page.keyboard.press("j"); // there is no third: focus stays
    expect(await focusedId(page)).toBe("change-2");
    await page.keyboard.press("k");
    await expect.poll(() => focusedId(page)).toBe("change-1");

    // The next/previous links lead the same way, with or without JavaScript.
    await page.locator("#change-1").getByRole("link", { name: "Nästa ändring" }).click();
    await expect.poll(() => page.url()).toMatch(/#change-2$/);
    await page.locator("#change-2").getByRole("link", { name: "Föregående ändring" }).click();
    await expect.poll(() => page.url()).toMatch(/#change-1$/);
    await page.context().close();
  });

  it("works without JavaScript: side by side by link, and a way back from an unknown version", async () => {
    const context = await session.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${session.server.url}${DRAFT}/compare?from=1&to=2`);
    await page.getByRole("link", { name: "Sida vid sida" }).click();
    await page.locator(".side-by-side").first().waitFor();
    await page.goto(`${session.server.url}${DRAFT}/compare?from=1&to=99`);
    await page.getByRole("heading", { name: "Sidan finns inte" }).waitFor();
    await page.getByRole("link", { name: `Till alla versioner av ${SEED_DOCUMENT.title}` }).click();
    await page.waitForURL(/\/versions$/);
    await context.close();
  });
});
