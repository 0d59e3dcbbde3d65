import type { Kysely } from "kysely";
import { z } from "zod";
import { UNCERTAIN_OUTCOMES } from "#app/versions/carry-forward";
import { isDocumentArchived } from "#db/repositories/documents";
import { findVersion, listThreadReviews, markThreadReviewed } from "#db/repositories/versions";
import type { Database, ThreadReviewOutcome } from "#db/schema";
import { can } from "./authorization.server";
import { type CommentDeps } from "./comments/commands.server";
import { readingOf } from "./document-reading.server";
import { parseVersionNumber } from "#app/input/numbers";
import type { CurrentSession } from "./sessions.server";

/** Longest excerpt of a comment or a block shown in the review list. */
const EXCERPT_LENGTH = 280;

export interface ReviewItem {
  threadId: string;
  outcome: ThreadReviewOutcome;
  /** The passage commented on, or the start of the block for a thread on a whole block. */
  quote: string;
  /** Where the thread is now ("3.2 ¶2"), null when its text is gone from the draft. */
  referenceNow: { section: string | null; paragraph: number | null } | null;
  firstComment: { authorName: string; authorOrganisation: string; excerpt: string } | null;
  status: "open" | "resolved";
  reviewed: { byName: string; at: string } | null;
}

export interface ReviewGroup {
  versionNumber: number;
  items: ReviewItem[];
}

/**
 * The threads whose text changed or went when a version was frozen, per version, newest first: what editors check
 * so that no feedback is silently lost on the way to the next version. Threads whose text was unchanged or only
 * moved are not listed.
 */
export async function loadReviewList(deps: Pick<CommentDeps, "readDocument" | "commentCache" | "db">, documentId: string): Promise<ReviewGroup[]> {
  const [reviews, stored] = await Promise.all([listThreadReviews(deps.db, documentId), deps.commentCache.read(documentId)]);
  const reading = await deps.readDocument(documentId, (doc) => readingOf(doc, stored));
  const located = new Map(reading.located.map((thread) => [thread.record.id, thread]));
  const groups = new Map<number, ReviewItem[]>();
  for (const review of reviews) {
    if (!UNCERTAIN_OUTCOMES.includes(review.outcome)) continue;
    const thread = located.get(review.thread_id);
    if (!thread) continue;
    const first = stored.commentsByThread.get(thread.record.id)?.[0];
    const visible = first && !first.deleted_at && !first.hidden_at ? first : null;
    const { resolution, anchor } = thread;
    const items = groups.get(review.version_number) ?? [];
    items.push({
      threadId: thread.record.id,
      outcome: review.outcome,
      quote: excerpt(anchor.passage?.quote.exact ?? anchor.blockText),
      referenceNow: resolution.state === "removed" ? null : (reading.references.get(resolution.blockId) ?? null),
      firstComment: visible ? { authorName: visible.author_name, authorOrganisation: visible.author_organisation, excerpt: excerpt(visible.body) } : null,
      status: thread.record.status,
      reviewed: review.reviewed_at ? { byName: review.reviewed_by_name ?? "", at: review.reviewed_at.toISOString() } : null,
    });
    groups.set(review.version_number, items);
  }
  return [...groups].map(([versionNumber, items]) => ({
    versionNumber,
    // Waiting ones first; within each, in document order.
    items: items.sort((a, b) => Number(a.reviewed !== null) - Number(b.reviewed !== null)),
  }));
}


const reviewSchema = z.object({ threadId: z.string().uuid(), versionNumber: z.string().transform(parseVersionNumber).pipe(z.number()) });

export type ReviewResult = { ok: true } | { ok: false; error: "not-allowed" | "archived" | "invalid" | "not-found" };

/** An editor has looked at how a thread fared in a version (and answered or resolved it as needed). */
export async function markReviewed(
  deps: Pick<CommentDeps, "db" | "commentCache">,
  actor: CurrentSession,
  documentId: string,
  fields: Record<string, unknown>,
  at: Date = new Date(),
): Promise<ReviewResult> {
  if (!can(actor.role, "resolve-threads")) return { ok: false, error: "not-allowed" };
  // An archived draft's threads stay as they were left (decision 0033).
  if (await isDocumentArchived(deps.db, documentId)) return { ok: false, error: "archived" };
  const parsed = reviewSchema.safeParse(fields);
  if (!parsed.success) return { ok: false, error: "invalid" };
  const version = await findVersion(deps.db, documentId, parsed.data.versionNumber);
  if (!version) return { ok: false, error: "not-found" };
  const marked = await markThreadReviewed(deps.db, parsed.data.threadId, version.id, actor.user.id, at);
  return marked ? { ok: true } : { ok: false, error: "not-found" };
}

/** How many threads wait for an editor's review (the versions page links to the list). */
export async function countWaitingReviews(db: Kysely<Database>, documentId: string): Promise<number> {
  const reviews = await listThreadReviews(db, documentId);
  return reviews.filter((review) => review.reviewed_at === null && UNCERTAIN_OUTCOMES.includes(review.outcome)).length;
}

/** The start of a long text, cut at EXCERPT_LENGTH with an ellipsis. */
export function excerpt(text: string): string {
  return text.length <= EXCERPT_LENGTH ? text : `${text.slice(0, EXCERPT_LENGTH - 1).trimEnd()}…`;
}
