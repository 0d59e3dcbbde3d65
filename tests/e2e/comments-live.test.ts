/**
 * What readers see of comments while editors change the text, live (issue 12, item 10; decision 0016): a passage's
 * highlight grows with text typed inside it and goes only when most of the passage is gone, a thread whose paragraph
 * is deleted moves to "comments on removed text", and the margin follows a language switch; none of it waits for a
 * reload.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { openDraftAs, selectText, serverAndBrowserForThisFile } from "#tests/support/browser";
import { LIVE_MS } from "#tests/support/time";

/** Marks the page's window: a reload would lose the mark. */
const markWindow = (page: Page) => page.evaluate(() => Object.assign(window, { samradNotReloaded: true }));
const windowIsMarked = (page: Page) => page.evaluate(() => "samradNotReloaded" in window);

/**
 * Selects from character `from` of one block's text to character `to` of another's (or the same), counting across
 * the text nodes highlights split it into, as a reader dragging the mouse would.
 */
function selectAcross(page: Page, start: { blockId: string; offset: number }, end: { blockId: string; offset: number }): Promise<void> {
  return page.evaluate(
    ([first, last]) => {
      const point = ({ blockId, offset }: { blockId: string; offset: number }): [Node, number] => {
        const block = document.querySelector(`.ProseMirror [id="${blockId}"]`);
        if (!block) throw new Error(`no block ${blockId}`);
        const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
        let left = offset;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const length = node.textContent?.length ?? 0;
          if (left <= length) return [node, left];
          left -= length;
        }
        throw new Error(`${blockId} has fewer than ${offset} characters`);
      };
      const range = document.createRange();
      range.setStart(...point(first));
      range.setEnd(...point(last));
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    },
    [start, end] as const,
  );
}

