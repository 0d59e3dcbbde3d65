import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DocumentIndex } from "#app/comments/anchoring";
import type { Locale } from "#app/i18n/i18n";
import type { Role } from "#app/models/authorization.server";
import { runCommentCommand } from "#app/models/comments/commands.server";
import { freezeVersion } from "#app/models/versions.server";
import { createWorkshop } from "#app/models/workshops.server";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { findDocumentBySlug } from "#db/repositories/documents";
import { sessionAs, signedInAs } from "#tests/support/accounts";
import { serverAndBrowserForThisFile } from "#tests/support/browser";

/**
 * Every kind of page, in both languages, as each role that can see it, checked by axe-core against WCAG 2.2 AA
 * (target size included). A new page is one more line in PAGES.
 */

type Viewer = Role | "visitor";

interface PageCheck {
  /** The address, made once the test data exists. */
  path: (data: TestData) => string;
  /** Who opens the page: each of them sees it as their role makes it. */
  as: Viewer[];
  /** What shows that the page is done: its live parts (the editor, the present mode's controls) are running. */
  ready?: (page: Page, viewer: Viewer) => Promise<void>;
  /** The main heading names Swedish content (the draft, a version, a workshop). */
  swedishHeading?: boolean;
  /** What the viewer does once the page is ready, to reach a state of it that has no address (a form's answer). */
  act?: (page: Page) => Promise<void>;
}

interface TestData {
  threadId: string;
  blockId: string;
  workshopSlug: string;
}

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;

/** The draft is ready once the editor's session is past "connecting"; for editors, once the text is editable. */
const draftReady = async (page: Page, viewer: Viewer) => {
  if (viewer === "editor" || viewer === "admin") await page.locator('.ProseMirror[contenteditable="true"] .block-margin').first().waitFor();
  await page.waitForFunction(() => document.querySelector('.editor-toolbar [data-state="connecting"]') === null);
};

/** The new-draft form sent with nothing filled in: every field's message. The language switch does not change the form. */
const submitEmptyDraftForm = async (page: Page) => {
  await page.locator('main button[type="submit"]').click();
  await page.locator('main [role="alert"]').waitFor();
};

/** The new-draft form sent with a Word file: the review of what the import could not keep. */
const reviewWordImport = async (page: Page) => {
  await page.locator('main input[type="radio"][value="word"]').check();
  await page.locator('main input[type="file"]').setInputFiles("tests/fixtures/word/python-docx-draft.docx");
  await page.locator('main button[type="submit"]').click();
  await page.locator('main input[name="importId"]').waitFor({ state: "attached" });
};

