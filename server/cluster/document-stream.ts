import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import * as Y from "yjs";
import type { Logger } from "#app/log.server";
import type { DocumentPersistence } from "#server/collab/persistence";
import type { PresenceChange } from "#server/collab/presence";
import type { DocumentSharing, SharedDocumentLink, SharedRoom } from "#server/collab/sharing";
import {
  markStored,
  parseEntry,
  readEntries,
  readWholeStream,
  releaseLease,
  renewLease,
  shareUpdate,
  streamIdAfter,
  takeLease,
  type DocumentKeys,
  type StreamEntry,
} from "./document-stream-scripts";
import { PresenceRelay } from "./presence-relay";
import { connectRedis, redisKey, type RedisSettings } from "./redis";

/**
 * One document across server processes (decision 0026), in the manner of y-redis: every update a process accepts
 * goes into the document's Redis stream; every process with the document open follows the stream and applies the
 * others' updates; one process at a time (the holder of the document's lease) writes the stream to PostgreSQL,
 * marks how far it has written, and trims what is written. The stream keeps everything not yet written, so a
 * process killed before its write loses nothing another one cannot take over.
 */

export interface DocumentStreamOptions {
  redis: RedisSettings;
  /** This process's store: the database half of every load, and what the lease holder writes with. */
  store: DocumentPersistence;
  log: Logger;
  /** Another process's update reached a room here: copies of the document kept for readers are out of date. */
  onRemoteChange?: (documentId: string) => void;
  /** How long a lease lasts without renewal: how soon another process takes over writing after one dies. */
  leaseMs?: number;
  /** How often leases are renewed, presence refreshed and waiting updates checked. */
  tickMs?: number;
  /** A process not heard from for this long has its presence removed. */
  presenceTimeoutMs?: number;
  /**
   * An update of this process's that is not known stored after this long (Redis away, or nobody writing) is written
   * to the database directly; the stream's copy is written again later, which Yjs takes as the duplicate it is.
   */
  directWriteAfterMs?: number;
  /** How long a load waits for Redis before it starts from the database alone. */
  loadTimeoutMs?: number;
  /**
   * An update of this process's not in the stream after this long means its editors are told that their changes may
   * not reach the other processes yet (as they are at once while Redis is unreachable).
   */
  reachLagMs?: number;
}

/** Counters and gauges since the process started, for metrics (server/cluster/cluster-metrics.ts). */
export interface ClusterMetrics {
  updatesShared: number;
  updatesReceived: number;
  entriesStored: number;
  /** Times a process found stream entries trimmed before it read them and read the database again. */
  gapReloads: number;
  /** Updates written to the database directly because they were not known stored in time. */
  directWrites: number;
  leasesTaken: number;
  presenceMessagesSent: number;
  presenceMessagesReceived: number;
  /** Age of the last entry read from another process when it arrived here, and the largest such age. */
  lastDeliveryLagMs: number;
  maxDeliveryLagMs: number;
}

export interface DocumentClusterState {
  documentId: string;
  /** This process writes the document's stream to the database now. */
  holdsLease: boolean;
  /** Updates accepted here and not yet in the stream (Redis away). */
  waitingToShare: number;
  /** Updates accepted here and not yet known stored. */
  waitingForStorage: number;
  /** How long the oldest of those has waited. */
  oldestWaitingMs: number;
  /** What this process's editors of the document were last told: their changes reach the other processes. */
  reachesOthers: boolean;
}

export interface ClusterStatus {
  nodeId: string;
  redisReachable: boolean;
  /** Updates of this process wait to reach the other processes or the database: editors should be told. */
  lagging: boolean;
  documents: DocumentClusterState[];
  metrics: ClusterMetrics;
}

const DEFAULT_LEASE_MS = 5_000;
const DEFAULT_TICK_MS = 1_000;
const DEFAULT_PRESENCE_TIMEOUT_MS = 5_000;
const DEFAULT_DIRECT_WRITE_AFTER_MS = 5_000;
const DEFAULT_LOAD_TIMEOUT_MS = 3_000;
// Sharing an update takes one round trip to Redis; one still waiting after this long is held back, not on its way.
const DEFAULT_REACH_LAG_MS = 2_000;
const READ_BLOCK_MS = 5_000;
const READ_COUNT = 500;
const RETRY_MS = 250;

