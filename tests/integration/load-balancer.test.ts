import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { openDatabase, type DatabaseHandle } from "#db/client";
import { findDocumentBySlug } from "#db/repositories/documents";
import { signedInAs, TEST_PASSWORD } from "#tests/support/accounts";
import { nginxInstalled, startCluster, type Cluster } from "#tests/support/cluster";
import { blockText, connectClient, paragraphIds, plainText, waitForDoc, type CollabClient } from "#tests/support/collab-client";
import { openStream } from "#tests/support/event-stream";
import { postForm } from "#tests/support/http";
import { redisUrl } from "#tests/support/redis";
import { eventually } from "#tests/support/wait";

const PAGE = `/d/${SEED_DOCUMENT.slug}`;

/** docs/operations/nginx.conf as deployed: nginx in front of two production nodes sharing PostgreSQL and Redis. */
describe.runIf(redisUrl && process.env.TEST_DATABASE_URL && nginxInstalled)("nginx in front of two nodes", () => {
  let cluster: Cluster;
  let database: DatabaseHandle;
  let documentId: string;
  const clients: CollabClient[] = [];
  const connect = async (baseUrl: string, cookie?: string) => {
    const client = await connectClient(baseUrl, documentId, { cookie });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 2 });
    database = await openDatabase({ databaseUrl: cluster.databaseUrl, dataDir: "unused" });
    const document = await findDocumentBySlug(database.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    documentId = document.id;
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  afterAll(async () => {
    await database?.close();
    await cluster?.stop();
  });

  const requestsFor = async (path: string) => (await cluster.accessLog()).filter((entry) => entry.request.startsWith(`GET ${path} `));

  it("serves the draft through nginx from every node, without sticking to one", async () => {
    for (let view = 0; view < 6; view++) {
      const response = await fetch(`${cluster.url}${PAGE}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(SEED_DOCUMENT.title);
    }
    // nginx writes a request's log line once it has answered it.
    const logged = await eventually(async () => {
      const entries = await requestsFor(PAGE);
      expect(entries).toHaveLength(6);
      return entries;
    });
    expect(new Set(logged.map((entry) => entry.node))).toEqual(new Set([0, 1]));
  });

  it("takes the site's own form posts up to the nodes' body limit, and the session they start holds on every node", async () => {
    const member = await signedInAs(database.db, "member", "Medlem Lastbalans");
    // nginx passes the Host with its port on, so the nodes see the post come from their own site.
    const signIn = await postForm(cluster.url, "/sign-in", { email: member.email, password: TEST_PASSWORD, filler: "a".repeat(900 * 1024) });
    expect(signIn.status).toBe(302);
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    for (const node of [0, 1]) {
      expect((await fetch(`${cluster.nodeUrl(node)}/account`, { headers: { Cookie: cookie }, redirect: "manual" })).status).toBe(200);
    }
    const tooLarge = await postForm(cluster.url, "/sign-in", { email: member.email, password: TEST_PASSWORD, filler: "a".repeat(1100 * 1024) });
    expect(tooLarge.status).toBe(413);
  });

  it("passes the nodes' compression through as it is, without compressing again", async () => {
    const response = await fetch(`${cluster.url}${PAGE}`, { headers: { "Accept-Encoding": "br, gzip" } });
    expect(response.headers.get("content-encoding")).toBe("br");
    expect(await response.text()).toContain(SEED_DOCUMENT.title);
  });

  it("opens the collaboration websocket through nginx and sends the draft over it", async () => {
    const visitor = await connect(cluster.url);
    expect(paragraphIds(visitor.doc).length).toBeGreaterThan(5);
  });

  it("delivers a page's events through nginx as they are sent, not when a buffer fills", async () => {
    const stream = await openStream(`${cluster.url}${PAGE}/events?text`);
    try {
      expect(stream.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      // The text's revision, sent when the stream opens: a few dozen bytes that a buffering proxy would hold back.
      await stream.waitFor("event: text-changed");
      const editor = await signedInAs(database.db, "editor", "Redaktör Lastbalans");
      // Each node announces edits made on it; this stream is on one of them, so the edit is made on both.
      const editors = await Promise.all([0, 1].map((node) => connect(cluster.nodeUrl(node), editor.cookie)));
      const textChanges = () => stream.received().split("event: text-changed").length - 1;
      const secondChange = stream.waitUntil(() => textChanges() >= 2, "a second text-changed event");
      secondChange.catch(() => undefined);
      // Edited again until it is announced: an edit made while the node takes the text's first revision counts in it.
      await eventually(
        () => {
          for (const client of editors) blockText(client.doc, paragraphIds(client.doc)[0] ?? "").insert(0, "Ändrat. ");
          expect(textChanges()).toBeGreaterThanOrEqual(2);
        },
        { interval: 500 },
      );
      await secondChange;
    } finally {
      stream.close();
    }
  });

  it("sends a dead node's page views to the other node, and its editors' websockets reconnect there", async () => {
    await cluster.kill(1, "SIGKILL");
    for (let view = 0; view < 4; view++) expect((await fetch(`${cluster.url}${PAGE}`)).status).toBe(200);
    // Some of them went to the dead node first and were retried on the live one.
    await eventually(async () => {
      const retried = (await requestsFor(PAGE)).filter((entry) => entry.tried.length === 2);
      expect(retried.length).toBeGreaterThan(0);
      for (const entry of retried) expect(entry.tried).toEqual([1, 0]);
    });

    // With node 1 down, this socket can only be on node 0.
    const reader = await connect(cluster.url);
    await cluster.restart(1);
    const disconnected = new Promise<void>((resolve) =>
      reader.provider.on("status", ({ status }: { status: string }) => {
        if (status === "disconnected") resolve();
      }),
    );
    await cluster.kill(0, "SIGKILL");
    await disconnected;
    await new Promise<void>((resolve) => {
      const onSync = (synced: boolean) => {
        if (!synced) return;
        reader.provider.off("sync", onSync);
        resolve();
      };
      reader.provider.on("sync", onSync);
    });

    // An edit made on node 1 reaches the reader live: the stock client reconnected through nginx to node 1.
    const editor = await connect(cluster.nodeUrl(1), (await signedInAs(database.db, "editor", "Redaktör Reserv")).cookie);
    const paragraph = paragraphIds(editor.doc)[1] ?? "";
    blockText(editor.doc, paragraph).insert(0, "Skrivet efter bytet. ");
    await waitForDoc(reader.doc, () => plainText(reader.doc, paragraph).startsWith("Skrivet efter bytet. "));
    await cluster.restart(0);
  });
});
