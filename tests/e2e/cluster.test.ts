/**
 * Issue 15, done-when 2: several nodes behind nginx act as one. Two editors on different nodes co-edit with carets;
 * a member's suggestion posted through one node appears live on a page the other node serves; an editor accepting
 * it on one node changes the text an editor on the other node has open (what Hocuspocus's Redis extension lost,
 * its issue #800); a reader on that node sees it too.
 *
 * Each browser is pinned to a node by using the node's own address (nginx spreads requests without stickiness, so
 * through it a browser could land on either); the cluster, its nginx and its configuration are those of
 * tests/support/cluster.ts.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "#db/client";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { launchBrowser, openDraftAs, selectText, type BrowserTarget } from "#tests/support/browser";
import { nginxInstalled, startCluster, type Cluster } from "#tests/support/cluster";
import { redisUrl } from "#tests/support/redis";
import { LIVE_MS } from "#tests/support/time";

/** A block's text as its editor reads it: without the carets (and names) of the others in it. */
const textOf = (page: Page, blockId: string) =>
  page.locator(`.ProseMirror [id="${blockId}"]`).evaluate((element) => {
    const copy = element.cloneNode(true) as Element;
    for (const caret of copy.querySelectorAll(".collaboration-carets__caret")) caret.remove();
    return copy.textContent;
  });

describe.runIf(redisUrl && process.env.TEST_DATABASE_URL && nginxInstalled)("two nodes behind nginx, in the browser", () => {
  let cluster: Cluster;
  let database: DatabaseHandle;
  let browser: Browser;
  const onNode = (index: number): BrowserTarget => ({ server: { url: cluster.nodeUrl(index), services: { db: database.db } }, browser });

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 2 });
    database = await openDatabase({ databaseUrl: cluster.databaseUrl, dataDir: "unused" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await database?.close();
    await cluster?.stop();
  });

  it("lets editors on two nodes type into one paragraph and see each other's carets", async () => {
    const anna = await openDraftAs(onNode(0), "editor", "Anna Nodett");
    const bertil = await openDraftAs(onNode(1), "editor", "Bertil Nodtvå");
    const paragraph = anna.locator(".ProseMirror[contenteditable] > p").nth(2);
    const blockId = (await paragraph.getAttribute("id")) ?? "";

    await paragraph.click();
    await anna.keyboard.press("End");
    await anna.keyboard.type(" Skrivet på nod ett.");
    await bertil.locator(`.ProseMirror [id="${blockId}"]`, { hasText: "Skrivet på nod ett." }).waitFor({ timeout: LIVE_MS });
    await bertil.locator(".collaboration-carets__label", { hasText: "Anna Nodett" }).waitFor({ timeout: LIVE_MS });

    await bertil.locator(`.ProseMirror [id="${blockId}"]`).click();
    await bertil.keyboard.press("End");
    await bertil.keyboard.type(" Och på nod två.");
    await anna.locator(`.ProseMirror [id="${blockId}"]`, { hasText: "Och på nod två." }).waitFor({ timeout: LIVE_MS });
    await anna.locator(".collaboration-carets__label", { hasText: "Bertil Nodtvå" }).waitFor({ timeout: LIVE_MS });
    // One paragraph on both nodes, with both editors' words in it (the other's caret and name aside).
    await expect.poll(async () => (await textOf(anna, blockId)) === (await textOf(bertil, blockId)), { timeout: LIVE_MS }).toBe(true);
    expect(await textOf(anna, blockId)).toContain("Skrivet på nod ett.");
    await anna.context().close();
    await bertil.context().close();
  });

  it("shows a suggestion posted on one node live on the other, and its acceptance there reaches an editor and a reader on the first", async () => {
    const member = await openDraftAs(onNode(0), "member", "Mia Medlem");
    const editorHere = await openDraftAs(onNode(0), "editor", "Erik Härnod");
    const editorThere = await openDraftAs(onNode(1), "editor", "Elsa Därnod");
    const paragraph = member.locator(".ProseMirror > p").nth(4);
    const blockId = (await paragraph.getAttribute("id")) ?? "";
    const text = (await paragraph.textContent()) ?? "";

    await selectText(member, blockId, 6, 30);
    await member.getByRole("button", { name: /^Kommentera markerad text/ }).click();
    await member.getByLabel("Ett förslag till ny lydelse").check();
    await member.getByLabel("Föreslagen lydelse").fill("LYDELSE FRÅN EN ANNAN NOD");
    await member.getByLabel("Motivering").fill("Postat på nod ett.");
    await member.getByLabel(/Jag godkänner/).check();
    await member.getByRole("button", { name: "Publicera förslaget" }).click();

    // Posted through node 0, it appears live on the page node 1 serves.
    const thread = editorThere.locator(".thread", { hasText: "Postat på nod ett." });
    await thread.waitFor({ timeout: LIVE_MS });
    await thread.getByText("Hantera förslaget").click();
    await thread.getByRole("button", { name: "Godta och för in i utkastet" }).click();

    // Accepted on node 1, the text changes for the editor and the reader whose pages node 0 serves.
    const expected = `${text.slice(0, 6)}LYDELSE FRÅN EN ANNAN NOD${text.slice(30)}`;
    for (const page of [editorHere, member]) {
      await page.locator(`.ProseMirror [id="${blockId}"]`, { hasText: "LYDELSE FRÅN EN ANNAN NOD" }).waitFor({ timeout: LIVE_MS });
      expect(await page.locator(`.ProseMirror [id="${blockId}"]`).textContent()).toBe(expected);
    }
    // And a plain reload through nginx, whichever node answers, shows it.
    const visitor = await browser.newPage();
    await visitor.goto(`${cluster.url}/d/${SEED_DOCUMENT.slug}`);
    expect(await visitor.locator(`.ProseMirror [id="${blockId}"]`).textContent()).toBe(expected);
    for (const page of [member, editorHere, editorThere, visitor]) await page.context().close();
  });
});
