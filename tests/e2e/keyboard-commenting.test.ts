import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { browserContextAs, draftReady, openDraftAs, selectText, serverAndBrowserForThisFile } from "#tests/support/browser";
import { LIVE_MS } from "#tests/support/time";

describe("commenting by keyboard and on a phone, with focus and announcements after every action", () => {
  const session = serverAndBrowserForThisFile();

  const isFocused = (target: Locator) => target.evaluate((element) => element === document.activeElement);
  const focusIsOnBody = (page: Page) => page.evaluate(() => document.activeElement === null || document.activeElement === document.body);
  const announced = (page: Page) => page.locator("[data-announcer]").textContent();

  /** Presses Tab until `target` has focus, and says how many presses that took. */
  const tabTo = async (page: Page, target: Locator, most = 20): Promise<number> => {
    for (let presses = 0; presses <= most; presses++) {
      if (await isFocused(target)) return presses;
      await page.keyboard.press("Tab");
    }
    throw new Error("not reachable with Tab");
  };

  /** Ticks the licence consent where the form still asks for it (an account asked once is not asked again). */
  const acceptLicenceIn = async (scope: Locator) => {
    const consent = scope.getByLabel(/Jag godkänner/);
    if ((await consent.count()) > 0) await consent.check();
  };

  it("lets a member select a passage and comment on it with the keyboard alone", async () => {
    const member = await openDraftAs(session, "member", "Kim Tangentbord");
    const text = member.getByRole("region", { name: "Utkastets text" });
    await tabTo(member, text);

    // The caret starts at the first block in view; Shift+arrows select from it.
    const block = await member.evaluate(() => {
      const node = window.getSelection()?.focusNode;
      const element = node instanceof Element ? node : node?.parentElement;
      const found = element?.closest(".document-text [id]");
      return { id: found?.id ?? "", text: found?.textContent ?? "" };
    });
    expect(block.id).not.toBe("");
    const quote = block.text.slice(0, 12);
    const selectTwelve = async () => {
      for (let step = 0; step < 12; step++) await member.keyboard.press("Shift+ArrowRight");
      await expect.poll(() => member.evaluate(() => window.getSelection()?.toString())).toBe(quote);
    };
    await selectTwelve();

    // "Comment" beside the selection is announced and is the next Tab stop; Escape puts it away.
    const adder = member.getByRole("button", { name: "Kommentera", exact: true });
    await adder.waitFor();
    await expect.poll(() => announced(member)).toMatch(/^Text markerad/);
    await member.keyboard.press("Tab");
    expect(await isFocused(adder)).toBe(true);
    await member.keyboard.press("Enter");
    await expect.poll(() => member.locator(".composer blockquote").textContent()).toBe(quote);
    // Cancelled, the box gives focus back to the text (the button that opened it went with the box), with its caret
    // at the start of the same block again.
    await member.locator(".composer").getByRole("button", { name: "Avbryt" }).focus();
    await member.keyboard.press("Enter");
    await expect.poll(() => isFocused(text)).toBe(true);
    await selectTwelve();
    await adder.waitFor();
    await member.keyboard.press("Escape");
    await adder.waitFor({ state: "detached" });
    expect(await isFocused(text)).toBe(true);

    // The documented key opens the box for a new comment on the selection.
    expect(await member.locator("#reading-keys").textContent()).toContain("Ctrl+Alt+M");
    await member.keyboard.press("Control+Alt+KeyM");
    await expect.poll(() => member.locator(".composer blockquote").textContent()).toBe(quote);
    await expect.poll(() => member.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
    await member.keyboard.type("Inledningen kan bli tydligare.");
    await tabTo(member, member.getByLabel(/Jag godkänner/));
    await member.keyboard.press("Space");
    await tabTo(member, member.getByRole("button", { name: "Publicera kommentaren" }));
    await member.keyboard.press("Enter");

    const thread = member.locator(".thread", { hasText: "Inledningen kan bli tydligare." });
    await thread.waitFor();
    expect(await thread.locator(".thread__quote").textContent()).toBe(quote);
    await expect.poll(() => member.evaluate(() => document.activeElement?.className)).toContain("thread");
    await expect.poll(() => announced(member)).toBe("Kommentaren är publicerad.");
    await member.context().close();
  });

  it("offers a member on a phone a Comment button beside the selected text and a sheet with the quote", async () => {
    const context = await browserContextAs(session, "member", "Mia Mobil", {
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
    });
    const phone = await context.newPage();
    await phone.goto(`${session.server.url}/d/${SEED_DOCUMENT.slug}`);
    await draftReady(phone, "member");

    // The skip link opens the comments, a closed drawer on a phone, at their heading; Escape closes it again.
    const heading = phone.getByRole("heading", { name: "Kommentarer", exact: true });
    expect(await heading.isVisible()).toBe(false);
    await phone.getByRole("link", { name: "Gå till kommentarerna" }).focus();
    await phone.keyboard.press("Enter");
    await expect.poll(() => isFocused(heading)).toBe(true);
    expect(await heading.isVisible()).toBe(true);
    await phone.keyboard.press("Escape");
    await expect.poll(() => heading.isVisible()).toBe(false);
    const paragraph = phone.locator(".ProseMirror > p").nth(2);
    await paragraph.scrollIntoViewIfNeeded();
    const blockId = (await paragraph.getAttribute("id")) ?? "";
    const exact = ((await paragraph.textContent()) ?? "").slice(4, 30);

    await selectText(phone, blockId, 4, 30);
    const adder = phone.getByRole("button", { name: "Kommentera", exact: true });
    await adder.waitFor();
    // Beside the selection: under its last line, on screen.
    const selectionBottom = await phone.evaluate(() => window.getSelection()?.getRangeAt(0).getBoundingClientRect().bottom ?? 0);
    const adderBox = await adder.boundingBox();
    expect(adderBox?.y).toBeGreaterThanOrEqual(selectionBottom);
    expect((adderBox?.y ?? 0) + (adderBox?.height ?? 0)).toBeLessThan(844);
    await adder.tap();

    const sheet = phone.locator(".composer--passage");
    await expect.poll(() => sheet.locator("blockquote").textContent()).toBe(exact);
    const sheetBox = await sheet.boundingBox();
    expect(Math.round((sheetBox?.y ?? 0) + (sheetBox?.height ?? 0))).toBe(844);
    await sheet.getByLabel("Din kommentar").fill("Gäller det även kommunerna?");
    await sheet.getByLabel(/Jag godkänner/).check();
    await sheet.getByRole("button", { name: "Publicera kommentaren" }).tap();
    const thread = phone.locator(".thread", { hasText: "Gäller det även kommunerna?" });
    await thread.waitFor();
    expect(await thread.locator(".thread__quote").textContent()).toBe(exact);
    await context.close();
  });

  it("keeps focus on the page and says what happened after a reply, an edit, a report, accepting a suggestion and resolving", async () => {
    const member = await openDraftAs(session, "member", "Mats Medlem");
    const editor = await openDraftAs(session, "editor", "Eva Editor");

    // The member proposes new wording; the editor comments on a paragraph of their own.
    const paragraph = member.locator(".ProseMirror > p").nth(5);
    const blockId = (await paragraph.getAttribute("id")) ?? "";
    await selectText(member, blockId, 0, 20);
    await member.getByRole("button", { name: "Kommentera", exact: true }).click();
    await member.getByLabel("Ett förslag till ny lydelse").check();
    await member.getByLabel("Föreslagen lydelse").fill("EN NY BÖRJAN");
    await member.getByLabel("Motivering").fill("Rakare så.");
    await member.getByLabel(/Jag godkänner/).check();
    await member.getByRole("button", { name: "Publicera förslaget" }).click();

    // In the editor's own text the same key comments on the paragraph the caret is in.
    await editor.locator('.block-margin:has([aria-label="Kommentera 1 ¶3"]) + p').click({ position: { x: 3, y: 8 } });
    await editor.keyboard.press("Control+Alt+KeyM");
    await editor.getByRole("heading", { name: "Ny kommentar på 1 ¶3" }).waitFor();
    await editor.getByLabel("Din kommentar").fill("Ska vi stryka stycket?");
    await acceptLicenceIn(editor.locator(".composer"));
    await editor.getByRole("button", { name: "Publicera kommentaren" }).click();
    const own = editor.locator(".thread", { hasText: "Ska vi stryka stycket?" });
    await own.waitFor();

    const expectSettled = async (message: string) => {
      await expect.poll(() => announced(editor)).toBe(message);
      expect(await focusIsOnBody(editor)).toBe(false);
    };

    await own.getByRole("button", { name: "Svara" }).click();
    await own.getByLabel("Ditt svar").fill("Nej, vi behåller det.");
    await acceptLicenceIn(own);
    await own.getByRole("button", { name: "Skicka svaret" }).click();
    await expectSettled("Svaret är publicerat.");
    const replyId = await own.locator(".comment", { hasText: "Nej, vi behåller det." }).getAttribute("id");
    const reply = editor.locator(`[id="${replyId}"]`);
    expect(await isFocused(reply)).toBe(true);

    await reply.getByRole("button", { name: "Redigera" }).click();
    await reply.getByLabel("Redigera din kommentar").fill("Nej, vi behåller det som det är.");
    await reply.getByRole("button", { name: "Spara" }).click();
    await expectSettled("Ändringen är sparad.");
    expect(await isFocused(reply)).toBe(true);

    const suggestion = editor.locator(".thread", { hasText: "Rakare så." });
    await suggestion.waitFor({ timeout: LIVE_MS });
    const proposal = suggestion.locator(".comment", { hasText: "Rakare så." });
    await proposal.getByRole("button", { name: "Anmäl" }).click();
    await proposal.getByLabel("Varför behöver kommentaren granskas?").fill("Testanmälan");
    await proposal.getByRole("button", { name: "Skicka anmälan" }).click();
    await expectSettled("Tack. En moderator granskar kommentaren.");
    expect(await isFocused(proposal)).toBe(true);

    await suggestion.getByText("Hantera förslaget").click();
    await suggestion.getByRole("button", { name: "Godta och för in i utkastet" }).click();
    await expectSettled("Förslaget är godtaget och infört i utkastet.");

    await own.getByRole("button", { name: "Markera som löst" }).click();
    await expectSettled("Tråden är markerad som löst.");

    await member.context().close();
    await editor.context().close();
  });

  it("reaches the comments in a few Tab presses, past the margin's single Tab stop, or with the skip link", async () => {
    const member = await openDraftAs(session, "member", "Sara Skiplänk");
    const margins = member.locator(".block-margin a, .block-margin button");
    expect(await margins.count()).toBeGreaterThan(20);
    await expect.poll(() => member.locator('.block-margin [tabindex="0"]').count()).toBe(1);

    // From the start of the page, Tab by Tab: the header's nine stops, the page's links, the text, the margin's one
    // stop and the link in the draft's text; the hundred margin links of the draft are not in the way.
    let presses = 0;
    while (!(await member.evaluate(() => document.getElementById("comments")?.contains(document.activeElement)))) {
      expect(presses++).toBeLessThan(20);
      await member.keyboard.press("Tab");
    }

    // The margin's controls: one Tab stop, the arrow keys move along them.
    const firstMargin = margins.first();
    await firstMargin.focus();
    await member.keyboard.press("ArrowDown");
    expect(await isFocused(margins.nth(1))).toBe(true);
    await member.keyboard.press("End");
    expect(await isFocused(margins.last())).toBe(true);
    expect(await margins.last().getAttribute("tabindex")).toBe("0");
    expect(await firstMargin.getAttribute("tabindex")).toBe("-1");

    // The skip link is the second stop on the page and lands in the comments.
    await member.reload();
    await draftReady(member, "member");
    await member.keyboard.press("Tab");
    await member.keyboard.press("Tab");
    const skip = member.getByRole("link", { name: "Gå till kommentarerna" });
    expect(await isFocused(skip)).toBe(true);
    await member.keyboard.press("Enter");
    await expect.poll(() => member.evaluate(() => document.activeElement?.id)).toBe("comments-heading");
    await member.keyboard.press("Tab");
    expect(await member.evaluate(() => document.getElementById("comments")?.contains(document.activeElement))).toBe(true);
    await member.context().close();
  });
});
