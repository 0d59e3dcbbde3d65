import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { openDatabase, type DatabaseHandle } from "#db/client";
import { findDocumentBySlug } from "#db/repositories/documents";
import { signedInAs } from "#tests/support/accounts";
import { nginxInstalled, startCluster, type Cluster } from "#tests/support/cluster";
import { blockText, connectClient, paragraphIds, plainText, waitForDoc, type CollabClient } from "#tests/support/collab-client";
import { storedDocument } from "#tests/support/database";
import { startDatabaseProxy, type DatabaseProxy } from "#tests/support/database-proxy";
import { startOwnRedis, type OwnRedis } from "#tests/support/own-redis";
import { redisUrl } from "#tests/support/redis";
import { scaledMs, WAIT_MS } from "#tests/support/time";
import { eventually } from "#tests/support/wait";

/**
 * The fault suite of issue 15: three production nodes behind the documented nginx, editors typing through nginx
 * while a node is killed, Redis or PostgreSQL goes away, or a node is drained; and the failure modes Hocuspocus had
 * with Redis (its PRs #983 and #1032). Each scenario counts the edits typed, those another editor received, those
 * stored, and those lost (received by someone but not stored), and prints one line of figures (docs/performance.md,
 * "Fault suite").
 */

const NODES = 3;
const EDITORS = 6;
const KEY_PREFIX = "samrad-faults";
/** Each editor inserts a token this often: six editors make about 150 edits a second on the cluster. */
const TYPE_EVERY_MS = 40;
/** The outage the Redis scenario is about: held down for this long on purpose. */
const REDIS_DOWN_MS = 10_000;
/** Longer than the 5 s after which a node writes its own updates to the database directly (decision 0026). */
const DATABASE_DOWN_MS = 6_000;
/** A token names its editor and its number, so that every edit can be found in any text. */
const TOKEN = /\[c\d+-\d+\]/g;

/** A small deterministic generator, so that a failing interleaving can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const tokensIn = (text: string): string[] => [...text.matchAll(TOKEN)].map((match) => match[0]);

/** Positions after a space or a token (and the start): an insert there never splits a word or another token. */
function wordBoundaries(text: Y.XmlText): number[] {
  const boundaries = [0];
  let position = 0;
  // The delta, not toString(), which writes marks as tags: its indices are not the text's.
  for (const change of text.toDelta() as Array<{ insert?: unknown }>) {
    if (typeof change.insert !== "string") {
      position += 1;
      continue;
    }
    for (const char of change.insert) {
      position += 1;
      if (char === " " || char === "]") boundaries.push(position);
    }
  }
  return boundaries;
}

interface Editor {
  index: number;
  client: CollabClient;
  /** The node its websocket is on (through nginx), found by a probe edit. */
  node: number;
  /** Tokens of other editors this editor's document received, and when. */
  received: Map<string, number>;
  /** Times its connection dropped ("disconnected" status). */
  disconnects: number[];
  /** Times it finished a sync with a server. */
  syncs: number[];
}

interface Figures {
  scenario: string;
  typed: number;
  received: number;
  stored: number;
  lost: string[];
  unstored: string[];
  /** What the scenario measures as its recovery, in ms. */
  recovery: string;
}

