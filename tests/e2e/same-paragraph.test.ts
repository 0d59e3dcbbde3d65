/**
 * Editors typing in one paragraph at the same time, in Chromium, through the real server: each person's keys go
 * where their own caret is, whatever the others type before, after or around it (decision 0015). Each page gets its
 * keystrokes one at a time in a seeded order and nobody waits for the others' changes to arrive, so changes cross
 * on the way as they do between people typing at once.
 */
import type { Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { newBlockId, YJS_FRAGMENT } from "#app/editor/extensions";
import { openDraftAs, serverAndBrowserForThisFile } from "#tests/support/browser";
import { seededRandom, type Random } from "#tests/support/random-draft";
import { scaledMs } from "#tests/support/time";

/** The paragraph everyone types into. Greek capitals: nothing else in the draft or in what is typed uses them. */
const ORIGINAL = "ΑΛΦΑ ΒΗΤΑ ΓΑΜΜΑ ΔΕΛΤΑ ΕΨΙΛΟΝ ΖΗΤΑ ΗΤΑ ΘΗΤΑ ΙΩΤΑ ΚΑΠΠΑ ΛΑΜΔΑ";
const ORIGINAL_LETTERS = [...ORIGINAL].filter((character) => character !== " ").length;
const isOriginal = (character: string): boolean => character >= "Α" && character <= "Ω";
const SEEDS = [1, 2, 3];
const KEYSTROKES = 90;

/** Every textblock's text, joined by line feeds, as the page's editor holds it. */
function documentText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.querySelector(".ProseMirror[contenteditable]") as (Element & { editor?: EditorLike }) | null;
    const texts: string[] = [];
    element?.editor?.state.doc.descendants((node) => {
      if (!node.isTextblock) return true;
      texts.push(node.textContent);
      return false;
    });
    return texts.join("\n");
    interface EditorLike {
      state: { doc: { descendants(visit: (node: { isTextblock: boolean; textContent: string }) => boolean): void } };
    }
  });
}

/**
 * Puts the page's caret just after the n-th letter of the original paragraph (just before the first when n is 0), as a
 * click there would, and focuses the text.
 */
function placeCaretAfterOriginalLetter(page: Page, n: number): Promise<void> {
  return page.evaluate((target) => {
    const element = document.querySelector(".ProseMirror[contenteditable]") as (Element & { editor?: EditorLike }) | null;
    const editor = element?.editor;
    if (!editor) throw new Error("no live editor");
    let seen = 0;
    let position = -1;
    editor.state.doc.descendants((node, pos) => {
      if (position >= 0) return false;
      if (!node.isText) return true;
      const text = node.text ?? "";
      for (let index = 0; index < text.length; index++) {
        const character = text[index] ?? "";
        if (!(character >= "Α" && character <= "Ω")) continue;
        if (target === 0) {
          position = pos + index;
          return false;
        }
        if (++seen === target) {
          position = pos + index + 1;
          return false;
        }
      }
      return false;
    });
    if (position < 0) throw new Error(`original letter ${target} not found`);
    // The view's own focus, at once: the focus command waits for the next frame and then restores the old selection.
    editor.view.focus();
    editor.commands.setTextSelection(position);
    interface EditorLike {
      state: { doc: { descendants(visit: (node: { isText: boolean; text?: string }, pos: number) => boolean): void } };
      view: { focus(): void };
      commands: { setTextSelection(position: number): boolean };
    }
  }, n);
}

