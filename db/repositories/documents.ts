import { sql } from "kysely";
import type { DbExecutor } from "#db/executor";
import type { DocumentRow, NewDocument } from "#db/schema";
import { DEFAULT_SPACE_SLUG } from "./memberships";

// Ids arrive from URLs and websocket paths; PostgreSQL rejects a malformed uuid with an error rather than no row.
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

export async function findDocumentBySlug(db: DbExecutor, slug: string): Promise<DocumentRow | undefined> {
  return db.selectFrom("documents").selectAll().where("slug", "=", slug).executeTakeFirst();
}

/** The document with this title in any case: two drafts of one title could not be told apart in lists. */
export async function findDocumentByTitle(db: DbExecutor, title: string): Promise<DocumentRow | undefined> {
  return db
    .selectFrom("documents")
    .selectAll()
    // Both sides through the database's lower(), so that they are folded alike whatever its locale does with å, ä, ö.
    .where((eb) => eb(eb.fn("lower", ["title"]), "=", eb.fn("lower", [eb.val(title)])))
    .executeTakeFirst();
}

/** undefined for an unknown id, including one that is not a uuid at all. */
export async function findDocumentById(db: DbExecutor, id: string): Promise<DocumentRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom("documents").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Newest first. */
export async function listDocuments(db: DbExecutor): Promise<DocumentRow[]> {
  return db.selectFrom("documents").selectAll().orderBy("created_at", "desc").orderBy("slug").execute();
}

