import type { Browser } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { launchBrowser, openDraftAs } from "#tests/support/browser";
import { startOwnRedis, type OwnRedis } from "#tests/support/own-redis";
import { redisUrl } from "#tests/support/redis";
import { startTestServer, type TestServer } from "#tests/support/server";

const SAVED = "Ansluten – alla ändringar är sparade";
const NOT_REACHING = "Ansluten – dina ändringar sparas på den här servern, men når kanske inte redaktörer på andra servrar ännu";

// A node of several (REDIS_URL) whose Redis, the test's own, goes away and comes back.
describe.runIf(redisUrl)("an editor's status line when Redis goes away", () => {
  let ownRedis: OwnRedis | undefined;
  let server: TestServer | undefined;
  let browser: Browser | undefined;

  afterEach(async () => {
    await browser?.close();
    await server?.dispose();
    await ownRedis?.stop();
  });

  it("says that their changes may not reach editors on other servers yet, and goes back to normal", async () => {
    ownRedis = await startOwnRedis();
    server = await startTestServer({ env: { REDIS_URL: ownRedis.url, REDIS_KEY_PREFIX: "samrad" } });
    browser = await launchBrowser();
    const page = await openDraftAs({ server, browser }, "editor", "Alice");
    const status = page.locator(".editor-toolbar .connection");
    const shown = () => status.locator("> span:not(.visually-hidden, .connection__dot)").textContent();
    await expect.poll(shown).toBe(SAVED);

    await ownRedis.kill();
    await expect.poll(shown).toBe(NOT_REACHING);
    expect(await status.getAttribute("data-reaches-others")).toBe("false");
    await expect.poll(() => status.locator('[role="status"]').textContent()).toBe(NOT_REACHING);

    await ownRedis.restart();
    await expect.poll(shown).toBe(SAVED);
    expect(await status.getAttribute("data-reaches-others")).toBe("true");
  });
});
