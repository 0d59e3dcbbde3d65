import type { Kysely } from "kysely";
import * as Y from "yjs";
import { z } from "zod";
import { CONTRIBUTION_LICENCE_IDS } from "#app/comments/licences";
import {
  DRAFT_ERROR_CODES,
  DRAFT_SLUG_MAX_LENGTH,
  DRAFT_SOURCE_MAX_BYTES,
  DRAFT_SOURCES,
  DRAFT_TITLE_MAX_LENGTH,
  type DraftAdminError,
  type DraftError,
  type DraftErrorCode,
  type DraftField,
  type DraftFieldErrors,
} from "#app/drafts/types";
import { importDraftFile, type ImportedDraft } from "#app/drafts/import.server";
import { DraftImportError, type ImportErrorCode, type ImportReport } from "#app/drafts/import-report";
import { writeContentToYDoc, type ContentNode } from "#app/editor/content";
import { newBlockId } from "#app/editor/extensions";
import { LOCALES } from "#app/i18n/i18n";
import { isSlug, shortenSlug, slugWords } from "#app/input/slug";
import { inTransaction } from "#db/executor";
import { appendUpdates } from "#db/repositories/document-state";
import {
  countThreadsAndVersions,
  deleteDocumentById,
  findDocumentBySlug,
  findDocumentsNamed,
  insertDocument,
  setDocumentArchivedAt,
} from "#db/repositories/documents";
import type { Database, DocumentRow } from "#db/schema";
import { recordAudit } from "./audit.server";
import { can } from "./authorization.server";
import type { CurrentSession } from "./sessions.server";

/**
 * What lives on a document besides its rows: the collaboration sockets editing it. Archiving tells it once the
 * change is stored, so that no open socket goes on changing an archived draft (decision 0033).
 */
export interface LiveDocuments {
  /** The document was archived (read-only) or unarchived: every open socket of it follows from its next message on. */
  accessChanged(documentId: string, access: { readOnly: boolean }): void;
}

/** "Vägledning om öppna licenser" → "vagledning-om-oppna-licenser": the address the form suggests for a title. */
export function suggestDraftSlug(title: string): string {
  return shortenSlug(slugWords(title), DRAFT_SLUG_MAX_LENGTH);
}

/**
 * The title as the draft's first heading, as the seeded draft begins (the page shows no title of its own), and an
 * empty paragraph for editors to start typing into; every block with the id blocks carry.
 */
export function emptyDraftContent(title: string): ContentNode {
  return {
    type: "doc",
    content: [
      { type: "heading", attrs: { id: newBlockId(), level: 1 }, content: [{ type: "text", text: title }] },
      { type: "paragraph", attrs: { id: newBlockId() } },
    ],
  };
}

const draftSchema = z.object({
  title: z.string().trim().min(1, "required").max(DRAFT_TITLE_MAX_LENGTH, "too-long"),
  // Left empty, the address is made from the title (suggestDraftSlug), so the form needs no script to propose one.
  slug: z.string().trim().max(DRAFT_SLUG_MAX_LENGTH, "too-long").default("").pipe(z.string().min(1, "required").refine(isSlug, "invalid-slug")),
  language: z.enum(LOCALES),
  contributionLicence: z.string().refine((id) => CONTRIBUTION_LICENCE_IDS.includes(id), "invalid"),
});

/** A new draft as asked for: the form's text, checked by createDraft; an empty slug is made from the title. */
export interface NewDraft {
  title: string;
  slug?: string;
  language: string;
  contributionLicence: string;
  /** The text to start from (an imported Word or Markdown file); the title and an empty paragraph when absent. */
  content?: ContentNode;
  createdBy: CurrentSession;
}

/** The first problem of each field, as a code. Rules carry their code as message; anything else is "invalid". */
function fieldErrorsOf(error: z.ZodError): DraftFieldErrors {
  const errors: DraftFieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as DraftField;
    if (errors[field]) continue;
    errors[field] = (DRAFT_ERROR_CODES as readonly string[]).includes(issue.message)
      ? (issue.message as DraftErrorCode)
      : issue.code === "invalid_type" && issue.received === "undefined"
        ? "required"
        : "invalid";
  }
  return errors;
}