describe("comments while the text changes", () => {
  const session = serverAndBrowserForThisFile();

  const highlightIn = (page: Page, blockId: string) => page.locator(`.ProseMirror [id="${blockId}"] .comment-highlight`);

  /** A member's comment on characters [from, to) of a paragraph; returns the block id and the quoted text. */
  async function commentOnPassage(member: Page, paragraph: number, from: number, to: number, body: string) {
    const block = member.locator(".ProseMirror p").nth(paragraph);
    const blockId = (await block.getAttribute("id")) ?? "";
    const exact = ((await block.textContent()) ?? "").slice(from, to);
    await selectText(member, blockId, from, to);
    await member.getByRole("button", { name: /^Kommentera markerad text/ }).click();
    await member.getByLabel("Din kommentar").fill(body);
    await member.getByLabel(/Jag godkänner/).check();
    await member.getByRole("button", { name: "Publicera kommentaren" }).click();
    await member.locator(".thread", { hasText: body }).waitFor();
    await expect.poll(() => highlightIn(member, blockId).textContent(), { timeout: LIVE_MS }).toBe(exact);
    return { blockId, exact };
  }

  it("keeps a passage highlighted around what an editor types inside it, and marks it changed when most of it is gone", async () => {
    const member = await openDraftAs(session, "member", "Maja Medlem");
    const editor = await openDraftAs(session, "editor", "Erik Editor");
    const { blockId, exact } = await commentOnPassage(member, 4, 6, 40, "Är det här rätt ord?");
    await expect.poll(() => highlightIn(editor, blockId).textContent(), { timeout: LIVE_MS }).toBe(exact);
    await markWindow(member);

    // Typed inside the passage: the highlight grows with it, for the editor and for the member.
    await editor.locator(`.ProseMirror [id="${blockId}"]`).click({ position: { x: 3, y: 8 } });
    await selectAcross(editor, { blockId, offset: 20 }, { blockId, offset: 20 });
    await editor.keyboard.type("NYTT ");
    const grown = `${exact.slice(0, 14)}NYTT ${exact.slice(14)}`;
    for (const page of [editor, member]) {
      await expect.poll(() => highlightIn(page, blockId).textContent(), { timeout: LIVE_MS }).toBe(grown);
    }
    // Typed right after its last character: outside it.
    await selectAcross(editor, { blockId, offset: 6 + grown.length }, { blockId, offset: 6 + grown.length });
    await editor.keyboard.type("KANT");
    await member.locator(`.ProseMirror [id="${blockId}"]`, { hasText: `${grown}KANT` }).waitFor({ timeout: LIVE_MS });
    for (const page of [editor, member]) expect(await highlightIn(page, blockId).textContent()).toBe(grown);
    const thread = member.locator(".thread", { hasText: "Är det här rätt ord?" });
    expect(await thread.locator(".thread__quote").textContent()).toBe(exact);

    // 25 of the 34 quoted characters deleted: the passage is changed, its highlight goes and the thread says so.
    await selectAcross(editor, { blockId, offset: 6 }, { blockId, offset: 36 });
    await editor.keyboard.press("Backspace");
    for (const page of [editor, member]) await highlightIn(page, blockId).waitFor({ state: "detached", timeout: LIVE_MS });
    await thread.getByText("Texten som kommenterades har ändrats eller tagits bort:").waitFor({ timeout: LIVE_MS });
    expect(await windowIsMarked(member)).toBe(true);

    await member.context().close();
    await editor.context().close();
  });

  it("moves a thread to the comments on removed text when an editor deletes its paragraph", async () => {
    const member = await openDraftAs(session, "member", "Mira Medlem");
    const editor = await openDraftAs(session, "editor", "Elsa Editor");
    // Two paragraphs next to each other, with no heading between them.
    const { blockId } = await commentOnPassage(member, 7, 0, 12, "Stycket behövs inte.");
    const previousId = (await editor.locator(".ProseMirror p").nth(6).getAttribute("id")) ?? "";
    const previousLength = ((await editor.locator(`.ProseMirror [id="${previousId}"]`).textContent()) ?? "").length;
    const length = ((await editor.locator(`.ProseMirror [id="${blockId}"]`).textContent()) ?? "").length;
    const located = member.locator(".thread-list .thread", { hasText: "Stycket behövs inte." });
    expect(await located.locator(".thread__title").textContent()).toMatch(/^Tråd om /);
    await markWindow(member);

    // From the end of the paragraph before to the end of this one: the paragraph goes, the one before stays.
    await editor.locator(`.ProseMirror [id="${previousId}"]`).click({ position: { x: 3, y: 8 } });
    await selectAcross(editor, { blockId: previousId, offset: previousLength }, { blockId, offset: length });
    await editor.keyboard.press("Backspace");
    await member.locator(`.ProseMirror [id="${blockId}"]`).waitFor({ state: "detached", timeout: LIVE_MS });
    const removed = member.locator("section.removed-text");
    await removed.locator(".thread", { hasText: "Stycket behövs inte." }).waitFor({ timeout: LIVE_MS });
    expect(await removed.locator("#removed-text-heading").textContent()).toBe("Kommentarer på borttagen text");
    expect(await member.locator("ol.thread-list > li > .thread", { hasText: "Stycket behövs inte." }).count()).toBe(1);
    expect(await windowIsMarked(member)).toBe(true);

    await member.context().close();
    await editor.context().close();
  });

  it("changes the margin's words with the reader's language, without a reload", async () => {
    const member = await openDraftAs(session, "member", "Mats Språk");
    // A reader's margin is the server's, fetched again in the new language: its references are links (decision 0022).
    const margin = member.locator(".ProseMirror .block-margin");
    await margin.getByRole("link", { name: "Kommentera 1 ¶2", exact: true }).waitFor();
    expect(await margin.first().locator(".block-ref").textContent()).toBe("Rubrik");
    await markWindow(member);

    await member.getByRole("button", { name: "English" }).click();
    await member.getByRole("heading", { name: "Comments", exact: true }).waitFor({ timeout: LIVE_MS });
    await margin.getByRole("link", { name: "Comment on 1 ¶2", exact: true }).waitFor({ timeout: LIVE_MS });
    expect(await margin.first().locator(".block-ref").textContent()).toBe("Title");
    expect(await margin.getByRole("link", { name: /^Kommentera / }).count()).toBe(0);
    expect(await windowIsMarked(member)).toBe(true);

    await member.getByRole("button", { name: "Svenska" }).click();
    await margin.getByRole("link", { name: "Kommentera 1 ¶2", exact: true }).waitFor({ timeout: LIVE_MS });
    expect(await margin.first().locator(".block-ref").textContent()).toBe("Rubrik");
    await member.context().close();
  });
});
