import os from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import type { WebsocketProvider } from "y-websocket";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { blockText, connectClient, paragraphIds, plainText, waitForDoc, type CollabClient } from "#tests/support/collab-client";
import { createScratchPostgresDatabase, storedDocument } from "#tests/support/database";
import { freePort, startServerProcess, type ServerProcess } from "#tests/support/process";
import { redisUrl, scratchRedis } from "#tests/support/redis";
import { startTestServer, type TestServer } from "#tests/support/server";
import { eventually } from "#tests/support/wait";
import { startOwnRedis, type OwnRedis } from "#tests/support/own-redis";
import type { RedisSettings } from "#server/cluster/redis";

const postgresUrl = process.env.TEST_DATABASE_URL;

/** A small deterministic generator, so that a failing interleaving can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function awarenessReaches(provider: WebsocketProvider, predicate: (states: Map<number, Record<string, unknown>>) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!predicate(provider.awareness.getStates() as Map<number, Record<string, unknown>>)) return;
      provider.awareness.off("change", check);
      resolve();
    };
    provider.awareness.on("change", check);
    check();
  });
}

/** Whether someone of this name (the server shows it with their organisation) has a caret. */
const shows = (states: Map<number, Record<string, unknown>>, name: string): boolean =>
  [...states.values()].some((state) => String((state.user as { name?: unknown } | undefined)?.name).startsWith(`${name} (`));

