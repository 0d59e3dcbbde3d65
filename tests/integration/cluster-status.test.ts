import { afterEach, describe, expect, it } from "vitest";
import { encodeStoredQuery } from "#app/editor/unsaved-changes";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { findDocumentBySlug } from "#db/repositories/documents";
import { signedInAs } from "#tests/support/accounts";
import { openRawClient, type RawClient } from "#tests/support/collab-client";
import { createScratchPostgresDatabase } from "#tests/support/database";
import { startOwnRedis, type OwnRedis } from "#tests/support/own-redis";
import { redisUrl } from "#tests/support/redis";
import { startTestServer, type TestServer } from "#tests/support/server";
import { eventually } from "#tests/support/wait";

const postgresUrl = process.env.TEST_DATABASE_URL;

// Two nodes of one deployment need one PostgreSQL database (PGlite cannot be shared); Redis is the test's own, to kill.
describe.runIf(redisUrl && postgresUrl)("editors told whether their changes reach the other servers", () => {
  const servers: TestServer[] = [];
  const clients: RawClient[] = [];
  const cleanUps: Array<() => Promise<void>> = [];
  let ownRedis: OwnRedis | undefined;

  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.terminate();
    for (const server of servers.splice(0).reverse()) await server.dispose();
    for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
    await ownRedis?.stop();
    ownRedis = undefined;
  });

  /** A client that, like the editor's browser, asks what is stored and so learns whether its changes reach the others. */
  async function subscribed(server: TestServer, documentId: string, cookie?: string): Promise<RawClient> {
    const client = await openRawClient(`${server.url.replace(/^http/, "ws")}/collab/${documentId}`, { cookie });
    clients.push(client);
    client.socket.send(encodeStoredQuery());
    await client.handled();
    return client;
  }

  it("says 'not reaching others' while Redis is away and 'reaching' once it is back; readers hear nothing", async () => {
    ownRedis = await startOwnRedis();
    const database = await createScratchPostgresDatabase();
    cleanUps.push(() => database.drop());
    const env = { REDIS_URL: ownRedis.url, REDIS_KEY_PREFIX: "samrad" };
    const start = async () => {
      const server = await startTestServer({ sharedDatabaseUrl: database.url, env });
      servers.push(server);
      return server;
    };
    const [a, b] = [await start(), await start()];
    const document = await findDocumentBySlug(a.services.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    const alice = await subscribed(a, document.id, (await signedInAs(a.services.db, "editor", "Alice")).cookie);
    const bob = await subscribed(b, document.id, (await signedInAs(a.services.db, "editor", "Bob")).cookie);
    const reader = await subscribed(a, document.id);
    await eventually(() => expect(alice.reach.at(-1)).toBe(true));
    await eventually(() => expect(bob.reach.at(-1)).toBe(true));
    const toldBefore = alice.reach.length;

    await ownRedis.kill();
    await eventually(() => expect(alice.reach.at(-1)).toBe(false));
    await eventually(() => expect(bob.reach.at(-1)).toBe(false));
    expect(a.clusterStatus()?.documents.find((state) => state.documentId === document.id)?.reachesOthers).toBe(false);

    await ownRedis.restart();
    await eventually(() => expect(alice.reach.at(-1)).toBe(true));
    await eventually(() => expect(bob.reach.at(-1)).toBe(true));
    // Told on change only: once when Redis went, once when it came back.
    expect(alice.reach.slice(toldBefore)).toEqual([false, true]);
    await reader.handled();
    expect(reader.reach).toEqual([]);
  });
});
