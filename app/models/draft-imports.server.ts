/**
 * A new draft from a Word or Markdown file in two steps (decision 0033): the file is converted and kept on the server
 * for the session that sent it, its importer reads what the import could not keep and confirms, and only then is the
 * draft created. The file is sent once.
 */
import type { Kysely } from "kysely";
import { importDraftFile, importMarkdown, importWord, type ImportedDraft } from "#app/drafts/import.server";
import { DraftImportError, type ImportErrorCode, type ImportReport } from "#app/drafts/import-report";
import {
  DRAFT_OUTLINE_MAX_HEADINGS,
  type DraftFieldErrors,
  type DraftImportReview,
  type OutlineHeading,
} from "#app/drafts/types";
import type { ContentNode } from "#app/editor/content";
import { deleteDraftImport, deleteDraftImportsBefore, findDraftImport, insertDraftImport } from "#db/repositories/draft-imports";
import type { Database, DraftImportRow, JsonObject } from "#db/schema";
import { can } from "./authorization.server";
import { checkDraftSource, createDraft, suggestDraftSlug, takenDraftFields, titleOfContent, validateDraft, type CreateDraftResult } from "./drafts.server";
import type { CurrentSession } from "./sessions.server";

/** How long a converted file waits for its confirmation: long enough to read the report, short enough to keep few. */
export const DRAFT_IMPORT_LIFETIME_MS = 60 * 60 * 1000;

/** The form's fields as typed. */
export type DraftFormFields = Partial<Record<"title" | "slug" | "language" | "contributionLicence" | "source", string>>;

export type PrepareDraftImportResult =
  /** Converted and kept: `title` and `slug` are the ones to propose, `fieldErrors` what is already wrong with them. */
  | { ok: true; review: DraftImportReview; title: string; slug: string; fieldErrors: DraftFieldErrors }
  | { ok: false; error: "not-allowed" }
  /** `importError` when the file itself was refused (shown at the file field); nothing is kept. */
  | { ok: false; error: "invalid-input"; fieldErrors: DraftFieldErrors; importError?: ImportErrorCode };

/** Whether the form asks to start from a file: a chosen file source, or a file chosen with "empty" left ticked. */
export function startsFromFile(source: string | undefined, file: File | undefined): boolean {
  return (source !== undefined && source !== "empty") || (file !== undefined && file.size > 0);
}

/**
 * Converts the file and keeps it for this session, unless the file or the language and licence are refused. An empty
 * title is the file's own (its first level-1 heading, else its name), an empty slug is made from the title; a taken or
 * invalid title or slug is reported with the review, to be mended before confirming.
 */
export async function prepareDraftImport(
  deps: { db: Kysely<Database> },
  input: { fields: DraftFormFields; file: File | undefined; createdBy: CurrentSession },
  now: Date = new Date(),
): Promise<PrepareDraftImportResult> {
  const { fields, file, createdBy } = input;
  if (!can(createdBy.role, "create-draft")) return { ok: false, error: "not-allowed" };
  const source = fields.source === "empty" ? undefined : fields.source;
  const sourceErrors = checkDraftSource(source, file);
  const otherErrors = fieldErrorsBesidesNames(fields);
  if (!file || Object.keys(sourceErrors).length > 0 || Object.keys(otherErrors).length > 0) {
    return { ok: false, error: "invalid-input", fieldErrors: { ...otherErrors, ...sourceErrors } };
  }
  let imported: ImportedDraft;
  try {
    imported = await convert(source, file);
  } catch (error) {
    if (!(error instanceof DraftImportError)) throw error;
    return { ok: false, error: "invalid-input", fieldErrors: {}, importError: error.code };
  }
  const title = fields.title?.trim() || titleOfContent(imported.content) || file.name.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "");
  const slug = fields.slug?.trim() || suggestDraftSlug(title);
  await deleteDraftImportsBefore(deps.db, new Date(now.getTime() - DRAFT_IMPORT_LIFETIME_MS));
  const row = await insertDraftImport(deps.db, {
    sessionId: createdBy.session.id,
    fileName: file.name,
    content: imported.content as unknown as JsonObject,
    report: imported.report as unknown as JsonObject,
  });
  return { ok: true, review: reviewOf(row), title, slug, fieldErrors: await nameErrors(deps.db, { ...fields, title, slug }) };
}

