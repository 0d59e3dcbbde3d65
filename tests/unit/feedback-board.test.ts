import { describe, expect, it } from "vitest";
import { blockReferences } from "#app/comments/references";
import {
  boardStatusOf,
  pageOfRows,
  parseBoardQuery,
  REMOVED_SECTION,
  ROWS_PER_PAGE,
  sectionHeading,
  sectionOf,
  sectionOverview,
  selectRows,
  START_SECTION,
  type BoardRow,
} from "#app/feedback/board";
import { type StoredThreads } from "#app/models/comments/threads.server";
import { incorporatedByVersion } from "#app/models/feedback.server";
import type { ThreadRecord } from "#db/repositories/comments";

const row = (id: string, overrides: Partial<BoardRow> = {}): BoardRow => ({
  id,
  kind: "comment",
  place: 0,
  section: "1",
  reference: { section: "1", paragraph: 1 },
  quote: "",
  authorName: "Anna",
  authorOrganisation: "PRV",
  versionNumber: 1,
  workshop: null,
  status: "open",
  replies: 0,
  createdAt: "2026-11-01T10:00:00.000Z",
  incorporatedIn: null,
  supports: 0,
  opposes: 0,
  searchText: "",
  ...overrides,
});

const query = (search: string) => parseBoardQuery(new URLSearchParams(search));
const ids = (rows: BoardRow[]) => rows.map((selected) => selected.id);

describe("a thread's section on the board", () => {
  it("is the level-2 section of its block: the part of the reference before the dot", () => {
    const references = blockReferences([
      { id: "title", headingLevel: 1 },
      { id: "lead", headingLevel: null },
      { id: "s1", headingLevel: 2 },
      { id: "p1", headingLevel: null },
      { id: "s1-1", headingLevel: 3 },
      { id: "p2", headingLevel: null },
      { id: "s2", headingLevel: 2 },
      { id: "p3", headingLevel: null },
    ]);
    const section = (id: string) => sectionOf(references.get(id) ?? null);
    expect(section("lead")).toBe(START_SECTION);
    expect(section("title")).toBe(START_SECTION);
    expect(section("s1")).toBe("1");
    expect(section("p1")).toBe("1");
    expect(section("p2")).toBe("1");
    expect(section("p3")).toBe("2");
  });

  it("is a group of its own for a thread on removed text", () => {
    expect(sectionOf(null)).toBe(REMOVED_SECTION);
  });
});

describe("a thread's status on the board", () => {
  it("is open, the editors' outcome, or resolved when its author closed it without one", () => {
    expect(boardStatusOf({ status: "open", outcome: null })).toBe("open");
    expect(boardStatusOf({ status: "resolved", outcome: "partly-accepted" })).toBe("partly-accepted");
    expect(boardStatusOf({ status: "resolved", outcome: null })).toBe("resolved");
  });
});

describe("the board's query string", () => {
  it("reads filters, search, sort and page, and ignores what it cannot read", () => {
    expect(query("status=rejected&kind=suggestion&section=3&organisation=DIGG&version=2&workshop=host-2020&q=+EUPL+&sort=replies&page=3")).toEqual({
      status: "rejected",
      kind: "suggestion",
      section: "3",
      organisation: "DIGG",
      version: 2,
      workshop: "host-2020",
      q: "EUPL",
      sort: "replies",
      page: 3,
    });
    expect(query("status=maybe&kind=&version=two&sort=random&page=-1")).toEqual({ sort: "place", page: 1 });
  });
});

describe("selecting rows", () => {
  const rows = [
    row("a", { place: 0, status: "open", kind: "comment", section: "1", searchText: "vi föreslår eupl 1.2", replies: 1, createdAt: "2026-11-03T00:00:00Z" }),
    row("b", { place: 1, status: "accepted", kind: "suggestion", section: "1", authorOrganisation: "DIGG", searchText: "cc by 4.0", replies: 4, createdAt: "2026-11-01T00:00:00Z" }),
    row("c", { place: 2, status: "rejected", kind: "comment", section: "2", versionNumber: 2, workshop: { slug: "host", title: "Höstträffen" }, searchText: "logotyper", createdAt: "2026-11-02T00:00:00Z" }),
    row("d", { place: 3, status: "resolved", kind: "suggestion", section: REMOVED_SECTION, reference: null, searchText: "EUPL borttagen".toLowerCase(), replies: 4, createdAt: "2026-11-04T00:00:00Z" }),
  ];

  it("filters by status, kind, section, organisation, version and workshop", () => {
    expect(ids(selectRows(rows, query("status=open")))).toEqual(["a"]);
    expect(ids(selectRows(rows, query("kind=suggestion")))).toEqual(["b", "d"]);
    expect(ids(selectRows(rows, query("section=1")))).toEqual(["a", "b"]);
    expect(ids(selectRows(rows, query("section=removed")))).toEqual(["d"]);
    expect(ids(selectRows(rows, query("organisation=DIGG")))).toEqual(["b"]);
    expect(ids(selectRows(rows, query("version=2")))).toEqual(["c"]);
    expect(ids(selectRows(rows, query("workshop=host")))).toEqual(["c"]);
    expect(ids(selectRows(rows, query("kind=suggestion&status=accepted")))).toEqual(["b"]);
  });

  it("searches the quote and comment texts without regard to case", () => {
    expect(ids(selectRows(rows, query("q=Eupl")))).toEqual(["a", "d"]);
    expect(ids(selectRows(rows, query("q=CC+BY")))).toEqual(["b"]);
    expect(selectRows(rows, query("q=nothing-like-it"))).toEqual([]);
  });

  it("sorts by place, age, replies and status", () => {
    expect(ids(selectRows(rows, query("")))).toEqual(["a", "b", "c", "d"]);
    expect(ids(selectRows(rows, query("sort=newest")))).toEqual(["d", "a", "c", "b"]);
    expect(ids(selectRows(rows, query("sort=oldest")))).toEqual(["b", "c", "a", "d"]);
    // Equal counts keep the draft's order.
    expect(ids(selectRows(rows, query("sort=replies")))).toEqual(["b", "d", "a", "c"]);
    expect(ids(selectRows(rows, query("sort=status")))).toEqual(["a", "b", "c", "d"]);
  });

  it("does not reorder the rows it was given", () => {
    selectRows(rows, query("sort=newest"));
    expect(ids(rows)).toEqual(["a", "b", "c", "d"]);
  });

  it("shows a page at a time, and the last page for a page past the end", () => {
    const many = Array.from({ length: ROWS_PER_PAGE * 2 + 5 }, (_, place) => row(`t${place}`, { place }));
    expect(pageOfRows(many, 1)).toMatchObject({ page: 1, pages: 3 });
    expect(pageOfRows(many, 1).rows).toHaveLength(ROWS_PER_PAGE);
    expect(pageOfRows(many, 3).rows.map((shown) => shown.id)).toEqual(["t200", "t201", "t202", "t203", "t204"]);
    expect(pageOfRows(many, 9).page).toBe(3);
    expect(pageOfRows([], 1)).toEqual({ rows: [], page: 1, pages: 1 });
  });
});

