import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { PresenceChange } from "#server/collab/presence";
import type { SharedRoom } from "#server/collab/sharing";
import { DocumentStream } from "#server/cluster/document-stream";
import { redisKey } from "#server/cluster/redis";
import { DOC_ID, MemoryPersistence, silentLogger, textOf, typed } from "#tests/support/collab-fakes";
import { redisUrl, scratchRedis } from "#tests/support/redis";
import { eventually } from "#tests/support/wait";

/** A room as the stream sees it: a document that takes what other processes send. */
class FakeRoom implements SharedRoom {
  readonly doc = new Y.Doc();
  applyRemoteUpdate(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update);
  }
  applyRemotePresence(_node: string, _changes: readonly PresenceChange[]): void {}
  removeRemotePresence(_node: string): void {}
  localPresence(): PresenceChange[] {
    return [];
  }
  reachChanged(_reachesOthers: boolean): void {}
}

describe.runIf(redisUrl)("a document's Redis stream", () => {
  const redis = redisUrl ? scratchRedis() : null;
  const streams: DocumentStream[] = [];

  afterEach(async () => {
    for (const stream of streams.splice(0)) await stream.close();
    await redis?.clear();
  });

  function node(store: MemoryPersistence) {
    if (!redis) throw new Error("no Redis");
    const stream = new DocumentStream({ redis, store, log: silentLogger(), tickMs: 100, leaseMs: 500 });
    streams.push(stream);
    return stream;
  }

  it("stores each process's updates once, through the lease holder, and acknowledges them to the process that accepted them", async () => {
    const store = new MemoryPersistence();
    const [a, b] = [node(store), node(store)];
    const [roomA, roomB] = [new FakeRoom(), new FakeRoom()];
    const [linkA, linkB] = [a.open(DOC_ID, roomA), b.open(DOC_ID, roomB)];
    await Promise.all([linkA.load(), linkB.load()]);

    const update = typed("Från A");
    Y.applyUpdate(roomA.doc, update);
    await a.persistence.append(DOC_ID, update);

    expect(textOf(roomB.doc)).toBe("Från A");
    // Written once, by whichever process holds the lease, however many have the document open.
    expect(store.appended).toHaveLength(1);
    linkA.close();
    linkB.close();
  });

  it("reads the database again when entries were trimmed before it read them", async () => {
    if (!redis) throw new Error("no Redis");
    const store = new MemoryPersistence();
    const b = node(store);
    const roomB = new FakeRoom();
    const link = b.open(DOC_ID, roomB);
    await link.load();

    // Another process's entries were stored and trimmed while this one was not reading: only their number is left.
    store.seed(DOC_ID, typed("Lagrat och bortklippt"));
    const admin = new Redis(redis.url);
    try {
      await admin.incrby(redisKey(redis, "doc", DOC_ID, "seq"), 5);
    } finally {
      admin.disconnect();
    }
    const a = node(new MemoryPersistence());
    const roomA = new FakeRoom();
    a.open(DOC_ID, roomA);
    void a.persistence.append(DOC_ID, typed(" och sedan"));

    await eventually(() => expect(b.clusterStatus().metrics.gapReloads).toBe(1));
    expect(textOf(roomB.doc)).toContain("Lagrat och bortklippt");
    link.close();
  });
});