/** An update of this process's, from its acceptance until it is known stored. */
interface Outgoing {
  update: Uint8Array;
  /** Its stream id once shared. */
  id: string | null;
  queuedAt: number;
  settle(): void;
}

/** Everything this process knows and does about one document while a room has it open or its updates wait. */
class DocumentChannel {
  readonly rooms = new Set<SharedRoom>();
  /** Where following the stream resumes, and the sequence number last read; null cursor: not following yet. */
  cursor: string | null = null;
  seq: number | null = null;
  readonly unshared: Outgoing[] = [];
  readonly unstored: Outgoing[] = [];
  /** The promise of the latest update being stored, and so every one before it. */
  storedTail: Promise<void> = Promise.resolve();
  holdsLease = false;
  /** The last stream entry this holder has written. */
  writtenUpTo: string | null = null;
  writing: Promise<void> | null = null;
  writeAgain = false;
  readonly lastHeard = new Map<string, number>();
  /** What the rooms' editors were last told: this process's changes reach the other processes. */
  reachesOthers = true;

  constructor(
    readonly documentId: string,
    readonly keys: DocumentKeys,
  ) {}

  get idle(): boolean {
    return this.rooms.size === 0 && this.unshared.length === 0 && this.unstored.length === 0 && !this.holdsLease && this.writing === null;
  }
}

export class DocumentStream implements DocumentSharing {
  readonly nodeId = `${Date.now().toString(36)}-${randomBytes(6).toString("hex")}`;
  readonly metrics: ClusterMetrics = {
    updatesShared: 0,
    updatesReceived: 0,
    entriesStored: 0,
    gapReloads: 0,
    directWrites: 0,
    leasesTaken: 0,
    presenceMessagesSent: 0,
    presenceMessagesReceived: 0,
    lastDeliveryLagMs: 0,
    maxDeliveryLagMs: 0,
  };
  private readonly commands: Redis;
  private readonly reader: Redis;
  private readonly subscriber: Redis;
  private readonly presence: PresenceRelay;
  private readonly channels = new Map<string, DocumentChannel>();
  private readonly byStream = new Map<string, DocumentChannel>();
  private readonly leaseMs: number;
  private readonly presenceTimeoutMs: number;
  private readonly directWriteAfterMs: number;
  private readonly loadTimeoutMs: number;
  private readonly reachLagMs: number;
  private readonly ticker: NodeJS.Timeout;
  private readonly log: Logger;
  private stopped = false;
  /** The sequence number of each document's stream when this process last asked (changedElsewhere). */
  private readonly seenSequence = new Map<string, string | null>();
  private readerId: number | null = null;
  private reading = false;
  private wakeReader: (() => void) | null = null;
  private sharing = false;
  private readonly readLoop: Promise<void>;

  constructor(private readonly options: DocumentStreamOptions) {
    this.log = options.log;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.presenceTimeoutMs = options.presenceTimeoutMs ?? DEFAULT_PRESENCE_TIMEOUT_MS;
    this.directWriteAfterMs = options.directWriteAfterMs ?? DEFAULT_DIRECT_WRITE_AFTER_MS;
    this.loadTimeoutMs = options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;
    this.reachLagMs = options.reachLagMs ?? DEFAULT_REACH_LAG_MS;
    this.commands = connectRedis(options.redis, this.log);
    // Blocking reads and subscriptions hold their connection: each gets its own.
    this.reader = connectRedis(options.redis, this.log);
    this.subscriber = connectRedis(options.redis, this.log);
    this.reader.on("ready", () => {
      this.readerId = null;
      this.reader.client("ID").then(
        (id) => (this.readerId = Number(id)),
        () => {},
      );
    });
    // Editors hear at once that Redis went away or came back, not at the next tick.
    for (const connection of [this.commands, this.reader]) {
      connection.on("ready", () => this.updateReach());
      connection.on("close", () => this.updateReach());
    }
    this.presence = new PresenceRelay(this.subscriber, this.commands, this.nodeId, this.log, this.metrics);
    this.ticker = setInterval(() => this.tick(), options.tickMs ?? DEFAULT_TICK_MS);
    this.readLoop = this.follow();
  }