/** A document without a space goes into the default space. */
export async function insertDocument(
  db: DbExecutor,
  document: Omit<NewDocument, "space_id"> & { space_id?: string },
): Promise<DocumentRow> {
  return db
    .insertInto("documents")
    .values((eb) => ({
      ...document,
      space_id: document.space_id ?? eb.selectFrom("spaces").select("id").where("slug", "=", DEFAULT_SPACE_SLUG),
    }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** false for an unknown id, including one that is not a uuid at all. */
export async function documentExists(db: DbExecutor, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const row = await db.selectFrom("documents").select("id").where("id", "=", id).executeTakeFirst();
  return row !== undefined;
}

/** The documents on which the user started a thread or wrote in one. */
export async function listDocumentsWithThreadsBy(db: DbExecutor, userId: string): Promise<DocumentRow[]> {
  return db
    .selectFrom("documents")
    .selectAll()
    .where((eb) =>
      eb.or([
        eb("id", "in", eb.selectFrom("comment_threads").select("document_id").where("author_id", "=", userId)),
        eb(
          "id",
          "in",
          eb
            .selectFrom("comments")
            .innerJoin("comment_threads", "comment_threads.id", "comments.thread_id")
            .select("comment_threads.document_id")
            .where("comments.author_id", "=", userId),
        ),
      ]),
    )
    .orderBy("created_at", "desc")
    .execute();
}

/** The document whose slug or title is `slug` or `title` regardless of case, if any: what a new one may not take. */
export async function findDocumentsNamed(db: DbExecutor, names: { slug: string; title: string }): Promise<Pick<DocumentRow, "slug" | "title">[]> {
  return db
    .selectFrom("documents")
    .select(["slug", "title"])
    .where((eb) =>
      eb.or([eb(eb.fn("lower", ["slug"]), "=", names.slug.toLowerCase()), eb(eb.fn("lower", ["title"]), "=", names.title.toLowerCase())]),
    )
    .execute();
}

/** Archives (a date) or unarchives (null) the document; the row as it is now. */
export async function setDocumentArchivedAt(db: DbExecutor, documentId: string, archivedAt: Date | null): Promise<DocumentRow> {
  return db
    .updateTable("documents")
    .set({ archived_at: archivedAt, updated_at: archivedAt ?? new Date() })
    .where("id", "=", documentId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The ids of every archived document: the collaboration server refuses edits to them from its start. */
export async function listArchivedDocumentIds(db: DbExecutor): Promise<string[]> {
  const rows = await db.selectFrom("documents").select("id").where("archived_at", "is not", null).execute();
  return rows.map((row) => row.id);
}

/** What keeps a document from being deleted: its threads and its frozen versions. */
export async function countThreadsAndVersions(db: DbExecutor, documentId: string): Promise<{ threads: number; versions: number }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom("comment_threads").select(eb.fn.countAll<number>().as("n")).where("document_id", "=", documentId).as("threads"),
      eb.selectFrom("document_versions").select(eb.fn.countAll<number>().as("n")).where("document_id", "=", documentId).as("versions"),
    ])
    .executeTakeFirstOrThrow();
  return { threads: Number(row.threads), versions: Number(row.versions) };
}

/** Removes the document with its update log and snapshot (their rows cascade); false when there was none. */
export async function deleteDocumentById(db: DbExecutor, documentId: string): Promise<boolean> {
  const result = await db.deleteFrom("documents").where("id", "=", documentId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export interface DocumentListing extends DocumentRow {
  open_threads: number;
  /** Latest of the document's own update time, its last stored edit and its last comment. */
  last_activity_at: Date;
  /** The comment window of the latest version; both null without one (comments are then open). */
  comments_open_at: Date | null;
  comments_close_at: Date | null;
}

/**
 * Every document with what the home page shows of it, newest activity first, in one statement: thread counts and the
 * latest comment are grouped once for all documents, the latest edit and version come from each document's index.
 */
export async function listDocumentsWithActivity(db: DbExecutor): Promise<DocumentListing[]> {
  const rows = await db
    .selectFrom("documents")
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("comment_threads")
          .leftJoin("comments", "comments.thread_id", "comment_threads.id")
          .select((inner) => [
            "comment_threads.document_id",
            sql<number>`count(distinct comment_threads.id) filter (where comment_threads.status = 'open')`.as("open_threads"),
            inner.fn.max("comments.created_at").as("last_comment_at"),
          ])
          .groupBy("comment_threads.document_id")
          .as("threads"),
      (join) => join.onRef("threads.document_id", "=", "documents.id"),
    )
    .selectAll("documents")
    .select((eb) => [
      eb.fn.coalesce("threads.open_threads", sql<number>`0`).as("open_threads"),
      sql<Date>`greatest(
        documents.updated_at,
        threads.last_comment_at,
        (select max(u.created_at) from document_updates u where u.document_id = documents.id),
        (select s.updated_at from document_snapshots s where s.document_id = documents.id)
      )`.as("last_activity_at"),
      eb
        .selectFrom("document_versions")
        .select("comments_open_at")
        .whereRef("document_versions.document_id", "=", "documents.id")
        .orderBy("number", "desc")
        .limit(1)
        .as("comments_open_at"),
      eb
        .selectFrom("document_versions")
        .select("comments_close_at")
        .whereRef("document_versions.document_id", "=", "documents.id")
        .orderBy("number", "desc")
        .limit(1)
        .as("comments_close_at"),
    ])
    .orderBy("last_activity_at", "desc")
    .orderBy("documents.slug")
    .execute();
  return rows.map((row) => ({
    ...row,
    open_threads: Number(row.open_threads),
    last_activity_at: new Date(row.last_activity_at),
    comments_open_at: row.comments_open_at === null ? null : new Date(row.comments_open_at),
    comments_close_at: row.comments_close_at === null ? null : new Date(row.comments_close_at),
  }));
}

/** Whether the document is archived (read-only); false for an unknown one, which the callers refuse on their own. */
export async function isDocumentArchived(db: DbExecutor, documentId: string): Promise<boolean> {
  if (!isUuid(documentId)) return false;
  const row = await db.selectFrom("documents").select("archived_at").where("id", "=", documentId).executeTakeFirst();
  return Boolean(row?.archived_at);
}
