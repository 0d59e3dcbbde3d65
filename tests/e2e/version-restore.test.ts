/**
 * Issue 16, done-when 4: an editor restores version 1 while another editor types; both editors' drafts converge, and
 * the audit log records the restore.
 */
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { freezeVersion } from "#app/models/versions.server";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { sessionAs, signedInAs } from "#tests/support/accounts";
import { serverAndBrowserForThisFile } from "#tests/support/browser";
import { blockText, connectClient, paragraphIds, plainText } from "#tests/support/collab-client";
import { LIVE_MS } from "#tests/support/time";
import { eventually } from "#tests/support/wait";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const EDITED_SINCE = "Ändrat efter version 1. ";

describe("restoring a version in the browser", () => {
  const session = serverAndBrowserForThisFile();
  let documentId = "";
  let editedId = "";
  let versionText = "";

  /** Version 1, then an edit of one paragraph through the collaboration server that restoring takes back. */
  beforeAll(async () => {
    const { services, url } = session.server;
    documentId = (await findDocumentBySlug(services.db, SEED_DOCUMENT.slug))?.id ?? "";
    const editor = await sessionAs(services.db, "editor", "Eva Editor");
    expect((await freezeVersion(services, editor, documentId, { name: "Version 0.1" })).ok).toBe(true);
    const client = await connectClient(url, documentId, { cookie: (await signedInAs(services.db, "editor")).cookie });
    editedId = paragraphIds(client.doc)[3] ?? "";
    versionText = plainText(client.doc, editedId);
    blockText(client.doc, editedId).insert(0, EDITED_SINCE);
    await eventually(async () => expect(await services.readDocument(documentId, (doc) => plainText(doc, editedId))).toContain(EDITED_SINCE.trim()));
    client.destroy();
  });

  const contextAs = async (role: "editor" | "admin", name: string): Promise<BrowserContext> => {
    const { cookie } = await signedInAs(session.server.services.db, role, name);
    const context = await session.browser.newContext();
    const [cookieName = "", value = ""] = cookie.split("=");
    await context.addCookies([{ name: cookieName, value, url: session.server.url }]);
    return context;
  };

  const openDraft = async (context: BrowserContext): Promise<Page> => {
    const page = await context.newPage();
    await page.goto(`${session.server.url}${DRAFT}`);
    await page.getByRole("status").filter({ hasText: "Ansluten" }).waitFor();
    await page.locator(".ProseMirror[contenteditable=true]").waitFor();
    return page;
  };

  /** The text of each block in the page's editor, without what the editor draws over it (carets, margins). */
  const draftText = (page: Page) =>
    page.locator(".ProseMirror[contenteditable]").evaluate((editor) => {
      const copy = editor.cloneNode(true) as HTMLElement;
      for (const drawn of copy.querySelectorAll(".collaboration-carets__caret, .block-margin, [contenteditable='false']")) drawn.remove();
      return Array.from(copy.querySelectorAll("p[data-block-id], h1, h2, h3, h4, h5, h6, pre"), (block) => block.textContent ?? "");
    });

  it("restores version 1 while another editor types, both drafts converge, and the audit log has it", async () => {
    const anna = await openDraft(await contextAs("editor", "Anna Andersson"));
    const bertilContext = await contextAs("editor", "Bertil Berg");
    const bertilDraft = await openDraft(bertilContext);
    const bertil = await bertilContext.newPage();
    await bertil.goto(`${session.server.url}${DRAFT}/v/1`);

    // Anna types in a paragraph version 1 has unchanged, before the restore and while it runs.
    const typedIn = anna.locator(".ProseMirror p").nth(5);
    const typedId = (await typedIn.getAttribute("id")) ?? "";
    await typedIn.click();
    await anna.keyboard.press("End");
    await anna.keyboard.type(" Annas första mening.");

    await bertil.getByRole("link", { name: "Återställ den här versionen …" }).click();
    const question = bertil.getByRole("heading", { name: "Återställa version 1 i det levande utkastet?" });
    await question.waitFor();
    await expect.poll(() => question.evaluate((element) => element === document.activeElement)).toBe(true);
    await bertil.getByText("Det levande utkastet har ändringar som ingen version sparar.").waitFor();
    await Promise.all([
      anna.keyboard.type(" Annas andra mening, skriven medan Bertil återställer."),
      bertil.getByRole("button", { name: "Ja, återställ version 1" }).click(),
    ]);
    const announced = bertil.getByRole("status").filter({ hasText: /^Version 1 är återställd i det levande utkastet\. Stycken ändrade: \d+, tillagda: 0, borttagna: 0\./ });
    await announced.waitFor();
    await expect.poll(() => announced.evaluate((element) => element === document.activeElement)).toBe(true);
    await anna.keyboard.type(" Annas tredje mening.");

    // Both editors see the paragraph as version 1 has it, and what Anna typed after the restore reached it.
    for (const page of [anna, bertilDraft]) {
      await page.locator(`[id="${editedId}"]`).filter({ hasText: versionText }).filter({ hasNotText: EDITED_SINCE.trim() }).waitFor({ timeout: LIVE_MS });
      await page.locator(`[id="${typedId}"]`).filter({ hasText: "Annas tredje mening." }).waitFor({ timeout: LIVE_MS });
    }
    await expect.poll(async () => JSON.stringify(await draftText(anna)) === JSON.stringify(await draftText(bertilDraft))).toBe(true);
    const stored = await session.server.services.readDocument(documentId, (doc) => plainText(doc, typedId));
    expect(await draftText(anna)).toContain(stored);

    // The audit log names the restore and who did it.
    const admin = await (await contextAs("admin", "Adam Admin")).newPage();
    await admin.goto(`${session.server.url}/admin/audit`);
    await admin.getByRole("row").filter({ hasText: "version.restored" }).filter({ hasText: "Bertil Berg" }).waitFor();

    for (const page of [anna, bertil, admin]) await page.context().close();
  });

  it("says so when the draft already reads as the version, without a script", async () => {
    const { cookie } = await signedInAs(session.server.services.db, "editor", "Cilla Carlsson");
    const context = await session.browser.newContext({ javaScriptEnabled: false });
    const [cookieName = "", value = ""] = cookie.split("=");
    await context.addCookies([{ name: cookieName, value, url: session.server.url }]);
    const page = await context.newPage();
    // Version 2 is the draft as it is now: restoring it changes nothing.
    const { services } = session.server;
    expect((await freezeVersion(services, await sessionAs(services.db, "editor"), documentId, { name: "Version 0.2" })).ok).toBe(true);
    await page.goto(`${session.server.url}${DRAFT}/v/2`);
    await page.getByRole("link", { name: "Återställ den här versionen …" }).click();
    await page.getByText("0 stycken i det levande utkastet skiljer sig från den här versionen.").waitFor();
    await page.getByRole("button", { name: "Ja, återställ version 2" }).click();
    await page.getByRole("status").filter({ hasText: "Det levande utkastet lyder redan som version 2: inget ändrades." }).waitFor();
    await context.close();
  });
});
