import type { Kysely } from "kysely";
import * as Y from "yjs";
import {
  appendLogRows,
  ConcurrentCompactionError,
  countLoggedUpdates,
  readDocumentState,
  replaceLogWithSnapshot,
} from "#db/repositories/document-state";
import type { Database } from "#db/schema";
import { createLogger, type Logger } from "#app/log.server";
import type { DocumentPersistence } from "./persistence";

export interface DocumentStoreOptions {
  db: Kysely<Database>;
  /** Once a document's log holds this many updates, they are folded into its snapshot. */
  compactAfterUpdates: number;
  /** How long an update may wait in memory to be batched with others; keep well under a second. */
  flushIntervalMs?: number;
  log?: Logger;
}

// Inside the one-second durability promise with room for the write itself. Each statement has a fixed cost
// that dominates on PGlite (npm run bench: 150 ms ticks cost 2.8× the reference server's CPU per edit).
const DEFAULT_FLUSH_INTERVAL_MS = 700;

export interface StoreStats {
  /** Updates in memory that are not in the database yet, over all documents. */
  unstoredUpdates: number;
  /** How long the oldest of them has waited; 0 when there are none. */
  oldestUnstoredAgeMs: number;
  /** Updates stored since the store was created. */
  storedUpdates: number;
  /** Whether the last write failed (its updates stay queued and are retried). */
  failing: boolean;
}

/** What the store holds for one document between its arrival in memory and its safe storage. */
interface DocumentQueue {
  documentId: string;
  /** Updates (V1, as the room emits them) not yet written, oldest first. */
  pending: Uint8Array[];
  /** The write in progress (shared with the other documents of its tick); one at a time per document, so the log keeps arrival order. */
  writing: Promise<void> | null;
  /** Counts of updates ever appended and ever stored, so flush can wait for "everything so far" only. */
  appended: number;
  stored: number;
  /** Who waits for which update to be stored (by its count in `appended`) since when (ms since the epoch), oldest first. */
  storedWaiters: Array<{ position: number; appendedAt: number; resolve: () => void }>;
  /** The tail of this document's compactions: each one starts after the previous has finished. */
  compaction: Promise<void>;
  /** Compactions queued or running; counted from the moment they are queued, so an idle check never misses one. */
  compactionsInProgress: number;
}

/**
 * Stores collaborative documents as an append-only log of Yjs updates plus one snapshot per document.
 * Updates are batched for flushIntervalMs, then written with one insert per document; once a document's
 * log grows past compactAfterUpdates it is merged into the snapshot. A failed write keeps its updates
 * queued and is retried on the next tick.
 */
export class DocumentStore implements DocumentPersistence {
  readonly #db: Kysely<Database>;
  readonly #compactAfterUpdates: number;
  readonly #flushIntervalMs: number;
  readonly #log: Logger;
  readonly #queues = new Map<string, DocumentQueue>();
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  /**
   * Log rows per document, counted here rather than queried after every write (a query per document per tick
   * costs more than the writes). Learnt from the database the first time a document is loaded or written.
   */
  readonly #loggedRows = new Map<string, number>();
  /** Set while writes keep failing, so an outage is logged once as an error rather than every tick. */
  #failing = false;
  #storedUpdates = 0;

  constructor(options: DocumentStoreOptions) {
    if (!Number.isInteger(options.compactAfterUpdates) || options.compactAfterUpdates < 1) {
      throw new RangeError(`compactAfterUpdates must be a positive integer, got ${options.compactAfterUpdates}`);
    }
    this.#db = options.db;
    this.#compactAfterUpdates = options.compactAfterUpdates;
    this.#flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.#log = options.log ?? createLogger("document-store");
  }

