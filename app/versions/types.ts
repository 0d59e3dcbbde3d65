/** Shared by the server's version rules and the pages (which may not import *.server modules). */

export const VERSION_NAME_MAX_LENGTH = 100;
export const CHANGE_NOTE_MAX_LENGTH = 2000;

export type FreezeField = "name" | "changeNote" | "workshopId" | "commentsOpen" | "commentsClose";

/** The field of the freeze form a posted name is shown at: the dates and times of a comment window at its own. */
export function freezeField(name: string): FreezeField {
  if (name === "changeNote" || name === "workshopId") return name;
  if (name.startsWith("commentsOpen")) return "commentsOpen";
  if (name.startsWith("commentsClose")) return "commentsClose";
  return "name";
}
export type FreezeError = { ok: false; error: "not-allowed" } | {
  ok: false;
  error: "invalid-input";
  field: FreezeField;
  code: "required" | "too-long" | "invalid" | "name-taken" | "unknown-workshop" | "invalid-time" | "close-before-open" | "control-characters" | "archived";
};

export type ExportFormat = "md" | "html" | "docx";

/** Where a version's file is; kept here, apart from the renderers of the files, which the pages need not load. */
export const versionExportPath = (slug: string, number: number, format: ExportFormat) => `/d/${slug}/v/${number}/export.${format}`;

/** Where the live draft's Word file is. */
export const liveDraftExportPath = (slug: string) => `/d/${slug}/export.docx`;
