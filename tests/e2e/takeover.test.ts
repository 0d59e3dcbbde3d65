import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { newBlockId, YJS_FRAGMENT } from "#app/editor/extensions";
import type { Role } from "#app/models/authorization.server";
import { signedInAs } from "#tests/support/accounts";
import { browserContextAs, selectText, serverAndBrowserForThisFile } from "#tests/support/browser";
import { postForm } from "#tests/support/http";

/** How far the reader's place may move when the live editor replaces the server's text: a few lines. */
const PLACE_TOLERANCE_PX = 150;
/** "Good" cumulative layout shift in Core Web Vitals. */
const GOOD_LAYOUT_SHIFT = 0.1;

/** The server's copy of the text: it carries the editor's classes but is never editable. */
const SERVER_TEXT = ".document-column .ProseMirror:not([contenteditable])";
const LIVE_TEXT = ".document-column .ProseMirror[contenteditable]";

/**
 * Runs in the page before its own scripts: adds up the layout shifts the reader did not cause (scrolling is not a
 * shift, typing or clicking is "recent input"), from the first paint on. A sum of every shift is stricter than CLS,
 * which counts the worst burst only.
 */
function recordLayoutShifts(): void {
  let total = 0;
  const add = (entries: PerformanceEntryList) => {
    for (const entry of entries as unknown as { value: number; hadRecentInput: boolean }[]) {
      if (!entry.hadRecentInput) total += entry.value;
    }
  };
  const observer = new PerformanceObserver((list) => add(list.getEntries()));
  observer.observe({ type: "layout-shift", buffered: true });
  Object.assign(window, {
    layoutShiftSoFar: () => {
      add(observer.takeRecords());
      return total;
    },
  });
}

/** The layout shift up to the frames painted so far (the entries of a frame are queued when it is painted). */
function layoutShift(page: Page): Promise<number> {
  return page.evaluate(async () => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return (window as unknown as { layoutShiftSoFar: () => number }).layoutShiftSoFar();
  });
}

/** The id of the first block wholly in the window: where the reader is. */
function blockAtTopOfWindow(page: Page): Promise<string> {
  return page.evaluate((serverText) => {
    const blocks = [...document.querySelectorAll(`${serverText} [data-block-id]`)];
    return blocks.find((block) => block.getBoundingClientRect().top >= 0)?.id ?? "";
  }, SERVER_TEXT);
}

/** Where an element's top is in the window, once the frames queued so far are painted. */
function topInWindow(page: Page, selector: string): Promise<number> {
  return page.locator(selector).evaluate(async (element) => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return element.getBoundingClientRect().top;
  });
}

interface HeldDraft {
  page: Page;
  /** Lets the messages through, both ways: the editor syncs and takes over. */
  release(): void;
}

/**
 * Opens the draft with the live editor held back: its websocket connects, but no message passes either way until
 * release(), so the document it syncs is the server's at that moment. Resolves once the page runs its scripts and
 * has connected, so the reader can act on the server's copy of the text first, as on a slow connection.
 */
async function openHeldDraft(
  session: ReturnType<typeof serverAndBrowserForThisFile>,
  role: Role | null,
  hash = "",
  device: Parameters<typeof browserContextAs>[3] = {},
): Promise<HeldDraft> {
  const context = await browserContextAs(session, role, role ? `Läsare (${role})` : undefined, device);
  await context.addInitScript(recordLayoutShifts);
  const page = await context.newPage();
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let connected = () => {};
  const connection = new Promise<void>((resolve) => (connected = resolve));
  await page.routeWebSocket(/\/collab\//, (socket) => {
    const server = socket.connectToServer();
    // In order: every message waits for the same release.
    socket.onMessage((message) => void released.then(() => server.send(message)));
    server.onMessage((message) => void released.then(() => socket.send(message)));
    connected();
  });
  await page.goto(`${session.server.url}/d/${SEED_DOCUMENT.slug}${hash}`);
  await connection;
  expect(await page.locator(LIVE_TEXT).count()).toBe(0);
  return { page, release };
}

/** Lets the editor take over, and waits until the server's copy is gone and the live text shows its margins. */
async function takeOver(draft: HeldDraft): Promise<void> {
  draft.release();
  await draft.page.locator(`${LIVE_TEXT} .block-margin`).first().waitFor();
  await draft.page.locator(SERVER_TEXT).waitFor({ state: "detached" });
}

