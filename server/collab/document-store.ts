import type { Kysely } from "kysely";
import * as Y from "yjs";
import {
  appendUpdates,
  countLoggedUpdates,
  readDocumentState,
  replaceLogWithSnapshot,
} from "../../db/repositories/document-state";
import type { Database } from "../../db/schema";
import { createLogger, type Logger } from "../log";
import type { DocumentPersistence } from "./persistence";

export interface DocumentStoreOptions {
  db: Kysely<Database>;
  /** Once a document's log holds this many updates, they are folded into its snapshot. */
  compactAfterUpdates: number;
  /** How long an update may wait in memory to be batched with others; keep well under a second. */
  flushIntervalMs?: number;
  log?: Logger;
}

const DEFAULT_FLUSH_INTERVAL_MS = 150;

/** What the store holds for one document between its arrival in memory and its safe storage. */
interface DocumentQueue {
  documentId: string;
  /** V2 updates not yet written, oldest first. */
  pending: Uint8Array[];
  /** The write in progress; writes of one document run one at a time, so the log keeps arrival order. */
  writing: Promise<void> | null;
  /** Counts of updates ever appended and ever stored, so flush can wait for "everything so far" only. */
  appended: number;
  stored: number;
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
  /** Set while writes keep failing, so an outage is logged once as an error rather than every tick. */
  #failing = false;

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
    const parts = updates.map((row) => row.update);
    if (snapshot) parts.unshift(snapshot);
    return parts.length === 0 ? null : Y.mergeUpdatesV2(parts);
  }

  append(documentId: string, update: Uint8Array): void {
    if (this.#closed) {
      throw new Error(`DocumentStore is closed; an update to document ${documentId} cannot be stored`);
    }
    const queue = this.#queueFor(documentId);
    // V2 is the more compact encoding, and the log and snapshot store only V2.
    queue.pending.push(Y.convertUpdateFormatV1ToV2(update));
    queue.appended += 1;
    this.#scheduleTick();
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
    for (const queue of this.#queues.values()) {
      if (queue.pending.length > 0 && !queue.writing) {
        // The failure is logged inside; the tick only has to make sure it is retried.
        this.#startWrite(queue).catch(() => {});
      }
    }
    // A write that fails (or updates that arrived during one) leaves work for the next tick.
    if ([...this.#queues.values()].some((queue) => queue.pending.length > 0) && !this.#closed) {
      this.#scheduleTick();
    }
  }

  async #flushQueue(queue: DocumentQueue): Promise<void> {
    const target = queue.appended;
    while (queue.stored < target) {
      await (queue.writing ?? this.#startWrite(queue));
    }
    await queue.compaction;
  }

  #startWrite(queue: DocumentQueue): Promise<void> {
    const { documentId } = queue;
    const batch = queue.pending.splice(0);
    const write = (async () => {
      try {
        await appendUpdates(this.#db, documentId, batch);
      } catch (error) {
        // Put the batch back ahead of anything that arrived meanwhile, to be retried in arrival order.
        queue.pending.unshift(...batch);
        this.#reportWriteFailure(queue, error);
        if (!this.#closed) this.#scheduleTick();
        throw error;
      } finally {
        queue.writing = null;
      }
      queue.stored += batch.length;
      if (this.#failing) {
        this.#failing = false;
        this.#log.info("storing document updates works again", { documentId });
      }
      if (queue.compactionsInProgress === 0) {
        // Runs beside later writes, not as part of this one, so a slow compaction never delays durability.
        this.#enqueueCompaction(queue, { rethrow: false, onlyWhenDue: true }).catch(() => {});
      }
      this.#forgetIfIdle(queue);
    })();
    queue.writing = write;
    return write;
  }

  #reportWriteFailure(queue: DocumentQueue, error: unknown): void {
    const fields = { documentId: queue.documentId, queued: queue.pending.length, error };
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
        if (options.onlyWhenDue) {
          const logged = await countLoggedUpdates(this.#db, documentId);
          if (logged < this.#compactAfterUpdates) return;
        }
        await this.#compactNow(documentId);
      } catch (error) {
        // The log is left as it was, so nothing is lost; the next write past the threshold tries again.
        this.#log.error("compacting document failed", { documentId, error });
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
      );
      this.#log.debug("compacted document", { documentId, updates: updates.length, bytes: state.byteLength });
    } finally {
      doc.destroy();
    }
  }

  /** Drops the bookkeeping of a document with nothing in flight, so memory does not grow with every document ever edited. */
  #forgetIfIdle(queue: DocumentQueue): void {
    const idle =
      queue.pending.length === 0 && !queue.writing && queue.compactionsInProgress === 0 && queue.stored === queue.appended;
    if (idle && this.#queues.get(queue.documentId) === queue) this.#queues.delete(queue.documentId);
  }
}