/** The form's fields as a new draft's facts, or what is wrong with each field. */
export function validateDraft(fields: Record<string, unknown>): { ok: true; draft: z.output<typeof draftSchema> } | { ok: false; fieldErrors: DraftFieldErrors } {
  const blankSlug = typeof fields.slug !== "string" || fields.slug.trim() === "";
  const parsed = draftSchema.safeParse(blankSlug && typeof fields.title === "string" ? { ...fields, slug: suggestDraftSlug(fields.title) } : fields);
  return parsed.success ? { ok: true, draft: parsed.data } : { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
}

/** What is wrong with the form's "start from" choice and its file, before the file is converted. */
export function checkDraftSource(source: unknown, file: File | undefined): DraftFieldErrors {
  if (source === undefined || source === "empty") return {};
  if (!(DRAFT_SOURCES as readonly unknown[]).includes(source)) return { source: "invalid" };
  if (!file || file.size === 0) return { file: "file-required" };
  if (file.size > DRAFT_SOURCE_MAX_BYTES) return { file: "file-too-large" };
  return {};
}

/** The fields whose title or slug another draft has, whatever its case; empty when both are free. */
export async function takenDraftFields(db: Kysely<Database>, wanted: { slug: string; title: string }): Promise<DraftFieldErrors> {
  return takenFields(await findDocumentsNamed(db, wanted), wanted) ?? {};
}

export type CreateDraftResult = { ok: true; document: DocumentRow } | DraftError;

/**
 * A new draft with its own address, title and contribution licence, holding `content` (ProseMirror JSON whose blocks
 * carry ids, as the Word and Markdown importers give it) or, without it, the title as a heading and an empty paragraph. A slug or title another
 * draft has, whatever its case, is refused at its field. The text is stored as the draft's first update, in the same
 * transaction as its row and the audit record.
 */
export async function createDraft(
  deps: { db: Kysely<Database> },
  input: NewDraft,
): Promise<CreateDraftResult> {
  const { createdBy } = input;
  if (!can(createdBy.role, "create-draft")) return { ok: false, error: "not-allowed" };
  const valid = validateDraft({ title: input.title, slug: input.slug, language: input.language, contributionLicence: input.contributionLicence });
  if (!valid.ok) return { ok: false, error: "invalid-input", fieldErrors: valid.fieldErrors };
  return insertDraft(deps.db, valid.draft, input.content ?? emptyDraftContent(valid.draft.title), { actorUserId: createdBy.user.id, via: "web" });
}

/**
 * Stores a new draft whose facts are valid: its row, its text as the first update and the audit record in one
 * transaction. A slug or title another draft has, whatever its case, is refused at its field, and nothing is stored.
 */
async function insertDraft(
  db: Kysely<Database>,
  draft: z.output<typeof draftSchema>,
  content: ContentNode,
  origin: { actorUserId: string | null; via: "web" | "command-line" },
): Promise<CreateDraftResult> {
  const { title, slug, language, contributionLicence } = draft;
  const update = draftUpdate(content);
  const refusedAsTaken = async (executor: Kysely<Database>): Promise<CreateDraftResult | null> => {
    const taken = takenFields(await findDocumentsNamed(executor, { slug, title }), { slug, title });
    return taken ? { ok: false, error: "invalid-input", fieldErrors: taken } : null;
  };
  try {
    return await inTransaction(db, async (trx): Promise<CreateDraftResult> => {
      const refused = await refusedAsTaken(trx);
      if (refused) return refused;
      const document = await insertDocument(trx, { slug, title, language, contribution_licence: contributionLicence });
      await appendUpdates(trx, document.id, [update]);
      await recordAudit(trx, { actorUserId: origin.actorUserId, action: "draft.created", subject: document.id, details: { slug, title, via: origin.via } });
      return { ok: true, document };
    });
  } catch (error) {
    // Another draft took the slug or title between the check and the insert: the unique indexes refused it.
    if (!isUniqueViolation(error)) throw error;
    return (await refusedAsTaken(db)) ?? { ok: false, error: "invalid-input", fieldErrors: { slug: "slug-taken" } };
  }
}

/** The title of imported content: the text of its first heading of level 1, if it opens with one. */
export function titleOfContent(content: ContentNode): string | null {
  const first = content.content?.[0];
  if (first?.type !== "heading" || Number(first.attrs?.level) !== 1) return null;
  const text = (first.content ?? []).map((node) => node.text ?? (node.type === "hardBreak" ? " " : "")).join("").trim();
  return text === "" ? null : text;
}

export type ImportDraftResult =
  | { ok: true; document: DocumentRow; report: ImportReport }
  | { ok: false; error: "import"; code: ImportErrorCode }
  /** With the title and slug that were tried, which the message names. */
  | { ok: false; error: "invalid-input"; fieldErrors: DraftFieldErrors; report: ImportReport; title: string; slug: string };

/**
 * A new draft from a Word or Markdown file, from the command line (see #app/drafts/import.server). The title is the
 * one given, else the file's own title (its first heading of level 1), else the file's name; the slug is the one
 * given, else made from the title. A file that cannot be imported creates nothing.
 */
export async function importDraft(
  db: Kysely<Database>,
  input: { fileName: string; bytes: Uint8Array; title?: string; slug?: string; language: string; contributionLicence?: string },
): Promise<ImportDraftResult> {
  let imported: ImportedDraft;
  try {
    imported = await importDraftFile(input.fileName, input.bytes);
  } catch (error) {
    if (error instanceof DraftImportError) return { ok: false, error: "import", code: error.code };
    throw error;
  }
  const { content, report } = imported;
  const title = input.title ?? titleOfContent(content) ?? input.fileName.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "");
  const slug = input.slug ?? suggestDraftSlug(title);
  const refused = (fieldErrors: DraftFieldErrors): ImportDraftResult => ({ ok: false, error: "invalid-input", fieldErrors, report, title, slug });
  const valid = validateDraft({ title, slug, language: input.language, contributionLicence: input.contributionLicence ?? CONTRIBUTION_LICENCE_IDS[0] });
  if (!valid.ok) return refused(valid.fieldErrors);
  const created = await insertDraft(db, valid.draft, content, { actorUserId: null, via: "command-line" });
  if (created.ok) return { ok: true, document: created.document, report };
  return refused(created.error === "invalid-input" ? created.fieldErrors : {});
}

