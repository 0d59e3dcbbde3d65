import { z } from "zod";
import { DocumentIndex, type StoredAnchor } from "#app/comments/anchoring";
import { OUTCOMES } from "#app/comments/types";
import {
  boardStatusOf,
  pageOfRows,
  parseBoardQuery,
  sectionOf,
  sectionOverview,
  selectRows,
  type BoardQuery,
  type BoardRow,
  type SectionHeat,
} from "#app/feedback/board";
import type { IncorporatedThread } from "#app/feedback/types";
import { setThreadOutcome, type CommentRecord, type ThreadRecord } from "#db/repositories/comments";
import { isDocumentArchived } from "#db/repositories/documents";
import { listVersions } from "#db/repositories/versions";
import { can } from "./authorization.server";
import { type CommentDeps } from "./comments/commands.server";
import { responseSchema } from "./comments/fields.server";
import { isRemovedThread, type StoredThreads } from "./comments/threads.server";
import { changeThreads } from "./comments/changes.server";
import { readingOf } from "./document-reading.server";
import type { CurrentSession } from "./sessions.server";
import { excerpt } from "./thread-reviews.server";

/** A row as the page gets it: without the search text, which only the server needs. */
export type BoardRowView = Omit<BoardRow, "searchText">;

export interface FeedbackBoard {
  query: BoardQuery;
  rows: BoardRowView[];
  /** Threads on the board at all, and those the filters select. */
  total: number;
  selected: number;
  page: number;
  pages: number;
  overview: SectionHeat[];
  /** The choices of the filters: only values some thread has. */
  options: { organisations: string[]; versions: number[]; workshops: { slug: string; title: string }[] };
}

/**
 * The triage board of a document: every thread as a row (except those whose every comment was deleted: nothing is
 * left to handle), filtered, searched and sorted as the query string asks, a page at a time, with the per-section
 * overview of all threads. One pass over the stored threads, on the draft's shared reading.
 */
export async function loadFeedbackBoard(
  deps: Pick<CommentDeps, "db" | "readDocument" | "commentCache">,
  documentId: string,
  params: URLSearchParams,
): Promise<FeedbackBoard> {
  const query = parseBoardQuery(params);
  const [stored, versions] = await Promise.all([deps.commentCache.read(documentId), listVersions(deps.db, documentId)]);
  const workshopOfVersion = new Map(
    versions.flatMap((version) =>
      version.workshop_slug && version.workshop_title ? [[version.number, { slug: version.workshop_slug, title: version.workshop_title }] as const] : [],
    ),
  );
  const { located, references, sections } = await deps.readDocument(documentId, (doc) => {
    const reading = readingOf(doc, stored);
    const headings = DocumentIndex.of(doc).blocks.flatMap((block) => {
      const reference = reading.references.get(block.id);
      const isSection = block.type === "heading" && reference?.paragraph === null && reference.section !== null && !reference.section.includes(".");
      return isSection ? [{ section: reference.section ?? "", title: block.text }] : [];
    });
    return { located: reading.located, references: reading.references, sections: headings };
  });

  const rows: BoardRow[] = [];
  located.forEach(({ record, anchor, resolution }, place) => {
    if (isRemovedThread(stored, record.id)) return;
    const reference = resolution.state === "removed" ? null : (references.get(resolution.blockId) ?? null);
    rows.push(toRow(stored, record, anchor, reference, place, workshopOfVersion.get(record.version_number ?? 0) ?? null));
  });

  const selected = selectRows(rows, query);
  const shown = pageOfRows(selected, query.page);
  return {
    query,
    rows: shown.rows.map(({ searchText: _searchText, ...row }) => row),
    total: rows.length,
    selected: selected.length,
    page: shown.page,
    pages: shown.pages,
    overview: sectionOverview(rows, sections),
    options: {
      organisations: [...new Set(rows.map((row) => row.authorOrganisation).filter(Boolean))].sort((a, b) => a.localeCompare(b, "sv")),
      versions: versions.map((version) => version.number),
      workshops: [...new Map([...workshopOfVersion.values()].map((workshop) => [workshop.slug, workshop])).values()],
    },
  };
}

function toRow(
  stored: StoredThreads,
  record: ThreadRecord,
  anchor: StoredAnchor,
  reference: BoardRow["reference"],
  place: number,
  workshop: BoardRow["workshop"],
): BoardRow {
  const visible = visibleComments(stored, record.id);
  const quote = anchor.passage?.quote.exact ?? anchor.blockText;
  return {
    id: record.id,
    kind: record.kind,
    place,
    section: sectionOf(reference),
    reference,
    quote: excerpt(quote),
    authorName: record.author_name,
    authorOrganisation: record.author_organisation,
    versionNumber: record.version_number,
    workshop,
    status: boardStatusOf(record),
    replies: Math.max(0, visible.length - 1),
    createdAt: record.created_at.toISOString(),
    incorporatedIn: record.incorporated_in,
    supports: visible.filter((comment) => comment.position === "supports").length,
    opposes: visible.filter((comment) => comment.position === "opposes").length,
    searchText: [quote, record.suggested_text ?? "", ...visible.flatMap(commentSearchText)].join("\n").toLowerCase(),
  };
}

