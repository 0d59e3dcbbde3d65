import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocumentIndex } from "#app/comments/anchoring";
import { yDocToContent } from "#app/editor/content";
import { splitSections } from "#app/models/present.server";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { findDocumentBySlug } from "#db/repositories/documents";
import type { RunningServer } from "#server/app";
import { redisKey } from "#server/cluster/redis";
import { signedInAs } from "#tests/support/accounts";
import { blockText, connectClient, openRawClient } from "#tests/support/collab-client";
import { startTestCluster, type TestCluster } from "#tests/support/in-process-cluster";
import { openStream } from "#tests/support/event-stream";
import { postForm } from "#tests/support/http";
import { startOwnRedis, type OwnRedis } from "#tests/support/own-redis";
import { redisUrl, scratchRedis } from "#tests/support/redis";
import { eventually } from "#tests/support/wait";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const PRESENT = `${DRAFT}/present`;
const COMMENT_LINK = /#comment-([0-9a-f-]{36})$/;
const canRun = Boolean(redisUrl && process.env.TEST_DATABASE_URL);

/** What the tests of one deployment need to know about its draft. */
async function draftOf(node: RunningServer) {
  const document = await findDocumentBySlug(node.services.db, SEED_DOCUMENT.slug);
  if (!document) throw new Error("the seeded draft is missing");
  const { paragraphId, sectionIds } = await node.services.readDocument(document.id, (doc) => ({
    paragraphId: DocumentIndex.of(doc).blocks.find((block) => block.text.length > 200)?.id ?? "",
    sectionIds: splitSections(yDocToContent(doc)).map((section) => section.id),
  }));
  return { documentId: document.id, paragraphId, sectionIds };
}

async function startThread(node: RunningServer, cookie: string, blockId: string, body: string): Promise<string> {
  const response = await postForm(node.url, DRAFT, { intent: "create-thread", acceptLicence: "on", position: "", blockId, body }, cookie);
  expect(response.status).toBe(302);
  const commentId = COMMENT_LINK.exec(response.headers.get("location") ?? "")?.[1] ?? "";
  const row = await node.services.db.selectFrom("comments").select("thread_id").where("id", "=", commentId).executeTakeFirstOrThrow();
  return row.thread_id;
}

const draftPage = async (node: RunningServer) => (await fetch(`${node.url}${DRAFT}`)).text();

describe.runIf(canRun)("nodes sharing Redis", () => {
  const redis = canRun ? scratchRedis() : null;
  let cluster: TestCluster;
  let a: RunningServer;
  let b: RunningServer;
  let draft: Awaited<ReturnType<typeof draftOf>>;

  beforeAll(async () => {
    if (!redis) return;
    cluster = await startTestCluster(redis);
    a = await cluster.startNode();
    b = await cluster.startNode();
    draft = await draftOf(a);
  });
  afterAll(async () => {
    await cluster?.dispose();
    await redis?.clear();
  });

  it("shows a comment posted through one node live on another node's page stream, and on a plain reload there", async () => {
    const member = await signedInAs(a.services.db, "member", "Mats Medlem");
    // Node A has the threads cached: the comment must not be hidden by that.
    expect(await draftPage(a)).not.toContain("Synpunkt via nod B");
    const stream = await openStream(`${a.url}${DRAFT}/events`);
    await stream.waitFor("retry:");

    const threadId = await startThread(b, member.cookie, draft.paragraphId, "Synpunkt via nod B");

    await stream.waitFor(`event: thread-changed\ndata: {"type":"thread-changed","threadId":"${threadId}"}`);
    stream.close();
    expect(await draftPage(a)).toContain("Synpunkt via nod B");
  });

  it("tells readers on another node of edits made through one node, and shows them on a plain reload there", async () => {
    const editor = await signedInAs(b.services.db, "editor", "Eva Editor");
    // Node A keeps the stored draft for readers: the edit must not be hidden by that.
    expect(await draftPage(a)).not.toContain("ÄNDRAT VIA NOD B");
    const reader = await openStream(`${a.url}${DRAFT}/events?text`);
    await reader.waitFor("event: text-changed");
    const revisionsBefore = reader.received().split("event: text-changed").length;
    const client = await connectClient(b.url, draft.documentId, { cookie: editor.cookie });

    blockText(client.doc, draft.paragraphId).insert(0, "ÄNDRAT VIA NOD B ");

    await reader.waitUntil((received) => received.split("event: text-changed").length > revisionsBefore, "a new revision");
    reader.close();
    client.destroy();
    expect(await draftPage(a)).toContain("ÄNDRAT VIA NOD B");
  });

  it("carries a presenter's moves on one node to followers on another, and to late followers on any node", async () => {
    const host = await signedInAs(b.services.db, "host", "Hedda Host");
    const target = draft.sectionIds[3] ?? "";
    const follower = await openStream(`${a.url}${PRESENT}/events`);
    await follower.waitFor("retry:");

    expect((await postForm(b.url, PRESENT, { intent: "move", sectionId: target }, host.cookie)).status).toBe(200);

    await follower.waitFor(`event: presenter-moved\ndata: {"sectionId":"${target}"}`);
    follower.close();
    const lateOnA = await openStream(`${a.url}${PRESENT}/events`);
    await lateOnA.waitFor(`data: {"sectionId":"${target}"}`);
    lateOnA.close();
    // A node started after the move has seen no message: it has the position from Redis.
    const c = await cluster.startNode();
    const lateOnC = await openStream(`${c.url}${PRESENT}/events`);
    await lateOnC.waitFor(`data: {"sectionId":"${target}"}`);
    lateOnC.close();
    expect(await (await fetch(`${c.url}${PRESENT}?follow`)).text()).toContain("Avsnitt 4 av 12");
  });

  it("limits sign-in attempts spread over nodes as if they were made on one", async () => {
    const { email } = await signedInAs(a.services.db, "member", "Gissa Gissasson");
    for (let attempt = 1; attempt <= 10; attempt++) {
      const node = attempt % 2 === 0 ? a : b;
      expect((await postForm(node.url, "/sign-in", { email, password: `fel-lösenord-${attempt}` })).status).toBe(400);
    }
    const refused = await postForm(a.url, "/sign-in", { email, password: "fel-lösenord-11" });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toMatch(/Försök igen om \d+ minuter\./);
  });

  it("closes a session's editing sockets on every node when it ends on one", async () => {
    const editor = await signedInAs(a.services.db, "editor", "Eva Utloggad");
    const socketOnA = await openRawClient(`${a.url.replace(/^http/, "ws")}/collab/${draft.documentId}`, { cookie: editor.cookie });

    expect((await postForm(b.url, "/sign-out", {}, editor.cookie)).status).toBe(302);

    expect((await socketOnA.closed).code).toBe(4401);
  });

  it("closes a deactivated account's editing sockets on every node", async () => {
    const admin = await signedInAs(b.services.db, "admin", "Ada Admin");
    const editor = await signedInAs(a.services.db, "editor", "Eva Avstängd");
    const socketOnA = await openRawClient(`${a.url.replace(/^http/, "ws")}/collab/${draft.documentId}`, { cookie: editor.cookie });

    expect((await postForm(b.url, "/admin/accounts", { intent: "deactivate", userId: editor.userId }, admin.cookie)).status).toBe(200);

    expect((await socketOnA.closed).code).toBe(4401);
  });
});

