import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import {
  Kysely,
  PGliteDialect,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "kysely";
import pg from "pg";
import * as Y from "yjs";
import { openDatabase, type DatabaseHandle } from "#db/client";
import { migrateToLatest } from "#db/migrate";
import { readDocumentState } from "#db/repositories/document-state";
import type { Database } from "#db/schema";

export type TestDatabaseKind = DatabaseHandle["kind"];

export interface TestDatabaseOptions {
  /** Keep PGlite's data in a temporary directory instead of memory, so restart() can reopen it. */
  persistent?: boolean;
}

export interface TestDatabase extends DatabaseHandle {
  /**
   * Closes the connection and opens a new one on the same data, as a restarted server would.
   * `db` then refers to the new connection. PGlite needs `persistent: true` for this.
   */
  restart(): Promise<void>;
}

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL points at a server tests may create databases on. */
export function testDatabaseKinds(): TestDatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

/**
 * A migrated database nobody else uses: in-memory PGlite, or a PostgreSQL database created for this call
 * and dropped by close(), so test files can run in parallel.
 */
export async function createTestDatabase(
  kind: TestDatabaseKind,
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  return kind === "postgres" ? createPostgresDatabase() : createPGliteDatabase(options);
}

let migratedPGlite: Promise<Blob> | undefined;

/**
 * A migrated PGlite database as a dump, made once per test worker: initdb takes seconds,
 * loading its result a fraction of that.
 */
export function migratedPGliteTemplate(): Promise<Blob> {
  migratedPGlite ??= (async () => {
    const pglite = new PGlite("memory://");
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
    try {
      await migrateToLatest(db);
      return await pglite.dumpDataDir("none");
    } finally {
      await db.destroy();
    }
  })();
  return migratedPGlite;
}

async function createPGliteDatabase(options: TestDatabaseOptions): Promise<TestDatabase> {
  const pgliteInitialData = await migratedPGliteTemplate();
  const dataDir = options.persistent ? await mkdtemp(join(tmpdir(), "samrad-test-")) : "memory://";
  const removeDataDir = async () => {
    if (options.persistent) await rm(dataDir, { recursive: true, force: true });
  };
  const open = () => openDatabase({ dataDir, pgliteInitialData });
  return wrap("pglite", open, removeDataDir, options.persistent === true);
}

async function createPostgresDatabase(): Promise<TestDatabase> {
  const scratch = await createScratchPostgresDatabase();
  try {
    return await wrap("postgres", () => openDatabase({ databaseUrl: scratch.url, dataDir: "unused" }), scratch.drop, true);
  } catch (error) {
    await scratch.drop();
    throw error;
  }
}

/** An empty PostgreSQL database of its own on the TEST_DATABASE_URL server, for one test's server. */
export async function createScratchPostgresDatabase(
  adminUrl = process.env.TEST_DATABASE_URL,
): Promise<{ url: string; drop(): Promise<void> }> {
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set; use testDatabaseKinds() to pick kinds");
  // Lower case letters and digits only, so the name needs no quoting rules beyond the identifier quotes below.
  const name = `samrad_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await runAdminStatement(adminUrl, `CREATE DATABASE "${name}"`);
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${name}`;
  return {
    url: databaseUrl.href,
    drop: () => runAdminStatement(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function runAdminStatement(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function wrap(
  kind: TestDatabaseKind,
  open: () => Promise<DatabaseHandle>,
  cleanUp: () => Promise<void>,
  canRestart: boolean,
): Promise<TestDatabase> {
  let current = await open();
  try {
    await migrateToLatest(current.db);
  } catch (error) {
    await current.close();
    await cleanUp();
    throw error;
  }
  let closed = false;
  return {
    kind,
    get db(): Kysely<Database> {
      return current.db;
    },
    async restart() {
      if (!canRestart) throw new Error("restart() needs a persistent test database");
      await current.close();
      current = await open();
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await current.close();
      } finally {
        await cleanUp();
      }
    },
  };
}

/** A Kysely plugin that makes every statement fail while `failing` is set, as a database that went away would. */
export class StorageOutage implements KyselyPlugin {
  failing = false;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.failing) throw new Error("connection terminated unexpectedly");
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/** The document as the database holds it (snapshot and log), read past any server that has it open. */
export async function storedDocument(db: Kysely<Database>, documentId: string): Promise<Y.Doc> {
  const { snapshot, updates } = await readDocumentState(db, documentId);
  const doc = new Y.Doc();
  if (snapshot) Y.applyUpdateV2(doc, snapshot);
  for (const row of updates) Y.applyUpdateV2(doc, row.update);
  return doc;
}