/** The draft's first stored update; `content` that does not fit the document schema throws. */
function draftUpdate(content: ContentNode): Uint8Array {
  const doc = new Y.Doc();
  try {
    writeContentToYDoc(content, doc);
    return Y.encodeStateAsUpdateV2(doc);
  } finally {
    doc.destroy();
  }
}

function takenFields(existing: Pick<DocumentRow, "slug" | "title">[], wanted: { slug: string; title: string }): DraftFieldErrors | null {
  const errors: DraftFieldErrors = {};
  for (const document of existing) {
    if (document.slug.toLowerCase() === wanted.slug.toLowerCase()) errors.slug = "slug-taken";
    if (document.title.toLowerCase() === wanted.title.toLowerCase()) errors.title = "title-taken";
  }
  return Object.keys(errors).length > 0 ? errors : null;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "23505";
}

export type DraftAdminResult = { ok: true; document: DocumentRow } | { ok: false; error: DraftAdminError };

/**
 * Archives the draft (`archived` true) or brings it back. An archived draft stays public and readable, but nobody
 * may change it: the comment rules, the versions and the collaboration server refuse (decision 0033).
 */
export async function setDraftArchived(
  deps: { db: Kysely<Database>; liveDocuments: LiveDocuments },
  actor: CurrentSession,
  slug: string,
  archived: boolean,
  at: Date = new Date(),
): Promise<DraftAdminResult> {
  if (!can(actor.role, "manage-drafts")) return { ok: false, error: "not-allowed" };
  const existing = await findDocumentBySlug(deps.db, slug);
  if (!existing) return { ok: false, error: "not-found" };
  if (archived && existing.archived_at) return { ok: false, error: "already-archived" };
  if (!archived && !existing.archived_at) return { ok: false, error: "not-archived" };
  const document = await inTransaction(deps.db, async (trx) => {
    const changed = await setDocumentArchivedAt(trx, existing.id, archived ? at : null);
    await recordAudit(trx, {
      actorUserId: actor.user.id,
      action: archived ? "draft.archived" : "draft.unarchived",
      subject: existing.id,
      details: { slug, title: existing.title },
    });
    return changed;
  });
  deps.liveDocuments.accessChanged(document.id, { readOnly: archived });
  return { ok: true, document };
}

/**
 * Deletes a draft nobody has taken part in: no comment threads and no frozen versions (its text alone is no one's
 * contribution). It must be archived first, so that no editor's change is on its way to the update log as it goes.
 * `confirmed` is the admin's answer to the confirmation the page asks.
 */
export async function deleteEmptyDraft(
  deps: { db: Kysely<Database> },
  actor: CurrentSession,
  slug: string,
  confirmed: boolean,
): Promise<{ ok: true } | { ok: false; error: DraftAdminError }> {
  if (!can(actor.role, "manage-drafts")) return { ok: false, error: "not-allowed" };
  return inTransaction(deps.db, async (trx) => {
    const document = await findDocumentBySlug(trx, slug);
    if (!document) return { ok: false, error: "not-found" };
    if (!document.archived_at) return { ok: false, error: "not-archived-yet" };
    const { threads, versions } = await countThreadsAndVersions(trx, document.id);
    if (threads > 0 || versions > 0) return { ok: false, error: "not-empty" };
    if (!confirmed) return { ok: false, error: "not-confirmed" };
    await deleteDocumentById(trx, document.id);
    await recordAudit(trx, { actorUserId: actor.user.id, action: "draft.deleted", subject: document.id, details: { slug, title: document.title } });
    return { ok: true };
  });
}

/** Whether the draft has no threads and no versions: what an admin may delete. */
export async function isDraftEmpty(db: Kysely<Database>, documentId: string): Promise<boolean> {
  const { threads, versions } = await countThreadsAndVersions(db, documentId);
  return threads === 0 && versions === 0;
}