  /** What rooms store through: updates go into the stream, and count as stored once the lease holder wrote them. */
  readonly persistence: DocumentPersistence = {
    load: async (documentId) => (await this.loadShared(documentId, this.keysFor(documentId))).state,
    append: (documentId, update) => this.append(this.channelFor(documentId), update),
    flush: async (documentId) => {
      const channels = documentId === undefined ? [...this.channels.values()] : [this.channels.get(documentId)].filter((known) => known !== undefined);
      await Promise.all(channels.map((channel) => channel.storedTail));
    },
  };

  open(documentId: string, room: SharedRoom): SharedDocumentLink {
    const channel = this.channelFor(documentId);
    channel.rooms.add(room);
    return {
      load: async () => {
        const { state, cursor, seq } = await this.loadShared(documentId, channel.keys);
        // A channel already followed keeps its place: everything after it reaches this room as it arrives.
        if (channel.cursor === null) {
          channel.cursor = cursor;
          channel.seq = seq;
          this.interruptRead();
        }
        return state;
      },
      reachesOthers: () => channel.reachesOthers,
      publishPresence: (changes) => this.presence.publish(channel.keys.presence, changes),
      close: () => {
        channel.rooms.delete(room);
        this.forgetIfIdle(channel);
      },
    };
  }

  /**
   * Whether the document may have changed since the last call, for copies kept of documents not open here: its
   * stream's sequence number moved, or Redis cannot say. One small read instead of loading the document.
   */
  async changedElsewhere(documentId: string): Promise<boolean> {
    const before = this.seenSequence.get(documentId);
    let now: string | null;
    try {
      if (this.commands.status !== "ready") throw new Error("Redis is not reachable");
      now = await withTimeout(this.commands.get(this.keysFor(documentId).sequence), this.loadTimeoutMs);
    } catch {
      this.seenSequence.delete(documentId);
      return true;
    }
    this.seenSequence.set(documentId, now);
    return before === undefined || before !== now;
  }

  clusterStatus(): ClusterStatus {
    const now = Date.now();
    const documents = [...this.channels.values()].map((channel) => ({
      documentId: channel.documentId,
      holdsLease: channel.holdsLease,
      waitingToShare: channel.unshared.length,
      waitingForStorage: channel.unstored.length,
      oldestWaitingMs: Math.max(0, ...[channel.unshared[0], channel.unstored[0]].map((oldest) => (oldest ? now - oldest.queuedAt : 0))),
      reachesOthers: channel.reachesOthers,
    }));
    const redisReachable = this.redisReachable();
    const lagging = !redisReachable || documents.some((document) => document.oldestWaitingMs > this.directWriteAfterMs);
    return { nodeId: this.nodeId, redisReachable, lagging, documents, metrics: { ...this.metrics } };
  }

  private redisReachable(): boolean {
    return this.commands.status === "ready" && this.reader.status === "ready";
  }

  /** Tells the rooms of every document whose reach changed since they were last told. */
  private updateReach(): void {
    // Closing disconnects Redis on purpose: nobody is left to tell.
    if (this.stopped) return;
    const now = Date.now();
    const redisReachable = this.redisReachable();
    for (const channel of this.channels.values()) {
      const oldestUnshared = channel.unshared[0];
      const reaches = changesReachOthers({
        redisReachable,
        oldestUnsharedMs: oldestUnshared === undefined ? 0 : now - oldestUnshared.queuedAt,
        reachLagMs: this.reachLagMs,
      });
      if (reaches === channel.reachesOthers) continue;
      channel.reachesOthers = reaches;
      for (const room of channel.rooms) room.reachChanged(reaches);
    }
  }

  /** After the rooms closed: writes what this process holds leases for, gives them up and disconnects. */
  async close(): Promise<void> {
    if (this.stopped) return;
    clearInterval(this.ticker);
    const holding = [...this.channels.values()].filter((channel) => channel.holdsLease);
    await withTimeout(
      Promise.all(
        holding.map(async (channel) => {
          await this.writeStream(channel);
          await releaseLease(this.commands, channel.keys, this.nodeId);
        }),
      ),
      this.loadTimeoutMs,
    ).catch(() => {});
    this.stopped = true;
    this.interruptRead();
    this.wakeReader?.();
    this.commands.disconnect();
    this.reader.disconnect();
    this.subscriber.disconnect();
    await this.readLoop;
  }

