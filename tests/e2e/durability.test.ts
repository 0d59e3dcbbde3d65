import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "#db/client";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { launchBrowserWithProfile } from "#tests/support/browser";
import { plainText } from "#tests/support/collab-client";
import { createScratchPostgresDatabase, storedDocument } from "#tests/support/database";
import { startDatabaseProxy, type DatabaseProxy } from "#tests/support/database-proxy";
import { freePort, startServerProcess, type ServerProcess } from "#tests/support/process";

const SAVED = "Ansluten – alla ändringar är sparade";

/**
 * The server runs as its own process on PostgreSQL, reached through a proxy the test can cut ("the database stopped"),
 * and is killed with SIGKILL: nothing in it gets to write out what it holds. The editor's browser keeps a profile on
 * disk, as a person's does, and comes back to the same address.
 */
describe.runIf(process.env.TEST_DATABASE_URL)("edits that the server never stored", () => {
  let scratch: { url: string; drop(): Promise<void> };
  let proxy: DatabaseProxy;
  let database: DatabaseHandle;
  let profile: string;
  let port: number;
  const servers: ServerProcess[] = [];
  const browsers: BrowserContext[] = [];

  beforeEach(async () => {
    scratch = await createScratchPostgresDatabase();
    proxy = await startDatabaseProxy(scratch.url);
    profile = await mkdtemp(path.join(os.tmpdir(), "samrad-profile-"));
    port = await freePort();
    await startServer();
    database = await openDatabase({ databaseUrl: scratch.url, dataDir: "unused" });
  });

  afterEach(async () => {
    for (const browser of browsers.splice(0)) await browser.close();
    for (const { child } of servers.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await once(child, "exit");
      }
    }
    await database.close();
    await proxy.close();
    await scratch.drop();
    await rm(profile, { recursive: true, force: true });
  });

  async function startServer(): Promise<string> {
    const server = startServerProcess({ PORT: String(port), DATABASE_URL: proxy.url });
    servers.push(server);
    return server.listening;
  }

  async function killServer(): Promise<void> {
    const server = servers.at(-1);
    if (!server) throw new Error("no server running");
    server.child.kill("SIGKILL");
    await once(server.child, "exit");
  }

  async function openBrowser(cookie: string): Promise<BrowserContext> {
    const browser = await launchBrowserWithProfile(profile);
    browsers.push(browser);
    const [name = "", value = ""] = cookie.split("=");
    await browser.addCookies([{ name, value, url: `http://127.0.0.1:${port}` }]);
    return browser;
  }

  async function closeBrowser(browser: BrowserContext): Promise<void> {
    browsers.splice(browsers.indexOf(browser), 1);
    await browser.close();
  }

  async function openDraft(browser: BrowserContext): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/d/${SEED_DOCUMENT.slug}`);
    await page.locator(".ProseMirror[contenteditable=true] .block-margin").first().waitFor();
    await page.getByText(SAVED).waitFor();
    return page;
  }

  /** Types at the start of the third paragraph; returns its id and its text before. */
  async function typeIntoParagraph(page: Page, text: string): Promise<{ blockId: string; before: string }> {
    const paragraph = page.locator(".ProseMirror p").nth(2);
    const blockId = (await paragraph.getAttribute("id")) ?? "";
    const before = (await paragraph.textContent()) ?? "";
    await paragraph.click({ position: { x: 3, y: 8 } });
    await page.keyboard.press("Home");
    await page.keyboard.type(text);
    await page.locator(`.ProseMirror [id="${blockId}"]`, { hasText: text }).waitFor();
    return { blockId, before };
  }

  /** The paragraph as stored in the database, read past the server. */
  async function storedParagraph(blockId: string): Promise<string> {
    const document = await findDocumentBySlug(database.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    return plainText(await storedDocument(database.db, document.id), blockId);
  }

  it("are kept by the editor's browser through an outage, a closed tab and kill -9, and stored when the draft is opened again", async () => {
    const { cookie } = await signedInAs(database.db, "editor", "Ella Redaktör");
    const browser = await openBrowser(cookie);
    const page = await openDraft(browser);

    proxy.cut();
    const typed = "Skrivet medan databasen var nere, och sedan stängdes fliken.";
    const { blockId, before } = await typeIntoParagraph(page, typed);
    // Not "saved": every typed character waits, and the count says so.
    await page.getByText(`${typed.length} ändringar väntar på att sparas`).waitFor();

    const warned = new Promise<string>((resolve) => page.once("dialog", (dialog) => void dialog.accept().then(() => resolve(dialog.type()))));
    await page.close({ runBeforeUnload: true });
    expect(await warned).toBe("beforeunload");
    await closeBrowser(browser);

    await killServer();
    proxy.restore();
    await startServer();
    // The server had the edits only in memory: they are gone from it.
    expect(await storedParagraph(blockId)).toBe(before);

    const reopened = await openDraft(await openBrowser(cookie));
    await reopened.locator(`.ProseMirror [id="${blockId}"]`, { hasText: typed }).waitFor();
    // "Saved" once more, and this time the database has every character.
    expect(await storedParagraph(blockId)).toBe(typed + before);
  });

  it("are kept by the editor's browser when the server is killed right after the typing and the tab closed while it is down", async () => {
    const { cookie } = await signedInAs(database.db, "editor", "Erik Redaktör");
    const browser = await openBrowser(cookie);
    const page = await openDraft(browser);

    const typed = "Sista meningen innan servern dog.";
    const { blockId, before } = await typeIntoParagraph(page, typed);
    // Whatever of it the server wrote in its last 700 ms, the rest was only in its memory and in this tab.
    await killServer();
    await page.close();
    await closeBrowser(browser);

    await startServer();
    const reopened = await openDraft(await openBrowser(cookie));
    await reopened.locator(`.ProseMirror [id="${blockId}"]`, { hasText: typed }).waitFor();
    expect(await storedParagraph(blockId)).toBe(typed + before);
  });
});
