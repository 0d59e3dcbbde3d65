import { afterEach, describe, expect, it } from "vitest";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { findDocumentBySlug } from "#db/repositories/documents";
import { signedInAs } from "#tests/support/accounts";
import { blockText, connectClient, paragraphIds, type CollabClient } from "#tests/support/collab-client";
import { startTestServer, type TestServer } from "#tests/support/server";
import { eventually } from "#tests/support/wait";

const TOKEN = "a-scraper-token-of-some-length";
const servers: TestServer[] = [];
const clients: CollabClient[] = [];

async function start(env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startTestServer({ env });
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
    expect(sample(await response.text(), "samrad_draining")).toBe(0);
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
    await eventually(async () => {
      const text = await metrics(server);
      expect(sample(text, "samrad_collab_connections")).toBe(1);
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
    await eventually(async () => expect(sample(await metrics(server), "samrad_collab_connections")).toBe(0));
  });
});
