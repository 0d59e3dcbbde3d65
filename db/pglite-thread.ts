import { Worker } from "node:worker_threads";
import {
  CompiledQuery,
  PGliteAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";

/**
 * PGlite in a worker thread of its own (decision 0030): its statements cost milliseconds of CPU each, which on the
 * main thread would hold up every websocket frame behind them. The worker (pglite-worker.js) owns the database;
 * this side sends it SQL with parameters and gets rows back, one statement at a time.
 */

export interface PGliteThreadOptions {
  /** Directory of the database, or "memory://". */
  dataDir: string;
  /** A dump (PGlite's dumpDataDir) to start an empty data directory from. */
  initialData?: Blob;
}

interface DescribedError {
  message: string;
  name?: string;
  fields: Record<string, string | number | boolean>;
}

type WorkerMessage =
  | { type: "ready" }
  | { type: "failed"; error: DescribedError }
  | { type: "result"; id: number; rows: Record<string, unknown>[]; affectedRows?: number }
  | { type: "error"; id: number; error: DescribedError };

interface Pending {
  resolve(result: QueryResult<unknown>): void;
  reject(error: Error): void;
}

/** An error of the database, rebuilt on this thread with the fields PostgreSQL reported (code, constraint, …). */
function rebuildError({ message, name, fields }: DescribedError): Error {
  const error = Object.assign(new Error(message), fields);
  if (name !== undefined) error.name = name;
  return error;
}

export class PGliteThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private ended: Error | null = null;
  private readonly exited: Promise<void>;

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once("exit", () => resolve()));
    worker.on("message", (message: WorkerMessage) => this.onMessage(message));
    worker.on("error", (error) => this.end(error));
    worker.once("exit", (code) => this.end(new Error(`The embedded database's thread ended (exit code ${code})`)));
  }

  /** Starts the worker and waits until the database in it is ready, or throws why it could not start. */
  static async start(options: PGliteThreadOptions): Promise<PGliteThread> {
    const worker = new Worker(new URL("./pglite-worker.js", import.meta.url), {
      workerData: {
        dataDir: options.dataDir,
        initialData: options.initialData ? await options.initialData.arrayBuffer() : undefined,
      },
      // Whatever loader the main thread runs under (tsx, Vitest) is not needed by the plain JavaScript worker.
      execArgv: [],
    });
    const listeners = {
      message: (_message: WorkerMessage) => {},
      error: (_error: Error) => {},
      exit: (_code: number) => {},
    };
    const started = await new Promise<WorkerMessage>((resolve, reject) => {
      listeners.message = resolve;
      listeners.error = reject;
      listeners.exit = (code) => reject(new Error(`The embedded database's thread exited with code ${code} while starting`));
      for (const [event, listener] of Object.entries(listeners)) worker.once(event, listener);
    }).finally(() => {
      // Only these: the Worker's own listeners, which start its message port, must stay.
      for (const [event, listener] of Object.entries(listeners)) worker.off(event, listener);
    });
    if (started.type === "failed") {
      await worker.terminate();
      throw rebuildError(started.error);
    }
    const thread = new PGliteThread(worker);
    // Kept alive only while a statement is outstanding, as a process waiting on a socket would be.
    worker.unref();
    return thread;
  }

  query(sql: string, parameters: readonly unknown[]): Promise<QueryResult<unknown>> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: "query", id, sql, parameters });
    });
  }

  /** Closes the database and waits until the worker has exited. Safe to call more than once. */
  async close(): Promise<void> {
    if (!this.ended) {
      this.worker.ref();
      this.worker.postMessage({ type: "close" });
    }
    await this.exited;
  }

  private onMessage(message: WorkerMessage): void {
    if (message.type !== "result" && message.type !== "error") return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker.unref();
    if (message.type === "error") {
      pending.reject(rebuildError(message.error));
    } else {
      pending.resolve({
        rows: message.rows,
        numAffectedRows: message.affectedRows === undefined ? undefined : BigInt(message.affectedRows),
      });
    }
  }

  private end(reason: Error): void {
    this.ended ??= reason;
    for (const pending of this.pending.values()) pending.reject(reason);
    this.pending.clear();
  }
}

/** Statements on the worker's one session. */
class PGliteThreadConnection implements DatabaseConnection {
  constructor(private readonly thread: PGliteThread) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return (await this.thread.query(compiledQuery.sql, compiledQuery.parameters)) as QueryResult<R>;
    } catch (error) {
      // The rebuilt error's stack ends at the worker's message; this one shows the query's caller.
      if (error instanceof Error) error.stack = `${error.name}: ${error.message}\n${new Error().stack?.split("\n").slice(1).join("\n") ?? ""}`;
      throw error;
    }
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("Streaming is not supported by the embedded database");
  }
}

/**
 * One connection, the worker's session. Kysely hands it to one user at a time (a statement, or a transaction from begin
 * to commit), since PGliteAdapter says the database has no more than one; everyone else waits for it.
 */
class PGliteThreadDriver implements Driver {
  private readonly connection: PGliteThreadConnection;

  constructor(private readonly thread: PGliteThread) {
    this.connection = new PGliteThreadConnection(thread);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }

  async releaseConnection(): Promise<void> {}

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let statement = "begin";
    if (settings.isolationLevel || settings.accessMode) {
      statement = "start transaction";
      if (settings.isolationLevel) statement += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode) statement += ` ${settings.accessMode}`;
    }
    await connection.executeQuery(CompiledQuery.raw(statement));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async destroy(): Promise<void> {
    await this.thread.close();
  }
}

export class PGliteThreadDialect implements Dialect {
  constructor(private readonly thread: PGliteThread) {}

  createAdapter(): DialectAdapter {
    return new PGliteAdapter();
  }

  createDriver(): Driver {
    return new PGliteThreadDriver(this.thread);
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}
