import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { WebsocketProvider } from "y-websocket";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { caretColorFor } from "#app/editor/identity";
import { encodeAwareness } from "#server/collab/protocol";
import { signedInAs } from "#tests/support/accounts";
import {
  blockText,
  connectClient,
  openRawClient,
  paragraphIds,
  plainText,
  waitForDoc,
  type CollabClient,
  type RawClient,
} from "#tests/support/collab-client";
import { awarenessOf } from "#tests/support/collab-fakes";
import { startTestServer, type TestServer } from "#tests/support/server";
import { eventually } from "#tests/support/wait";

/** An awareness message with these entries, as any client could send it. */
const awarenessMessage = (...entries: Array<[clientId: number, clock: number, state: unknown]>): Uint8Array =>
  encodeAwareness(awarenessOf(...entries));

/** Every state a provider's awareness held for each client id, from now on. */
function watchAwareness(provider: WebsocketProvider): Map<number, unknown[]> {
  const seen = new Map<number, unknown[]>();
  provider.awareness.on("update", ({ added, updated }: { added: number[]; updated: number[] }) => {
    for (const clientId of [...added, ...updated]) {
      seen.set(clientId, [...(seen.get(clientId) ?? []), provider.awareness.getStates().get(clientId)]);
    }
  });
  return seen;
}

/** Resolves once the provider's awareness satisfies the predicate, checked on each update it takes (no polling). */
function awarenessReaches(provider: WebsocketProvider, predicate: (states: Map<number, Record<string, unknown>>) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!predicate(provider.awareness.getStates() as Map<number, Record<string, unknown>>)) return;
      provider.awareness.off("update", check);
      resolve();
    };
    provider.awareness.on("update", check);
    check();
  });
}

const nameOf = (state: Record<string, unknown> | undefined): unknown => (state?.user as { name?: unknown } | undefined)?.name;

