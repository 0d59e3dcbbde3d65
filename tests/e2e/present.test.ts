import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { yDocToContent } from "#app/editor/content";
import { splitSections } from "#app/models/present.server";
import type { Section } from "#app/present/view";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { serverAndBrowserForThisFile } from "#tests/support/browser";
import { LIVE_MS } from "#tests/support/time";

const PRESENT = `/d/${SEED_DOCUMENT.slug}/present`;

describe("present mode in the browser", () => {
  const session = serverAndBrowserForThisFile();
  /** Script errors on any page (hydration mismatches included): there should be none. */
  const errors: string[] = [];

  const open = async (path: string, role?: "host"): Promise<Page> => {
    const context = await session.browser.newContext({ viewport: { width: 1400, height: 900 } });
    if (role) {
      const { cookie } = await signedInAs(session.server.services.db, role, "Hedda Host");
      const [name = "", value = ""] = cookie.split("=");
      await context.addCookies([{ name, value, url: session.server.url }]);
    }
    const page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(`${session.server.url}${path}`);
    return page;
  };
  const shows = (page: Page, section: Section | undefined) => page.locator(`.present-section[data-section-id="${section?.id}"]`);

  it("moves the host with the keyboard, and a participant following the presenter with them within 1 s", async () => {
    const documentId = (await findDocumentBySlug(session.server.services.db, SEED_DOCUMENT.slug))?.id ?? "";
    const sections = await session.server.services.readDocument(documentId, (doc) => splitSections(yDocToContent(doc)));
    const last = sections.length - 1;

    const host = await open(PRESENT, "host");
    // The button exists once the page runs its scripts, keys included.
    await host.getByRole("button", { name: "Helskärm" }).waitFor();
    const participant = await open(`${PRESENT}?follow`);
    const follow = participant.getByRole("button", { name: "Följ presentatören" });
    await follow.waitFor();
    expect(await follow.getAttribute("aria-pressed")).toBe("true");
    await shows(participant, sections[0]).waitFor();

    const moveTo = async (key: string, index: number) => {
      await host.keyboard.press(key);
      await Promise.all([shows(host, sections[index]).waitFor({ timeout: LIVE_MS }), shows(participant, sections[index]).waitFor({ timeout: LIVE_MS })]);
    };
    await moveTo("End", last);
    await moveTo("ArrowLeft", last - 1);
    await moveTo("PageUp", last - 2);
    await moveTo("Home", 0);
    await moveTo("ArrowRight", 1);
    await moveTo("PageDown", 2);
    await moveTo("ArrowDown", 3);
    await moveTo("ArrowUp", 2);
    // Screen readers hear where the presenter went.
    expect(await participant.locator(".present-position").textContent()).toBe(`Avsnitt 3 av ${sections.length}: ${sections[2]?.title}`);
    expect(await participant.locator(".present-position").getAttribute("aria-live")).toBe("polite");

    // Keys typed in a form field edit the field; they do not change the section.
    const name = host.getByLabel("Namn");
    await name.focus();
    await host.keyboard.press("End");
    await host.keyboard.press("ArrowLeft");
    await shows(host, sections[2]).waitFor();
    expect(await host.locator(".present-section").count()).toBe(1);
    await name.blur();

    // A participant who stops following moves on their own; following again brings them back to the presenter.
    await follow.click();
    expect(await follow.getAttribute("aria-pressed")).toBe("false");
    await participant.keyboard.press("End");
    await shows(participant, sections[last]).waitFor();
    await host.keyboard.press("ArrowRight");
    await shows(host, sections[3]).waitFor();
    await expect.poll(() => session.server.services.presenterEvents.current(documentId)).toEqual({ sectionId: sections[3]?.id });
    expect(await shows(participant, sections[last]).count()).toBe(1);
    await follow.click();
    await shows(participant, sections[3]).waitFor({ timeout: LIVE_MS });

    // The section list works by pointer too, and the host's choice reaches the participant.
    await host.getByRole("navigation", { name: "Avsnitt" }).getByRole("link", { name: sections[5]?.title ?? "" }).click();
    await Promise.all([shows(host, sections[5]).waitFor({ timeout: LIVE_MS }), shows(participant, sections[5]).waitFor({ timeout: LIVE_MS })]);

    // "Freeze the version presented here" in one action: the name and workshop are filled in, the host stays put.
    expect(await host.getByLabel("Namn").inputValue()).toBe("Version 1");
    await host.getByRole("button", { name: "Spara versionen" }).click();
    await host.getByRole("status").getByText("Version 1 är sparad.").waitFor();
    await shows(host, sections[5]).waitFor();

    expect(errors).toEqual([]);
    await host.context().close();
    await participant.context().close();
  });
});
