import { z } from "zod";
import { OUTCOMES, type Outcome } from "#app/comments/types";
import type { BlockReference } from "#app/comments/references";

/**
 * The triage board's rules (issue 7): what each thread shows as a row, how the query string filters, searches and
 * sorts the rows, and the per-section overview above the table. Pure, so the browser's types and the unit tests
 * share them with the server.
 */

/** Open; closed by editors with an outcome; or resolved by its author without one. */
export const BOARD_STATUSES = ["open", ...OUTCOMES, "resolved"] as const;
export type BoardStatus = (typeof BOARD_STATUSES)[number];

/** The level-2 section a thread is in ("3"), before the first section, or on text no longer in the draft. */
export const START_SECTION = "start";
export const REMOVED_SECTION = "removed";

export const BOARD_SORTS = ["place", "newest", "oldest", "replies", "status"] as const;
export type BoardSort = (typeof BOARD_SORTS)[number];

/** Rows per page: a page of the board stays quick to render and to move through with the keyboard. */
export const ROWS_PER_PAGE = 100;

export interface BoardRow {
  id: string;
  kind: "comment" | "suggestion";
  /** Place in the document (threads on removed text last), as the draft's reading orders them. */
  place: number;
  section: string;
  /** "3.2 ¶2", or null for a thread on removed text. */
  reference: BlockReference | null;
  quote: string;
  authorName: string;
  authorOrganisation: string;
  versionNumber: number | null;
  workshop: { slug: string; title: string } | null;
  status: BoardStatus;
  replies: number;
  createdAt: string;
  incorporatedIn: number | null;
  /** Positions stated in the thread's visible comments. */
  supports: number;
  opposes: number;
  /** The quote, the suggested text and every visible comment with its author's name and organisation, lower-cased: what the text search looks in. */
  searchText: string;
}

export function boardStatusOf(thread: { status: "open" | "resolved"; outcome: Outcome | null }): BoardStatus {
  return thread.status === "open" ? "open" : (thread.outcome ?? "resolved");
}

/** The level-2 section of a block: the part of its reference before the first dot. */
export function sectionOf(reference: BlockReference | null): string {
  if (reference === null) return REMOVED_SECTION;
  return reference.section?.split(".")[0] ?? START_SECTION;
}

const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .enum(values)
    .optional()
    .catch(undefined);
/** The longest text a filter or the search takes: longer is not something the form sends. */
export const QUERY_TEXT_MAX_LENGTH = 200;

const optionalText = z
  .string()
  .trim()
  .max(QUERY_TEXT_MAX_LENGTH)
  .optional()
  .catch(undefined)
  .transform((value) => value || undefined);

const querySchema = z.object({
  status: optionalChoice(BOARD_STATUSES),
  kind: optionalChoice(["comment", "suggestion"]),
  section: optionalText,
  organisation: optionalText,
  version: z.coerce.number().int().positive().optional().catch(undefined),
  workshop: optionalText,
  q: optionalText,
  sort: z.enum(BOARD_SORTS).catch("place"),
  page: z.coerce.number().int().min(1).catch(1),
});

/** What the board's GET form asks for. Anything unreadable counts as not asked, so a stale link still shows the board. */
export type BoardQuery = z.infer<typeof querySchema>;

export function parseBoardQuery(params: URLSearchParams): BoardQuery {
  const fields: Record<string, string> = {};
  for (const [name, value] of params) if (value !== "") fields[name] = value;
  return querySchema.parse(fields);
}

/** The rows the query's filters and text search select, in the order it asks for. */
export function selectRows(rows: readonly BoardRow[], query: BoardQuery): BoardRow[] {
  const needle = query.q?.toLowerCase();
  const selected = rows.filter(
    (row) =>
      (query.status === undefined || row.status === query.status) &&
      (query.kind === undefined || row.kind === query.kind) &&
      (query.section === undefined || row.section === query.section) &&
      (query.organisation === undefined || row.authorOrganisation === query.organisation) &&
      (query.version === undefined || row.versionNumber === query.version) &&
      (query.workshop === undefined || row.workshop?.slug === query.workshop) &&
      (needle === undefined || row.searchText.includes(needle)),
  );
  return selected.sort(COMPARE[query.sort]);
}

const statusOrder = new Map<BoardStatus, number>(BOARD_STATUSES.map((status, position) => [status, position]));
const byPlace = (a: BoardRow, b: BoardRow) => a.place - b.place;
const byAge = (a: BoardRow, b: BoardRow) => a.createdAt.localeCompare(b.createdAt) || byPlace(a, b);

const COMPARE: Record<BoardSort, (a: BoardRow, b: BoardRow) => number> = {
  place: byPlace,
  newest: (a, b) => byAge(b, a),
  oldest: byAge,
  // Most discussed first.
  replies: (a, b) => b.replies - a.replies || byPlace(a, b),
  // Open ones first, then by outcome.
  status: (a, b) => (statusOrder.get(a.status) ?? 0) - (statusOrder.get(b.status) ?? 0) || byPlace(a, b),
};

/** One page of the selected rows; a page past the end shows the last one. */
export function pageOfRows<T>(rows: readonly T[], page: number): { rows: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(rows.length / ROWS_PER_PAGE));
  const shown = Math.min(page, pages);
  return { rows: rows.slice((shown - 1) * ROWS_PER_PAGE, shown * ROWS_PER_PAGE), page: shown, pages };
}

/**
 * A section's name as the board shows it: its number, then its heading, unless the heading starts with the number
 * itself ("1. Om vägledningen"), which would otherwise read "1 1. Om vägledningen".
 */
export function sectionHeading(section: string, title: string): string {
  const heading = title.trim();
  const numbered = heading.startsWith(section) && !/^[0-9]/.test(heading.slice(section.length));
  return numbered ? heading : `${section} ${heading}`;
}

/** The heat strip: how many darkness steps a section's cell has, beside the number itself. */
export const HEAT_LEVELS = 4;

export interface SectionHeat {
  section: string;
  title: string;
  open: number;
  total: number;
  supports: number;
  opposes: number;
  /** 0 for no open threads, else 1…HEAT_LEVELS relative to the section with the most. */
  heat: number;
}

/**
 * Open threads, all threads and stated positions (in every visible comment of every thread, open or closed) per
 * section, in the draft's order of sections with threads on removed text last. `sections` are the draft's level-2
 * sections in order with their headings, so a section without threads shows too.
 */
export function sectionOverview(rows: readonly BoardRow[], sections: readonly { section: string; title: string }[]): SectionHeat[] {
  const overview = new Map<string, SectionHeat>();
  const entry = (section: string, title: string) => {
    let heat = overview.get(section);
    if (!heat) {
      heat = { section, title, open: 0, total: 0, supports: 0, opposes: 0, heat: 0 };
      overview.set(section, heat);
    }
    return heat;
  };
  for (const { section, title } of sections) entry(section, title);
  for (const row of rows) {
    const heat = entry(row.section, "");
    heat.total += 1;
    if (row.status === "open") heat.open += 1;
    heat.supports += row.supports;
    heat.opposes += row.opposes;
  }
  const result = [...overview.values()].filter((heat) => heat.section !== START_SECTION || heat.total > 0);
  const order = (section: string) => (section === START_SECTION ? -1 : section === REMOVED_SECTION ? Number.MAX_SAFE_INTEGER : Number(section));
  result.sort((a, b) => order(a.section) - order(b.section));
  const most = Math.max(0, ...result.map((heat) => heat.open));
  for (const heat of result) heat.heat = heat.open === 0 ? 0 : Math.ceil((heat.open / most) * HEAT_LEVELS);
  return result;
}
