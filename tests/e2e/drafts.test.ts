import { describe, expect, it } from "vitest";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { findDocumentBySlug } from "#db/repositories/documents";
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

  it("an editor creates a draft from a Word file after reading what the import could not keep; members comment on it, and the first draft is untouched", async () => {
    const db = session.server.services.db;
    const seeded = await findDocumentBySlug(db, SEED_DOCUMENT.slug);
    if (!seeded) throw new Error("the seeded draft is missing");
    const seededBelongings = async () => ({
      threads: (await db.selectFrom("comment_threads").select("id").where("document_id", "=", seeded.id).execute()).length,
      versions: (await db.selectFrom("document_versions").select("id").where("document_id", "=", seeded.id).execute()).length,
    });
    const before = await seededBelongings();

    const editor = await (await browserContextAs(session, "editor", "Erik Redaktör")).newPage();
    await editor.goto(`${session.server.url}/drafts/new`);
    await editor.getByLabel("En Word-fil (.docx)").check();
    await editor.getByLabel("Fil att börja från").setInputFiles("tests/fixtures/word/python-docx-draft.docx");
    await editor.getByRole("button", { name: "Skapa utkastet" }).click();

    // The review, with focus on its heading: what was left out, the title from the file's first heading, an outline.
    const reviewHeading = editor.getByRole("heading", { level: 1, name: "Granska importen innan utkastet skapas" });
    await reviewHeading.waitFor();
    await expect.poll(() => editor.evaluate(() => document.activeElement?.tagName)).toBe("H1");
    const notKept = editor.getByRole("region", { name: "Det här kunde importen inte behålla" }).getByRole("listitem");
    await expect.poll(() => notKept.allTextContents()).toEqual(
      expect.arrayContaining(["1 bild togs inte med: utkastet kan inte visa bilder.", "1 kommentar i filen togs inte med."]),
    );
    expect(await notKept.filter({ hasText: "spårade ändringar" }).count()).toBe(1);
    expect(await editor.getByLabel("Titel").inputValue()).toBe("Remissvar om öppna data");
    expect(await editor.getByRole("list", { name: "Rubriker" }).getByRole("listitem").allTextContents()).toContain("Nivå 2: Bakgrund");
    expect(await findDocumentBySlug(db, "remissvar-om-oppna-data")).toBeUndefined();

    await editor.getByRole("button", { name: "Skapa utkastet" }).click();
    await editor.waitForURL(`${session.server.url}/d/remissvar-om-oppna-data`);
    await draftReady(editor, "editor");
    await editor.locator(".ProseMirror h2", { hasText: "Bakgrund" }).waitFor();
    await editor.locator(".ProseMirror h4", { hasText: "Genomförande" }).waitFor();

    const member = await (await browserContextAs(session, "member", "Maja Medlem")).newPage();
    await member.goto(`${session.server.url}/d/remissvar-om-oppna-data`);
    await draftReady(member, "member");
    await member.getByRole("link", { name: /^Kommentera / }).first().click();
    await member.getByLabel("Din kommentar").fill("Bör även regionerna omfattas?");
    await member.getByLabel(/Jag godkänner/).check();
    await member.getByRole("button", { name: "Publicera kommentaren" }).click();
    await member.locator(".thread", { hasText: "Bör även regionerna omfattas?" }).waitFor();

    await member.goto(`${session.server.url}/`);
    const listed = await member.locator(".document-list li").allTextContents();
    expect(listed).toContain("Remissvar om öppna data Öppet för kommentarer · 1 öppen tråd");
    expect(listed.some((item) => item.startsWith(SEED_DOCUMENT.title))).toBe(true);
    expect(await seededBelongings()).toEqual(before);
    await member.context().close();
    await editor.context().close();
  });
});