const PAGES = {
  home: { path: () => "/", as: ["visitor", "member"] },
  draft: { path: () => DRAFT, as: ["visitor", "member", "editor"], ready: draftReady, swedishHeading: true },
  "draft, comment on a paragraph": { path: (data) => `${DRAFT}?comment=${data.blockId}#new-comment`, as: ["visitor", "member"], ready: draftReady },
  "draft, a thread's link": { path: (data) => `${DRAFT}#thread-${data.threadId}`, as: ["visitor", "editor"], ready: draftReady },
  compare: { path: () => `${DRAFT}/compare?from=1&to=live`, as: ["visitor"] },
  versions: { path: () => `${DRAFT}/versions`, as: ["visitor", "editor"] },
  version: { path: () => `${DRAFT}/v/1`, as: ["visitor", "editor"], swedishHeading: true },
  "version, restoring": { path: () => `${DRAFT}/v/1?restore`, as: ["editor"], swedishHeading: true },
  "comment search": { path: () => `${DRAFT}/comments?q=licens`, as: ["visitor", "member"] },
  "accessibility statement": { path: () => "/tillganglighet", as: ["visitor"] },
  "accessibility statement in English": { path: () => "/accessibility", as: ["visitor"] },
  "feedback board": { path: () => `${DRAFT}/feedback`, as: ["editor"] },
  moderation: { path: () => `${DRAFT}/moderation`, as: ["editor"] },
  review: { path: () => `${DRAFT}/review`, as: ["editor"] },
  present: { path: () => `${DRAFT}/present`, as: ["host"], ready: (page) => page.locator(".present-section").first().waitFor() },
  "present, following": { path: () => `${DRAFT}/present?follow`, as: ["visitor"], ready: (page) => page.locator(".present-section").first().waitFor() },
  workshops: { path: () => "/workshops", as: ["visitor", "host"] },
  workshop: { path: (data) => `/workshops/${data.workshopSlug}`, as: ["visitor", "host"], swedishHeading: true },
  "new workshop": { path: () => "/workshops/new", as: ["host"] },
  "workshop edit": { path: (data) => `/workshops/${data.workshopSlug}/edit`, as: ["host"] },
  "my feedback": { path: () => "/my-feedback", as: ["member"] },
  notifications: { path: () => "/notifications", as: ["member"] },
  account: { path: () => "/account", as: ["member"] },
  "new draft": { path: () => "/drafts/new", as: ["editor", "admin"] },
  "new draft, with errors": { path: () => "/drafts/new", as: ["editor"], act: submitEmptyDraftForm },
  "new draft, reviewing a Word file": { path: () => "/drafts/new", as: ["editor"], act: reviewWordImport },
  "draft, archive or delete": { path: () => `${DRAFT}/manage`, as: ["admin"], swedishHeading: true },
  "admin, accounts": { path: () => "/admin/accounts", as: ["admin"] },
  "admin, audit": { path: () => "/admin/audit", as: ["admin"] },
  "sign in": { path: () => "/sign-in", as: ["visitor"] },
  "sign up": { path: () => "/sign-up", as: ["visitor"] },
  "forgot password": { path: () => "/forgot-password", as: ["visitor"] },
  "reset password, bad token": { path: () => "/reset-password/inte-en-riktig-token", as: ["visitor"] },
  "not found": { path: () => "/finns-inte", as: ["visitor"] },
} satisfies Record<string, PageCheck>;

const LANGUAGES: Locale[] = ["sv", "en"];
const AXE_OPTIONS = {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
  rules: { "target-size": { enabled: true } },
  // Only violations are read: leaving out the passes' details makes each run much faster.
  resultTypes: ["violations"],
};

