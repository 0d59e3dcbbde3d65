import type { Kysely } from "kysely";
import * as Y from "yjs";
import { z } from "zod";
import { importDraftFile, type ImportedDraft } from "#app/drafts/import.server";
import { DraftImportError, type ImportErrorCode, type ImportReport } from "#app/drafts/import-report";
import { writeContentToYDoc, type ContentNode } from "#app/editor/content";
import { shortenSlug, slugWords } from "#app/input/slugs";
import { hasControlCharacters } from "#app/input/text";
import { lockUntilCommit } from "#db/locks";
import { appendUpdates } from "#db/repositories/document-state";
import { findDocumentBySlug, findDocumentByTitle, insertDocument } from "#db/repositories/documents";
import type { Database, DocumentRow } from "#db/schema";
import { recordAudit } from "./audit.server";

export const DRAFT_SLUG_MAX_LENGTH = 80;
export const DRAFT_TITLE_MAX_LENGTH = 200;

/** Lower-case ASCII letters and digits in words joined by single hyphens: safe in a URL as it is. */
const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const newDraftSchema = z.object({
  title: z
    .string()
    .trim()
    .min(1)
    .max(DRAFT_TITLE_MAX_LENGTH)
    .refine((title) => !hasControlCharacters(title)),
  slug: z.string().max(DRAFT_SLUG_MAX_LENGTH).regex(SLUG_PATTERN),
  // BCP 47, as the documents table keeps it ("sv", "en", "sv-FI").
  language: z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/),
});

/** Where a new draft came from, for the audit log: as createUserFromCli, "command-line" when no one signed in made it. */
export type DraftSource = "command-line" | "web";

export type CreateDraftError = "invalid-title" | "invalid-slug" | "invalid-language" | "slug-taken" | "title-taken";
export type CreateDraftResult = { ok: true; document: DocumentRow } | { ok: false; error: CreateDraftError };

/**
 * A new draft with `content` as its text, in the default space: the document row and the draft's first Yjs update,
 * in one transaction, as the seed makes its draft. Refused, with nothing created, when the slug or the title (in any
 * case) is another draft's. The content is checked against the editor's schema before anything is written.
 */
export async function createDraftFromContent(
  db: Kysely<Database>,
  input: { title: string; slug: string; language: string; content: ContentNode; createdBy?: string | null; via: DraftSource },
): Promise<CreateDraftResult> {
  const parsed = newDraftSchema.safeParse(input);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    return { ok: false, error: field === "slug" ? "invalid-slug" : field === "language" ? "invalid-language" : "invalid-title" };
  }
  const { title, slug, language } = parsed.data;
  const doc = new Y.Doc();
  try {
    writeContentToYDoc(input.content, doc);
    const update = Y.encodeStateAsUpdateV2(doc);
    return await db.transaction().execute(async (trx): Promise<CreateDraftResult> => {
      // Two drafts created at once with one title must not both find it free.
      await lockUntilCommit(trx, "samrad-new-draft");
      if (await findDocumentBySlug(trx, slug)) return { ok: false, error: "slug-taken" };
      if (await findDocumentByTitle(trx, title)) return { ok: false, error: "title-taken" };
      const document = await insertDocument(trx, { slug, title, language });
      await appendUpdates(trx, document.id, [update]);
      await recordAudit(trx, { actorUserId: input.createdBy ?? null, action: "document.created", subject: document.id, details: { slug, via: input.via } });
      return { ok: true, document };
    });
  } finally {
    doc.destroy();
  }
}

/** A slug for `title`: its words in lower-case ASCII, at most DRAFT_SLUG_MAX_LENGTH long. */
export function draftSlug(title: string): string {
  return shortenSlug(slugWords(title), DRAFT_SLUG_MAX_LENGTH);
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
  | { ok: false; error: CreateDraftError; report: ImportReport; title: string; slug: string };

/**
 * A new draft from a Word or Markdown file (see #app/drafts/import.server). The title is the one given, else the
 * file's own title (its first heading of level 1), else the file's name; the slug is the one given, else made from
 * the title. A file that cannot be imported creates nothing.
 */
export async function importDraft(
  db: Kysely<Database>,
  input: { fileName: string; bytes: Uint8Array; title?: string; slug?: string; language: string; createdBy?: string | null; via: DraftSource },
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
  const slug = input.slug ?? draftSlug(title);
  const created = await createDraftFromContent(db, {
    title,
    slug,
    language: input.language,
    content,
    createdBy: input.createdBy,
    via: input.via,
  });
  return created.ok ? { ok: true, document: created.document, report } : { ok: false, error: created.error, report, title, slug };
}