  private channelFor(documentId: string): DocumentChannel {
    let channel = this.channels.get(documentId);
    if (channel === undefined) {
      channel = new DocumentChannel(documentId, this.keysFor(documentId));
      channel.reachesOthers = this.redisReachable();
      this.channels.set(documentId, channel);
      this.byStream.set(channel.keys.stream, channel);
      const followed = channel;
      this.presence.follow(channel.keys.presence, {
        changed: (node, changes) => this.receivePresence(followed, node, changes),
        queried: () => this.refreshPresence(followed),
      });
    }
    return channel;
  }

  private keysFor(documentId: string): DocumentKeys {
    const key = (...parts: string[]) => redisKey(this.options.redis, "doc", documentId, ...parts);
    return { stream: key("updates"), sequence: key("seq"), stored: key("stored"), lease: key("lease"), presence: key("presence") };
  }

  private forgetIfIdle(channel: DocumentChannel): void {
    if (!channel.idle || this.channels.get(channel.documentId) !== channel) return;
    this.channels.delete(channel.documentId);
    this.byStream.delete(channel.keys.stream);
    this.presence.unfollow(channel.keys.presence);
    this.interruptRead();
  }

  /**
   * The stream first, then the database: an entry trimmed before the stream was read was stored before it, so the
   * database read after has it. Entries added later are read by following from the stream's end.
   */
  private async loadShared(
    documentId: string,
    keys: DocumentKeys,
  ): Promise<{ state: Uint8Array | null; cursor: string; seq: number | null }> {
    let shared: { entries: StreamEntry[]; seq: number } | null = null;
    try {
      shared = await withTimeout(readWholeStream(this.commands, keys), this.loadTimeoutMs);
    } catch (error) {
      this.log.warn("loading a document without Redis; what other processes have not stored yet arrives later", { documentId, error });
    }
    const stored = await this.options.store.load(documentId);
    const parts = stored === null ? [] : [stored];
    for (const entry of shared?.entries ?? []) {
      if (entry.type === "update") parts.push(Y.convertUpdateFormatV1ToV2(entry.update));
    }
    const state = parts.length === 0 ? null : Y.mergeUpdatesV2(parts);
    // Without the stream's position, following starts at its beginning and reads the database again first (seq null).
    if (shared === null) return { state, cursor: "0-0", seq: null };
    return { state, cursor: shared.entries.at(-1)?.id ?? "0-0", seq: shared.seq };
  }

  private append(channel: DocumentChannel, update: Uint8Array): Promise<void> {
    let settle = () => {};
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const outgoing: Outgoing = { update, id: null, queuedAt: Date.now(), settle };
    channel.unshared.push(outgoing);
    channel.unstored.push(outgoing);
    // In order: the room announces stored updates as one continuous range (decision 0014).
    const stored = Promise.all([channel.storedTail, settled]).then(() => {});
    channel.storedTail = stored;
    void this.share();
    return stored;
  }

  /** Puts this process's updates into their streams, one at a time and in the order they were accepted. */
  private async share(): Promise<void> {
    if (this.sharing) return;
    this.sharing = true;
    try {
      for (;;) {
        const channel = [...this.channels.values()].find((candidate) => candidate.unshared.length > 0);
        const next = channel?.unshared[0];
        if (channel === undefined || next === undefined || this.stopped) return;
        try {
          // ioredis keeps the command while Redis is away and sends it once it is back.
          next.id = await shareUpdate(this.commands, channel.keys, this.nodeId, next.update);
          this.metrics.updatesShared++;
          channel.unshared.shift();
          this.forgetIfIdle(channel);
        } catch (error) {
          if (this.stopped) return;
          this.log.warn("could not share an update; retrying", { documentId: channel.documentId, error });
          await delay(RETRY_MS);
        }
      }
    } finally {
      this.sharing = false;
    }
  }

