/**
 * The comments beside the text (issue 14, items 4 and 5): on a wide screen each thread's card sits at the height of
 * its passage or paragraph, in document order and never over another; on a phone the comments are a modal dialog
 * that holds focus while open and gives it back to what opened it.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DocumentIndex } from "#app/comments/anchoring";
import { runCommentCommand } from "#app/models/comments/commands.server";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { findDocumentBySlug } from "#db/repositories/documents";
import { sessionAs } from "#tests/support/accounts";
import { browserContextAs, draftReady, serverAndBrowserForThisFile } from "#tests/support/browser";

interface Box {
  body: string;
  top: number;
  bottom: number;
  /** Where the card's passage (its highlight) or paragraph begins. */
  anchorTop: number;
}

describe("comment cards beside the text", () => {
  const session = serverAndBrowserForThisFile();
  /** Script errors on any page: there should be none. */
  const errors: string[] = [];

  beforeAll(async () => {
    const { services } = session.server;
    const documentId = (await findDocumentBySlug(services.db, SEED_DOCUMENT.slug))?.id ?? "";
    const paragraphs = await services.readDocument(documentId, (doc) =>
      DocumentIndex.of(doc)
        .blocks.filter((block) => block.type === "paragraph")
        .map(({ id, text }) => ({ id, text })),
    );
    const member = await sessionAs(services.db, "member", "Mats Medlem");
    const comment = async (paragraph: number, body: string, passage?: { from: number; to: number }) => {
      const block = paragraphs[paragraph];
      if (!block) throw new Error(`the draft has no paragraph ${paragraph}`);
      const range = passage ? { from: String(passage.from), to: String(passage.to), exact: block.text.slice(passage.from, passage.to) } : {};
      const result = await runCommentCommand(services, member, documentId, { intent: "create-thread", blockId: block.id, body, acceptLicence: "on", ...range });
      expect(result.ok).toBe(true);
    };
    // Two on one paragraph (they collide), then two far apart, the first on a passage.
    await comment(6, "Hela stycket är oklart.");
    await comment(6, "Och just de här orden.", { from: 30, to: 60 });
    await comment(14, "Ett stycke längre ner.", { from: 10, to: 40 });
    await comment(30, "Nästan i slutet.");
  });

  const open = async (viewport: { width: number; height: number }): Promise<Page> => {
    const context = await browserContextAs(session, "member", "Maja Medlem", { viewport });
    const page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${session.server.url}/d/${SEED_DOCUMENT.slug}`);
    await draftReady(page, "member");
    return page;
  };

  /** Each card in the list's order, where it is and where its text is, in page coordinates. */
  const cardBoxes = (page: Page): Promise<Box[]> =>
    page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>(".thread-list--cards > li")].map((item) => {
        const card = item.querySelector<HTMLElement>(".thread");
        const threadId = card?.dataset.threadId ?? "";
        const column = document.querySelector(".document-column");
        const anchor =
          column?.querySelector(`[data-thread-id="${threadId}"]`) ?? column?.querySelector(`[data-block-id="${card?.dataset.blockId ?? ""}"]`);
        const box = item.getBoundingClientRect();
        return {
          body: card?.querySelector(".comment-body")?.textContent ?? "",
          top: box.top + scrollY,
          bottom: box.bottom + scrollY,
          anchorTop: (anchor?.getBoundingClientRect().top ?? Number.NaN) + scrollY,
        };
      }),
    );
  const cardFor = (boxes: Box[], body: string): Box => {
    const box = boxes.find((candidate) => candidate.body === body);
    if (!box) throw new Error(`no card says ${body}`);
    return box;
  };
  /** The boxes once the cards have stopped moving (they glide to new places). */
  const settledBoxes = async (page: Page): Promise<Box[]> => {
    let previous = "";
    let boxes: Box[] = [];
    await expect
      .poll(async () => {
        boxes = await cardBoxes(page);
        const now = JSON.stringify(boxes);
        const same = now === previous;
        previous = now;
        return same && boxes.length === 4;
      })
      .toBe(true);
    return boxes;
  };

  it("puts each card beside its passage or paragraph on a wide screen, in order and without overlaps", async () => {
    const page = await open({ width: 1280, height: 900 });
    const boxes = await settledBoxes(page);
    expect(boxes.map((box) => box.body)).toEqual(["Hela stycket är oklart.", "Och just de här orden.", "Ett stycke längre ner.", "Nästan i slutet."]);
    for (const [index, box] of boxes.entries()) {
      if (index > 0) expect(box.top).toBeGreaterThanOrEqual((boxes[index - 1]?.bottom ?? 0) + 4);
    }
    const later = cardFor(boxes, "Ett stycke längre ner.");
    const last = cardFor(boxes, "Nästan i slutet.");
    expect(last.top).toBeGreaterThan(later.bottom + 200);
    // Nothing in their way: at the height of their text.
    for (const box of [later, last]) expect(Math.abs(box.top - box.anchorTop)).toBeLessThan(3);
    // The two on one paragraph: the first at it, the second right below it.
    const first = cardFor(boxes, "Hela stycket är oklart.");
    const second = cardFor(boxes, "Och just de här orden.");
    expect(Math.abs(first.top - first.anchorTop)).toBeLessThan(3);
    expect(second.top).toBeGreaterThan(second.anchorTop);

    // The chosen thread goes to its passage; the one before it moves up out of its way.
    await page.locator(".thread", { hasText: "Och just de här orden." }).getByRole("button", { name: "Visa i texten" }).click();
    await expect.poll(async () => Math.abs(cardFor(await cardBoxes(page), "Och just de här orden.").top - second.anchorTop)).toBeLessThan(3);
    const moved = await settledBoxes(page);
    expect(cardFor(moved, "Hela stycket är oklart.").bottom).toBeLessThanOrEqual(cardFor(moved, "Och just de här orden.").top);
    expect(cardFor(moved, "Hela stycket är oklart.").top).toBeLessThan(first.top);

    // Tab order is the list's: from the first card's button to the next card's.
    const showButtons = page.locator(".thread-list--cards .thread").getByRole("button", { name: "Visa i texten" });
    await showButtons.nth(2).focus();
    await page.keyboard.press("Shift+Tab");
    expect(await page.evaluate(() => document.activeElement?.closest(".thread")?.querySelector(".comment-body")?.textContent)).toBe("Och just de här orden.");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("makes the comments a modal dialog on a phone: focus goes in and stays, Escape closes and gives focus back", async () => {
    const page = await open({ width: 390, height: 844 });
    const toggle = page.getByRole("button", { name: /^Kommentarer \(\d+\)$/ });
    const dialog = page.getByRole("dialog", { name: "Kommentarer" });
    const focusInDialog = () => page.evaluate(() => document.activeElement?.closest("#comments[role=dialog]") !== null);

    await toggle.click();
    await dialog.waitFor();
    await expect.poll(focusInDialog).toBe(true);
    expect(await page.evaluate(() => document.querySelector(".document-column")?.closest("[inert]") !== null)).toBe(true);
    const visited = new Set<string>();
    for (let step = 0; step < 30; step++) {
      await page.keyboard.press(step % 7 === 6 ? "Shift+Tab" : "Tab");
      expect(await focusInDialog(), `after ${step + 1} presses`).toBe(true);
      visited.add(await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80) ?? ""));
    }
    // It went round: more stops than a few, all inside.
    expect(visited.size).toBeGreaterThan(5);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    await expect.poll(() => toggle.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await page.evaluate(() => document.querySelector("[inert]") === null)).toBe(true);

    // Opened from a paragraph's margin, for a new comment: focus goes to the box, and back to the margin after.
    const margin = page.getByRole("link", { name: "Kommentera 1 ¶2", exact: true });
    await margin.click();
    await dialog.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
    await page.getByRole("button", { name: "Stäng kommentarerna" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => margin.evaluate((element) => element === document.activeElement)).toBe(true);

    // The text is behind the dialog: showing a thread's passage closes it, and the passage is in view.
    await toggle.click();
    const farThread = dialog.locator(".thread", { hasText: "Ett stycke längre ner." });
    const farThreadId = await farThread.evaluate((element) => element.closest<HTMLElement>("[data-thread-id]")?.dataset.threadId ?? element.querySelector<HTMLElement>("[data-thread-id]")?.dataset.threadId);
    await farThread.getByRole("button", { name: "Visa i texten" }).click();
    await dialog.waitFor({ state: "hidden" });
    const passage = page.locator(`.document-column [data-thread-id="${farThreadId}"]`).first();
    await expect.poll(() => passage.evaluate((element) => element.getBoundingClientRect().top > 0 && element.getBoundingClientRect().bottom < innerHeight)).toBe(true);
    await expect.poll(() => toggle.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
