import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DocumentIndex } from "#app/comments/anchoring";
import { runCommentCommand } from "#app/models/comments/commands.server";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { sessionAs, signedInAs } from "#tests/support/accounts";
import { serverAndBrowserForThisFile } from "#tests/support/browser";

const BOARD = `/d/${SEED_DOCUMENT.slug}/feedback`;

describe("the triage board in the browser", () => {
  const session = serverAndBrowserForThisFile();
  /** Script errors on any page (hydration mismatches included): there should be none. The browser's note of the refused post is expected. */
  const errors: string[] = [];

  beforeAll(async () => {
    const { services } = session.server;
    const documentId = (await findDocumentBySlug(services.db, SEED_DOCUMENT.slug))?.id ?? "";
    const blocks = await services.readDocument(documentId, (doc) => DocumentIndex.of(doc).blocks.filter((block) => block.type === "paragraph").map((block) => block.id));
    const member = await sessionAs(services.db, "member", "Mats Medlem");
    for (const [index, blockId] of blocks.slice(0, 3).entries()) {
      const result = await runCommentCommand(services, member, documentId, { intent: "create-thread", blockId, body: `Synpunkt ${index + 1}.`, acceptLicence: "on" });
      expect(result.ok).toBe(true);
    }
  });

  const openAsEditor = async (): Promise<Page> => {
    const { cookie } = await signedInAs(session.server.services.db, "editor", "Eva Editor");
    const context = await session.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const [name = "", value = ""] = cookie.split("=");
    await context.addCookies([{ name, value, url: session.server.url }]);
    const page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error" && !message.text().includes("status of 400")) errors.push(message.text());
    });
    await page.goto(`${session.server.url}${BOARD}`);
    return page;
  };

  /** The id of the table row that has focus (or holds it), or "" for none. */
  const focusedRow = (page: Page) => page.evaluate(() => document.activeElement?.closest("tr")?.id ?? "");

  it("moves between rows with j and k, and with the arrow keys once a row has focus", async () => {
    const page = await openAsEditor();
    // The hint shows once the page's script runs, and the keys work.
    await page.getByText("Tangenterna j och k").waitFor();
    await page.keyboard.press("j");
    expect(await focusedRow(page)).toBe("row-1");
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("A");
    await page.keyboard.press("j");
    expect(await focusedRow(page)).toBe("row-2");
    await page.keyboard.press("k");
    expect(await focusedRow(page)).toBe("row-1");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect(await focusedRow(page)).toBe("row-3");
    await page.keyboard.press("j"); // there is no fourth: focus stays
    expect(await focusedRow(page)).toBe("row-3");
    // Typing in the search field is text, not a command.
    await page.getByLabel("Sök i citat och kommentarer").fill("");
    await page.getByLabel("Sök i citat och kommentarer").press("j");
    expect(await page.getByLabel("Sök i citat och kommentarer").inputValue()).toBe("j");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("refuses a bulk close without a response at the field, keeping the choice, then closes with one", async () => {
    const page = await openAsEditor();
    await page.getByText("Tangenterna j och k").waitFor();
    const firstRow = page.locator("#row-1");
    await firstRow.getByRole("checkbox").check();
    await page.getByLabel("Ny status").selectOption("rejected");
    await page.getByRole("button", { name: "Ändra status" }).click();
    await page.locator("#bulk-response-error").getByText("Skriv ett svar").waitFor();
    expect(await firstRow.getByRole("checkbox").isChecked()).toBe(true);
    expect(await page.getByLabel("Ny status").inputValue()).toBe("rejected");

    await page.getByLabel("Offentligt svar: så hanterade vi synpunkten").fill("Vi behåller lydelsen.");
    await page.getByRole("button", { name: "Ändra status" }).click();
    await page.getByRole("status").getByText("1 tråd har ändrats.").waitFor();
    await firstRow.getByText("Avslagen").waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