describe.runIf(redisUrl && process.env.TEST_DATABASE_URL && nginxInstalled)("faults in three nodes behind nginx", () => {
  let ownRedis: OwnRedis;
  let proxy: DatabaseProxy | undefined;
  let cluster: Cluster;
  let database: DatabaseHandle;
  let redis: Redis;
  let documentId: string;
  let paragraphs: string[] = [];
  const editors: Editor[] = [];
  /** Typing sessions to stop even when a scenario fails midway. */
  const stopTyping: Array<() => void> = [];

  beforeAll(async () => {
    ownRedis = await startOwnRedis();
    cluster = await startCluster({
      nodes: NODES,
      env: { REDIS_URL: ownRedis.url, REDIS_KEY_PREFIX: KEY_PREFIX, DRAIN_DELAY_MS: "500", METRICS_ALLOW_LOOPBACK: "1" },
      nodeDatabaseUrl: async (url) => {
        proxy = await startDatabaseProxy(url);
        return proxy.url;
      },
    });
    database = await openDatabase({ databaseUrl: cluster.databaseUrl, dataDir: "unused" });
    redis = new Redis(ownRedis.url, { maxRetriesPerRequest: null });
    // Refused connections while the scenario has Redis down are expected; ioredis reconnects by itself.
    redis.on("error", () => {});
    const document = await findDocumentBySlug(database.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    documentId = document.id;
    paragraphs = paragraphIds(await storedDocument(database.db, documentId));
  });

  afterEach(async () => {
    for (const stop of stopTyping.splice(0)) stop();
    for (const editor of editors.splice(0)) editor.client.destroy();
    for (let node = 0; node < NODES; node++) if (!cluster.nodeRunning(node)) await cluster.restart(node);
  });

  afterAll(async () => {
    redis?.disconnect();
    await database?.close();
    await cluster?.stop();
    await proxy?.close();
    await ownRedis?.stop();
  });

  /** How many document updates each node has received from its connections. */
  async function updatesReceivedByNode(): Promise<number[]> {
    return Promise.all(
      Array.from({ length: NODES }, async (_unused, node) => {
        if (!cluster.nodeRunning(node)) return 0;
        const text = await (await fetch(`${cluster.nodeUrl(node)}/metrics`)).text();
        return Number(/^samrad_collab_updates_received_total (\d+)/m.exec(text)?.[1] ?? 0);
      }),
    );
  }

  /** `count` editors through nginx, each with the node it landed on; their first token is the probe that tells. */
  async function connectEditors(paragraphId: string, count = EDITORS): Promise<Editor[]> {
    const connected: Editor[] = [];
    for (let index = 0; index < count; index++) {
      const { cookie } = await signedInAs(database.db, "editor", `Redaktör ${index} ${Date.now().toString(36)}`);
      const client = await connectClient(cluster.url, documentId, { cookie });
      const editor: Editor = { index, client, node: -1, received: new Map(), disconnects: [], syncs: [] };
      editors.push(editor);
      client.provider.on("status", ({ status }: { status: string }) => {
        if (status === "disconnected") editor.disconnects.push(Date.now());
      });
      client.provider.on("sync", (synced: boolean) => {
        if (synced) editor.syncs.push(Date.now());
      });
      blockText(client.doc, paragraphId).observe((event) => {
        if (event.transaction.local) return;
        for (const change of event.delta) {
          if (typeof change.insert === "string") for (const token of tokensIn(change.insert)) editor.received.set(token, Date.now());
        }
      });
      connected.push(editor);
    }
    for (const editor of connected) {
      const before = await updatesReceivedByNode();
      blockText(editor.client.doc, paragraphId).insert(0, `[c${editor.index}-0]`);
      editor.node = await eventually(async () => {
        const after = await updatesReceivedByNode();
        const node = after.findIndex((count, index) => count > (before[index] ?? 0));
        expect(node).toBeGreaterThanOrEqual(0);
        return node;
      });
    }
    // least_conn spreads six fresh sockets over three nodes: each node has editors, so each scenario can hit them.
    expect(new Set(connected.map((editor) => editor.node)).size).toBe(NODES);
    return connected;
  }

  /** Every editor types numbered tokens at random places between tokens and words, until stopped. */
  function startTyping(typists: Editor[], paragraphId: string, seed: number) {
    const typed = new Map<string, number>(typists.map((editor) => [`[c${editor.index}-0]`, 0]));
    const timers = typists.map((editor) => {
      const random = seededRandom(seed + editor.index);
      let count = 0;
      return setInterval(() => {
        const text = blockText(editor.client.doc, paragraphId);
        const boundaries = wordBoundaries(text);
        const token = `[c${editor.index}-${++count}]`;
        text.insert(boundaries[Math.floor(random() * boundaries.length)] ?? 0, token);
        typed.set(token, Date.now());
      }, TYPE_EVERY_MS);
    });
    const stop = () => timers.forEach((timer) => clearInterval(timer));
    stopTyping.push(stop);
    return {
      typed,
      /** Tokens `authors` typed after `since`. */
      typedBy: (authors: Editor[], since: number) =>
        [...typed].filter(([token, at]) => at > since && authors.some((author) => token.startsWith(`[c${author.index}-`))).map(([token]) => token),
      stop,
    };
  }

  /** Resolves once `editor` has received some token typed by one of `authors` after `since`. */
  function receivesFrom(editor: Editor, authors: Editor[], since: number, timeout = WAIT_MS) {
    const prefixes = authors.map((author) => `[c${author.index}-`);
    return eventually(
      () => {
        const fresh = [...editor.received].filter(([token, at]) => at > since && prefixes.some((prefix) => token.startsWith(prefix)));
        expect(fresh.length, `editor ${editor.index} receiving from ${authors.map((author) => author.index).join(", ")}`).toBeGreaterThan(0);
      },
      { timeout },
    );
  }

  /** Once typing stopped: every editor converges, the database has what it can, and the figures are taken. */
  async function settle(scenario: string, session: ReturnType<typeof startTyping>, paragraphId: string, recovery: string): Promise<Figures> {
    session.stop();
    const typed = [...session.typed.keys()];
    const has = (doc: Y.Doc) => {
      const present = new Set(tokensIn(plainText(doc, paragraphId)));
      return typed.every((token) => present.has(token));
    };
    for (const editor of editors) await waitForDoc(editor.client.doc, () => has(editor.client.doc), scaledMs(10_000));
    await eventually(async () => expect(has(await storedDocument(database.db, documentId))).toBe(true), { timeout: scaledMs(10_000) }).catch(
      () => undefined,
    );
    const stored = new Set(tokensIn(plainText(await storedDocument(database.db, documentId), paragraphId)));
    const received = new Set(editors.flatMap((editor) => [...editor.received.keys()]));
    const result: Figures = {
      scenario,
      typed: typed.length,
      received: received.size,
      stored: typed.filter((token) => stored.has(token)).length,
      lost: [...received].filter((token) => !stored.has(token)),
      unstored: typed.filter((token) => !stored.has(token)),
      recovery,
    };
    console.info(
      `fault suite | ${scenario} | typed ${result.typed} | received ${result.received} | stored ${result.stored} | lost ${result.lost.length} | ${recovery}`,
    );
    return result;
  }

  function paragraphFor(scenario: number): string {
    const paragraphId = paragraphs[scenario + 1];
    if (!paragraphId) throw new Error("the draft has too few paragraphs");
    return paragraphId;
  }

  async function nodeStops(signal: NodeJS.Signals, scenario: string, paragraphNumber: number) {
    const paragraphId = paragraphFor(paragraphNumber);
    const connected = await connectEditors(paragraphId);
    const session = startTyping(connected, paragraphId, 1000 * paragraphNumber);
    // Typing reaches everyone before the fault.
    const started = Date.now();
    for (const editor of connected) await receivesFrom(editor, connected.filter((other) => other !== editor), started);

    const victimNode = connected[0]?.node ?? 0;
    const victims = connected.filter((editor) => editor.node === victimNode);
    const survivors = connected.filter((editor) => editor.node !== victimNode);
    const stoppedAt = Date.now();
    await cluster.kill(victimNode, signal);

    // Its editors reconnect through nginx to a live node: a sync after their connection dropped.
    const reconnectMs = await Promise.all(
      victims.map((editor) =>
        eventually(() => {
          const dropped = editor.disconnects.find((at) => at >= stoppedAt);
          const resynced = editor.syncs.find((at) => dropped !== undefined && at > dropped);
          expect(resynced, `editor ${editor.index} reconnected`).toBeDefined();
          return (resynced ?? 0) - stoppedAt;
        }, { timeout: scaledMs(10_000) }),
      ),
    );
    // The others kept receiving from each other, and from the moved editors once they are back.
    const back = Date.now();
    for (const editor of survivors) await receivesFrom(editor, survivors.filter((other) => other.node !== editor.node), stoppedAt);
    for (const editor of survivors) await receivesFrom(editor, victims, back);
    for (const editor of victims) await receivesFrom(editor, survivors, back);

    const result = await settle(scenario, session, paragraphId, `reconnect ${Math.max(...reconnectMs)} ms (slowest of ${victims.length})`);
    expect(survivors.flatMap((editor) => editor.disconnects)).toEqual([]);
    for (let node = 0; node < NODES; node++) if (node !== victimNode) expect(cluster.nodeRunning(node)).toBe(true);
    expect(result.lost).toEqual([]);
    expect(result.unstored).toEqual([]);
  }

  it("moves the editors of a node killed with SIGKILL to the other nodes, and loses nothing", async () => {
    await nodeStops("SIGKILL", "kill -9 of a node", 1);
  });

  it("keeps editing on each node while Redis is down for 10 s, and delivers across nodes once it is back", async () => {
    const paragraphId = paragraphFor(2);
    const connected = await connectEditors(paragraphId);
    const session = startTyping(connected, paragraphId, 2000);
    const started = Date.now();
    for (const editor of connected) await receivesFrom(editor, connected.filter((other) => other !== editor), started);

    await ownRedis.kill();
    const downAt = Date.now();
    // The scenario is the outage: held for its length on purpose, while everyone types.
    await new Promise((resolve) => setTimeout(resolve, REDIS_DOWN_MS));
    for (let node = 0; node < NODES; node++) expect(cluster.nodeRunning(node), cluster.nodeOutput(node)).toBe(true);
    // Editors on one node still saw each other's typing during the outage.
    for (const editor of connected) {
      const neighbours = connected.filter((other) => other !== editor && other.node === editor.node);
      if (neighbours.length > 0) await receivesFrom(editor, neighbours, downAt + 1_000);
    }

    await ownRedis.restart();
    const upAt = Date.now();
    const resumedMs = await Promise.all(
      connected.map(async (editor) => {
        const others = connected.filter((other) => other.node !== editor.node);
        await receivesFrom(editor, others, upAt, scaledMs(10_000));
        const prefixes = others.map((other) => `[c${other.index}-`);
        const first = Math.min(...[...editor.received].filter(([token, at]) => at > upAt && prefixes.some((prefix) => token.startsWith(prefix))).map(([, at]) => at));
        return first - upAt;
      }),
    );

    const result = await settle("Redis down 10 s", session, paragraphId, `cross-node delivery back ${Math.max(...resumedMs)} ms after Redis`);
    for (let node = 0; node < NODES; node++) expect(cluster.nodeRunning(node)).toBe(true);
    expect(connected.flatMap((editor) => editor.disconnects)).toEqual([]);
    expect(result.lost).toEqual([]);
    expect(result.unstored).toEqual([]);
  });

  it("keeps editing across nodes while PostgreSQL is unreachable, and stores everything once it is back", async () => {
    if (!proxy) throw new Error("the nodes are not behind the database proxy");
    const paragraphId = paragraphFor(3);
    const connected = await connectEditors(paragraphId);
    const session = startTyping(connected, paragraphId, 3000);
    const started = Date.now();
    for (const editor of connected) await receivesFrom(editor, connected.filter((other) => other !== editor), started);

    const cutAt = Date.now();
    proxy.cut();
    try {
      // The outage is the scenario: longer than the nodes wait before writing their own updates directly.
      await new Promise((resolve) => setTimeout(resolve, DATABASE_DOWN_MS));
      for (const editor of connected) await receivesFrom(editor, connected.filter((other) => other.node !== editor.node), cutAt);
      for (let node = 0; node < NODES; node++) expect(cluster.nodeRunning(node), cluster.nodeOutput(node)).toBe(true);
    } finally {
      proxy.restore();
    }
    const restoredAt = Date.now();
    await eventually(
      async () => {
        const stored = new Set(tokensIn(plainText(await storedDocument(database.db, documentId), paragraphId)));
        expect(session.typedBy(connected, cutAt).filter((token) => (session.typed.get(token) ?? 0) < restoredAt && !stored.has(token))).toEqual([]);
      },
      { timeout: scaledMs(10_000) },
    );
    const storedAgainMs = Date.now() - restoredAt;

    const result = await settle("PostgreSQL unreachable 6 s", session, paragraphId, `outage's edits stored ≤ ${storedAgainMs} ms after PostgreSQL`);
    for (let node = 0; node < NODES; node++) expect(cluster.nodeRunning(node)).toBe(true);
    expect(connected.flatMap((editor) => editor.disconnects)).toEqual([]);
    expect(result.lost).toEqual([]);
    expect(result.unstored).toEqual([]);
  });

  it("moves the editors of a node stopped with SIGTERM (a rolling deploy) to the other nodes, and loses nothing", async () => {
    await nodeStops("SIGTERM", "SIGTERM of a node (drain 500 ms)", 4);
  });

  describe("Hocuspocus's failure modes with Redis", () => {
    const leaseKey = () => `${KEY_PREFIX}:doc:${documentId}:lease`;

    it("neither crashes nor stops storing when the lease is taken away or Redis answers its commands with errors", async () => {
      const paragraphId = paragraphFor(5);
      const connected = await connectEditors(paragraphId);
      const session = startTyping(connected, paragraphId, 5000);
      const stores = async (since: number, what: string) =>
        eventually(
          async () => {
            const stored = new Set(tokensIn(plainText(await storedDocument(database.db, documentId), paragraphId)));
            // Every editor's token typed after `since`: what each node accepted reaches the database.
            for (const editor of connected) {
              expect(session.typedBy([editor], since).some((token) => stored.has(token)), `${what}: editor ${editor.index}`).toBe(true);
            }
          },
          { timeout: scaledMs(15_000) },
        );
      await stores(Date.now(), "before");

      // Someone else holds the lease now (Hocuspocus: a lock lost under its holder).
      await redis.set(leaseKey(), "a-node-that-is-not-there", "PX", 3_000);
      await stores(Date.now(), "lease changed under its holder");

      // The lease key becomes a hash: every lease command is answered WRONGTYPE (Hocuspocus crashed on a failed lock).
      // In one transaction: a node would otherwise take the lease again between the two, and HSET answer WRONGTYPE.
      await redis.multi().del(leaseKey()).hset(leaseKey(), "not", "a lease").exec();
      await stores(Date.now(), "lease commands failing");
      await redis.del(leaseKey());

      // Redis refuses every write (out of memory): sharing, lease and stored marks all fail.
      await redis.config("SET", "maxmemory", "1");
      try {
        await stores(Date.now(), "Redis refusing writes");
      } finally {
        await redis.config("SET", "maxmemory", "0");
      }
      await stores(Date.now(), "after");

      const result = await settle("lease taken away, lease commands and writes failing", session, paragraphId, "storage never stopped");
      for (let node = 0; node < NODES; node++) expect(cluster.nodeRunning(node), cluster.nodeOutput(node)).toBe(true);
      expect(connected.flatMap((editor) => editor.disconnects)).toEqual([]);
      expect(result.lost).toEqual([]);
      expect(result.unstored).toEqual([]);
    });

    it("publishes no presence from a node whose editors have all left, while it keeps the document open", async () => {
      const presenceChannel = `${KEY_PREFIX}:doc:${documentId}:presence`;
      const subscriber = new Redis(ownRedis.url);
      // Keyspace events show each lease renewal (PEXPIRE) as it happens: the ticks that would also publish presence.
      await redis.config("SET", "notify-keyspace-events", "Kg");
      const renewals = `__keyspace@0__:${leaseKey()}`;
      try {
        const published: string[] = [];
        const leaseRenewals: number[] = [];
        subscriber.on("message", (channel: string, message: string) => {
          if (channel === presenceChannel) published.push(message);
          else if (message === "expire") leaseRenewals.push(Date.now());
        });
        await subscriber.subscribe(presenceChannel, renewals);

        // A reader keeps the document open on its node; an editor with a caret joins and leaves.
        const reader = await connectClient(cluster.url, documentId);
        const { cookie } = await signedInAs(database.db, "editor", "Redaktör Närvaro");
        const editor = await connectClient(cluster.url, documentId, { cookie });
        editor.provider.awareness.setLocalStateField("cursor", null);
        await eventually(() => expect(published.some((message) => message.includes("Redaktör Närvaro"))).toBe(true));
        const countAtLeaving = published.length;
        editor.destroy();
        // Its node publishes that the caret is gone (a removal, not an empty message), and then nothing more.
        const removal = (message: string) => (JSON.parse(message) as { changes?: Array<{ json: string }> }).changes?.some((change) => change.json === "null");
        await eventually(() => expect(published.slice(countAtLeaving).some(removal)).toBe(true));
        const quietFrom = Date.now();
        const countAtQuiet = published.length;
        // The reader's node keeps the document, renewing its lease each second: three renewals are three presence refreshes.
        await eventually(() => expect(leaseRenewals.filter((at) => at > quietFrom).length).toBeGreaterThanOrEqual(3), { timeout: scaledMs(10_000) });
        expect(published.slice(countAtQuiet)).toEqual([]);
        reader.destroy();
      } finally {
        subscriber.disconnect();
        await redis.config("SET", "notify-keyspace-events", "");
      }
    });
  });
});