describe("the overview per section", () => {
  const sections = [
    { section: "1", title: "Inledning" },
    { section: "2", title: "Licenser" },
    { section: "3", title: "Logotyper" },
  ];

  it("counts open and all threads and the stated positions per section, darker for more open threads", () => {
    const overview = sectionOverview(
      [
        row("a", { section: "2", status: "open", supports: 2, opposes: 1 }),
        row("b", { section: "2", status: "open", opposes: 3 }),
        row("c", { section: "2", status: "open" }),
        row("d", { section: "2", status: "open" }),
        row("e", { section: "1", status: "open", supports: 1 }),
        row("f", { section: "1", status: "accepted", supports: 1 }),
        row("g", { section: REMOVED_SECTION, status: "open" }),
        row("h", { section: START_SECTION, status: "rejected" }),
      ],
      sections,
    );
    expect(overview).toEqual([
      { section: START_SECTION, title: "", open: 0, total: 1, supports: 0, opposes: 0, heat: 0 },
      { section: "1", title: "Inledning", open: 1, total: 2, supports: 2, opposes: 0, heat: 1 },
      { section: "2", title: "Licenser", open: 4, total: 4, supports: 2, opposes: 4, heat: 4 },
      { section: "3", title: "Logotyper", open: 0, total: 0, supports: 0, opposes: 0, heat: 0 },
      { section: REMOVED_SECTION, title: "", open: 1, total: 1, supports: 0, opposes: 0, heat: 1 },
    ]);
  });

  it("shows every section, none of them hot, before anyone comments", () => {
    expect(sectionOverview([], sections).map((heat) => [heat.section, heat.heat])).toEqual([
      ["1", 0],
      ["2", 0],
      ["3", 0],
    ]);
  });
});

describe("a section's name on the board", () => {
  it("writes the number once, whether or not the heading starts with it", () => {
    expect(sectionHeading("1", "1. Om vägledningen")).toBe("1. Om vägledningen");
    expect(sectionHeading("2", "Licenser")).toBe("2 Licenser");
    expect(sectionHeading("1", "10 regler")).toBe("1 10 regler");
    expect(sectionHeading("10", "10. Checklista")).toBe("10. Checklista");
  });
});

describe("feedback incorporated in a version", () => {
  const record = (id: string, overrides: Partial<ThreadRecord>): ThreadRecord => ({
    id,
    document_id: "d",
    block_id: "p1",
    anchor: { blockId: "p1", blockText: `Stycket om ${id}.`, passage: null },
    author_id: `author-${id}`,
    status: "resolved",
    status_changed_by: null,
    status_changed_at: null,
    created_at: new Date("2026-11-01T10:00:00Z"),
    version_number: 1,
    kind: "comment",
    suggested_text: null,
    outcome: "accepted",
    response: "Inarbetad.",
    responded_by_name: "Eva",
    responded_at: new Date("2026-11-02T10:00:00Z"),
    incorporated_in: null,
    author_name: `Skribent ${id}`,
    author_organisation: "PRV",
    ...overrides,
  });

  it("lists per version the accepted threads stamped with it, not those reopened since or not yet in a version", () => {
    const stored: StoredThreads = {
      currentVersion: null,
      threads: [
        record("a", { incorporated_in: 2 }),
        record("b", { incorporated_in: 2, outcome: "partly-accepted" }),
        record("c", { incorporated_in: 3 }),
        record("reopened", { incorporated_in: 2, status: "open", outcome: null }),
        record("waiting", { incorporated_in: null }),
      ],
      commentsByThread: new Map(),
      agreements: new Map(),
    };
    const byVersion = incorporatedByVersion(stored);
    expect(Object.keys(byVersion)).toEqual(["2", "3"]);
    expect(byVersion[2]).toEqual([
      { id: "a", quote: "Stycket om a.", authorName: "Skribent a", authorOrganisation: "PRV", outcome: "accepted" },
      { id: "b", quote: "Stycket om b.", authorName: "Skribent b", authorOrganisation: "PRV", outcome: "partly-accepted" },
    ]);
    expect(byVersion[3]?.map((thread) => thread.id)).toEqual(["c"]);
  });
});
