import { describe, it, expect } from "vitest";
import * as Y from "yjs";
import { BLOCK_TYPES, documentSchema } from "#app/editor/extensions";
import { writeContentToYDoc, yDocToContent, type ContentNode } from "#app/editor/content";
import { buildSeedDraft, SEED_DOCUMENT } from "#app/seed/draft";
import { SEED_WORKSHOPS } from "#app/seed/workshops";

function counterIds(): () => string {
  let next = 0;
  return () => `b${(next++).toString().padStart(4, "0")}`;
}

function walk(node: ContentNode, visit: (node: ContentNode) => void): void {
  visit(node);
  for (const child of node.content ?? []) walk(child, visit);
}

const blockTypes: readonly string[] = BLOCK_TYPES;

describe("seed draft", () => {
  const draft = buildSeedDraft(counterIds());
  const topLevel = draft.content ?? [];

  it("describes the document", () => {
    expect(SEED_DOCUMENT).toEqual({
      slug: "vagledning-oppna-licenser",
      title: "Vägledning om öppna licenser och immaterialrätt",
      language: "sv",
    });
  });

  it("is valid for the document schema", () => {
    expect(draft.type).toBe("doc");
    expect(() => documentSchema.nodeFromJSON(draft).check()).not.toThrow();
  });

  it("has one h1 title followed by at least 8 h2 sections", () => {
    const headings = topLevel.filter((node) => node.type === "heading");
    const h1 = headings.filter((node) => node.attrs?.level === 1);
    const h2 = headings.filter((node) => node.attrs?.level === 2);
    expect(h1).toHaveLength(1);
    expect(topLevel[0]).toBe(h1[0]);
    expect(h2.length).toBeGreaterThanOrEqual(8);
    expect(h1[0]?.content?.[0]?.text).toBe(SEED_DOCUMENT.title);
  });

  it("has at least 30 paragraphs and some lists", () => {
    const paragraphs = topLevel.filter((node) => node.type === "paragraph");
    expect(paragraphs.length).toBeGreaterThanOrEqual(30);
    for (const paragraph of paragraphs) {
      expect(paragraph.content?.map((node) => node.text ?? "").join("").trim()).not.toBe("");
    }
    const lists = topLevel.filter((node) => node.type === "bulletList" || node.type === "orderedList");
    expect(lists.length).toBeGreaterThanOrEqual(2);
  });

  it("gives every block a present and unique id", () => {
    const ids: unknown[] = [];
    walk(draft, (node) => {
      if (blockTypes.includes(node.type)) ids.push(node.attrs?.id);
    });
    expect(ids.length).toBeGreaterThan(30);
    for (const id of ids) expect(typeof id === "string" && id.length > 0).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("is deterministic for a given id generator", () => {
    expect(buildSeedDraft(counterIds())).toEqual(draft);
  });

  it("round-trips through a Y.Doc unchanged", () => {
    const doc = new Y.Doc();
    writeContentToYDoc(draft, doc);
    const back = yDocToContent(doc);
    const original = documentSchema.nodeFromJSON(draft);
    const restored = documentSchema.nodeFromJSON(back);
    expect(restored.eq(original)).toBe(true);
    expect(restored.toJSON()).toEqual(original.toJSON());
    expect(restored.textContent).toBe(original.textContent);
  });
});

describe("seed workshops", () => {
  const stockholm = new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Europe/Stockholm",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const stockholmDate = new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Europe/Stockholm",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });

  it("lists the five autumn 2020 workshops in date order", () => {
    expect(SEED_WORKSHOPS.map((workshop) => stockholmDate.format(workshop.startsAt))).toEqual([
      "2020-09-01",
      "2020-09-15",
      "2020-10-06",
      "2020-11-03",
      "2020-12-01",
    ]);
    const starts = SEED_WORKSHOPS.map((workshop) => workshop.startsAt.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(new Set(starts).size).toBe(starts.length);
  });

  it("runs each workshop 10:00–12:00 Stockholm time", () => {
    for (const workshop of SEED_WORKSHOPS) {
      expect(stockholm.format(workshop.startsAt)).toBe("10:00");
      expect(stockholm.format(workshop.endsAt)).toBe("12:00");
      expect(workshop.endsAt.getTime() - workshop.startsAt.getTime()).toBe(2 * 60 * 60 * 1000);
    }
    // Summer time ended on 25 October 2020: 08:00 UTC before, 09:00 UTC after.
    expect(SEED_WORKSHOPS[0]?.startsAt.toISOString()).toBe("2020-09-01T08:00:00.000Z");
    expect(SEED_WORKSHOPS[4]?.startsAt.toISOString()).toBe("2020-12-01T09:00:00.000Z");
  });

  it("has unique ASCII slugs starting with the date, and non-empty texts", () => {
    const slugs = SEED_WORKSHOPS.map((workshop) => workshop.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const workshop of SEED_WORKSHOPS) {
      expect(workshop.slug).toMatch(/^\d{4}-\d{2}-\d{2}-[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(workshop.slug.startsWith(stockholmDate.format(workshop.startsAt))).toBe(true);
      expect(workshop.title.trim()).not.toBe("");
      expect(workshop.description.trim()).not.toBe("");
      expect(workshop.organisers.trim()).not.toBe("");
    }
    expect(SEED_WORKSHOPS[0]?.organisers).toContain("PRV");
  });
});
