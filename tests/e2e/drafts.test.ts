import { describe, expect, it } from "vitest";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { browserContextAs, draftReady, openDraftAs, serverAndBrowserForThisFile } from "#tests/support/browser";

describe("several drafts in the browser", () => {
  const session = serverAndBrowserForThisFile();

  it("an editor creates an empty draft from the home page; it is listed with its state, and members still comment on the first draft", async () => {
    const editor = await (await browserContextAs(session, "editor", "Eva Redaktör")).newPage();
    await editor.goto(`${session.server.url}/`);
    await editor.getByRole("link", { name: "Skapa ett nytt utkast" }).click();
    await editor.getByLabel("Titel").fill("Öppen källkod i kommunerna");
    await editor.getByRole("button", { name: "Skapa utkastet" }).click();
    await editor.waitForURL(`${session.server.url}/d/oppen-kallkod-i-kommunerna`);
    await draftReady(editor, "editor");
    // The draft begins with its title, as a heading editors may change.
    await editor.locator(".ProseMirror h1", { hasText: "Öppen källkod i kommunerna" }).waitFor();

    // A second draft with the same title, in another case, is refused at the title, which gets focus.
    await editor.goto(`${session.server.url}/drafts/new`);
    await editor.getByLabel("Titel").fill("ÖPPEN KÄLLKOD I KOMMUNERNA");
    await editor.getByLabel("Adress").fill("en-annan-adress");
    await editor.getByRole("button", { name: "Skapa utkastet" }).click();
    await editor.getByText("Ett annat utkast har redan den titeln. Välj en annan.").waitFor();
    await expect.poll(() => editor.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("title");

    await editor.goto(`${session.server.url}/`);
    const drafts = editor.locator(".document-list li");
    await expect.poll(() => drafts.allTextContents()).toEqual([
      "Öppen källkod i kommunerna Öppet för kommentarer · 0 öppna trådar",
      `${SEED_DOCUMENT.title} Öppet för kommentarer · 0 öppna trådar`,
    ]);

    const member = await openDraftAs(session, "member", "Mats Medlem");
    await member.getByRole("link", { name: "Kommentera 1 ¶2", exact: true }).click();
    await member.getByLabel("Din kommentar").fill("Gäller det här även regionerna?");
    await member.getByLabel(/Jag godkänner/).check();
    await member.getByRole("button", { name: "Publicera kommentaren" }).click();
    await member.locator(".thread", { hasText: "Gäller det här även regionerna?" }).waitFor();

    await editor.reload();
    await expect.poll(() => drafts.allTextContents()).toEqual([
      // The comment is the newest activity: the first draft moves to the top, with its open thread.
      `${SEED_DOCUMENT.title} Öppet för kommentarer · 1 öppen tråd`,
      "Öppen källkod i kommunerna Öppet för kommentarer · 0 öppna trådar",
    ]);
    await member.context().close();
    await editor.context().close();
  });
});
