import { describe, expect, it } from "vitest";
import type { ContentNode } from "#app/editor/content";
import { changedBlockIds, previousWorkshopVersion, splitSections, workshopToPreselect } from "#app/models/present.server";
import { sectionForKey } from "#app/present/view";
import { buildSeedDraft } from "#app/seed/draft";

const heading = (id: string, level: number, text: string): ContentNode => ({ type: "heading", attrs: { id, level }, content: [{ type: "text", text }] });
const paragraph = (id: string, text = "Text."): ContentNode => ({ type: "paragraph", attrs: { id }, content: [{ type: "text", text }] });
const doc = (...content: ContentNode[]): ContentNode => ({ type: "doc", content });

describe("splitting the draft into sections", () => {
  it("cuts the seed draft at its numbered level-2 headings, with the title and introduction as the first section", () => {
    let next = 0;
    const draft = buildSeedDraft(() => `block${++next}`);
    const sections = splitSections(draft);
    expect(sections.map((section) => section.title)).toEqual([
      "Vägledning om öppna licenser och immaterialrätt",
      "1. Om vägledningen",
      "2. Varför myndigheter bör licensiera öppet",
      "3. Upphovsrätt i myndigheters material",
      "4. Att välja mellan CC0 och CC BY 4.0",
      "5. Databaser och sammanställningar",
      "6. Licenser för programvara och öppen källkod",
      "7. Varumärken, namn och logotyper",
      "8. Så märker ni materialet",
      "9. Upphandling och avtal",
      "10. Checklista",
      "11. Fortsatt arbete och synpunkter på utkastet",
    ]);
    // A level-3 heading stays inside its section.
    const third = sections[3]?.content.content ?? [];
    expect(third.some((node) => node.type === "heading" && node.attrs?.level === 3)).toBe(true);
    // Every block is in exactly one section, in order.
    expect(sections.flatMap((section) => section.content.content ?? [])).toEqual(draft.content);
    expect(sections[0]?.id).toBe("block1");
  });

  it("uses the top-most heading level below the title, keeps text before the first heading as an untitled section, and makes one section of a draft without headings", () => {
    const sections = splitSections(doc(paragraph("p0"), heading("h3a", 3, "A"), paragraph("p1"), heading("h4", 4, "A.1"), paragraph("p2"), heading("h3b", 3, "B")));
    expect(sections.map((section) => [section.id, section.title])).toEqual([
      ["p0", null],
      ["h3a", "A"],
      ["h3b", "B"],
    ]);
    expect(sections[1]?.content.content?.map((node) => node.attrs?.id)).toEqual(["h3a", "p1", "h4", "p2"]);

    expect(splitSections(doc(heading("title", 1, "Titel"), paragraph("p1"), paragraph("p2"))).map((section) => section.id)).toEqual(["title"]);
    expect(splitSections(doc(heading("one", 1, "Ett"), heading("two", 1, "Två"))).map((section) => section.id)).toEqual(["one", "two"]);
    expect(splitSections(doc())).toEqual([]);
  });
});

describe("the version presented at the previous workshop", () => {
  const now = new Date("2020-11-10T12:00:00Z");
  const version = (number: number, startsAt: string | null) => ({ number, workshop_starts_at: startsAt ? new Date(startsAt) : null });

  it("is the last version linked to the latest workshop that has begun", () => {
    const versions = [
      version(5, null),
      version(4, "2020-12-01T09:00:00Z"),
      version(3, "2020-10-06T08:00:00Z"),
      version(2, "2020-10-06T08:00:00Z"),
      version(1, "2020-09-01T08:00:00Z"),
    ];
    expect(previousWorkshopVersion(versions, now)?.number).toBe(3);
    expect(previousWorkshopVersion([...versions].reverse(), now)?.number).toBe(3);
  });

  it("is none when no version is linked to a past workshop", () => {
    expect(previousWorkshopVersion([version(2, null), version(1, "2021-01-01T08:00:00Z")], now)).toBeNull();
    expect(previousWorkshopVersion([], now)).toBeNull();
  });

  it("marks what was added, changed or moved since, not what stayed or went", () => {
    const block = (id: string, text: string) => ({ id, type: "paragraph", text, level: null });
    const before = [block("a", "Ett"), block("b", "Två"), block("c", "Tre"), block("gone", "Borta")];
    const after = [block("c", "Tre"), block("a", "Ett"), block("b", "Två, ändrad"), block("new", "Ny")];
    expect(changedBlockIds(before, after).sort()).toEqual(["b", "c", "new"]);
  });
});

describe("the workshop preselected when freezing", () => {
  const workshops = [
    { id: "sep", starts_at: new Date("2020-09-01T08:00:00Z") },
    { id: "oct", starts_at: new Date("2020-10-06T13:00:00Z") },
    { id: "dec", starts_at: new Date("2020-12-01T08:00:00Z") },
  ];

  it("is today's workshop (Swedish time), else the next one, else the last one", () => {
    // 23:30 UTC on 5 October is already 6 October in Stockholm; the workshop is that afternoon.
    expect(workshopToPreselect(workshops, new Date("2020-10-05T23:30:00Z"))?.id).toBe("oct");
    expect(workshopToPreselect(workshops, new Date("2020-10-06T16:00:00Z"))?.id).toBe("oct");
    expect(workshopToPreselect(workshops, new Date("2020-10-07T09:00:00Z"))?.id).toBe("dec");
    expect(workshopToPreselect(workshops, new Date("2021-02-01T09:00:00Z"))?.id).toBe("dec");
    expect(workshopToPreselect([], new Date())).toBeNull();
  });
});

describe("keys in present mode", () => {
  it("move forward, back, to the first and to the last section, and stop at the ends", () => {
    expect(["ArrowRight", "ArrowDown", "PageDown"].map((key) => sectionForKey(key, 2, 5))).toEqual([3, 3, 3]);
    expect(["ArrowLeft", "ArrowUp", "PageUp"].map((key) => sectionForKey(key, 2, 5))).toEqual([1, 1, 1]);
    expect([sectionForKey("Home", 2, 5), sectionForKey("End", 2, 5)]).toEqual([0, 4]);
    expect([sectionForKey("ArrowRight", 4, 5), sectionForKey("ArrowLeft", 0, 5)]).toEqual([4, 0]);
    expect(sectionForKey("a", 2, 5)).toBeNull();
  });
});