describe("presence on the collaboration socket", () => {
  let server: TestServer;
  let documentId: string;
  let address: string;
  const clients: CollabClient[] = [];
  const raws: RawClient[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const document = await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    documentId = document.id;
    address = `${server.url.replace(/^http/, "ws")}/collab/${documentId}`;
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
    for (const raw of raws.splice(0)) raw.socket.close();
  });
  afterAll(() => server?.dispose());

  const connect = async (cookie?: string) => {
    const client = await connectClient(server.url, documentId, { cookie });
    clients.push(client);
    return client;
  };
  const raw = async (cookie?: string) => {
    const client = await openRawClient(address, { cookie });
    raws.push(client);
    return client;
  };
  /** An editor's stock client, and who the server says that editor is. */
  const editor = async (name: string) => {
    const account = await signedInAs(server.services.db, "editor", name);
    const client = await connect(account.cookie);
    // As the editor page does at once (CollaborationCaret sets `user`). Receivers skip the stock client's first
    // state, which has clock 0, until it renews it 15 s later.
    client.provider.awareness.setLocalStateField("cursor", null);
    return { client, account, shownAs: { name: `${name} (Testmyndigheten)`, color: caretColorFor(account.userId) } };
  };
  /**
   * Renews `sentinel`'s presence and waits until `observer` has it. The server relays in the order it handles, so
   * whatever it relayed from frames it handled before has reached the observer by then.
   */
  const afterSentinel = async (sentinel: CollabClient, observer: CollabClient) => {
    sentinel.provider.awareness.setLocalStateField("cursor", null);
    const clock = sentinel.provider.awareness.meta.get(sentinel.doc.clientID)?.clock ?? 0;
    await awarenessReaches(observer.provider, () => (observer.provider.awareness.meta.get(sentinel.doc.clientID)?.clock ?? 0) >= clock);
  };

  it("replaces a forged name with the account's, for every other editor", async () => {
    const eva = await editor("Eva Editor");
    const olle = await editor("Olle Observatör");
    const seen = watchAwareness(olle.client.provider);

    const evaId = eva.client.doc.clientID;
    eva.client.provider.awareness.setLocalStateField("user", { name: "Ed (redaktör)", color: "#000000" });
    const forgedAt = eva.client.provider.awareness.meta.get(evaId)?.clock ?? 0;
    await awarenessReaches(olle.client.provider, () => (olle.client.provider.awareness.meta.get(evaId)?.clock ?? 0) >= forgedAt);

    expect(olle.client.provider.awareness.getStates().get(evaId)).toEqual({ user: eva.shownAs, cursor: null });
    expect(seen.get(evaId)).toContainEqual({ user: eva.shownAs, cursor: null });
    expect(JSON.stringify(seen.get(evaId))).not.toContain("Ed (redaktör)");
  });

  it("relays nothing a visitor announces, from the stock client or raw frames", async () => {
    const eva = await editor("Eva Editor");
    const olle = await editor("Olle Observatör");
    const seen = watchAwareness(olle.client.provider);
    const droppedBefore = server.collabStats().droppedAwarenessUpdates;

    const visitor = await connect();
    visitor.provider.awareness.setLocalStateField("user", { name: "Ed (redaktör)", color: "#1f5f99" });
    const rawVisitor = await raw();
    rawVisitor.socket.send(awarenessMessage([4242, 1, { user: { name: "Ed (redaktör)", color: "#1f5f99" }, cursor: null }]));
    await rawVisitor.handled();
    // The visitor's stock client announced itself twice (on connecting, and with the name), the raw one once.
    await eventually(() => expect(server.collabStats().droppedAwarenessUpdates).toBeGreaterThanOrEqual(droppedBefore + 3));
    await afterSentinel(eva.client, olle.client);

    const states = olle.client.provider.awareness.getStates();
    expect(states.has(visitor.doc.clientID)).toBe(false);
    expect(states.has(4242)).toBe(false);
    expect(seen.has(visitor.doc.clientID)).toBe(false);
    expect(seen.has(4242)).toBe(false);
  });

  it("lets nobody set or remove another editor's client id", async () => {
    const eva = await editor("Eva Editor");
    const olle = await editor("Olle Observatör");
    const mallory = await signedInAs(server.services.db, "editor", "Mallory");
    await awarenessReaches(olle.client.provider, (states) => nameOf(states.get(eva.client.doc.clientID)) === eva.shownAs.name);
    const evaId = eva.client.doc.clientID;
    const evaClock = eva.client.provider.awareness.meta.get(evaId)?.clock ?? 0;
    const seen = watchAwareness(olle.client.provider);

    const forger = await raw(mallory.cookie);
    forger.socket.send(awarenessMessage([evaId, evaClock + 100, { user: { name: "Ed (redaktör)", color: "#000000" }, cursor: null }]));
    forger.socket.send(awarenessMessage([evaId, evaClock + 200, null]));
    const visitor = await raw();
    visitor.socket.send(awarenessMessage([evaId, evaClock + 300, null]));
    await Promise.all([forger.handled(), visitor.handled()]);
    await afterSentinel(eva.client, olle.client);

    expect(olle.client.provider.awareness.getStates().get(evaId)).toEqual({ user: eva.shownAs, cursor: null });
    expect(JSON.stringify(seen.get(evaId))).not.toContain("Ed (redaktör)");
    expect(forger.socket.readyState).toBe(forger.socket.OPEN);
  });

  it("drops a state whose cursor is {}, so that no editor's carets break", async () => {
    const eva = await editor("Eva Editor");
    const olle = await editor("Olle Observatör");
    const bob = await editor("Bob Broken");
    await awarenessReaches(olle.client.provider, (states) => states.has(bob.client.doc.clientID));
    const seen = watchAwareness(olle.client.provider);
    const rawEditor = await raw((await signedInAs(server.services.db, "editor", "Rita Raw")).cookie);
    const droppedBefore = server.collabStats().droppedAwarenessUpdates;

    bob.client.provider.awareness.setLocalStateField("cursor", {});
    rawEditor.socket.send(awarenessMessage([777, 1, { user: { name: "Rita", color: "#1f5f99" }, cursor: {} }]));
    rawEditor.socket.send(awarenessMessage([778, 1, { cursor: { anchor: {}, head: {} } }]));
    await rawEditor.handled();
    await eventually(() => expect(server.collabStats().droppedAwarenessUpdates).toBeGreaterThanOrEqual(droppedBefore + 3));
    await afterSentinel(eva.client, olle.client);

    // Bob keeps the presence he had before; nobody was sent a cursor that would break their carets.
    expect(olle.client.provider.awareness.getStates().get(bob.client.doc.clientID)).toEqual({ user: bob.shownAs, cursor: null });
    expect(seen.has(777)).toBe(false);
    expect(seen.has(778)).toBe(false);
    expect(JSON.stringify([...seen.values()])).not.toContain('"cursor":{}');
  });

  it("keeps presence bounded under a flood of invented client ids and removals", async () => {
    const eva = await editor("Eva Editor");
    const olle = await editor("Olle Observatör");
    await awarenessReaches(olle.client.provider, (states) => states.has(eva.client.doc.clientID));
    const greedy = await raw((await signedInAs(server.services.db, "editor", "Greta Greedy")).cookie);
    const visitors = await Promise.all(Array.from({ length: 10 }, () => raw()));
    const entriesBefore = server.collabStats().presenceEntries;

    let nextId = 1_000_000;
    for (let round = 0; round < 20; round++) {
      for (const visitor of visitors) {
        visitor.socket.send(awarenessMessage(...Array.from({ length: 300 }, (): [number, number, unknown] => [nextId++, 1, null])));
      }
      greedy.socket.send(awarenessMessage(...Array.from({ length: 50 }, (): [number, number, unknown] => [nextId++, 1, { cursor: null }])));
    }
    await Promise.all([greedy, ...visitors].map((client) => client.handled()));

    // The four ids one connection may hold; 60,000 removals and 1,000 claims left nothing else.
    expect(server.collabStats().presenceEntries).toBeLessThanOrEqual(entriesBefore + 4);
    await afterSentinel(eva.client, olle.client);
    // Eva, Olle and Greta's four.
    expect(olle.client.provider.awareness.getStates().size).toBeLessThanOrEqual(2 + 4);
  });
});

describe("one room per document", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.dispose());

  it("serves an id in upper case from the same room as the canonical one", async () => {
    const document = await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    const { cookie } = await signedInAs(server.services.db, "editor");
    const shouting = await connectClient(server.url, document.id.toUpperCase(), { cookie });
    const quiet = await connectClient(server.url, document.id, { cookie });
    try {
      expect(server.collabStats().rooms).toBe(1);
      const paragraph = paragraphIds(quiet.doc)[0] ?? "";
      blockText(shouting.doc, paragraph).insert(0, "VERSALER ");
      await waitForDoc(quiet.doc, () => plainText(quiet.doc, paragraph).startsWith("VERSALER "));
      expect(server.collabStats().rooms).toBe(1);
    } finally {
      shouting.destroy();
      quiet.destroy();
    }
  });
});
