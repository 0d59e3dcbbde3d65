/** Shared by the server's draft rules and the pages (which may not import *.server modules). */
import type { ImportReport } from "./import-report";

export const DRAFT_TITLE_MAX_LENGTH = 200;
export const DRAFT_SLUG_MAX_LENGTH = 80;
/** The largest Word or Markdown file a draft may start from; the form says so, and the server's body limit allows it. */
export { IMPORT_MAX_BYTES as DRAFT_SOURCE_MAX_BYTES } from "./import-report";

/** What a new draft starts from. */
export const DRAFT_SOURCES = ["empty", "word", "markdown"] as const;
export type DraftSource = (typeof DRAFT_SOURCES)[number];

export const DRAFT_FIELDS = ["title", "slug", "language", "contributionLicence", "source", "file"] as const;
export type DraftField = (typeof DRAFT_FIELDS)[number];

export function isDraftField(name: string): name is DraftField {
  return (DRAFT_FIELDS as readonly string[]).includes(name);
}

export const DRAFT_ERROR_CODES = [
  "required",
  "control-characters",
  "too-long",
  "invalid",
  "invalid-slug",
  "slug-taken",
  "title-taken",
  // The converted file waiting for confirmation is gone: too old, or its draft was already created.
  "import-expired",
  "file-required",
  "file-too-large",
] as const;
export type DraftErrorCode = (typeof DRAFT_ERROR_CODES)[number];
export type DraftFieldErrors = Partial<Record<DraftField, DraftErrorCode>>;

/** The form as typed, to show again when it is refused. */
export type DraftFormValues = Partial<Record<Exclude<DraftField, "file">, string>>;

export type DraftError = { ok: false; error: "not-allowed" } | { ok: false; error: "invalid-input"; fieldErrors: DraftFieldErrors };

/** A heading of a converted file, as the review before creating the draft lists it. */
export interface OutlineHeading {
  level: number;
  text: string;
}

/** A converted Word or Markdown file as its importer reviews it before the draft is created. */
export interface DraftImportReview {
  /** The form's reference to the converted text kept on the server. */
  id: string;
  fileName: string;
  report: ImportReport;
  /** How many top-level blocks (headings, paragraphs, lists, quotes…) the draft will start with. */
  blockCount: number;
  /** The headings, in order, the first DRAFT_OUTLINE_MAX_HEADINGS of them. */
  headings: OutlineHeading[];
  /** Whether the file has more headings than those listed. */
  moreHeadings: boolean;
}

export const DRAFT_OUTLINE_MAX_HEADINGS = 40;

/** Why an admin's archive, unarchive or delete was refused. */
export type DraftAdminError = "not-allowed" | "not-found" | "not-empty" | "not-confirmed" | "already-archived" | "not-archived" | "not-archived-yet";

/** The state a draft's listing shows. */
export type DraftState = "open" | "closed" | "archived";