interface Violation {
  id: string;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Controls smaller than 24 × 24 px, spacing or not: axe accepts a small target with room around it, the issue asks
 * for the size itself (WCAG 2.2 2.5.8 without its spacing exception). Links inside a sentence are exempt, as there.
 */
function smallTargets(page: Page): Promise<Violation[]> {
  return page.evaluate(() => {
    const MIN = 24 - 0.5;
    const controls = document.querySelectorAll<HTMLElement>('a[href], button, select, input:not([type="hidden"]), summary, [role="button"]');
    const inSentence = (control: HTMLElement) => {
      if (getComputedStyle(control).display !== "inline") return false;
      let block = control.parentElement;
      while (block && getComputedStyle(block).display === "inline") block = block.parentElement;
      return (block?.textContent ?? "").trim().length > (control.textContent ?? "").trim().length;
    };
    const nodes = [...controls].flatMap((control) => {
      const box = control.getBoundingClientRect();
      if (!control.checkVisibility({ checkVisibilityCSS: true }) || control.closest(".visually-hidden") || box.width * box.height === 0) return [];
      if ((box.width >= MIN && box.height >= MIN) || inSentence(control)) return [];
      const name = control.getAttribute("aria-label") ?? control.textContent?.trim().slice(0, 40) ?? "";
      return [{ target: [`${control.tagName.toLowerCase()}.${[...control.classList].join(".")} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`] }];
    });
    return nodes.length === 0 ? [] : [{ id: "target-size-24", help: "Controls must be at least 24 × 24 px", nodes }];
  });
}

describe("accessibility of every page (axe-core, WCAG 2.2 AA)", () => {
  const session = serverAndBrowserForThisFile();
  const data: TestData = { threadId: "", blockId: "", workshopSlug: "" };
  let axeSource = "";

  beforeAll(async () => {
    axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
    const { services } = session.server;
    const documentId = (await findDocumentBySlug(services.db, SEED_DOCUMENT.slug))?.id ?? "";
    const paragraphs = await services.readDocument(documentId, (doc) =>
      DocumentIndex.of(doc)
        .blocks.filter((block) => block.type === "paragraph")
        .map((block) => block.id),
    );
    data.blockId = paragraphs[2] ?? "";
    const editor = await sessionAs(services.db, "editor", "Eva Editor");
    expect((await freezeVersion(services, editor, documentId, { name: "Version 0.1" })).ok).toBe(true);
    const member = await sessionAs(services.db, "member", "Mats Medlem");
    for (const [index, blockId] of paragraphs.slice(0, 3).entries()) {
      const created = await runCommentCommand(services, member, documentId, { intent: "create-thread", blockId, body: `Synpunkt ${index + 1}.`, acceptLicence: "on" });
      if (!created.ok) throw new Error(`could not comment: ${created.error}`);
      data.threadId = created.threadId;
    }
    const host = await sessionAs(services.db, "host", "Hedda Host");
    const workshop = await createWorkshop(services.db, host, {
      title: "Öppna licenser och immaterialrätt",
      date: "2030-09-01",
      startTime: "10:00",
      endTime: "12:00",
      description: "Vägledningen visas.",
      organisers: "PRV och DIGG",
      meetingUrl: "https://meet.example.se/workshop-1",
    });
    if (!workshop.ok) throw new Error(`could not create the workshop: ${workshop.error}`);
    data.workshopSlug = workshop.workshop.slug;
  });

  /** One browser context per role and language, in that language chosen with the site's own switch. */
  const contextFor = async (viewer: Viewer, language: Locale, device: BrowserContextOptions = {}): Promise<BrowserContext> => {
    // axe's source is added as a script, which the pages' Content-Security-Policy would refuse.
    const context = await session.browser.newContext({ viewport: { width: 1400, height: 1000 }, bypassCSP: true, ...device });
    if (viewer !== "visitor") {
      const { cookie } = await signedInAs(session.server.services.db, viewer, `Testperson ${viewer}`);
      const [name = "", value = ""] = cookie.split("=");
      await context.addCookies([{ name, value, url: session.server.url }]);
    }
    if (language !== "sv") {
      const page = await context.newPage();
      await page.goto(`${session.server.url}/`);
      await page.locator("html[data-hydrated]").waitFor();
      await page.locator(`.language-switch button[value="${language}"]`).click();
      await page.locator(`html[lang="${language}"]`).waitFor();
      await page.close();
    }
    return context;
  };

  /** Each page's title by language and path (its variants, ?comment= or #thread-, share the page's title). */
  const titles: Record<Locale, Map<string, string>> = { sv: new Map(), en: new Map() };
  /** Pages whose main heading names Swedish content (the draft, a version, a workshop): in English it is marked so. */
  const unmarkedSwedishHeadings: string[] = [];

  const violationsOn = async (context: BrowserContext, check: PageCheck, viewer: Viewer, language: Locale): Promise<Violation[]> => {
    const page = await context.newPage();
    try {
      await page.goto(`${session.server.url}${check.path(data)}`);
      await page.locator("html[data-hydrated]").waitFor();
      await check.ready?.(page, viewer);
      await check.act?.(page);
      titles[language].set(new URL(page.url()).pathname, await page.title());
      if (language === "en" && check.swedishHeading && (await page.locator('h1[lang="sv"], [lang="sv"] h1, h1 [lang="sv"]').count()) === 0) {
        unmarkedSwedishHeadings.push(check.path(data));
      }
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async (options) => {
        const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: Violation[] }> } }).axe;
        const result = await axe.run(document, options);
        return result.violations.map(({ id, help, nodes }) => ({ id, help, nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })) }));
      }, AXE_OPTIONS);
      return [...violations, ...(await smallTargets(page))];
    } finally {
      await page.close();
    }
  };

  it("fits a phone's 390 px screen: no page scrolls sideways, and the editor's header and toolbar leave room for the text", async () => {
    const phone = { viewport: { width: 390, height: 844 } };
    const screenWidth = phone.viewport.width;
    const checks: { name: keyof typeof PAGES; viewer: Viewer }[] = [
      { name: "draft", viewer: "editor" },
      { name: "draft", viewer: "visitor" },
      { name: "feedback board", viewer: "editor" },
      { name: "admin, accounts", viewer: "admin" },
      { name: "present", viewer: "host" },
    ];
    const found: string[] = [];
    for (const { name, viewer } of checks) {
      const check: PageCheck = PAGES[name];
      const context = await contextFor(viewer, "sv", phone);
      const page = await context.newPage();
      await page.goto(`${session.server.url}${check.path(data)}`);
      await page.locator("html[data-hydrated]").waitFor();
      await check.ready?.(page, viewer);
      const { scrollWidth, innerHeight, toolbarBottom, overflowing, listItemsSplit } = await page.evaluate((width) => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerHeight: window.innerHeight,
        // The innermost elements reaching past the screen's edge: what makes the page too wide.
        overflowing: [...document.querySelectorAll("body *")]
          .filter((element) => {
            const past = (candidate: Element) => candidate.getBoundingClientRect().right > width + 1;
            const scrolled = (candidate: Element | null): boolean =>
              candidate !== null && candidate !== document.body && (getComputedStyle(candidate).overflowX !== "visible" || scrolled(candidate.parentElement));
            return past(element) && ![...element.children].some(past) && !scrolled(element.parentElement);
          })
          .slice(0, 5)
          .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join(".")}`),
        toolbarBottom: (document.querySelector(".editor-toolbar")?.getBoundingClientRect().bottom ?? 0) + window.scrollY,
        // A list item's bullet stands on its first line: its text must start there too, not below its reference.
        listItemsSplit: [...document.querySelectorAll(".document-text li")].filter((item) => {
          const text = item.querySelector(":scope > p");
          return text !== null && text.getBoundingClientRect().top - item.getBoundingClientRect().top > 2;
        }).length,
      }), screenWidth);
      if (scrollWidth > screenWidth) found.push(`"${name}" as ${viewer} is ${scrollWidth} px wide on a ${screenWidth} px screen: ${overflowing.join(", ")}`);
      if (listItemsSplit > 0) found.push(`"${name}" as ${viewer}: ${listItemsSplit} list items have their text below their bullet`);
      if (name === "draft" && viewer === "editor" && toolbarBottom > 0.4 * innerHeight) {
        found.push(`the editor's header and toolbar end ${Math.round(toolbarBottom)} px down a ${innerHeight} px screen`);
      }
      await context.close();
    }
    expect(found).toEqual([]);
  });

  const viewers: Viewer[] = ["visitor", "member", "editor", "host", "admin"];
  for (const language of LANGUAGES) {
    for (const viewer of viewers) {
      const pages = Object.entries(PAGES as Record<string, PageCheck>).filter(([, check]) => check.as.includes(viewer));
      if (pages.length === 0) continue;
      it(`finds no violations on the pages seen as ${viewer}, in ${language === "sv" ? "Swedish" : "English"}`, async () => {
        const context = await contextFor(viewer, language);
        const found: string[] = [];
        for (const [name, check] of pages) {
          for (const violation of await violationsOn(context, check, viewer, language)) {
            for (const node of violation.nodes) {
              found.push(`${violation.id} at ${JSON.stringify(node.target)} on "${name}" (${check.path(data)}) as ${viewer}, ${language}: ${violation.help}`);
            }
          }
        }
        await context.close();
        expect(found).toEqual([]);
      });
    }
  }

  it("gives every page a title of its own, and marks Swedish headings as Swedish in the English interface", () => {
    for (const language of LANGUAGES) {
      const byTitle = new Map<string, string[]>();
      for (const [path, title] of titles[language]) byTitle.set(title, [...(byTitle.get(title) ?? []), path]);
      expect([...byTitle.values()].filter((paths) => paths.length > 1)).toEqual([]);
      expect(titles[language].size).toBeGreaterThan(20);
    }
    expect(unmarkedSwedishHeadings).toEqual([]);
  });
});
