import { inTransaction, type DbExecutor } from "#db/executor";
import type { StoredAnchor } from "#db/anchor";
import type { CommentPosition, FlagOutcome, ThreadKind, ThreadOutcome, ThreadStatus } from "#db/schema";
import { isUuid } from "./documents";

export interface NewThread {
  documentId: string;
  blockId: string;
  anchor: StoredAnchor;
  authorId: string;
  body: string;
  position: CommentPosition | null;
  versionNumber: number | null;
  /** Replacement text for the passage (or block): makes the thread a suggestion. */
  suggestedText: string | null;
}

/** The thread and its first comment, together or not at all. */
export async function insertThread(db: DbExecutor, thread: NewThread): Promise<{ threadId: string; commentId: string }> {
  return inTransaction(db, async (trx) => {
    const { id: threadId } = await trx
      .insertInto("comment_threads")
      .values({
        document_id: thread.documentId,
        block_id: thread.blockId,
        anchor: JSON.stringify(thread.anchor),
        author_id: thread.authorId,
        version_number: thread.versionNumber,
        kind: thread.suggestedText === null ? "comment" : "suggestion",
        suggested_text: thread.suggestedText,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const commentId = await insertComment(trx, {
      threadId,
      authorId: thread.authorId,
      body: thread.body,
      position: thread.position,
      versionNumber: thread.versionNumber,
    });
    return { threadId, commentId };
  });
}

export async function insertComment(
  db: DbExecutor,
  comment: { threadId: string; authorId: string; body: string; position: CommentPosition | null; versionNumber: number | null },
): Promise<string> {
  const { id } = await db
    .insertInto("comments")
    .values({
      thread_id: comment.threadId,
      author_id: comment.authorId,
      body: comment.body,
      position: comment.position,
      version_number: comment.versionNumber,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

export interface ThreadRecord {
  id: string;
  document_id: string;
  block_id: string;
  anchor: StoredAnchor;
  author_id: string;
  status: ThreadStatus;
  status_changed_by: string | null;
  status_changed_at: Date | null;
  created_at: Date;
  version_number: number | null;
  kind: ThreadKind;
  suggested_text: string | null;
  outcome: ThreadOutcome | null;
  response: string | null;
  responded_by_name: string | null;
  responded_at: Date | null;
  incorporated_in: number | null;
  author_name: string;
  author_organisation: string;
}

export interface CommentRecord {
  id: string;
  thread_id: string;
  author_id: string;
  body: string;
  position: CommentPosition | null;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  hidden_at: Date | null;
  hidden_reason: string | null;
  version_number: number | null;
  author_name: string;
  author_organisation: string;
}

/** undefined for an unknown id, including one that is not a uuid at all. */
export async function findThread(db: DbExecutor, threadId: string): Promise<ThreadRecord | undefined> {
  if (!isUuid(threadId)) return undefined;
  return threadQuery(db).where("comment_threads.id", "=", threadId).executeTakeFirst();
}

/** undefined for an unknown id, including one that is not a uuid at all. */
export async function findComment(db: DbExecutor, commentId: string): Promise<(CommentRecord & { document_id: string }) | undefined> {
  if (!isUuid(commentId)) return undefined;
  return commentQuery(db)
    .innerJoin("comment_threads", "comment_threads.id", "comments.thread_id")
    .select("comment_threads.document_id")
    .where("comments.id", "=", commentId)
    .executeTakeFirst();
}

export async function countUndeletedComments(db: DbExecutor, threadId: string): Promise<number> {
  const row = await db
    .selectFrom("comments")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("thread_id", "=", threadId)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Every thread of a document, oldest first. */
export async function listThreads(db: DbExecutor, documentId: string): Promise<ThreadRecord[]> {
  return threadQuery(db).where("comment_threads.document_id", "=", documentId).orderBy("comment_threads.created_at").execute();
}

/** Every comment on a document's threads, oldest first. */
export async function listComments(db: DbExecutor, documentId: string): Promise<CommentRecord[]> {
  return commentQuery(db)
    .where("comments.thread_id", "in", (eb) => eb.selectFrom("comment_threads").select("id").where("document_id", "=", documentId))
    .orderBy("comments.created_at")
    .orderBy("comments.id")
    .execute();
}

/** Who agrees with each thread of a document (user ids by thread id). */
export async function listAgreements(db: DbExecutor, documentId: string): Promise<Map<string, Set<string>>> {
  const rows = await db
    .selectFrom("thread_agreements")
    .innerJoin("comment_threads", "comment_threads.id", "thread_agreements.thread_id")
    .select(["thread_agreements.thread_id", "thread_agreements.user_id"])
    .where("comment_threads.document_id", "=", documentId)
    .execute();
  const agreements = new Map<string, Set<string>>();
  for (const row of rows) {
    const users = agreements.get(row.thread_id);
    if (users) users.add(row.user_id);
    else agreements.set(row.thread_id, new Set([row.user_id]));
  }
  return agreements;
}

export async function updateCommentBody(db: DbExecutor, commentId: string, body: string, at: Date): Promise<void> {
  await db.updateTable("comments").set({ body, edited_at: at }).where("id", "=", commentId).execute();
}

/** The body is erased, not kept: a deleted comment's text must not linger in the database. */
export async function markCommentDeleted(db: DbExecutor, commentId: string, at: Date): Promise<void> {
  await db.updateTable("comments").set({ body: "", position: null, deleted_at: at }).where("id", "=", commentId).execute();
}

export async function setThreadStatus(db: DbExecutor, threadId: string, status: ThreadStatus, by: string, at: Date): Promise<void> {
  await db
    .updateTable("comment_threads")
    .set({ status, status_changed_by: by, status_changed_at: at })
    .where("id", "=", threadId)
    .execute();
}

/**
 * Closes a thread with how editors handled it and their public answer, or (outcome null) reopens it and clears
 * both. Every status change by an editor goes through here.
 */
export async function setThreadOutcome(
  db: DbExecutor,
  threadId: string,
  change: { outcome: ThreadOutcome; response: string } | null,
  by: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable("comment_threads")
    .set({
      status: change ? "resolved" : "open",
      status_changed_by: by,
      status_changed_at: at,
      outcome: change?.outcome ?? null,
      response: change?.response ?? null,
      responded_by: change ? by : null,
      responded_at: change ? at : null,
    })
    .where("id", "=", threadId)
    .execute();
}

/** Stamps the threads accepted since the previous version with the version that now contains their change. */
export async function markIncorporated(db: DbExecutor, documentId: string, versionNumber: number): Promise<string[]> {
  const rows = await db
    .updateTable("comment_threads")
    .set({ incorporated_in: versionNumber })
    .where("document_id", "=", documentId)
    .where("outcome", "in", ["accepted", "partly-accepted"])
    .where("incorporated_in", "is", null)
    .returning("id")
    .execute();
  return rows.map((row) => row.id);
}

export async function setAgreement(db: DbExecutor, threadId: string, userId: string, agrees: boolean): Promise<void> {
  if (agrees) {
    await db
      .insertInto("thread_agreements")
      .values({ thread_id: threadId, user_id: userId })
      .onConflict((conflict) => conflict.columns(["thread_id", "user_id"]).doNothing())
      .execute();
  } else {
    await db.deleteFrom("thread_agreements").where("thread_id", "=", threadId).where("user_id", "=", userId).execute();
  }
}

export async function insertFlag(db: DbExecutor, flag: { commentId: string; flaggedBy: string; reason: string }): Promise<void> {
  await db.insertInto("comment_flags").values({ comment_id: flag.commentId, flagged_by: flag.flaggedBy, reason: flag.reason }).execute();
}

export interface OpenFlagRecord {
  id: string;
  reason: string;
  created_at: Date;
  flagged_by_name: string;
  comment_id: string;
  comment_body: string;
  comment_author_name: string;
  thread_id: string;
  document_id: string;
}

/** Flags waiting for a moderator, oldest first, with the comment they are about. */
export async function listOpenFlags(db: DbExecutor, documentId: string): Promise<OpenFlagRecord[]> {
  return openFlagQuery(db).where("comment_threads.document_id", "=", documentId).orderBy("comment_flags.created_at").execute();
}

/** undefined when the flag is unknown or already decided. */
export async function findOpenFlag(db: DbExecutor, flagId: string): Promise<OpenFlagRecord | undefined> {
  if (!isUuid(flagId)) return undefined;
  return openFlagQuery(db).where("comment_flags.id", "=", flagId).executeTakeFirst();
}

/**
 * Decides one flag. Hiding decides every open flag on the same comment too: they are about the same text.
 */
export async function decideFlag(
  db: DbExecutor,
  decision: { flagId: string; commentId: string; outcome: FlagOutcome; by: string; at: Date; hiddenReason?: string },
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const decided = { outcome: decision.outcome, decided_by: decision.by, decided_at: decision.at };
    if (decision.outcome === "hidden") {
      await trx
        .updateTable("comments")
        .set({ hidden_at: decision.at, hidden_by: decision.by, hidden_reason: decision.hiddenReason ?? "" })
        .where("id", "=", decision.commentId)
        .execute();
      await trx.updateTable("comment_flags").set(decided).where("comment_id", "=", decision.commentId).where("outcome", "is", null).execute();
    } else {
      await trx.updateTable("comment_flags").set(decided).where("id", "=", decision.flagId).execute();
    }
  });
}

function openFlagQuery(db: DbExecutor) {
  return db
    .selectFrom("comment_flags")
    .innerJoin("comments", "comments.id", "comment_flags.comment_id")
    .innerJoin("comment_threads", "comment_threads.id", "comments.thread_id")
    .innerJoin("users as flagger", "flagger.id", "comment_flags.flagged_by")
    .innerJoin("users as author", "author.id", "comments.author_id")
    .select([
      "comment_flags.id",
      "comment_flags.reason",
      "comment_flags.created_at",
      "flagger.name as flagged_by_name",
      "comments.id as comment_id",
      "comments.body as comment_body",
      "author.name as comment_author_name",
      "comment_threads.id as thread_id",
      "comment_threads.document_id",
    ])
    .where("comment_flags.outcome", "is", null);
}

function threadQuery(db: DbExecutor) {
  return db
    .selectFrom("comment_threads")
    .innerJoin("users", "users.id", "comment_threads.author_id")
    .leftJoin("users as responders", "responders.id", "comment_threads.responded_by")
    .select([
      "comment_threads.id",
      "comment_threads.document_id",
      "comment_threads.block_id",
      "comment_threads.anchor",
      "comment_threads.author_id",
      "comment_threads.status",
      "comment_threads.status_changed_by",
      "comment_threads.status_changed_at",
      "comment_threads.created_at",
      "comment_threads.version_number",
      "comment_threads.kind",
      "comment_threads.suggested_text",
      "comment_threads.outcome",
      "comment_threads.response",
      "responders.name as responded_by_name",
      "comment_threads.responded_at",
      "comment_threads.incorporated_in",
      "users.name as author_name",
      "users.organisation as author_organisation",
    ]);
}

function commentQuery(db: DbExecutor) {
  return db
    .selectFrom("comments")
    .innerJoin("users", "users.id", "comments.author_id")
    .select([
      "comments.id",
      "comments.thread_id",
      "comments.author_id",
      "comments.body",
      "comments.position",
      "comments.created_at",
      "comments.edited_at",
      "comments.deleted_at",
      "comments.hidden_at",
      "comments.hidden_reason",
      "comments.version_number",
      "users.name as author_name",
      "users.organisation as author_organisation",
    ]);
}