describe.runIf(canRun)("nodes when Redis goes away", () => {
  let ownRedis: OwnRedis;
  let cluster: TestCluster;
  let a: RunningServer;
  let b: RunningServer;
  let draft: Awaited<ReturnType<typeof draftOf>>;
  const keyPrefix = "samrad-outage";

  beforeAll(async () => {
    ownRedis = await startOwnRedis();
    cluster = await startTestCluster({ url: ownRedis.url, keyPrefix });
    a = await cluster.startNode();
    b = await cluster.startNode();
    draft = await draftOf(a);
  });
  afterAll(async () => {
    await cluster?.dispose();
    await ownRedis?.stop();
  });

  it("keeps serving each node on its own while Redis is down, and carries events between them again once it is back", async () => {
    const member = await signedInAs(a.services.db, "member", "Mats Medlem");
    await ownRedis.kill();

    // Pages, local live events and rate limits (counted locally) go on.
    expect((await fetch(`${a.url}${DRAFT}`)).status).toBe(200);
    expect((await fetch(`${b.url}${DRAFT}`)).status).toBe(200);
    const streamOnA = await openStream(`${a.url}${DRAFT}/events`);
    await streamOnA.waitFor("retry:");
    const localThread = await startThread(a, member.cookie, draft.paragraphId, "Skriven medan Redis är borta");
    await streamOnA.waitFor(`"threadId":"${localThread}"`);
    expect(await draftPage(a)).toContain("Skriven medan Redis är borta");
    await startThread(b, member.cookie, draft.paragraphId, "Via nod B medan Redis är borta");
    const { email } = await signedInAs(b.services.db, "member", "Gissa Igen");
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect((await postForm(b.url, "/sign-in", { email, password: `fel-${attempt}` })).status).toBe(400);
    }
    expect((await postForm(b.url, "/sign-in", { email, password: "fel-11" })).status).toBe(429);

    await ownRedis.restart();
    await nodesConnected(ownRedis.url, keyPrefix, 2);
    // What node A had cached before the outage is not trusted after it.
    await eventually(async () => expect(await draftPage(a)).toContain("Via nod B medan Redis är borta"));

    const remoteThread = await startThread(b, member.cookie, draft.paragraphId, "Skriven när Redis är tillbaka");
    await streamOnA.waitFor(`"threadId":"${remoteThread}"`);
    streamOnA.close();
    expect(await draftPage(a)).toContain("Skriven när Redis är tillbaka");
  });

  it("starts a node while Redis is down, which serves alone and joins the others once Redis is up", async () => {
    const member = await signedInAs(a.services.db, "member", "Nina Nod");
    await ownRedis.kill();
    const c = await cluster.startNode();
    expect((await fetch(`${c.url}${DRAFT}`)).status).toBe(200);

    await ownRedis.restart();
    await nodesConnected(ownRedis.url, keyPrefix, 3);
    const streamOnA = await openStream(`${a.url}${DRAFT}/events`);
    await streamOnA.waitFor("retry:");
    const threadId = await startThread(c, member.cookie, draft.paragraphId, "Via den nya noden");
    await streamOnA.waitFor(`"threadId":"${threadId}"`);
    streamOnA.close();
  });
});

/** The nodes subscribed to the channel again, and their command connections open (two connections a node, and ours). */
async function nodesConnected(url: string, keyPrefix: string, nodes: number): Promise<void> {
  const admin = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await eventually(async () => {
      const [, subscribers] = (await admin.pubsub("NUMSUB", redisKey({ url, keyPrefix }, "events"))) as [string, number];
      expect(subscribers).toBe(nodes);
      const clients = String(await admin.client("LIST")).trim().split("\n");
      expect(clients.length).toBeGreaterThanOrEqual(2 * nodes + 1);
    });
  } finally {
    admin.disconnect();
  }
}
