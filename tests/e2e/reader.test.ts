/**
 * Readers without the editor (issue 14, "serve it light"; decision 0022): a visitor's page never loads the editor's
 * code or opens its socket, yet shows what an editor types as it is typed, without moving the text the visitor is
 * reading; and a member still comments on a passage they select in that text.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { browserContextAs, openDraftAs, selectText, serverAndBrowserForThisFile } from "#tests/support/browser";
import { LIVE_MS } from "#tests/support/time";

/** The top of a block in the window, in pixels. */
const topOf = (page: Page, blockId: string) => page.locator(`[id="${blockId}"]`).evaluate((element) => Math.round(element.getBoundingClientRect().top));

describe("readers without the editor", () => {
  const session = serverAndBrowserForThisFile();

  it("shows a visitor an editor's typing live, keeps the text they read in place, and never loads the editor", async () => {
    const context = await browserContextAs(session, null);
    const visitor = await context.newPage();
    const requested: string[] = [];
    const sockets: string[] = [];
    visitor.on("request", (request) => requested.push(request.url()));
    visitor.on("websocket", (socket) => sockets.push(socket.url()));
    await visitor.goto(`${session.server.url}/d/${SEED_DOCUMENT.slug}`);
    await visitor.locator("main.has-drawer .ProseMirror .block-margin").first().waitFor();

    const editor = await openDraftAs(session, "editor", "Edit Redaktör");
    const edited = (await editor.locator(".ProseMirror > p").nth(3).getAttribute("id")) ?? "";
    const read = (await visitor.locator(".ProseMirror > p").nth(12).getAttribute("id")) ?? "";
    // The visitor reads a paragraph further down: it is at the top of their window.
    await visitor.locator(`[id="${read}"]`).evaluate((element) => window.scrollBy(0, element.getBoundingClientRect().top - 40));
    await expect.poll(() => topOf(visitor, read)).toBe(40);

    // A new paragraph above what the visitor reads, and words typed into it.
    await editor.locator(`.ProseMirror [id="${edited}"]`).click();
    await editor.keyboard.press("End");
    await editor.keyboard.press("Enter");
    await editor.keyboard.type("Ett nytt stycke som redaktören skriver just nu.");
    await visitor.locator(".ProseMirror p", { hasText: "Ett nytt stycke som redaktören skriver just nu." }).waitFor({ timeout: LIVE_MS });
    expect(await visitor.locator(".ProseMirror[contenteditable]").count()).toBe(0);
    // Where the visitor was reading, the same paragraph is still at the top.
    await expect.poll(() => topOf(visitor, read), { timeout: LIVE_MS }).toBe(40);
    // And the margins follow: the new paragraph has a reference of its own.
    const added = visitor.locator(".ProseMirror p", { hasText: "Ett nytt stycke som redaktören skriver just nu." });
    expect(await added.evaluate((element) => element.previousElementSibling?.matches(".block-margin"))).toBe(true);

    expect(requested.filter((url) => /CollaborativeEditor|extensions-/.test(url))).toEqual([]);
    expect(sockets).toEqual([]);
    await context.close();
    await editor.context().close();
  });

  it("lets a member select a passage in the server's text and comment on it, and shows the highlight", async () => {
    const member = await openDraftAs(session, "member", "Mona Medlem");
    const requested: string[] = [];
    member.on("request", (request) => requested.push(request.url()));
    const paragraph = member.locator(".ProseMirror > p").nth(5);
    const blockId = (await paragraph.getAttribute("id")) ?? "";
    const exact = ((await paragraph.textContent()) ?? "").slice(4, 30);

    await selectText(member, blockId, 4, 30);
    await member.getByRole("button", { name: /^Kommentera markerad text/ }).click();
    await expect.poll(() => member.locator(".composer blockquote").textContent()).toBe(exact);
    await member.getByLabel("Din kommentar").fill("Ett förtydligande behövs här.");
    await member.getByLabel(/Jag godkänner/).check();
    await member.getByRole("button", { name: "Publicera kommentaren" }).click();
    await member.locator(".thread", { hasText: "Ett förtydligande behövs här." }).waitFor();
    // The reading view is fetched again with the new thread: its passage is highlighted, and the margin counts it.
    await expect.poll(() => member.locator(`[id="${blockId}"] .comment-highlight`).textContent(), { timeout: LIVE_MS }).toBe(exact);
    await expect.poll(() => member.locator(`[id="${blockId}"]`).evaluate((element) => element.previousElementSibling?.querySelector(".block-count")?.textContent), { timeout: LIVE_MS }).toBe("1");
    expect(requested.filter((url) => /CollaborativeEditor/.test(url))).toEqual([]);
    await member.context().close();
  });

  it("tells a reader who came by a link in the page when the draft cannot be fetched, and a reload brings it", async () => {
    const context = await browserContextAs(session, null);
    const visitor = await context.newPage();
    await visitor.goto(`${session.server.url}/`);
    await visitor.locator("html[data-hydrated]").waitFor({ state: "attached" });
    // The server's reading view is unavailable (a node restarting, say) when the page is reached without a reload.
    await visitor.route("**/reading?**", (route) => route.fulfill({ status: 503, body: "" }));
    await visitor.locator(`a[href="/d/${SEED_DOCUMENT.slug}"]`).first().click();
    const alert = visitor.getByRole("alert").filter({ hasText: "Utkastet kunde inte hämtas just nu." });
    await alert.waitFor();
    expect(await visitor.getByText("Utkastet hämtas …").count()).toBe(0);

    // The reload is a whole page, whose text the server renders: it needs no reading view.
    await Promise.all([visitor.waitForEvent("load"), alert.getByRole("link", { name: "Ladda om sidan" }).click()]);
    await visitor.locator(".ProseMirror > p").first().waitFor();
    expect(await visitor.getByRole("alert").filter({ hasText: "Utkastet kunde inte hämtas" }).count()).toBe(0);
    await visitor.unroute("**/reading?**");
    await context.close();
  });
});
