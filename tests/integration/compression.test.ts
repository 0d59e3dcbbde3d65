import { request, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { findDocumentBySlug } from "#db/repositories/documents";
import { DocumentIndex } from "#app/comments/anchoring";
import { signedInAs } from "#tests/support/accounts";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;

/** A GET that keeps the body as sent: fetch would ask for and undo the compression itself. */
function open(url: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => request(url, { headers }, resolve).on("error", reject).end());
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const response = await open(url, headers);
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) };
}

/** The page without what differs on every response: its CSP nonce and the loader's clock. */
function comparable(html: string): string {
  return html.replace(/nonce="[^"]+"/g, 'nonce=""').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<now>");
}

describe("compression", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.dispose());

  it("sends the draft page in brotli, in gzip to a client without brotli, and as is to one that asks for neither", async () => {
    const identity = await get(`${server.url}${DRAFT}`);
    expect(identity.status).toBe(200);
    expect(identity.headers["content-encoding"]).toBeUndefined();
    expect(identity.headers.vary).toMatch(/accept-encoding/i);
    const html = identity.body.toString("utf8");
    expect(html).toContain("<html");

    const br = await get(`${server.url}${DRAFT}`, { "Accept-Encoding": "gzip, deflate, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toMatch(/^text\/html/);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.headers["content-length"]).toBeUndefined();
    expect(comparable(brotliDecompressSync(br.body).toString("utf8")) === comparable(html)).toBe(true);
    expect(br.body.length).toBeLessThan(identity.body.length / 3);

    const gzip = await get(`${server.url}${DRAFT}`, { "Accept-Encoding": "gzip;q=1, br;q=0" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(comparable(gunzipSync(gzip.body).toString("utf8")) === comparable(html)).toBe(true);
  });

  it("sends small answers and HEAD requests as they are", async () => {
    const head = await new Promise<IncomingMessage>((resolve, reject) =>
      request(`${server.url}${DRAFT}`, { method: "HEAD", headers: { "Accept-Encoding": "br" } }, resolve).on("error", reject).end(),
    );
    expect(head.statusCode).toBe(200);
    expect(head.headers["content-encoding"]).toBeUndefined();
    head.resume();

    // A draft without comments has an annotation list of a few hundred bytes.
    const annotations = await get(`${server.url}${DRAFT}/annotations.jsonld`, { "Accept-Encoding": "br, gzip" });
    expect(annotations.status).toBe(200);
    expect(annotations.body.length).toBeLessThan(1024);
    expect(annotations.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(annotations.body.toString("utf8"))).toBeTruthy();
  });

  it("sends the page's hashed scripts precompressed, typed as scripts and cached for a year", async () => {
    const html = (await get(`${server.url}${DRAFT}`)).body.toString("utf8");
    const scripts = [...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1] ?? "");
    expect(scripts.length).toBeGreaterThan(0);
    const largest = { path: "", size: 0 };
    for (const script of new Set(scripts)) {
      const identity = await get(`${server.url}${script}`);
      if (identity.body.length > largest.size) Object.assign(largest, { path: script, size: identity.body.length });
    }
    const identity = await get(`${server.url}${largest.path}`);
    expect(identity.headers["cache-control"]).toContain("immutable");
    expect(identity.headers.vary).toMatch(/accept-encoding/i);

    const br = await get(`${server.url}${largest.path}`, { "Accept-Encoding": "br, gzip" });
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toMatch(/^(?:text|application)\/javascript/);
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(br.headers["content-length"])).toBe(br.body.length);
    expect(brotliDecompressSync(br.body).equals(identity.body)).toBe(true);

    const gzip = await get(`${server.url}${largest.path}`, { "Accept-Encoding": "gzip" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzip.body).equals(identity.body)).toBe(true);
  });

  it("keeps the event stream uncompressed and live for a client that accepts brotli", async () => {
    const document = await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    const blockId = await server.services.readDocument(document.id, (doc) => DocumentIndex.of(doc).blocks.find((block) => block.text.length > 50)?.id);
    if (!blockId) throw new Error("the seed has no paragraph to comment on");
    const member = await signedInAs(server.services.db, "member");

    const stream = await open(`${server.url}${DRAFT}/events`, { "Accept-Encoding": "br, gzip" });
    expect(stream.headers["content-type"]).toContain("text/event-stream");
    expect(stream.headers["content-encoding"]).toBeUndefined();
    let received = "";
    const eventArrived = new Promise<void>((resolve) => {
      stream.on("data", (chunk: Buffer) => {
        received += chunk.toString("utf8");
        if (received.includes("event: thread-changed")) resolve();
      });
    });
    const posted = await postForm(server.url, DRAFT, { intent: "create-thread", acceptLicence: "on", position: "", blockId, body: "Live" }, member.cookie);
    expect(posted.status).toBe(302);
    // No deadline: the stream is open, so the event either comes through the stream as sent or the test times out.
    await eventArrived;
    stream.destroy();
  });
});