  /** One blocking read for the streams of every followed document, issued again whenever that set changes. */
  private async follow(): Promise<void> {
    while (!this.stopped) {
      const followed = [...this.channels.values()].filter((channel) => channel.cursor !== null);
      if (followed.length === 0) {
        await new Promise<void>((resolve) => (this.wakeReader = resolve));
        this.wakeReader = null;
        continue;
      }
      let reply: Array<[Buffer, Array<[Buffer, Buffer[]]>]> | null;
      try {
        this.reading = true;
        reply = (await this.reader.xreadBuffer(
          "COUNT",
          READ_COUNT,
          "BLOCK",
          READ_BLOCK_MS,
          "STREAMS",
          ...followed.map((channel) => channel.keys.stream),
          ...followed.map((channel) => channel.cursor ?? "0-0"),
        )) as Array<[Buffer, Array<[Buffer, Buffer[]]>]> | null;
      } catch (error) {
        if (this.stopped) return;
        this.log.debug("reading the document streams failed; retrying", { error });
        await delay(RETRY_MS);
        continue;
      } finally {
        this.reading = false;
      }
      for (const [stream, entries] of reply ?? []) {
        const channel = this.byStream.get(stream.toString());
        if (channel === undefined) continue;
        for (const [id, fields] of entries) {
          const entry = parseEntry(id, fields);
          if (entry !== null) await this.receive(channel, entry);
          channel.cursor = id.toString();
        }
      }
    }
  }

  private interruptRead(): void {
    this.wakeReader?.();
    if (!this.reading || this.readerId === null || this.commands.status !== "ready") return;
    this.commands.client("UNBLOCK", this.readerId).catch(() => {});
  }

  private async receive(channel: DocumentChannel, entry: StreamEntry): Promise<void> {
    // A skipped sequence number means entries were trimmed unread: they were stored first, so the database has them.
    // One that went back means Redis lost its data (restarted without persistence): what was lost is in the
    // database, or will be once its process writes it directly.
    if (entry.seq !== (channel.seq ?? Number.NaN) + 1) await this.catchUpFromDatabase(channel);
    channel.seq = entry.seq;
    if (entry.type === "stored") {
      this.settleStored(channel, entry.upTo);
      return;
    }
    if (channel.holdsLease) void this.writeStream(channel);
    if (entry.node === this.nodeId) return;
    const lag = Math.max(0, Date.now() - Number(entry.id.split("-")[0]));
    this.metrics.updatesReceived++;
    this.metrics.lastDeliveryLagMs = lag;
    this.metrics.maxDeliveryLagMs = Math.max(this.metrics.maxDeliveryLagMs, lag);
    for (const room of channel.rooms) room.applyRemoteUpdate(entry.update);
    this.options.onRemoteChange?.(channel.documentId);
  }

  private async catchUpFromDatabase(channel: DocumentChannel): Promise<void> {
    this.metrics.gapReloads++;
    try {
      const stored = await this.options.store.load(channel.documentId);
      if (stored === null) return;
      const update = Y.convertUpdateFormatV2ToV1(stored);
      for (const room of channel.rooms) room.applyRemoteUpdate(update);
      this.options.onRemoteChange?.(channel.documentId);
    } catch (error) {
      this.log.error("could not read a document again after missing part of its stream", { documentId: channel.documentId, error });
    }
  }

  /** Updates of this process's are stored once an entry says the stream is written up to theirs. */
  private settleStored(channel: DocumentChannel, upTo: string): void {
    while (channel.unstored[0]?.id != null && !streamIdAfter(channel.unstored[0].id, upTo)) channel.unstored.shift()?.settle();
    this.forgetIfIdle(channel);
  }

