/**
 * What an import of a Word or Markdown file could not keep as it was, shown before the draft is created, and the
 * reasons an import is refused. Shared by the server and the pages (no server-only imports here).
 */
import type { Translate } from "#app/i18n/i18n";

/** The largest file an import takes: a draft's text is far smaller; what is bigger is mostly images, which go anyway. */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

/** The most a Word file's parts may hold once unpacked: far beyond any draft's text, far below what exhausts memory. */
export const IMPORT_MAX_UNPACKED_BYTES = 50 * 1024 * 1024;

/** One kind of thing the import left out or changed, with how many there were. */
export type ImportNote =
  | { kind: "images" | "comments" | "trackedChanges" | "tables" | "footnotes" | "linksAsText" | "otherContent"; count: number }
  | { kind: "unknownStyles"; names: string[] };

export interface ImportReport {
  /** In the order the kinds are listed in ImportNote; empty when everything was kept. */
  notes: ImportNote[];
}

/** Why an import was refused; nothing is created. */
export type ImportErrorCode = "not-a-document" | "encrypted" | "too-large" | "unpacked-too-large" | "empty" | "only-images" | "too-deep";

export class DraftImportError extends Error {
  constructor(readonly code: ImportErrorCode) {
    super(`Draft import refused: ${code}`);
    this.name = "DraftImportError";
  }
}

/** A note of the report as a sentence in `t`'s language. */
export function describeImportNote(note: ImportNote, t: Translate): string {
  return note.kind === "unknownStyles"
    ? t("draftImport.notes.unknownStyles", { count: note.names.length, names: note.names.join(", ") })
    : t(`draftImport.notes.${note.kind}`, { count: note.count });
}

/** The message for a refused import in `t`'s language. */
export function describeImportError(code: ImportErrorCode, t: Translate): string {
  const megabytes = (code === "unpacked-too-large" ? IMPORT_MAX_UNPACKED_BYTES : IMPORT_MAX_BYTES) / (1024 * 1024);
  return t(`draftImport.errors.${code}`, { limit: `${megabytes} MB` });
}
