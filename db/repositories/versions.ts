import type { DbExecutor } from "#db/executor";
import type { ThreadReviewOutcome } from "#db/schema";

export interface NewVersion {
  documentId: string;
  name: string;
  changeNote: string;
  workshopId: string | null;
  commentsOpenAt: Date | null;
  commentsCloseAt: Date | null;
  state: Uint8Array;
  blocks: unknown;
  createdBy: string;
}

export interface VersionRecord {
  id: string;
  document_id: string;
  number: number;
  name: string;
  change_note: string;
  workshop_id: string | null;
  state: Uint8Array;
  blocks: unknown;
  created_by: string;
  created_at: Date;
  comments_open_at: Date | null;
  comments_close_at: Date | null;
}

/**
 * Stores a version under the next number of its document. Two freezes at once cannot take the same number: the
 * unique constraint refuses the second, which the caller may retry.
 */
export async function insertVersion(db: DbExecutor, version: NewVersion): Promise<VersionRecord> {
  return db
    .insertInto("document_versions")
    .values((eb) => ({
      document_id: version.documentId,
      number: eb
        .selectFrom("document_versions")
        .select((inner) => inner(inner.fn.coalesce(inner.fn.max("number"), inner.lit(0)), "+", inner.lit(1)).as("next"))
        .where("document_id", "=", version.documentId),
      name: version.name,
      change_note: version.changeNote,
      workshop_id: version.workshopId,
      comments_open_at: version.commentsOpenAt,
      comments_close_at: version.commentsCloseAt,
      state: version.state,
      blocks: JSON.stringify(version.blocks),
      created_by: version.createdBy,
    }))
    .returningAll()
    .executeTakeFirstOrThrow() as Promise<VersionRecord>;
}

export async function findVersion(db: DbExecutor, documentId: string, number: number): Promise<VersionRecord | undefined> {
  return db.selectFrom("document_versions").selectAll().where("document_id", "=", documentId).where("number", "=", number).executeTakeFirst() as Promise<
    VersionRecord | undefined
  >;
}

/** When a version was frozen, without its state; undefined for a number the document does not have. */
export async function findVersionCreatedAt(db: DbExecutor, documentId: string, number: number): Promise<Date | undefined> {
  const row = await db
    .selectFrom("document_versions")
    .select("created_at")
    .where("document_id", "=", documentId)
    .where("number", "=", number)
    .executeTakeFirst();
  return row?.created_at;
}

export async function versionNameTaken(db: DbExecutor, documentId: string, name: string): Promise<boolean> {
  const row = await db
    .selectFrom("document_versions")
    .select("id")
    .where("document_id", "=", documentId)
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}

export interface VersionListing {
  id: string;
  number: number;
  name: string;
  change_note: string;
  created_at: Date;
  created_by_name: string;
  workshop_id: string | null;
  workshop_title: string | null;
  workshop_slug: string | null;
  workshop_starts_at: Date | null;
}

/** A document's versions, newest first, with who froze them and the workshop each was presented at. */
export async function listVersions(db: DbExecutor, documentId: string): Promise<VersionListing[]> {
  return db
    .selectFrom("document_versions")
    .innerJoin("users", "users.id", "document_versions.created_by")
    .leftJoin("workshops", "workshops.id", "document_versions.workshop_id")
    .select([
      "document_versions.id",
      "document_versions.number",
      "document_versions.name",
      "document_versions.change_note",
      "document_versions.created_at",
      "users.name as created_by_name",
      "document_versions.workshop_id",
      "workshops.title as workshop_title",
      "workshops.slug as workshop_slug",
      "workshops.starts_at as workshop_starts_at",
    ])
    .where("document_versions.document_id", "=", documentId)
    .orderBy("document_versions.number", "desc")
    .execute();
}

/** The versions presented at a workshop, with their documents, oldest first. */
export async function listVersionsAtWorkshop(
  db: DbExecutor,
  workshopId: string,
): Promise<{ number: number; name: string; document_slug: string; document_title: string; thread_count: number }[]> {
  return db
    .selectFrom("document_versions")
    .innerJoin("documents", "documents.id", "document_versions.document_id")
    .select((eb) => [
      "document_versions.number",
      "document_versions.name",
      "documents.slug as document_slug",
      "documents.title as document_title",
      // The threads started on the draft while it was based on this version: the feedback from around the workshop.
      eb
        .selectFrom("comment_threads")
        .select((inner) => inner.fn.countAll<string>().as("count"))
        .whereRef("comment_threads.document_id", "=", "document_versions.document_id")
        .whereRef("comment_threads.version_number", "=", "document_versions.number")
        .as("thread_count"),
    ])
    .where("document_versions.workshop_id", "=", workshopId)
    .orderBy("document_versions.created_at")
    .execute()
    .then((rows) => rows.map((row) => ({ ...row, thread_count: Number(row.thread_count ?? 0) })));
}

/** The latest version of a document, which the live draft is based on: the facts comments need, without its text. */
export interface CurrentVersionRecord {
  id: string;
  number: number;
  name: string;
  created_at: Date;
  comments_open_at: Date | null;
  comments_close_at: Date | null;
}

export async function findCurrentVersion(db: DbExecutor, documentId: string): Promise<CurrentVersionRecord | undefined> {
  return db
    .selectFrom("document_versions")
    .select(["id", "number", "name", "created_at", "comments_open_at", "comments_close_at"])
    .where("document_id", "=", documentId)
    .orderBy("number", "desc")
    .limit(1)
    .executeTakeFirst();
}

export async function findVersionBlocks(db: DbExecutor, versionId: string): Promise<unknown> {
  const row = await db.selectFrom("document_versions").select("blocks").where("id", "=", versionId).executeTakeFirst();
  return row?.blocks;
}

export async function insertThreadReviews(
  db: DbExecutor,
  versionId: string,
  reviews: { threadId: string; outcome: ThreadReviewOutcome }[],
): Promise<void> {
  if (reviews.length === 0) return;
  await db
    .insertInto("thread_reviews")
    .values(reviews.map((review) => ({ thread_id: review.threadId, version_id: versionId, outcome: review.outcome })))
    .execute();
}

export interface ThreadReviewRecord {
  thread_id: string;
  version_id: string;
  version_number: number;
  outcome: ThreadReviewOutcome;
  reviewed_by_name: string | null;
  reviewed_at: Date | null;
}

/** How a document's threads fared at each version, newest version first. */
export async function listThreadReviews(db: DbExecutor, documentId: string): Promise<ThreadReviewRecord[]> {
  return db
    .selectFrom("thread_reviews")
    .innerJoin("document_versions", "document_versions.id", "thread_reviews.version_id")
    .leftJoin("users", "users.id", "thread_reviews.reviewed_by")
    .select([
      "thread_reviews.thread_id",
      "thread_reviews.version_id",
      "document_versions.number as version_number",
      "thread_reviews.outcome",
      "users.name as reviewed_by_name",
      "thread_reviews.reviewed_at",
    ])
    .where("document_versions.document_id", "=", documentId)
    .orderBy("document_versions.number", "desc")
    .execute();
}

/** Marks one thread's review at a version done; false when there is no such review. */
export async function markThreadReviewed(db: DbExecutor, threadId: string, versionId: string, reviewedBy: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable("thread_reviews")
    .set({ reviewed_by: reviewedBy, reviewed_at: at })
    .where("thread_id", "=", threadId)
    .where("version_id", "=", versionId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