// Two processes of one deployment need one PostgreSQL database (PGlite cannot be shared) and one Redis.
describe.runIf(redisUrl && postgresUrl)("one document served by several server processes", () => {
  const servers: TestServer[] = [];
  const processes: ServerProcess[] = [];
  const clients: CollabClient[] = [];
  const cleanUps: Array<() => Promise<void>> = [];

  async function deployment(redis: RedisSettings & { clear?(): Promise<void> } = scratchRedis()) {
    const database = await createScratchPostgresDatabase();
    cleanUps.push(() => database.drop(), async () => await redis.clear?.());
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.keyPrefix };
    const start = async () => {
      const server = await startTestServer({ sharedDatabaseUrl: database.url, env });
      servers.push(server);
      return server;
    };
    return { databaseUrl: database.url, env, start };
  }

  async function connect(server: { url: string }, documentId: string, cookie?: string) {
    const client = await connectClient(server.url, documentId, { cookie });
    clients.push(client);
    return client;
  }

  async function seededDraft(server: TestServer) {
    const document = await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    return document.id;
  }

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const child of processes.splice(0)) child.child.kill("SIGKILL");
    for (const server of servers.splice(0).reverse()) await server.dispose();
    for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
  });

  it("converges concurrent typing on two processes into one text, and stores exactly that text", async () => {
    const { start } = await deployment();
    const [a, b] = [await start(), await start()];
    const documentId = await seededDraft(a);
    const alice = await connect(a, documentId, (await signedInAs(a.services.db, "editor", "Alice")).cookie);
    const bob = await connect(b, documentId, (await signedInAs(a.services.db, "editor", "Bob")).cookie);
    const paragraphId = paragraphIds(alice.doc)[2];
    if (!paragraphId) throw new Error("the draft has too few paragraphs");
    await waitForDoc(bob.doc, () => plainText(bob.doc, paragraphId) === plainText(alice.doc, paragraphId));

    // Each types words at random places of the same paragraph, without waiting for the other's.
    const random = seededRandom(20261206);
    const words: string[] = [];
    for (let round = 0; round < 40; round++) {
      const [typist, name] = random() < 0.5 ? [alice, "alice"] : [bob, "bob"];
      const text = blockText(typist.doc, paragraphId);
      const word = ` ${name}${round} `;
      words.push(word.trim());
      // Between words, so that every word stays whole unless the other's typing were interleaved into it.
      const current = text.toString();
      const boundaries = [0, ...[...current].flatMap((char, index) => (char === " " ? [index + 1] : []))];
      text.insert(boundaries[Math.floor(random() * boundaries.length)] ?? 0, word);
      if (random() < 0.3) await new Promise((resolve) => setImmediate(resolve));
    }

    const hasAll = (doc: typeof alice.doc) => words.every((word) => plainText(doc, paragraphId).includes(word));
    await waitForDoc(alice.doc, () => hasAll(alice.doc));
    await waitForDoc(bob.doc, () => hasAll(bob.doc) && plainText(bob.doc, paragraphId) === plainText(alice.doc, paragraphId));
    const converged = plainText(alice.doc, paragraphId);

    // Both rooms unload and write out; what is stored is that one text, every word whole.
    for (const client of clients.splice(0)) client.destroy();
    for (const server of servers.splice(0)) await server.dispose();
    const c = await start();
    const stored = await storedDocument(c.services.db, documentId);
    expect(plainText(stored, paragraphId)).toBe(converged);
    const carol = await connect(c, documentId);
    expect(plainText(carol.doc, paragraphId)).toBe(converged);
  });

  it("sends a change made by the server on one process to editors on another", async () => {
    const { start } = await deployment();
    const [a, b] = [await start(), await start()];
    const documentId = await seededDraft(a);
    const alice = await connect(a, documentId, (await signedInAs(a.services.db, "editor", "Alice")).cookie);
    const paragraphId = paragraphIds(alice.doc)[1];
    if (!paragraphId) throw new Error("the draft has too few paragraphs");

    // B has no room of the document open: it loads one for the change, as accepting a suggestion does.
    await b.services.changeDocument(documentId, { acceptedSuggestion: true }, (doc) => {
      blockText(doc, paragraphId).insert(0, "Godtaget förslag. ");
    });

    await waitForDoc(alice.doc, () => plainText(alice.doc, paragraphId).startsWith("Godtaget förslag. "));
  });

  it("serves readers on one process what another changed in a document this one does not have open", async () => {
    const { start } = await deployment();
    const [a, b] = [await start(), await start()];
    const documentId = await seededDraft(a);
    const paragraphOf = (doc: Parameters<typeof paragraphIds>[0]) => paragraphIds(doc)[1] ?? "";
    const before = await a.services.readDocument(documentId, (doc) => plainText(doc, paragraphOf(doc)));

    await b.services.changeDocument(documentId, { acceptedSuggestion: true }, (doc) => {
      blockText(doc, paragraphOf(doc)).insert(0, "Ändrat på B. ");
    });

    expect(await a.services.readDocument(documentId, (doc) => plainText(doc, paragraphOf(doc)))).toBe(`Ändrat på B. ${before}`);
  });

  it("shows an editor's presence on the other process, and removes it when they leave", async () => {
    const { start } = await deployment();
    const [a, b] = [await start(), await start()];
    const documentId = await seededDraft(a);
    const alice = await connect(a, documentId, (await signedInAs(a.services.db, "editor", "Alice")).cookie);
    const bob = await connect(b, documentId, (await signedInAs(a.services.db, "editor", "Bob")).cookie);

    alice.provider.awareness.setLocalStateField("cursor", null);
    await awarenessReaches(bob.provider, (states) => shows(states, "Alice"));

    alice.destroy();
    await awarenessReaches(bob.provider, (states) => !shows(states, "Alice"));
  });

  it("stores what a process killed before writing had shared, and drops its editors' presence elsewhere", async () => {
    const { start, databaseUrl, env } = await deployment();
    // The killed process starts first, so that it is the one writing the document when it dies.
    const port = await freePort();
    // It says where it listens at level info.
    const first = startServerProcess({ ...env, LOG_LEVEL: "info", PORT: String(port), DATABASE_URL: databaseUrl, DATA_DIR: os.tmpdir() });
    processes.push(first);
    const aUrl = await first.listening;
    const b = await start();
    const documentId = await seededDraft(b);
    const alice = await connect({ url: aUrl }, documentId, (await signedInAs(b.services.db, "editor", "Alice")).cookie);
    const bob = await connect(b, documentId, (await signedInAs(b.services.db, "editor", "Bob")).cookie);
    const paragraphId = paragraphIds(alice.doc)[3];
    if (!paragraphId) throw new Error("the draft has too few paragraphs");

    alice.provider.awareness.setLocalStateField("cursor", null);
    blockText(alice.doc, paragraphId).insert(0, "Skrivet strax före kraschen. ");
    await waitForDoc(bob.doc, () => plainText(bob.doc, paragraphId).startsWith("Skrivet strax före kraschen. "));
    await awarenessReaches(bob.provider, (states) => shows(states, "Alice"));

    first.child.kill("SIGKILL");

    await awarenessReaches(bob.provider, (states) => !shows(states, "Alice"));
    await eventually(async () => {
      const stored = await storedDocument(b.services.db, documentId);
      expect(plainText(stored, paragraphId)).toMatch(/^Skrivet strax före kraschen\. /);
    });
    // B took over writing the document when the dead process's lease ran out.
    expect(b.clusterStatus()?.metrics.leasesTaken).toBeGreaterThanOrEqual(1);
  });

  describe("with a Redis of the test's own that goes away", () => {
    let ownRedis: OwnRedis | undefined;
    afterEach(async () => {
      await ownRedis?.stop();
      ownRedis = undefined;
    });

    it("keeps editing on each process while Redis is away, and brings the processes together once it is back", async () => {
      ownRedis = await startOwnRedis();
      const { start } = await deployment({ url: ownRedis.url, keyPrefix: "samrad" });
      const [a, b] = [await start(), await start()];
      const documentId = await seededDraft(a);
      const aliceCookie = (await signedInAs(a.services.db, "editor", "Alice")).cookie;
      const alice = await connect(a, documentId, aliceCookie);
      const aliceAgain = await connect(a, documentId, aliceCookie);
      const bob = await connect(b, documentId, (await signedInAs(a.services.db, "editor", "Bob")).cookie);
      const paragraphId = paragraphIds(alice.doc)[2];
      if (!paragraphId) throw new Error("the draft has too few paragraphs");

      await ownRedis.kill();
      await eventually(() => expect(a.clusterStatus()?.redisReachable).toBe(false));
      blockText(alice.doc, paragraphId).insert(0, "Medan Redis var borta. ");
      blockText(bob.doc, paragraphId).insert(0, "Också från B. ");
      // Editing goes on locally: another editor on the same process sees it at once.
      await waitForDoc(aliceAgain.doc, () => plainText(aliceAgain.doc, paragraphId).includes("Medan Redis var borta. "));
      await eventually(() => expect(a.clusterStatus()?.lagging).toBe(true));
      // Storage does not wait for Redis: each process writes what it accepted itself.
      await eventually(async () => {
        const stored = plainText(await storedDocument(a.services.db, documentId), paragraphId);
        expect(stored).toContain("Medan Redis var borta. ");
        expect(stored).toContain("Också från B. ");
      });

      await ownRedis.restart();
      const both = (doc: typeof alice.doc) =>
        plainText(doc, paragraphId).includes("Medan Redis var borta. ") && plainText(doc, paragraphId).includes("Också från B. ");
      await waitForDoc(bob.doc, () => both(bob.doc));
      await waitForDoc(alice.doc, () => both(alice.doc));
      await eventually(() => expect(a.clusterStatus()).toMatchObject({ redisReachable: true, lagging: false }));

      for (const client of clients.splice(0)) client.destroy();
      for (const server of servers.splice(0)) await server.dispose();
      const c = await start();
      expect(both(await storedDocument(c.services.db, documentId))).toBe(true);
    });
  });
});