export type ConfirmDraftImportResult =
  | { ok: true; document: Extract<CreateDraftResult, { ok: true }>["document"] }
  | { ok: false; error: "not-allowed" }
  /** With the review to show again when the converted file is still kept; without it, the file must be chosen again. */
  | { ok: false; error: "invalid-input"; fieldErrors: DraftFieldErrors; review?: DraftImportReview };

/** Creates the draft from the converted file `importId` kept for this session, with the fields as confirmed. */
export async function confirmDraftImport(
  deps: { db: Kysely<Database> },
  input: { importId: string; fields: DraftFormFields; createdBy: CurrentSession },
  now: Date = new Date(),
): Promise<ConfirmDraftImportResult> {
  const { importId, fields, createdBy } = input;
  if (!can(createdBy.role, "create-draft")) return { ok: false, error: "not-allowed" };
  const row = await findDraftImport(deps.db, importId, createdBy.session.id, new Date(now.getTime() - DRAFT_IMPORT_LIFETIME_MS));
  if (!row) return { ok: false, error: "invalid-input", fieldErrors: { file: "import-expired" } };
  const created = await createDraft(deps, {
    title: fields.title ?? "",
    slug: fields.slug,
    language: fields.language ?? "",
    contributionLicence: fields.contributionLicence ?? "",
    content: row.content as unknown as ContentNode,
    createdBy,
  });
  if (!created.ok) return created.error === "not-allowed" ? created : { ...created, review: reviewOf(row) };
  await deleteDraftImport(deps.db, row.id, createdBy.session.id);
  return created;
}

/** Forgets the converted file, when its importer chooses another. */
export async function discardDraftImport(deps: { db: Kysely<Database> }, importId: string, createdBy: CurrentSession): Promise<void> {
  await deleteDraftImport(deps.db, importId, createdBy.session.id);
}

/** The chosen kind of file, or by the file's name when "empty" was left ticked. */
async function convert(source: string | undefined, file: File): Promise<ImportedDraft> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (source === "markdown") return importMarkdown(bytes);
  if (source === "word") return importWord(bytes);
  return importDraftFile(file.name, bytes);
}

/** What is wrong with the language and licence, which the review step does not show again. */
function fieldErrorsBesidesNames(fields: DraftFormFields): DraftFieldErrors {
  // Stand-ins for the title and slug, which may be left empty here and are checked with the review.
  const valid = validateDraft({ ...fields, title: "x", slug: "x" });
  return valid.ok ? {} : valid.fieldErrors;
}

async function nameErrors(db: Kysely<Database>, fields: DraftFormFields & { title: string; slug: string }): Promise<DraftFieldErrors> {
  const valid = validateDraft(fields);
  const invalid = valid.ok ? {} : valid.fieldErrors;
  return { ...(await takenDraftFields(db, { title: fields.title, slug: fields.slug })), ...invalid };
}

function reviewOf(row: DraftImportRow): DraftImportReview {
  const content = row.content as unknown as ContentNode;
  const blocks = content.content ?? [];
  const headings: OutlineHeading[] = blocks
    .filter((block) => block.type === "heading")
    .map((block) => ({ level: Number(block.attrs?.level), text: (block.content ?? []).map((node) => node.text ?? " ").join("").trim() }));
  return {
    id: row.id,
    fileName: row.file_name,
    report: row.report as unknown as ImportReport,
    blockCount: blocks.length,
    headings: headings.slice(0, DRAFT_OUTLINE_MAX_HEADINGS),
    moreHeadings: headings.length > DRAFT_OUTLINE_MAX_HEADINGS,
  };
}