// Only those who may edit get the live editor; readers keep the server's text (decision 0022, tests/e2e/reader.test.ts).
describe("the live editor taking over from the server's text", () => {
  const session = serverAndBrowserForThisFile();

  /** The id of a heading of the draft, and of the paragraph after it, as a page without JavaScript shows them. */
  const idsOfSection = async (heading: string): Promise<{ headingId: string; paragraphId: string }> => {
    const context = await browserContextAs(session, null, undefined, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${session.server.url}/d/${SEED_DOCUMENT.slug}`);
    const headingId = (await page.locator("main h2", { hasText: heading }).getAttribute("id")) ?? "";
    const paragraphId = (await page.locator(`[id="${headingId}"] ~ p[id]`).first().getAttribute("id")) ?? "";
    await context.close();
    return { headingId, paragraphId };
  };

  const role = "editor";
  const who = "an editor";

  it(`keeps a deep link to a heading two thirds down in place for ${who}, without layout shift`, async () => {
    const { headingId } = await idsOfSection("8. Så märker ni materialet");
    const draft = await openHeldDraft(session, role, `#${headingId}`);
    const heading = `[id="${headingId}"]`;
    const before = await topInWindow(draft.page, heading);
    // The browser followed the link on the server's text: the heading is at the top of the window.
    expect(before).toBeGreaterThanOrEqual(0);
    expect(before).toBeLessThan(200);

    await takeOver(draft);
    const after = await topInWindow(draft.page, `${LIVE_TEXT} ${heading}`);
    const shift = await layoutShift(draft.page);
    console.info(`deep link, ${who}: heading top ${before} px before, ${after} px after; layout shift ${shift.toFixed(4)}`);
    expect(Math.abs(after - before)).toBeLessThanOrEqual(PLACE_TOLERANCE_PX);
    expect(shift).toBeLessThan(GOOD_LAYOUT_SHIFT);
    await draft.page.context().close();
  });

  it(`keeps ${who} who scrolled before the editor took over at the same text, without layout shift`, async () => {
    const draft = await openHeldDraft(session, role);
    await draft.page.evaluate(() => window.scrollTo(0, (document.documentElement.scrollHeight - window.innerHeight) * (2 / 3)));
    const blockId = await blockAtTopOfWindow(draft.page);
    expect(blockId).not.toBe("");
    const block = `[id="${blockId}"]`;
    const before = await topInWindow(draft.page, block);

    await takeOver(draft);
    const after = await topInWindow(draft.page, `${LIVE_TEXT} ${block}`);
    const shift = await layoutShift(draft.page);
    console.info(`scrolled, ${who}: block top ${before} px before, ${after} px after; layout shift ${shift.toFixed(4)}`);
    expect(Math.abs(after - before)).toBeLessThanOrEqual(PLACE_TOLERANCE_PX);
    expect(shift).toBeLessThan(GOOD_LAYOUT_SHIFT);
    await draft.page.context().close();
  });

  it("keeps an editor on a phone who scrolled at the same text, without layout shift", async () => {
    const draft = await openHeldDraft(session, "editor", "", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await draft.page.evaluate(() => window.scrollTo(0, (document.documentElement.scrollHeight - window.innerHeight) * (2 / 3)));
    const blockId = await blockAtTopOfWindow(draft.page);
    const before = await topInWindow(draft.page, `[id="${blockId}"]`);

    await takeOver(draft);
    const after = await topInWindow(draft.page, `${LIVE_TEXT} [id="${blockId}"]`);
    const shift = await layoutShift(draft.page);
    console.info(`phone: block top ${before} px before, ${after} px after; layout shift ${shift.toFixed(4)}`);
    expect(Math.abs(after - before)).toBeLessThanOrEqual(PLACE_TOLERANCE_PX);
    expect(shift).toBeLessThan(GOOD_LAYOUT_SHIFT);
    await draft.page.context().close();
  });

  it("keeps a link to a comment on a paragraph far down in place: the comment, and the text in the window", async () => {
    const { paragraphId } = await idsOfSection("9. Upphandling och avtal");
    const { cookie } = await signedInAs(session.server.services.db, "member", "Mats Medlem");
    const fields = { intent: "create-thread", acceptLicence: "on", position: "", blockId: paragraphId, body: "Gäller detta även ramavtal?" };
    const posted = await postForm(session.server.url, `/d/${SEED_DOCUMENT.slug}`, fields, cookie);
    const commentId = /#comment-([0-9a-f-]{36})$/.exec(posted.headers.get("location") ?? "")?.[1] ?? "";
    expect(commentId).not.toBe("");

    const draft = await openHeldDraft(session, "editor", `#comment-${commentId}`);
    const comment = `[id="comment-${commentId}"]`;
    // The page follows the link as it comes to life, once the comment's card has its place beside its paragraph.
    await expect.poll(() => topInWindow(draft.page, comment)).toBeLessThan(1000);
    const blockId = await blockAtTopOfWindow(draft.page);
    const before = { comment: await topInWindow(draft.page, comment), block: await topInWindow(draft.page, `[id="${blockId}"]`) };
    expect(before.comment).toBeGreaterThanOrEqual(0);
    expect(before.comment).toBeLessThan(1000);
    // Only the takeover's: the cards moving to their paragraphs as the page came to life shift it too (a known
    // issue of cards beside the text, issue 14's note), which is not what this test is about.
    const shiftBefore = await layoutShift(draft.page);

    await takeOver(draft);
    const after = { comment: await topInWindow(draft.page, comment), block: await topInWindow(draft.page, `${LIVE_TEXT} [id="${blockId}"]`) };
    const shift = (await layoutShift(draft.page)) - shiftBefore;
    console.info(`comment link: comment top ${before.comment} → ${after.comment} px, text ${before.block} → ${after.block} px; layout shift ${shift.toFixed(4)}`);
    expect(Math.abs(after.comment - before.comment)).toBeLessThanOrEqual(PLACE_TOLERANCE_PX);
    expect(Math.abs(after.block - before.block)).toBeLessThanOrEqual(PLACE_TOLERANCE_PX);
    expect(shift).toBeLessThan(GOOD_LAYOUT_SHIFT);
    await draft.page.context().close();
  });

  it("keeps an editor at the same text when others added paragraphs above it while the editor loaded", async () => {
    const draft = await openHeldDraft(session, "editor");
    await draft.page.evaluate(() => window.scrollTo(0, (document.documentElement.scrollHeight - window.innerHeight) / 2));
    const blockId = await blockAtTopOfWindow(draft.page);
    const block = `[id="${blockId}"]`;
    const before = await topInWindow(draft.page, block);
    // Twelve paragraphs after the title, in the server's document: the live text is longer than the page's copy.
    const documentId = (await findDocumentBySlug(session.server.services.db, SEED_DOCUMENT.slug))?.id ?? "";
    await session.server.services.changeDocument(documentId, {}, (doc) => {
      const paragraphs = Array.from({ length: 12 }, (_, index) => {
        const paragraph = new Y.XmlElement("paragraph");
        paragraph.setAttribute("id", newBlockId());
        paragraph.insert(0, [new Y.XmlText(`Nytt stycke ${index + 1} som en redaktör skrev medan sidan laddades.`)]);
        return paragraph;
      });
      doc.getXmlFragment(YJS_FRAGMENT).insert(1, paragraphs);
    });

    await takeOver(draft);
    await draft.page.locator(LIVE_TEXT, { hasText: "Nytt stycke 12" }).waitFor();
    const after = await topInWindow(draft.page, `${LIVE_TEXT} ${block}`);
    console.info(`paragraphs added above: block top ${before} px before, ${after} px after`);
    expect(Math.abs(after - before)).toBeLessThanOrEqual(PLACE_TOLERANCE_PX);
    expect(await layoutShift(draft.page)).toBeLessThan(GOOD_LAYOUT_SHIFT);
    await draft.page.context().close();
    await session.server.services.changeDocument(documentId, {}, (doc) => doc.getXmlFragment(YJS_FRAGMENT).delete(1, 12));
  });

  it("shows no connection status without JavaScript, where the page never connects", async () => {
    const context = await browserContextAs(session, "editor", "Redaktör utan JavaScript", { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${session.server.url}/d/${SEED_DOCUMENT.slug}`);
    await page.locator("main h1").waitFor();
    expect(await page.locator(".editor-toolbar").isVisible()).toBe(false);
    await context.close();
  });

  it("keeps an editor's selection in the server's text selected in the live text, ready to comment on", async () => {
    const draft = await openHeldDraft(session, "editor");
    const { page } = draft;
    const blockId = (await page.locator(`${SERVER_TEXT} p`).nth(3).getAttribute("id")) ?? "";
    await selectText(page, blockId, 6, 40);
    const selected = await page.evaluate(() => window.getSelection()?.toString() ?? "");
    expect(selected.length).toBe(34);

    await takeOver(draft);
    const after = await page.evaluate((liveText) => {
      const selection = window.getSelection();
      const block = selection?.anchorNode?.parentElement?.closest("[data-block-id]");
      return {
        text: selection?.toString() ?? "",
        blockId: block?.id ?? "",
        inLiveText: Boolean(block?.closest(liveText)),
      };
    }, LIVE_TEXT);
    expect(after).toEqual({ text: selected, blockId, inLiveText: true });
    // The live editor knows the passage too: the comments panel offers to comment on it.
    await page.getByRole("button", { name: /^Kommentera markerad text/ }).waitFor();
    await page.context().close();
  });

  it("keeps an editor's keyboard focus on the same paragraph's comment button", async () => {
    const draft = await openHeldDraft(session, "editor");
    const { page } = draft;
    const blockId = (await page.locator(`${SERVER_TEXT} p`).nth(5).getAttribute("id")) ?? "";
    const link = page.locator(`${SERVER_TEXT} [data-comment-block="${blockId}"]`);
    await link.focus();
    const label = await link.getAttribute("aria-label");
    expect(label).toMatch(/¶/);

    await takeOver(draft);
    const focused = await page.evaluate((liveText) => {
      const element = document.activeElement;
      return {
        label: element?.getAttribute("aria-label") ?? null,
        inLiveText: Boolean(element?.closest(liveText)),
      };
    }, LIVE_TEXT);
    expect(focused).toEqual({ label, inLiveText: true });
    await page.context().close();
  });
});