  /** The lease holder writes the stream after the last entry it wrote, marks it stored, and trims it. */
  private writeStream(channel: DocumentChannel): Promise<void> {
    if (channel.writing !== null) {
      channel.writeAgain = true;
      return channel.writing;
    }
    const write = async () => {
      do {
        channel.writeAgain = false;
        while (channel.writtenUpTo !== null) {
          const entries = await readEntries(this.commands, channel.keys, channel.writtenUpTo, READ_COUNT);
          const last = entries.at(-1);
          if (last === undefined) break;
          const updates = entries.flatMap((entry) => (entry.type === "update" ? [entry.update] : []));
          await Promise.all(updates.map((update) => this.options.store.append(channel.documentId, update)));
          this.metrics.entriesStored += updates.length;
          await markStored(this.commands, channel.keys, this.nodeId, last.id);
          channel.writtenUpTo = last.id;
        }
      } while (channel.writeAgain && !this.stopped);
    };
    // Never rejects: a failed write is tried again at the next tick or entry.
    const writing = write()
      .catch((error: unknown) => {
        if (!this.stopped) this.log.warn("could not write a document's stream to the database; retrying", { documentId: channel.documentId, error });
      })
      .finally(() => {
        channel.writing = null;
        this.forgetIfIdle(channel);
      });
    channel.writing = writing;
    return writing;
  }

  private tick(): void {
    this.updateReach();
    const now = Date.now();
    for (const channel of [...this.channels.values()]) {
      void this.tend(channel).catch((error: unknown) =>
        this.log.debug("could not tend a document's lease", { documentId: channel.documentId, error }),
      );
      this.refreshPresence(channel);
      for (const [node, heardAt] of channel.lastHeard) {
        if (now - heardAt <= this.presenceTimeoutMs) continue;
        channel.lastHeard.delete(node);
        for (const room of channel.rooms) room.removeRemotePresence(node);
      }
      const oldest = channel.unstored[0];
      if (oldest !== undefined && now - oldest.queuedAt > this.directWriteAfterMs) void this.writeDirectly(channel);
    }
  }

  /**
   * A process with the document open holds the lease or tries to take it; one without rooms writes what it read and
   * gives it up, so that one that has the document open takes over.
   */
  private async tend(channel: DocumentChannel): Promise<void> {
    if (this.commands.status !== "ready") return;
    if (channel.rooms.size === 0) {
      if (!channel.holdsLease) return;
      await this.writeStream(channel);
      await releaseLease(this.commands, channel.keys, this.nodeId);
      channel.holdsLease = false;
      channel.writtenUpTo = null;
      this.forgetIfIdle(channel);
      return;
    }
    if (channel.cursor === null) return;
    if (channel.holdsLease) {
      if (await renewLease(this.commands, channel.keys, this.nodeId, this.leaseMs)) return void this.writeStream(channel);
      this.log.info("lost a document's lease", { documentId: channel.documentId });
      channel.holdsLease = false;
      channel.writtenUpTo = null;
      return;
    }
    if (!(await takeLease(this.commands, channel.keys, this.nodeId, this.leaseMs))) return;
    this.metrics.leasesTaken++;
    channel.writtenUpTo = (await this.commands.get(channel.keys.stored)) ?? "0-0";
    channel.holdsLease = true;
    this.log.debug("took a document's lease", { documentId: channel.documentId, from: channel.writtenUpTo });
    await this.writeStream(channel);
  }

  /** Updates not known stored in time go to the database from here; the holder writes them again from the stream. */
  private async writeDirectly(channel: DocumentChannel): Promise<void> {
    const waiting = channel.unstored.splice(0);
    this.metrics.directWrites += waiting.length;
    this.log.warn("writing updates to the database directly: they were not stored through the stream in time", {
      documentId: channel.documentId,
      updates: waiting.length,
    });
    await Promise.all(waiting.map((outgoing) => this.options.store.append(channel.documentId, outgoing.update)));
    for (const outgoing of waiting) outgoing.settle();
    this.forgetIfIdle(channel);
  }

  private receivePresence(channel: DocumentChannel, node: string, changes: readonly PresenceChange[]): void {
    channel.lastHeard.set(node, Date.now());
    for (const room of channel.rooms) room.applyRemotePresence(node, changes);
  }

  private refreshPresence(channel: DocumentChannel): void {
    const local = [...channel.rooms].flatMap((room) => room.localPresence());
    this.presence.publish(channel.keys.presence, local);
  }
}

/**
 * Whether a process's changes to a document reach the other processes: Redis answers, and none of its updates has
 * waited longer than `reachLagMs` to go into the stream.
 */
export function changesReachOthers(state: { redisReachable: boolean; oldestUnsharedMs: number; reachLagMs: number }): boolean {
  return state.redisReachable && state.oldestUnsharedMs <= state.reachLagMs;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
