import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { can, type Role } from "#app/models/authorization.server";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "./accounts";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema";
import { startTestServer, type TestServer } from "./server";

/** Debian's Chromium, headless, with the flags this closed network needs (no background calls home). */
const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export function launchBrowser(): Promise<Browser> {
  return chromium.launch(CHROMIUM);
}

/**
 * The same Chromium with a profile kept in `userDataDir`, as a person's browser keeps cookies and IndexedDB between
 * visits: launched again on the same folder, it has what the previous launch stored.
 */
export function launchBrowserWithProfile(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { ...CHROMIUM, viewport: { width: 1400, height: 1000 } });
}

export interface BrowserTestSession {
  server: TestServer;
  browser: Browser;
}

/** What the helpers below need of a session: a server's address and database, and a browser (a cluster's node will do). */
export interface BrowserTarget {
  server: { url: string; services: { db: Kysely<Database> } };
  browser: Browser;
}

/** The real server and a Chromium for the tests of one file: started before them, stopped after them. */
export function serverAndBrowserForThisFile(): BrowserTestSession {
  const session = {} as BrowserTestSession;
  beforeAll(async () => {
    session.server = await startTestServer();
    session.browser = await launchBrowser();
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.server?.dispose();
  });
  return session;
}

/**
 * A browser of its own for a new account with `role`, on the seeded draft; with JavaScript, once the page is ready:
 * for those who may edit, once the live editor (not the server's copy it replaces, which carries the same ProseMirror
 * classes) shows its margins; for readers, who keep the server's copy (decision 0022), once the page is hydrated.
 */
export async function openDraftAs(
  session: BrowserTarget,
  role: Role,
  name: string,
  options: { javaScriptEnabled?: boolean } = {},
): Promise<Page> {
  const context = await browserContextAs(session, role, name, options);
  const page = await context.newPage();
  await page.goto(`${session.server.url}/d/${SEED_DOCUMENT.slug}`);
  if (options.javaScriptEnabled === false) return page;
  await draftReady(page, role);
  return page;
}

/** Waits until the draft page is ready for `role`: the live editor's margins, or a reader's hydrated page. */
export async function draftReady(page: Page, role: Role | null): Promise<void> {
  if (role !== null && can(role, "edit-draft")) await page.locator(".ProseMirror[contenteditable] .block-margin").first().waitFor();
  else await page.locator("main.has-drawer .ProseMirror .block-margin").first().waitFor();
}

/**
 * A browser of its own, desktop-sized unless `options` say otherwise, signed in as a new account with `role`, or a
 * visitor's when `role` is null.
 */
export async function browserContextAs(
  session: BrowserTarget,
  role: Role | null,
  name?: string,
  options: Pick<BrowserContextOptions, "javaScriptEnabled" | "viewport" | "isMobile" | "hasTouch"> = {},
): Promise<BrowserContext> {
  const context = await session.browser.newContext({ viewport: { width: 1400, height: 1000 }, ...options });
  if (role === null) return context;
  const { cookie } = await signedInAs(session.server.services.db, role, name);
  const [cookieName = "", value = ""] = cookie.split("=");
  await context.addCookies([{ name: cookieName, value, url: session.server.url }]);
  return context;
}

/** Selects characters [from, to) of the block's first text node, as a reader dragging the mouse would. */
export function selectText(page: Page, blockId: string, from: number, to: number): Promise<void> {
  return page.locator(`.ProseMirror [id="${blockId}"]`).evaluate(
    (element, [start, end]) => {
      const text = [...element.childNodes].find((node) => node.nodeType === Node.TEXT_NODE);
      if (!text) throw new Error("the block has no plain text at its start");
      const range = document.createRange();
      range.setStart(text, start);
      range.setEnd(text, end);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    },
    [from, to] as const,
  );
}
