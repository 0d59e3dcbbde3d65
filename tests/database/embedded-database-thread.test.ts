import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "#db/client";
import { createTestDatabase, migratedPGliteTemplate, testDatabaseKinds, type TestDatabase } from "#tests/support/database";

/** Worker threads this process has running, as Node's diagnostic report lists them. */
const runningWorkers = () => (process.report.getReport() as { workers: unknown[] }).workers.length;

let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

describe.each(testDatabaseKinds())("statements that fail, on %s", (kind) => {
  it("roll their transaction back and come back with PostgreSQL's error code and fields", async () => {
    database = await createTestDatabase(kind);
    const { db } = database;
    await sql`create table petitions (id integer primary key, title text not null)`.execute(db);

    const failure = await db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into petitions values (1, 'Öppna licenser')`.execute(trx);
        await sql`insert into petitions values (1, 'Samma nyckel igen')`.execute(trx);
      })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(Error);
    expect(failure).toMatchObject({ code: "23505", constraint: "petitions_pkey", table: "petitions" });
    const { rows } = await sql<{ count: number }>`select count(*) as count from petitions`.execute(db);
    expect(rows).toEqual([{ count: 0 }]);

    // The session is usable again: the failed transaction did not leave it aborted.
    await sql`insert into petitions values (2, 'Efteråt')`.execute(db);
    const after = await sql<{ title: string }>`select title from petitions`.execute(db);
    expect(after.rows).toEqual([{ title: "Efteråt" }]);
  });
});

describe("the embedded database's thread", () => {
  it("runs a statement from outside a transaction only once the transaction has ended", async () => {
    database = await createTestDatabase("pglite");
    const { db } = database;
    await sql`create table petitions (id integer primary key)`.execute(db);

    let abort = () => {};
    const aborted = new Promise<void>((resolve) => (abort = resolve));
    let inserted = () => {};
    const insertedInTransaction = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = db.transaction().execute(async (trx) => {
      await sql`insert into petitions values (1)`.execute(trx);
      inserted();
      await aborted;
      throw new Error("the transaction is abandoned");
    });
    await insertedInTransaction;
    // Sent while the transaction holds the one session: run inside it, it would count the row about to be rolled back.
    const outside = sql<{ count: number }>`select count(*) as count from petitions`.execute(db);
    abort();
    await expect(transaction).rejects.toThrow("the transaction is abandoned");
    expect((await outside).rows).toEqual([{ count: 0 }]);
  });

  it("ends when the database is closed, whether or not it ran a statement", async () => {
    const before = runningWorkers();
    const unused = await openDatabase({ dataDir: "memory://", pgliteInitialData: await migratedPGliteTemplate() });
    expect(runningWorkers()).toBe(before + 1);
    await unused.close();
    expect(runningWorkers()).toBe(before);

    database = await createTestDatabase("pglite");
    const { db } = database;
    await sql`select 1`.execute(db);
    expect(runningWorkers()).toBe(before + 1);
    await database.close();
    expect(runningWorkers()).toBe(before);
    await expect(sql`select 1`.execute(db)).rejects.toThrow();
  });
});