/** A thread's comments that everyone may read: neither deleted by their author nor hidden by a moderator. */
export function visibleComments(stored: StoredThreads, threadId: string): CommentRecord[] {
  return (stored.commentsByThread.get(threadId) ?? []).filter((comment) => !comment.deleted_at && !comment.hidden_at);
}

/** What the text search finds a visible comment by: its text, its author's name and organisation. */
export function commentSearchText(comment: CommentRecord): string[] {
  return [comment.body, comment.author_name, comment.author_organisation];
}

// ---- Changing the status of many threads at once ----

/** The bulk form's choices: an outcome (with a public response), or reopening. */
export const BULK_STATUSES = [...OUTCOMES, "reopen"] as const;
/** More than a page of the board at once is not something the form sends. */
const MOST_THREADS_AT_ONCE = 1000;

const threadIdsSchema = z.preprocess(
  (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string().min(1).max(64)).min(1, "no-threads").max(MOST_THREADS_AT_ONCE, "invalid"),
);

const bulkSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("reopen"), threadId: threadIdsSchema }),
  z.object({ status: z.enum(OUTCOMES), threadId: threadIdsSchema, response: responseSchema }),
]);

export type BulkError = "not-allowed" | "archived" | "no-threads" | "no-status" | "required" | "too-long" | "invalid" | "thread-not-found" | "control-characters";
export type BulkStatusResult =
  | { ok: true; status: (typeof BULK_STATUSES)[number]; count: number }
  | { ok: false; error: BulkError; field: "threadId" | "response" | "status" | null };

/**
 * Closes the chosen threads with one outcome and one public response, or reopens them. Editors and admins only;
 * every thread must belong to the document. Each changed thread's author hears of it as of a decision on the
 * document page, its readers are told, and the whole change is one entry in the audit log.
 */
export async function setThreadsStatus(
  deps: Pick<CommentDeps, "db" | "commentCache" | "commentEvents" | "mailer" | "publicUrl">,
  actor: CurrentSession,
  documentId: string,
  fields: Record<string, unknown>,
  context: { ip?: string | null; at?: Date } = {},
): Promise<BulkStatusResult> {
  if (!can(actor.role, "resolve-threads")) return { ok: false, error: "not-allowed", field: null };
  if (await isDocumentArchived(deps.db, documentId)) return { ok: false, error: "archived", field: null };
  const parsed = bulkSchema.safeParse({ response: "", ...fields });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0];
    const message = issue?.message;
    const error: BulkError =
      field === "status" ? "no-status" : message === "required" || message === "too-long" || message === "no-threads" ? message : "invalid";
    return { ok: false, error, field: field === "threadId" || field === "response" || field === "status" ? field : null };
  }
  const command = parsed.data;
  const stored = await deps.commentCache.read(documentId);
  const threads = new Map(stored.threads.map((thread) => [thread.id, thread]));
  const chosen = [...new Set(command.threadId)].map((id) => threads.get(id));
  if (chosen.some((thread) => thread === undefined)) return { ok: false, error: "thread-not-found", field: "threadId" };
  // Reopening an open thread changes nothing: it is neither written nor announced.
  const changing = (chosen as ThreadRecord[]).filter((thread) => command.status !== "reopen" || thread.status !== "open");
  const change = command.status === "reopen" ? null : { outcome: command.status, response: command.response };
  const at = context.at ?? new Date();
  if (changing.length > 0) {
    await changeThreads(deps, { documentId, actorId: actor.user.id, ip: context.ip, at }, async (trx, changes) => {
      for (const thread of changing) {
        await setThreadOutcome(trx, thread.id, change, actor.user.id, at);
        changes.thread(thread.id, "status");
      }
      changes.audit({
        action: "threads.status-changed",
        subject: documentId,
        details: { status: command.status, ...(change ? { response: change.response } : {}), threads: changing.map((thread) => thread.id) },
      });
    });
  }
  return { ok: true, status: command.status, count: changing.length };
}

// ---- Incorporated feedback, per version ----

/** The threads each version incorporated (accepted since the version before it), by version number, in the order they were started. */
export function incorporatedByVersion(stored: StoredThreads): Record<number, IncorporatedThread[]> {
  const byVersion: Record<number, IncorporatedThread[]> = {};
  for (const record of stored.threads) {
    if (record.incorporated_in === null || (record.outcome !== "accepted" && record.outcome !== "partly-accepted")) continue;
    if (isRemovedThread(stored, record.id)) continue;
    const anchor = record.anchor;
    (byVersion[record.incorporated_in] ??= []).push({
      id: record.id,
      quote: excerpt(anchor.passage?.quote.exact ?? anchor.blockText),
      authorName: record.author_name,
      authorOrganisation: record.author_organisation,
      outcome: record.outcome,
    });
  }
  return byVersion;
}
