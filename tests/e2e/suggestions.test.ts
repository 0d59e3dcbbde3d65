import { describe, expect, it } from "vitest";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { openDraftAs, selectText, serverAndBrowserForThisFile } from "#tests/support/browser";
import { LIVE_MS } from "#tests/support/time";

describe("suggestions in the browser", () => {
  const session = serverAndBrowserForThisFile();

  const openAs = (role: "member" | "editor", name: string) => openDraftAs(session, role, name);

  it("lets a member propose new wording for a passage and an editor accept it into the draft everyone has open", async () => {
    const member = await openAs("member", "Mats Medlem");
    const editor = await openAs("editor", "Eva Editor");
    const paragraph = member.locator(".ProseMirror p").nth(3);
    const blockId = (await paragraph.getAttribute("id")) ?? "";
    const text = (await paragraph.textContent()) ?? "";
    const exact = text.slice(6, 40);

    await selectText(member, blockId, 6, 40);
    await member.getByRole("button", { name: /^Kommentera markerad text/ }).click();
    await member.getByLabel("Ett förslag till ny lydelse").check();
    const wording = member.getByLabel("Föreslagen lydelse");
    expect(await wording.inputValue()).toBe(exact);
    await wording.fill("EN TYDLIGARE LYDELSE");
    await member.getByLabel("Motivering").fill("Kortare och klarare.");
    await member.getByLabel(/Jag godkänner/).check();
    await member.getByRole("button", { name: "Publicera förslaget" }).click();

    const thread = editor.locator(".thread", { hasText: "Kortare och klarare." });
    await thread.waitFor({ timeout: LIVE_MS });
    // Word by word against the passage: what goes is struck through and what comes is underlined, each labelled.
    const diff = thread.locator(".thread__suggestion .suggestion-diff");
    expect((await diff.locator("ins").allTextContents()).join("")).toMatch(/^Tillagt: EN.*LYDELSE/);
    expect((await diff.locator("del").allTextContents()).join("")).toMatch(/^Borttaget: /);
    await thread.getByText("Hantera förslaget").click();
    await thread.getByRole("button", { name: "Godta och för in i utkastet" }).click();

    for (const page of [editor, member]) {
      await page.locator(`.ProseMirror [id="${blockId}"]`, { hasText: "EN TYDLIGARE LYDELSE" }).waitFor({ timeout: LIVE_MS });
      expect(await page.locator(`.ProseMirror [id="${blockId}"]`).textContent()).toBe(text.slice(0, 6) + "EN TYDLIGARE LYDELSE" + text.slice(40));
    }
    // Handled, it leaves the open threads; among all of them it says what the editors did.
    await member.locator(".thread", { hasText: "Kortare och klarare." }).waitFor({ state: "detached", timeout: LIVE_MS });
    await member.getByRole("link", { name: "Alla" }).click();
    const handled = member.locator(".thread", { hasText: "Förslaget är infört i utkastet." });
    await handled.getByText("Godtagen").waitFor({ timeout: LIVE_MS });
    expect(await handled.locator(".thread__suggestion ins").textContent()).toBe("EN TYDLIGARE LYDELSE");
  });

  it("takes a member's proposal through the editors' triage board to the live draft and back to the member's feedback page", async () => {
    const member = await openAs("member", "Maja Medlem");
    const editor = await openAs("editor", "Eva Editor");
    const paragraph = member.locator(".ProseMirror > p").nth(6);
    const blockId = (await paragraph.getAttribute("id")) ?? "";
    const text = (await paragraph.textContent()) ?? "";

    await selectText(member, blockId, 6, 30);
    await member.getByRole("button", { name: /^Kommentera markerad text/ }).click();
    await member.getByLabel("Ett förslag till ny lydelse").check();
    await member.getByLabel("Föreslagen lydelse").fill("NY INLEDNING");
    await member.getByLabel("Motivering").fill("Börja med det viktigaste.");
    await member.getByLabel(/Jag godkänner/).check();
    await member.getByRole("button", { name: "Publicera förslaget" }).click();
    await member.locator(".thread", { hasText: "Börja med det viktigaste." }).waitFor({ timeout: LIVE_MS });

    // The editor finds the proposal on the triage board among the suggestions and opens it from its row.
    await editor.goto(`${session.server.url}/d/${SEED_DOCUMENT.slug}/feedback?kind=suggestion`);
    const row = editor.locator("tbody tr", { hasText: text.slice(6, 30) });
    await row.getByRole("link", { name: /^Öppna tråden om/ }).click();
    const thread = editor.locator(".thread", { hasText: "Börja med det viktigaste." });
    await thread.getByText("Hantera förslaget").click();
    await thread.getByLabel("Svar till den som föreslog (visas öppet)").fill("Bra förslag, vi för in det.");
    await thread.getByRole("button", { name: "Godta och för in i utkastet" }).click();

    await member.locator(`.ProseMirror [id="${blockId}"]`, { hasText: "NY INLEDNING" }).waitFor({ timeout: LIVE_MS });
    expect(await member.locator(`.ProseMirror [id="${blockId}"]`).textContent()).toBe(`${text.slice(0, 6)}NY INLEDNING${text.slice(30)}`);
    await member.goto(`${session.server.url}/my-feedback`);
    const mine = member.locator("li, article", { hasText: "Börja med det viktigaste." }).last();
    await mine.getByText("Godtagen").first().waitFor();
    await mine.getByText("Bra förslag, vi för in det.").waitFor();
  });
});