  /** Also rejects when updates of the document still queued here cannot be written first. */
  async load(documentId: string): Promise<Uint8Array | null> {
    // Updates still in memory would be missing from what the database returns.
    await this.flush(documentId);
    const { snapshot, updates } = await readDocumentState(this.#db, documentId);
    this.#loggedRows.set(documentId, updates.length);
    const parts = updates.map((row) => row.update);
    if (snapshot) parts.unshift(snapshot);
    return parts.length === 0 ? null : Y.mergeUpdatesV2(parts);
  }

  append(documentId: string, update: Uint8Array): Promise<void> {
    if (this.#closed) {
      throw new Error(`DocumentStore is closed; an update to document ${documentId} cannot be stored`);
    }
    const queue = this.#queueFor(documentId);
    queue.pending.push(update);
    queue.appended += 1;
    const position = queue.appended;
    this.#scheduleTick();
    return new Promise((resolve) => queue.storedWaiters.push({ position, appendedAt: Date.now(), resolve }));
  }

  /**
   * Resolves once every update appended before the call is stored, and any compaction that followed has ended.
   * Rejects when a write fails; the updates stay queued and are retried.
   */
  async flush(documentId?: string): Promise<void> {
    const queues =
      documentId === undefined
        ? [...this.#queues.values()]
        : [this.#queues.get(documentId)].filter((queue) => queue !== undefined);
    const results = await Promise.allSettled(queues.map((queue) => this.#flushQueue(queue)));
    const failure = results.find((result) => result.status === "rejected");
    if (failure) throw failure.reason;
  }

  /** Stores what is queued for the document, then folds its whole log into its snapshot, whatever its length. */
  async compact(documentId: string): Promise<void> {
    await this.flush(documentId);
    await this.#enqueueCompaction(this.#queueFor(documentId), { rethrow: true });
  }

  /** How far storage is behind the documents in memory: read by the metrics, not kept for them. */
  stats(now = Date.now()): StoreStats {
    let unstoredUpdates = 0;
    let oldestAppendedAt = Infinity;
    for (const queue of this.#queues.values()) {
      unstoredUpdates += queue.appended - queue.stored;
      oldestAppendedAt = Math.min(oldestAppendedAt, queue.storedWaiters[0]?.appendedAt ?? Infinity);
    }
    return {
      unstoredUpdates,
      oldestUnstoredAgeMs: oldestAppendedAt === Infinity ? 0 : now - oldestAppendedAt,
      storedUpdates: this.#storedUpdates,
      failing: this.#failing,
    };
  }

  /** Stores everything still queued, then stops: nothing stays scheduled and later appends are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    try {
      await this.flush();
    } finally {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  #queueFor(documentId: string): DocumentQueue {
    let queue = this.#queues.get(documentId);
    if (!queue) {
      queue = {
        documentId,
        pending: [],
        writing: null,
        appended: 0,
        stored: 0,
        storedWaiters: [],
        compaction: Promise.resolve(),
        compactionsInProgress: 0,
      };
      this.#queues.set(documentId, queue);
    }
    return queue;
  }

  #scheduleTick(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#tick();
    }, this.#flushIntervalMs);
  }

  #tick(): void {
    const ready = [...this.#queues.values()].filter((queue) => queue.pending.length > 0 && !queue.writing);
    // One statement for every document with new updates: per-statement cost, not bytes, dominates on PGlite.
    // The failure is logged inside; the tick only has to make sure it is retried.
    if (ready.length > 0) this.#startWrite(ready).catch(() => {});
    // A write that fails (or updates that arrived during one) leaves work for the next tick.
    if ([...this.#queues.values()].some((queue) => queue.pending.length > 0) && !this.#closed) {
      this.#scheduleTick();
    }
  }

  async #flushQueue(queue: DocumentQueue): Promise<void> {
    const target = queue.appended;
    while (queue.stored < target) {
      await (queue.writing ?? this.#startWrite([queue]));
    }
    await queue.compaction;
  }

  #startWrite(queues: DocumentQueue[]): Promise<void> {
    const batches = queues.map((queue) => ({ queue, updates: queue.pending.splice(0) }));
    const write = (async () => {
      try {
        // One row per document and batch, in V2 (the more compact encoding, and the only one the log and
        // snapshots hold): merging and converting once costs far less than a row per keystroke.
        await appendLogRows(
          this.#db,
          batches.map(({ queue, updates }) => ({ documentId: queue.documentId, update: mergeToV2(updates) })),
        );
      } catch (error) {
        for (const { queue, updates } of batches) {
          // Put the batch back ahead of anything that arrived meanwhile, to be retried in arrival order.
          queue.pending.unshift(...updates);
        }
        this.#reportWriteFailure(batches.map(({ queue }) => queue.documentId), error);
        if (!this.#closed) this.#scheduleTick();
        throw error;
      } finally {
        for (const { queue } of batches) queue.writing = null;
      }
      if (this.#failing) {
        this.#failing = false;
        this.#log.info("storing document updates works again");
      }
      for (const { queue, updates } of batches) this.#afterStored(queue, updates.length);
    })();
    for (const { queue } of batches) queue.writing = write;
    return write;
  }

  #afterStored(queue: DocumentQueue, updateCount: number): void {
    queue.stored += updateCount;
    this.#storedUpdates += updateCount;
    // Batches of a document are written one at a time and in arrival order, so these are the oldest waiters.
    while ((queue.storedWaiters[0]?.position ?? Infinity) <= queue.stored) queue.storedWaiters.shift()?.resolve();
    const logged = this.#loggedRows.get(queue.documentId);
    if (logged !== undefined) this.#loggedRows.set(queue.documentId, logged + 1);
    if (queue.compactionsInProgress === 0) {
      // Runs beside later writes, not as part of this one, so a slow compaction never delays durability.
      this.#enqueueCompaction(queue, { rethrow: false, onlyWhenDue: true }).catch(() => {});
    }
    this.#forgetIfIdle(queue);
  }

  #reportWriteFailure(documentIds: string[], error: unknown): void {
    const fields = { documentIds, error };
    if (this.#failing) {
      this.#log.debug("storing document updates failed again; will retry", fields);
    } else {
      this.#failing = true;
      this.#log.error("storing document updates failed; keeping them queued to retry", fields);
    }
  }

  #enqueueCompaction(queue: DocumentQueue, options: { rethrow: boolean; onlyWhenDue?: boolean }): Promise<void> {
    const { documentId } = queue;
    queue.compactionsInProgress += 1;
    const run = queue.compaction.then(async () => {
      try {
        if (options.onlyWhenDue && (await this.#countLoggedRows(documentId)) < this.#compactAfterUpdates) return;
        await this.#compactNow(documentId);
      } catch (error) {
        // The log is left as it was, so nothing is lost; the next write past the threshold tries again. Another
        // node compacting the same document at the same moment is expected when several share the database.
        const level = error instanceof ConcurrentCompactionError ? "info" : "error";
        this.#log[level]("compacting document failed", { documentId, error });
        if (options.rethrow) throw error;
      } finally {
        queue.compactionsInProgress -= 1;
        this.#forgetIfIdle(queue);
      }
    });
    // The chain itself never rejects, so one failed compaction does not block the next.
    queue.compaction = run.catch(() => {});
    return run;
  }

  async #compactNow(documentId: string): Promise<void> {
    const { snapshot, updates } = await readDocumentState(this.#db, documentId);
    if (updates.length === 0) return;
    // Applying to a Y.Doc (rather than only merging updates) lets Yjs drop the content of deleted text.
    const doc = new Y.Doc({ gc: true });
    try {
      if (snapshot) Y.applyUpdateV2(doc, snapshot);
      for (const row of updates) Y.applyUpdateV2(doc, row.update);
      const state = Y.encodeStateAsUpdateV2(doc);
      await replaceLogWithSnapshot(
        this.#db,
        documentId,
        state,
        updates.map((row) => row.seq),
        snapshot,
      );
      // Rows appended while this ran are still in the log and still counted.
      const logged = this.#loggedRows.get(documentId);
      if (logged !== undefined) this.#loggedRows.set(documentId, Math.max(0, logged - updates.length));
      this.#log.debug("compacted document", { documentId, updates: updates.length, bytes: state.byteLength });
    } finally {
      doc.destroy();
    }
  }

  async #countLoggedRows(documentId: string): Promise<number> {
    let logged = this.#loggedRows.get(documentId);
    if (logged === undefined) {
      logged = await countLoggedUpdates(this.#db, documentId);
      this.#loggedRows.set(documentId, logged);
    }
    return logged;
  }

  /** Drops the bookkeeping of a document with nothing in flight, so memory does not grow with every document ever edited. */
  #forgetIfIdle(queue: DocumentQueue): void {
    const idle =
      queue.pending.length === 0 && !queue.writing && queue.compactionsInProgress === 0 && queue.stored === queue.appended;
    if (idle && this.#queues.get(queue.documentId) === queue) this.#queues.delete(queue.documentId);
  }
}

function mergeToV2(updates: Uint8Array[]): Uint8Array {
  const [only] = updates;
  return Y.convertUpdateFormatV1ToV2(updates.length === 1 && only !== undefined ? only : Y.mergeUpdates(updates));
}
