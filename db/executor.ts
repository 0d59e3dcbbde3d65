import { Transaction, type Kysely } from "kysely";
import type { Database } from "./schema";

/** What a query runs on: the database, or a transaction a caller opened so that several writes stand or fall together. */
export type DbExecutor = Kysely<Database> | Transaction<Database>;

/** Runs in the caller's transaction when given one; Kysely cannot open a transaction within a transaction. */
export async function inTransaction<T>(db: DbExecutor, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db instanceof Transaction) return work(db);
  return db.transaction().execute(work);
}
