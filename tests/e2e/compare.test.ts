import * as Y from "yjs";
import { beforeAll, describe, expect, it } from "vitest";
import { freezeVersion } from "#app/models/versions.server";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { sessionAs, signedInAs } from "#tests/support/accounts";
import { serverAndBrowserForThisFile } from "#tests/support/browser";
import { blockText, connectClient, findBlock, paragraphIds, plainText } from "#tests/support/collab-client";
import { eventually } from "#tests/support/wait";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const SECTION = "2. Varför myndigheter bör licensiera öppet";
// Word by word these two take turns ("CC en BY öppen 4.0 licens…"); read as phrases, one old phrase gives way to one new.
const BEFORE = "Myndigheten ska i första hand använda CC BY 4.0 för texter och bilder som den själv har tagit fram, och CC0 för data.";
const AFTER = "Myndigheten ska i första hand använda en öppen licens för allt material som den har tagit fram, och CC0 för data.";
const OLD_PHRASE = "CC BY 4.0 för texter och bilder som den själv";
const NEW_PHRASE = "en öppen licens för allt material som den";

describe("comparing versions, phrase by phrase", () => {
  const session = serverAndBrowserForThisFile();

  /** The first paragraph of section 2 reads BEFORE in version 1 and AFTER in version 2. */
  beforeAll(async () => {
    const { services, url } = session.server;
    const documentId = (await findDocumentBySlug(services.db, SEED_DOCUMENT.slug))?.id ?? "";
    const editor = await sessionAs(services.db, "editor", "Eva Editor");
    const client = await connectClient(url, documentId, { cookie: (await signedInAs(services.db, "editor")).cookie });
    const paragraph =
      paragraphIds(client.doc).find((id) => {
        const previous = findBlock(client.doc, id).prevSibling;
        return previous instanceof Y.XmlElement && previous.nodeName === "heading" && previous.toString().includes(SECTION);
      }) ?? "";
    const rewrite = async (text: string) => {
      const target = blockText(client.doc, paragraph);
      client.doc.transact(() => {
        target.delete(0, target.length);
        target.insert(0, text);
      });
      await eventually(async () => expect(await services.readDocument(documentId, (doc) => plainText(doc, paragraph))).toBe(text));
    };
    await rewrite(BEFORE);
    expect((await freezeVersion(services, editor, documentId, { name: "Före" })).ok).toBe(true);
    await rewrite(AFTER);
    client.destroy();
    expect((await freezeVersion(services, editor, documentId, { name: "Efter" })).ok).toBe(true);
  });

  it("shows a rewritten passage as the old phrase, then the new, each saying so to a screen reader, under a summary by section", async () => {
    const context = await session.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${session.server.url}${DRAFT}/compare?from=1&to=2`);

    const change = page.locator(".change-list > li").filter({ hasText: "Myndigheten ska i första hand" });
    const marks = await change.locator("p").first().evaluate((paragraph) =>
      [...paragraph.querySelectorAll("ins, del")].map((mark) => ({
        tag: mark.tagName.toLowerCase(),
        hidden: [...mark.querySelectorAll(".visually-hidden")].map((hidden) => hidden.textContent?.trim()),
        shown: [...mark.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent).join(""),
      })),
    );
    expect(marks).toEqual([
      { tag: "del", hidden: ["Borttaget:", "(slut på det borttagna)"], shown: OLD_PHRASE },
      { tag: "ins", hidden: ["Tillagt:", "(slut på tillägget)"], shown: NEW_PHRASE },
    ]);
    // Read aloud (all text, hidden included), the change says where it starts and ends.
    expect(await change.locator("p").first().textContent()).toBe(
      `Myndigheten ska i första hand använda Borttaget: ${OLD_PHRASE} (slut på det borttagna)Tillagt: ${NEW_PHRASE} (slut på tillägget) har tagit fram, och CC0 för data.`,
    );

    // The summary names the section and leads to its first change.
    const summary = page.getByRole("navigation", { name: "Ändrade avsnitt" });
    const sectionLink = summary.getByRole("link", { name: SECTION });
    expect(await summary.getByRole("listitem").filter({ hasText: SECTION }).textContent()).toBe(`${SECTION}: 1 stycke redigerat`);
    await sectionLink.click();
    await expect.poll(() => page.url()).toMatch(/#change-\d+$/);
    const target = page.url().split("#")[1] ?? "";
    expect(await page.locator(`#${target}`).textContent()).toContain("Myndigheten ska i första hand");
    await context.close();
  });
});
