import type { DbExecutor } from "#db/executor";
import { Transaction } from "kysely";
import { lockUntilCommit } from "#db/locks";
import type { Database } from "#db/schema";

export interface LoggedUpdate {
  seq: number;
  update: Uint8Array;
}

export interface StoredDocumentState {
  snapshot: Uint8Array | null;
  /** Log rows not yet folded into the snapshot, in seq order. */
  updates: LoggedUpdate[];
}

// Keeps each DELETE's parameter list far below PostgreSQL's limit of 65535 bind parameters.
const DELETE_BATCH_SIZE = 1_000;

/** Appends updates (V2 encoding) to a document's log with a single statement; their seqs follow insertion order. */
export async function appendUpdates(db: DbExecutor, documentId: string, updates: Uint8Array[]): Promise<void> {
  await appendLogRows(
    db,
    updates.map((update) => ({ documentId, update })),
  );
}

/** Appends log rows of any number of documents with a single statement; seqs follow the order given. */
export async function appendLogRows(db: DbExecutor, rows: { documentId: string; update: Uint8Array }[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("document_updates")
    .values(rows.map(({ documentId, update }) => ({ document_id: documentId, update })))
    .execute();
}

/**
 * The snapshot and the log rows after it. Read with one statement, so both halves come from the same moment:
 * read separately, a compaction committing in between could move rows from the log into a snapshot already read.
 */
export async function readDocumentState(db: DbExecutor, documentId: string): Promise<StoredDocumentState> {
  const rows = await db
    .selectFrom("document_snapshots")
    .select((eb) => [eb.val<number | null>(null).as("seq"), "state as data"])
    .where("document_id", "=", documentId)
    .unionAll(
      db
        .selectFrom("document_updates")
        .select(["seq", "update as data"])
        .where("document_id", "=", documentId),
    )
    .execute();

  let snapshot: Uint8Array | null = null;
  const updates: LoggedUpdate[] = [];
  for (const row of rows) {
    if (row.seq === null) snapshot = row.data;
    else updates.push({ seq: row.seq, update: row.data });
  }
  updates.sort((a, b) => a.seq - b.seq);
  return { snapshot, updates };
}

export async function countLoggedUpdates(db: DbExecutor, documentId: string): Promise<number> {
  const row = await db
    .selectFrom("document_updates")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("document_id", "=", documentId)
    .executeTakeFirstOrThrow();
  return row.count;
}

/** The snapshot changed after the caller read it: another process compacted the document meanwhile. */
export class ConcurrentCompactionError extends Error {
  override name = "ConcurrentCompactionError";
}

/**
 * Stores `state` as the document's snapshot and deletes the log rows it was built from, atomically.
 * Only the listed seqs are deleted: rows appended after the caller read the log are not in the snapshot and stay.
 * `basedOn` is the snapshot the caller built `state` from. When several processes share the database another one
 * may have compacted since (its snapshot holds rows deleted since); writing over it would lose those rows, so then
 * nothing is written and ConcurrentCompactionError is thrown. Compactions of one document are serialized by an
 * advisory lock, so the check and the write cannot interleave with another's.
 */
export async function replaceLogWithSnapshot(
  db: DbExecutor,
  documentId: string,
  state: Uint8Array,
  seqs: number[],
  basedOn: Uint8Array | null,
): Promise<void> {
  const replace = async (trx: Transaction<Database>) => {
    await lockUntilCommit(trx, `samrad-compaction:${documentId}`);
    const current = await trx
      .selectFrom("document_snapshots")
      .select("state")
      .where("document_id", "=", documentId)
      .executeTakeFirst();
    if (!sameBytes(current?.state ?? null, basedOn)) {
      throw new ConcurrentCompactionError(`Document ${documentId} was compacted by another process meanwhile`);
    }
    await trx
      .insertInto("document_snapshots")
      .values({ document_id: documentId, state })
      .onConflict((conflict) =>
        conflict.column("document_id").doUpdateSet((eb) => ({
          state: eb.ref("excluded.state"),
          updated_at: eb.fn("now"),
        })),
      )
      .execute();
    for (let start = 0; start < seqs.length; start += DELETE_BATCH_SIZE) {
      await trx
        .deleteFrom("document_updates")
        .where("document_id", "=", documentId)
        .where("seq", "in", seqs.slice(start, start + DELETE_BATCH_SIZE))
        .execute();
    }
  };
  // Nested inside the caller's transaction when given one; Kysely cannot open a transaction within a transaction.
  if (db instanceof Transaction) await replace(db);
  else await db.transaction().execute(replace);
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}
