import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { openDraftAs, selectText, serverAndBrowserForThisFile } from "#tests/support/browser";
import { LIVE_MS } from "#tests/support/time";

describe("comments in the browser", () => {
  const session = serverAndBrowserForThisFile();

  const openAs = (role: "member" | "editor", name: string, options: { javaScriptEnabled?: boolean } = {}) =>
    openDraftAs(session, role, name, options);

  const highlightIn = (page: Page, blockId: string) => page.locator(`.ProseMirror [id="${blockId}"] .comment-highlight`);

  /** Presses Tab until `target` has focus: it must be reachable by keyboard, in a few steps. */
  const tabTo = async (page: Page, target: Locator) => {
    for (let step = 0; step < 12; step++) {
      if (await target.evaluate((element) => element === document.activeElement)) return;
      await page.keyboard.press("Tab");
    }
    throw new Error("not reachable with Tab");
  };

  it("shows a member's comment on a passage to an editor live, keeps the highlight on it while the editor types, and brings back the reply and resolution", async () => {
    const member = await openAs("member", "Mats Medlem");
    const editor = await openAs("editor", "Eva Editor");
    const paragraph = member.locator(".ProseMirror p").nth(3);
    const blockId = (await paragraph.getAttribute("id")) ?? "";
    const text = (await paragraph.textContent()) ?? "";
    const exact = text.slice(6, 40);

    await selectText(member, blockId, 6, 40);
    await member.getByRole("button", { name: /^Kommentera markerad text/ }).click();
    await expect.poll(() => member.locator(".composer blockquote").textContent()).toBe(exact);
    await member.getByLabel("Din kommentar").fill("Formuleringen är otydlig.");
    await member.getByLabel(/Jag godkänner/).check();
    await member.getByRole("button", { name: "Publicera kommentaren" }).click();

    const editorThread = editor.locator(".thread", { hasText: "Formuleringen är otydlig." });
    await editorThread.waitFor({ timeout: LIVE_MS });
    await expect.poll(() => highlightIn(editor, blockId).textContent(), { timeout: LIVE_MS }).toBe(exact);
    expect(await editorThread.locator(".thread__quote").textContent()).toBe(exact);

    // The editor writes before the passage: the highlight stays on the same words for both.
    await editor.locator(`.ProseMirror [id="${blockId}"]`).click({ position: { x: 3, y: 8 } });
    await editor.keyboard.press("Home");
    await editor.keyboard.type("Ny inledning. ");
    for (const page of [editor, member]) {
      await page.locator(`.ProseMirror [id="${blockId}"]`, { hasText: "Ny inledning. " }).waitFor({ timeout: LIVE_MS });
      await expect.poll(() => highlightIn(page, blockId).textContent(), { timeout: LIVE_MS }).toBe(exact);
    }

    await editorThread.getByRole("button", { name: "Svara" }).click();
    await editorThread.getByLabel("Ditt svar").fill("Vi skriver om meningen.");
    await editorThread.getByLabel(/Jag godkänner/).check();
    await editorThread.getByRole("button", { name: "Skicka svaret" }).click();
    const memberThread = member.locator(".thread", { hasText: "Formuleringen är otydlig." });
    await memberThread.getByText("Vi skriver om meningen.").waitFor({ timeout: LIVE_MS });

    // Anyone may report a comment for moderation.
    await editorThread.getByRole("button", { name: "Anmäl" }).click();
    await editorThread.getByLabel("Varför behöver kommentaren granskas?").fill("Testanmälan");
    await editorThread.getByRole("button", { name: "Skicka anmälan" }).click();
    await editorThread.getByText("Tack. En moderator granskar kommentaren.").waitFor();

    await editorThread.getByRole("button", { name: "Markera som löst" }).click();
    // Open threads are listed by default: the resolved one leaves the list and its highlight goes.
    await memberThread.waitFor({ state: "detached", timeout: LIVE_MS });
    await highlightIn(member, blockId).waitFor({ state: "detached", timeout: LIVE_MS });
    await member.getByRole("link", { name: "Lösta" }).click();
    await memberThread.getByText("Löst").waitFor();

    await member.context().close();
    await editor.context().close();
  });

  it("lets a member comment on a block by keyboard alone", async () => {
    const member = await openAs("member", "Kim Tangentbord");
    // A reader's margin is the server's: its references are links to the comment form (decision 0022).
    const commentButton = member.getByRole("link", { name: "Kommentera 1 ¶2", exact: true });
    await commentButton.focus();
    await member.keyboard.press("Enter");
    const box = member.getByLabel("Din kommentar");
    await box.waitFor();
    await expect.poll(() => member.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))).toContain("<textarea");
    await member.keyboard.type("Stycket borde nämna kommunerna.");
    await tabTo(member, member.getByLabel(/Jag godkänner/));
    await member.keyboard.press("Space");
    await tabTo(member, member.getByRole("button", { name: "Publicera kommentaren" }));
    await member.keyboard.press("Enter");
    const thread = member.locator(".thread", { hasText: "Stycket borde nämna kommunerna." });
    await thread.waitFor();
    // The new thread gets focus, so a screen reader user hears where the comment went (once it is shown).
    await expect.poll(() => member.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))).toContain('class="thread');
    expect(await thread.locator(".thread__title").textContent()).toBe("Tråd om 1 ¶2");

    // Authors edit their own comment in place.
    const threadId = await thread.getAttribute("id");
    await thread.getByRole("button", { name: "Redigera" }).click();
    await thread.getByLabel("Redigera din kommentar").fill("Stycket borde nämna kommunerna och regionerna.");
    await thread.getByRole("button", { name: "Spara" }).click();
    const edited = member.locator(`[id="${threadId}"]`);
    await edited.getByText("Stycket borde nämna kommunerna och regionerna.").waitFor();
    await edited.getByText("(redigerad)").waitFor();
    await member.context().close();
  });

  it("lets a member comment on a block without JavaScript", async () => {
    const member = await openAs("member", "Nils Utan Skript", { javaScriptEnabled: false });
    await member.getByRole("link", { name: "Kommentera 2 ¶1", exact: true }).click();
    const composer = member.locator("#new-comment");
    await composer.getByLabel("Din kommentar").fill("Skickat utan JavaScript.");
    await composer.getByLabel(/Jag godkänner/).check();
    await composer.getByRole("button", { name: "Publicera kommentaren" }).click();
    await member.locator(".thread", { hasText: "Skickat utan JavaScript." }).waitFor();
    expect(new URL(member.url()).hash).toMatch(/^#comment-[0-9a-f-]{36}$/);
    await member.context().close();
  });
});
