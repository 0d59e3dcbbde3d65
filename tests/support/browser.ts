import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { startTestServer, type TestServer } from "./server";

/** Debian's Chromium, headless, with the flags this closed network needs (no background calls home). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
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
  });
}

export interface BrowserTestSession {
  server: TestServer;
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
