import { afterEach, describe, expect, it } from "vitest";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { findDocumentBySlug } from "#db/repositories/documents";
import { signedInAs } from "#tests/support/accounts";
import { blockText, connectClient, paragraphIds, type CollabClient } from "#tests/support/collab-client";
import { createScratchPostgresDatabase } from "#tests/support/database";
import { redisUrl, scratchRedis } from "#tests/support/redis";
import { startTestServer, type TestServer } from "#tests/support/server";
import { eventually } from "#tests/support/wait";

const TOKEN = "a-scraper-token-of-some-length";
const postgresUrl = process.env.TEST_DATABASE_URL;
const servers: TestServer[] = [];
const clients: CollabClient[] = [];
const cleanUps: Array<() => Promise<void>> = [];

async function start(env: Record<string, string> = {}, sharedDatabaseUrl?: string): Promise<TestServer> {
  const server = await startTestServer({ env, sharedDatabaseUrl });
  servers.push(server);
  return server;
}

function scrape(server: TestServer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/metrics`, { headers });
}

async function metrics(server: TestServer): Promise<string> {
  const response = await scrape(server, { Authorization: `Bearer ${TOKEN}` });
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one sample in Prometheus' text format: the metric with exactly these labels, in any order. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .sort()
    .join(",");
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labelText = (match[2] ?? "").split(",").filter(Boolean).sort().join(",");
    if (labelText === wanted) return Number(match[3]);
  }
  return undefined;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const server of servers.splice(0)) await server.dispose();
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

describe("/metrics", () => {
  it("is not there for anyone by default, from this machine or with any token", async () => {
    const server = await start();
    expect((await scrape(server)).status).toBe(404);
    expect((await scrape(server, { Authorization: `Bearer ${TOKEN}` })).status).toBe(404);
    expect((await scrape(server, { "X-Forwarded-For": "127.0.0.1" })).status).toBe(404);
  });

  it("serves whoever presents METRICS_TOKEN, and nobody else unless loopback is allowed", async () => {
    const server = await start({ METRICS_TOKEN: TOKEN });
    expect((await scrape(server)).status).toBe(404);
    expect((await scrape(server, { Authorization: `Bearer ${TOKEN}x` })).status).toBe(404);
    expect((await scrape(server, { Authorization: `Basic ${TOKEN}` })).status).toBe(404);
    const allowed = await scrape(server, { Authorization: `Bearer ${TOKEN}` });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(allowed.headers.get("cache-control")).toBe("no-store");
    expect(sample(await allowed.text(), "samrad_collab_connections")).toBe(0);
  });

  it("serves connections from this machine without a token when METRICS_ALLOW_LOOPBACK=1", async () => {
    const server = await start({ METRICS_ALLOW_LOOPBACK: "1" });
    const response = await scrape(server);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(sample(text, "samrad_draining")).toBe(0);
    // Without REDIS_URL there is no cluster to speak of.
    expect(text).not.toMatch(/^samrad_cluster_/m);
  });

  it("moves as an editor opens the draft, edits it, and leaves", async () => {
    const server = await start({ METRICS_TOKEN: TOKEN });
    const document = await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    const before = await metrics(server);
    expect(sample(before, "samrad_collab_connections")).toBe(0);
    expect(sample(before, "samrad_collab_rooms")).toBe(0);
    const storedBefore = sample(before, "samrad_store_updates_stored_total") ?? Number.NaN;

    expect((await fetch(`${server.url}/d/${SEED_DOCUMENT.slug}`)).status).toBe(200);
    // Labelled by the route's pattern, never by the address asked for.
    await eventually(async () =>
      expect(sample(await metrics(server), "samrad_http_request_duration_seconds_count", { method: "GET", route: "/d/:slug", status: "2xx" })).toBe(1),
    );
    expect(await metrics(server)).not.toContain(SEED_DOCUMENT.slug);

    const editor = await connectClient(server.url, document.id, { cookie: (await signedInAs(server.services.db, "editor")).cookie });
    clients.push(editor);
    editor.provider.awareness.setLocalStateField("cursor", null);
    // Someone to send the editor's change to: its author is not sent it back (decision 0035).
    const reader = await connectClient(server.url, document.id);
    clients.push(reader);
    await eventually(async () => {
      const text = await metrics(server);
      expect(sample(text, "samrad_collab_connections")).toBe(2);
      expect(sample(text, "samrad_collab_rooms")).toBe(1);
      expect(sample(text, "samrad_collab_presence_entries")).toBeGreaterThan(0);
    });
    const connected = await metrics(server);

    const paragraph = paragraphIds(editor.doc)[0] ?? "";
    blockText(editor.doc, paragraph).insert(0, "Mätbar ändring. ");
    await eventually(async () => {
      const text = await metrics(server);
      for (const name of ["samrad_collab_updates_received_total", "samrad_collab_document_changes_total", "samrad_collab_updates_sent_total"]) {
        expect(sample(text, name), name).toBeGreaterThan(sample(connected, name) ?? Number.NaN);
      }
      expect(sample(text, "samrad_store_updates_stored_total")).toBeGreaterThan(storedBefore);
      expect(sample(text, "samrad_store_unstored_updates")).toBe(0);
      expect(sample(text, "samrad_store_oldest_unstored_age_seconds")).toBe(0);
    });

    editor.destroy();
    reader.destroy();
    await eventually(async () => expect(sample(await metrics(server), "samrad_collab_connections")).toBe(0));
  });
});

// Two nodes of one deployment need one PostgreSQL database (PGlite cannot be shared) and one Redis.
describe.runIf(redisUrl && postgresUrl)("/metrics of a node of several (REDIS_URL)", () => {
  it("shows Redis reachable, the updates and events each node shares and receives, leases and the stream's lags", async () => {
    const redis = scratchRedis();
    const database = await createScratchPostgresDatabase();
    cleanUps.push(() => database.drop(), () => redis.clear());
    const env = { METRICS_TOKEN: TOKEN, REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.keyPrefix };
    const [a, b] = [await start(env, database.url), await start(env, database.url)];
    const document = await findDocumentBySlug(a.services.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    const before = await metrics(a);
    expect(sample(before, "samrad_cluster_redis_reachable")).toBe(1);
    expect(sample(before, "samrad_cluster_updates_published_total")).toBe(0);
    expect(sample(before, "samrad_cluster_lease_documents")).toBe(0);

    const alice = await connectClient(a.url, document.id, { cookie: (await signedInAs(a.services.db, "editor", "Alice")).cookie });
    const bob = await connectClient(b.url, document.id, { cookie: (await signedInAs(a.services.db, "editor", "Bob")).cookie });
    clients.push(alice, bob);
    blockText(alice.doc, paragraphIds(alice.doc)[0] ?? "").insert(0, "Delas mellan noderna. ");

    await eventually(async () => {
      const [onA, onB] = [await metrics(a), await metrics(b)];
      expect(sample(onA, "samrad_cluster_updates_published_total")).toBeGreaterThan(0);
      expect(sample(onB, "samrad_cluster_updates_received_total")).toBeGreaterThan(0);
      // The changed document's "stored" announcement, from the node whose editor changed it.
      expect(sample(onA, "samrad_cluster_events_published_total")).toBeGreaterThan(0);
      expect(sample(onB, "samrad_cluster_events_received_total")).toBeGreaterThan(0);
      // One node writes the document's stream to the database.
      expect((sample(onA, "samrad_cluster_lease_documents") ?? 0) + (sample(onB, "samrad_cluster_lease_documents") ?? 0)).toBe(1);
      expect(sample(onA, "samrad_cluster_unstored_updates")).toBe(0);
      expect(sample(onA, "samrad_cluster_persistence_lag_seconds")).toBe(0);
    });
    const onB = await metrics(b);
    expect(sample(onB, "samrad_cluster_delivery_lag_seconds")).toBeGreaterThanOrEqual(0);
    expect(sample(onB, "samrad_cluster_delivery_lag_max_seconds")).toBeGreaterThanOrEqual(sample(onB, "samrad_cluster_delivery_lag_seconds") ?? Number.NaN);
    expect(sample(onB, "samrad_cluster_documents_not_reaching_others")).toBe(0);
    expect(sample(onB, "samrad_cluster_events_lost_total")).toBe(0);
  });
});
