import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { parseInt8 } from "./parse-int8.js";
import { PGliteThread, PGliteThreadDialect } from "./pglite-thread";
import type { Database } from "./schema";

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: "postgres" | "pglite";
  /** Ends every connection (or closes the embedded database); the handle is unusable afterwards. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A postgres:// URL; when absent the embedded PGlite database in dataDir is used. */
  databaseUrl?: string;
  /** Directory of the embedded database, or "memory://" for one that lives only in this process. */
  dataDir: string;
  /**
   * PGlite only: contents (PGlite's dumpDataDir) for a data directory that is still empty. Starting from an
   * already initialised and migrated dump skips initdb, which takes seconds; tests use it for fresh databases.
   */
  pgliteInitialData?: Blob;
}

/** The database named by the configuration cannot be reached: an operator's problem, told in one line. */
export class DatabaseUnreachableError extends Error {
  override name = "DatabaseUnreachableError";
}

const IN_MEMORY = "memory://";
const INT8_OID = 20;
const CONNECT_TIMEOUT_MS = 5_000;

/** Opens the database without migrating it; the caller runs migrateToLatest when it should. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : openPGlite(options.dataDir, options.pgliteInitialData);
}

async function openPostgres(databaseUrl: string): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Set on the pool rather than pg.types so other pg users in the process keep the defaults.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8_OID && format !== "binary"
          ? parseInt8
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection emits on the pool; without a listener that would crash the process.
  pool.on("error", () => {});
  // A client in use emits on itself instead (the pool listens only while it is idle), after failing its queries,
  // whose callers handle the failure; the pool then drops the client. Without this, PostgreSQL restarting or a
  // connection reset mid-query crashed the process (tests/integration/faults.test.ts).
  pool.on("connect", (client) => client.on("error", () => {}));

  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new DatabaseUnreachableError(
      `Cannot connect to the database at DATABASE_URL (${describeTarget(databaseUrl)}): ${describeConnectError(error)}`,
    );
  }

  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: "postgres",
    // Kysely ends the pool it was given.
    close: () => db.destroy(),
  };
}

async function openPGlite(dataDir: string, initialData: Blob | undefined): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith(IN_MEMORY);
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  // PGlite refuses to load a dump over an existing database, so initial data only applies the first time.
  const isNew = inMemory || !(await pathExists(join(dataDir, "PG_VERSION")));

  // In a worker thread, so that its statements do not hold up the event loop that relays edits (decision 0030).
  const thread = await PGliteThread.start({
    dataDir,
    initialData: isNew ? initialData : undefined,
  });
  const db = new Kysely<Database>({ dialect: new PGliteThreadDialect(thread) });
  return {
    db,
    kind: "pglite",
    close: async () => {
      await db.destroy();
      // Kysely only ends its driver if it ever ran a query through it.
      await thread.close();
    },
  };
}

/**
 * The embedded database in dataDir as one file's contents (PGlite's dumpDataDir: a gzipped tar of the folder), which
 * `openDatabase`'s pgliteInitialData restores into an empty folder. No other process may have the folder open.
 */
export async function archivePGliteDataDir(dataDir: string): Promise<Blob> {
  if (!(await pathExists(join(dataDir, "PG_VERSION")))) throw new Error(`There is no database in ${dataDir}`);
  const pglite = new PGlite(dataDir);
  try {
    await pglite.waitReady;
    return await pglite.dumpDataDir("gzip");
  } finally {
    await pglite.close();
  }
}

async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** host:port/database of a URL, without the credentials it may carry. */
function describeTarget(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    const host = url.hostname || url.searchParams.get("host") || "localhost";
    return `${host}:${url.port || "5432"}${url.pathname.length > 1 ? url.pathname : ""}`;
  } catch {
    return "unparsable URL";
  }
}

function describeConnectError(error: unknown): string {
  // A host name resolving to several addresses (localhost: ::1 and 127.0.0.1) fails with an AggregateError
  // whose own message is empty; its parts carry the reason.
  if (error instanceof AggregateError && error.errors.length > 0) {
    return describeConnectError(error.errors[0]);
  }
  if (error instanceof Error) {
    const code = "code" in error && typeof error.code === "string" ? error.code : undefined;
    const message = error.message.trim();
    if (message && code && !message.includes(code)) return `${message} (${code})`;
    return message || code || error.name;
  }
  return String(error);
}