describe("editors typing in the same paragraph at once, in the browser", () => {
  const session = serverAndBrowserForThisFile();
  let paragraphId = "";
  let documentId = "";
  /** Top-level blocks of the draft without this test's paragraph (and the paragraphs split off it). */
  let blocksBefore = 0;

  beforeEach(async () => {
    const document = await findDocumentBySlug(session.server.services.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("no seeded draft");
    documentId = document.id;
    paragraphId = newBlockId();
    await session.server.services.changeDocument(documentId, {}, (doc) => {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.setAttribute("id", paragraphId);
      paragraph.insert(0, [new Y.XmlText(ORIGINAL)]);
      const draft = doc.getXmlFragment(YJS_FRAGMENT);
      blocksBefore = draft.length;
      draft.insert(1, [paragraph]);
    });
  });

  afterEach(async () => {
    for (const context of session.browser.contexts()) await context.close();
    // The paragraph and what was split off it follow each other from the second block on.
    await session.server.services.changeDocument(documentId, {}, (doc) => {
      const draft = doc.getXmlFragment(YJS_FRAGMENT);
      draft.delete(1, draft.length - blocksBefore);
    });
  });

  async function openEditors(names: string[]): Promise<Page[]> {
    const pages: Page[] = [];
    for (const name of names) {
      const page = await openDraftAs(session, "editor", name);
      await page.locator(`.ProseMirror[contenteditable] [id="${paragraphId}"]`, { hasText: ORIGINAL }).waitFor();
      pages.push(page);
    }
    return pages;
  }

  /** Waits until every page shows the same text (and the server's changes have all arrived), then returns it. */
  async function convergedText(pages: Page[]): Promise<string> {
    let agreed = "";
    await expect
      .poll(
        async () => {
          const texts = await Promise.all(pages.map(documentText));
          agreed = texts[0] ?? "";
          return texts.every((text) => text === agreed);
        },
        { timeout: scaledMs(30_000), interval: 100 },
      )
      .toBe(true);
    return agreed;
  }

  function expectIntact(text: string, runs: string[]): void {
    expect([...text].filter(isOriginal).join("")).toBe(ORIGINAL.replaceAll(" ", ""));
    for (const run of runs) {
      expect(text.split(run).length - 1, `${JSON.stringify(run)} in ${JSON.stringify(text)}`).toBe(1);
    }
  }

  it("keeps both texts intact when one editor types at the paragraph's start and another in its middle", async () => {
    const [anna, bertil] = await openEditors(["Anna Andersson", "Bertil Berg"]);
    if (!anna || !bertil) throw new Error("two editors");
    await placeCaretAfterOriginalLetter(anna, 0);
    await placeCaretAfterOriginalLetter(bertil, 15);
    const annas = "[alpha0 one two three]";
    const bertils = "[beta0 four five six]";
    for (let index = 0; index < annas.length; index++) {
      await anna.keyboard.type(annas[index] ?? "");
      await bertil.keyboard.type(bertils[index] ?? "");
    }
    const text = await convergedText([anna, bertil]);
    expectIntact(text, [annas, bertils]);
    expect(text).toContain(`ΑΛΦΑ ΒΗΤΑ ΓΑΜΜΑ ΔΕ${bertils}ΛΤΑ`);
  });

  for (const seed of SEEDS) {
    it(`keeps three editors' runs intact and in order while one of them also splits the paragraph and pastes (seed ${seed})`, async () => {
      const random = seededRandom(seed);
      const pages = await openEditors(["Anna Andersson", "Bertil Berg", "Cecilia Carlsson"]);
      const finished: string[] = [];
      const runs: Array<{ text: string; left: number } | null> = pages.map(() => null);
      let runNumber = 0;
      const letter = (r: Random) => r.pick([..."abcdefghijklmnopqrstuvwxyz"]);

      for (let keystroke = 0; keystroke < KEYSTROKES; keystroke++) {
        const who = random.int(pages.length);
        const page = pages[who];
        if (!page) continue;
        const run = runs[who];
        if (!run) {
          runNumber++;
          await placeCaretAfterOriginalLetter(page, random.int(ORIGINAL_LETTERS + 1));
          const marker = `<${"abc"[who]}${runNumber}:`;
          await page.keyboard.type(marker);
          runs[who] = { text: marker, left: random.between(4, 12) };
          continue;
        }
        const action = random.next();
        if (who === 0 && action < 0.08) {
          await page.keyboard.press("Enter");
          run.text += "\n";
        } else if (action < 0.16) {
          const pasted = Array.from({ length: random.between(2, 6) }, () => letter(random)).join("");
          await page.keyboard.insertText(pasted);
          run.text += pasted;
        } else {
          const character = letter(random);
          await page.keyboard.type(character);
          run.text += character;
        }
        if (--run.left <= 0) {
          await page.keyboard.type(">");
          finished.push(`${run.text}>`);
          runs[who] = null;
        }
      }
      for (const [who, run] of runs.entries()) {
        if (!run) continue;
        await pages[who]?.keyboard.type(">");
        finished.push(`${run.text}>`);
      }
      expectIntact(await convergedText(pages), finished);
    });
  }
});
