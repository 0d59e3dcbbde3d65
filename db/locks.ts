import { sql, type Transaction } from "kysely";
import type { Database } from "./schema";

/**
 * Holds a lock named `name` until the transaction ends, waiting while another transaction (of this process or
 * another node on the same database) holds it: a PostgreSQL advisory lock, so the name needs no table.
 */
export async function lockUntilCommit(trx: Transaction<Database>, name: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${name}, 0))`.execute(trx);
}
