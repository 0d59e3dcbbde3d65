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
