import { randomBytes } from "node:crypto";
import http, { type IncomingMessage } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import * as decoding from "lib0/decoding";
import { afterEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import {
  createCollabServer,
  type CollabServer,
  type CollabServerOptions,
  type ConnectionGrant,
  type ConnectionRefusal,
} from "#server/collab/collab-server";
import { encodeAwareness, encodeQueryAwareness, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from "#server/collab/protocol";
import { updateChangesDocument } from "#server/collab/room";
import { openRawClient, type RawClient } from "#tests/support/collab-client";
import { awarenessOf, docFrom, DOC_ID, edit, MemoryPersistence, OTHER_DOC_ID, PLAIN_TEXT_SHAPE, serveCollab, silentLogger, TEXT, textOf, typed } from "#tests/support/collab-fakes";
import { eventually } from "#tests/support/wait";
import { encodeStoredQuery } from "#app/editor/unsaved-changes";

// ---------------------------------------------------------------------------------------------------------------------
// Fakes

type Role = "edit" | "read";

/**
 * Stands in for the session reader: `?as=<principal>` says who is asking (none: not signed in → 401), and the
 * principal's role in `roles` what they may do (none: not allowed → 403). `&session=<name>` is which of their
 * sessions (default "main"); it ends at the time `sessionEnds` gives for "<principal>/<name>", or never.
 */
function fakeAuthorize(roles: Map<string, Role>, sessionEnds: Map<string, number>) {
  return vi.fn(async (request: IncomingMessage, _documentId: string): Promise<ConnectionGrant | ConnectionRefusal> => {
    const query = new URL(request.url ?? "", "http://test").searchParams;
    const principal = query.get("as");
    if (principal === null) return { ok: false, status: 401 };
    const role = roles.get(principal);
    if (role === undefined) return { ok: false, status: 403 };
    const session = sessionOf(principal, query.get("session") ?? undefined);
    return {
      ok: true,
      readOnly: role === "read",
      principal,
      session: { id: session, endsAt: sessionEnds.get(session) ?? Number.POSITIVE_INFINITY },
      identity: identityOf(principal),
    };
  });
}

function sessionOf(principal: string, name = "main"): string {
  return `${principal}/${name}`;
}

/** Who the server says a principal is, whatever their browser says. */
function identityOf(principal: string) {
  return { name: `${principal} (Testmyndigheten)`, color: "#1f5f99" };
}

// ---------------------------------------------------------------------------------------------------------------------
// Yjs helpers

/** "Hello world" with " world" deleted again, so that the document has a delete set. */
function helloWithDeletion(): Y.Doc {
  const doc = new Y.Doc();
  doc.getText(TEXT).insert(0, "Hello world");
  doc.getText(TEXT).delete(5, 6);
  return doc;
}

function awarenessUpdate(clientId: number, clock: number, state: unknown): Uint8Array {
  return awarenessOf([clientId, clock, state]);
}


const caretDoc = docFrom(typed("Hello"));

/** A caret as y-tiptap announces it: two Y.RelativePosition objects, as JSON.stringify writes them. */
function caretAt(index: number): { anchor: unknown; head: unknown } {
  const doc = caretDoc;
  const position = JSON.parse(JSON.stringify(Y.createRelativePositionFromTypeIndex(doc.getText(TEXT), index))) as unknown;
  return { anchor: position, head: position };
}

// ---------------------------------------------------------------------------------------------------------------------
// A server over real sockets, and clients

interface Running {
  collab: CollabServer;
  persistence: MemoryPersistence;
  authorize: ReturnType<typeof fakeAuthorize>;
  roles: Map<string, Role>;
  sessionEnds: Map<string, number>;
  log: ReturnType<typeof silentLogger>;
  url: string;
  stop(): Promise<void>;
}

async function startServer(options: Partial<CollabServerOptions> = {}): Promise<Running> {
  const persistence = new MemoryPersistence();
  const log = silentLogger();
  const roles = new Map<string, Role>([
    ["alice", "edit"],
    ["bob", "edit"],
    ["vera", "read"],
  ]);
  const sessionEnds = new Map<string, number>();
  const authorize = fakeAuthorize(roles, sessionEnds);
  const collab = createCollabServer({
    persistence,
    documentShape: PLAIN_TEXT_SHAPE,
    documentExists: async (id) => id === DOC_ID || id === OTHER_DOC_ID,
    authorize,
    maxMessageBytes: 64 * 1024,
    unloadGraceMs: 60_000,
    log,
    // The raw clients below use a sync step 1 as a barrier, many times over; the limit has tests of its own.
    requestRate: { messages: 10_000, windowMs: 10_000 },
    ...options,
  });
  const served = await serveCollab(collab);
  return {
    collab,
    persistence,
    authorize,
    roles,
    sessionEnds,
    log,
    url: served.url,
    stop: served.stop,
  };
}

function openClient(url: string, principal: string, documentId = DOC_ID, session?: string): Promise<RawClient> {
  return openRawClient(`${url}/collab/${documentId}?as=${principal}${session === undefined ? "" : `&session=${session}`}`);
}

/**
 * The awareness state the server holds for a client, once everything `client` and `others` sent was handled.
 * The second round trip lets the broadcasts of those changes (sent a moment after handling) arrive first, so
 * that the next awareness message is the answer to the query.
 */
async function serverAwareness(clientId: number, client: RawClient, ...others: RawClient[]): Promise<unknown> {
  await Promise.all([client, ...others].map((sender) => sender.handled()));
  await client.handled();
  const from = client.received.length;
  client.socket.send(encodeQueryAwareness());
  const reply = await client.next("awareness", from);
  const decoder = decoding.createDecoder(reply.update);
  const entries = decoding.readVarUint(decoder);
  for (let i = 0; i < entries; i++) {
    const id = decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    const state: unknown = JSON.parse(decoding.readVarString(decoder));
    if (id === clientId) return state;
  }
  return undefined;
}

/** The plain HTTP response a refused upgrade gets. */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url.replace(/^ws/, "http"), {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
      },
    });
    request.on("response", (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("upgrade", (_response, socket) => {
      socket.destroy();
      resolve(101);
    });
    request.on("error", reject);
  });
}

/** The stock browser client, with a WebSocket that counts how often it connects. */
function stockClient(url: string, principal: string, doc: Y.Doc) {
  const sockets = { opened: 0 };
  class CountingWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      sockets.opened++;
    }
  }
  const provider = new WebsocketProvider(`${url}/collab`, DOC_ID, doc, {
    WebSocketPolyfill: CountingWebSocket as unknown as typeof globalThis.WebSocket,
    params: { as: principal },
    disableBc: true,
    // Any reconnect is scheduled with no delay, so that one timer tick shows whether it happens.
    maxBackoffTime: 0,
  });
  const synced = new Promise<void>((resolve) => {
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      provider.off("sync", onSync);
      resolve();
    };
    provider.on("sync", onSync);
  });
  return { provider, sockets, synced };
}

/** The server's document as bytes; it must be open. */
function liveState(collab: CollabServer): Uint8Array {
  const doc = collab.openDocument(DOC_ID);
  if (doc === null) throw new Error("the document is not open");
  return Y.encodeStateAsUpdate(doc);
}

function waitForText(doc: Y.Doc, predicate: (text: string) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!predicate(textOf(doc) ?? "")) return;
      doc.off("update", check);
      resolve();
    };
    doc.on("update", check);
    check();
  });
}

// ---------------------------------------------------------------------------------------------------------------------

describe("access to the collab server", () => {
  let running: Running | undefined;
  const cleanups: Array<() => void> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await running?.stop();
    running = undefined;
    vi.useRealTimers();
  });

  async function start(options: Partial<CollabServerOptions> = {}): Promise<Running> {
    running = await startServer(options);
    return running;
  }

  function track<T extends RawClient | ReturnType<typeof stockClient>>(client: T): T {
    cleanups.push(() => ("provider" in client ? client.provider.destroy() : client.socket.close()));
    return client;
  }

  describe("who may connect", () => {
    it("refuses someone not signed in with 401 and someone without a role with 403, before upgrading", async () => {
      const { url, authorize, persistence } = await start();

      expect(await upgradeStatus(`${url}/collab/${DOC_ID}`)).toBe(401);
      expect(await upgradeStatus(`${url}/collab/${DOC_ID}?as=mallory`)).toBe(403);

      expect(authorize).toHaveBeenCalledWith(expect.objectContaining({ url: `/collab/${DOC_ID}?as=mallory` }), DOC_ID);
      expect(persistence.loads).toBe(0);
    });

    it("asks only about documents that exist", async () => {
      const { url, authorize } = await start();
      expect(await upgradeStatus(`${url}/collab/1a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d?as=alice`)).toBe(404);
      expect(authorize).not.toHaveBeenCalled();
    });

    it("answers 500 and logs it when deciding fails, and keeps serving", async () => {
      const { url, authorize, log } = await start();
      authorize.mockRejectedValueOnce(new Error("session store down"));

      expect(await upgradeStatus(`${url}/collab/${DOC_ID}?as=alice`)).toBe(500);
      expect(log.error).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ documentId: DOC_ID }));
      expect(await upgradeStatus(`${url}/collab/${DOC_ID}?as=alice`)).toBe(101);
    });

    it("refuses a connection whose access is revoked while it is being decided", async () => {
      const { url, authorize, collab } = await start();
      let decide: (grant: ConnectionGrant) => void = () => {};
      const asked = new Promise<void>((resolveAsked) => {
        authorize.mockImplementationOnce(
          () =>
            new Promise((resolve) => {
              decide = resolve;
              resolveAsked();
            }),
        );
      });

      const status = upgradeStatus(`${url}/collab/${DOC_ID}?as=alice`);
      await asked;
      // The session was read before the sign-out; the sign-out's setAccess comes first.
      collab.setAccess("alice", "revoked");
      decide({ ok: true, readOnly: false, principal: "alice", session: { id: sessionOf("alice"), endsAt: Infinity }, identity: identityOf("alice") });

      expect(await status).toBe(403);
      expect(collab.stats().connections).toBe(0);
    });
  });

  describe("a read-only connection", () => {
    it("receives the document and live edits and stays connected, while its own edits reach nobody", async () => {
      const { url, persistence, collab, log } = await start();
      persistence.seed(DOC_ID, typed("Draft. "));
      const editorDoc = new Y.Doc();
      const viewerDoc = new Y.Doc();
      const editor = track(stockClient(url, "alice", editorDoc));
      const viewer = track(stockClient(url, "vera", viewerDoc));
      await Promise.all([editor.synced, viewer.synced]);
      expect(textOf(viewerDoc)).toBe("Draft. ");
      // Its sync step 2 (nothing the server lacks) is normal, not a dropped change.
      expect(collab.stats().droppedReadOnlyUpdates).toBe(0);
      expect(log.warn).not.toHaveBeenCalled();

      const stateBefore = liveState(collab);
      viewerDoc.getText(TEXT).insert(0, "Vandalised! ");
      await eventually(() => expect(collab.stats().droppedReadOnlyUpdates).toBe(1));
      expect(liveState(collab)).toEqual(stateBefore);
      expect(log.warn).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ documentId: DOC_ID, principal: "vera" }));

      editorDoc.getText(TEXT).insert(editorDoc.getText(TEXT).length, "Alice adds.");
      await waitForText(viewerDoc, (text) => text.includes("Alice adds."));
      expect(textOf(editorDoc)).toBe("Draft. Alice adds.");
      expect(textOf(collab.openDocument(DOC_ID))).toBe("Draft. Alice adds.");
      expect(persistence.appended).toHaveLength(1);
      expect(viewer.provider.wsconnected).toBe(true);
      expect(viewer.sockets.opened).toBe(1);
      expect(collab.stats().connections).toBe(2);
    });

    it("has a sync step 2 and updates that would change the document dropped and counted, the document byte-for-byte unchanged", async () => {
      const { url, persistence, collab } = await start();
      const server = helloWithDeletion();
      persistence.seed(DOC_ID, Y.encodeStateAsUpdate(server));
      const viewer = track(await openClient(url, "vera"));
      await viewer.handled();
      const stateBefore = liveState(collab);

      const offline = new Y.Doc();
      typed("written elsewhere", offline);
      viewer.socket.send(encodeSyncStep2(Y.encodeStateAsUpdate(offline)));
      viewer.socket.send(encodeSyncUpdate(typed("typed in")));
      // A deletion alone, of text the server has: no new structs, only a delete set.
      const replica = docFrom(Y.encodeStateAsUpdate(server));
      viewer.socket.send(encodeSyncUpdate(edit(replica, (body) => body.delete(0, 1))));
      await viewer.handled();

      expect(liveState(collab)).toEqual(stateBefore);
      expect(textOf(collab.openDocument(DOC_ID))).toBe("Hello");
      expect(persistence.appended).toEqual([]);
      expect(collab.stats().droppedReadOnlyUpdates).toBe(3);
      expect(viewer.socket.readyState).toBe(WebSocket.OPEN);
    });

    it("has a sync step 2 with nothing new accepted silently, deletions it already knows included", async () => {
      const { url, persistence, collab, log } = await start();
      persistence.seed(DOC_ID, Y.encodeStateAsUpdate(helloWithDeletion()));
      const viewer = track(await openClient(url, "vera"));
      const greeting = await viewer.next("sync-step-1");
      viewer.socket.send(encodeSyncStep1(new Uint8Array([0])));
      const viewerDoc = docFrom((await viewer.next("sync-step-2")).update);
      expect(textOf(viewerDoc)).toBe("Hello");

      // What the stock client answers the greeting with: everything the server lacks (nothing), and its delete set.
      viewer.socket.send(encodeSyncStep2(Y.encodeStateAsUpdate(viewerDoc, greeting.stateVector)));
      viewer.socket.send(encodeSyncStep2(Y.encodeStateAsUpdate(new Y.Doc())));
      await viewer.handled();

      expect(collab.stats().droppedReadOnlyUpdates).toBe(0);
      expect(log.warn).not.toHaveBeenCalled();
      expect(viewer.socket.readyState).toBe(WebSocket.OPEN);
    });
  });

  describe("setAccess", () => {
    it("demotes a principal's open connection at once and promotes it again, leaving other people alone", async () => {
      const { url, persistence, collab } = await start();
      const alice = track(await openClient(url, "alice"));
      const bob = track(await openClient(url, "bob"));
      alice.socket.send(encodeSyncUpdate(typed("Alice edits. ")));
      await alice.handled();

      expect(collab.setAccess("alice", { readOnly: true })).toBe(1);
      alice.socket.send(encodeSyncUpdate(typed("Demoted Alice edits. ")));
      bob.socket.send(encodeSyncUpdate(typed("Bob edits. ")));
      await Promise.all([alice.handled(), bob.handled()]);
      expect(textOf(collab.openDocument(DOC_ID))).not.toContain("Demoted");
      expect(textOf(collab.openDocument(DOC_ID))).toContain("Bob edits.");
      expect(collab.stats().droppedReadOnlyUpdates).toBe(1);

      expect(collab.setAccess("alice", { readOnly: false })).toBe(1);
      alice.socket.send(encodeSyncUpdate(typed("Promoted Alice edits. ")));
      await alice.handled();
      expect(textOf(collab.openDocument(DOC_ID))).toContain("Promoted Alice edits.");
      expect(persistence.appended).toHaveLength(3);
      expect(alice.socket.readyState).toBe(WebSocket.OPEN);
    });

    it("a read-only document (archived) drops everyone's edits from their next message, also a connection opened later, until it is writable again", async () => {
      const { url, persistence, collab } = await start();
      const alice = track(await openClient(url, "alice"));
      alice.socket.send(encodeSyncUpdate(typed("Before. ")));
      await alice.handled();

      collab.setDocumentReadOnly(DOC_ID.toUpperCase(), true);
      alice.socket.send(encodeSyncUpdate(typed("Archived Alice edits. ")));
      await alice.handled();
      const bob = track(await openClient(url, "bob"));
      bob.socket.send(encodeSyncUpdate(typed("Archived Bob edits. ")));
      await bob.handled();
      expect(textOf(collab.openDocument(DOC_ID))).not.toContain("Archived");
      expect(collab.stats().droppedReadOnlyUpdates).toBe(2);
      expect(alice.socket.readyState).toBe(WebSocket.OPEN);

      collab.setDocumentReadOnly(DOC_ID, false);
      bob.socket.send(encodeSyncUpdate(typed("Unarchived Bob edits. ")));
      await bob.handled();
      expect(textOf(collab.openDocument(DOC_ID))).toContain("Unarchived Bob edits.");
      expect(persistence.appended).toHaveLength(2);
    });

    it("revoked: closes every connection of the principal, in every document, with 4401", async () => {
      const { url, collab } = await start();
      const here = track(await openClient(url, "alice"));
      const there = track(await openClient(url, "alice", OTHER_DOC_ID));
      const bob = track(await openClient(url, "bob"));
      await Promise.all([here.handled(), there.handled(), bob.handled()]);

      expect(collab.setAccess("alice", "revoked")).toBe(2);

      expect(await here.closed).toEqual({ code: 4401, reason: "access revoked" });
      expect((await there.closed).code).toBe(4401);
      await bob.handled();
      expect(bob.socket.readyState).toBe(WebSocket.OPEN);
      await eventually(() => expect(collab.stats().connections).toBe(1));
      expect(collab.setAccess("nobody", "revoked")).toBe(0);
    });

    it("revoked: the stock client reports the connection closed for good and does not reconnect", async () => {
      const { url, collab, roles } = await start();
      const alice = track(stockClient(url, "alice", new Y.Doc()));
      await alice.synced;
      const closed = new Promise<{ code: number }>((resolve) => alice.provider.on("closed", (event) => resolve(event)));

      // As a sign-out would: the session is gone first, then the open connections.
      roles.delete("alice");
      collab.setAccess("alice", "revoked");

      expect((await closed).code).toBe(4401);
      // The client scheduled its reconnect attempt (with no delay) before reporting; let that timer run.
      await delay(0);
      expect(alice.sockets.opened).toBe(1);
      expect(alice.provider.shouldConnect).toBe(false);
      expect(alice.provider.ws).toBeNull();
      await eventually(() => expect(collab.stats().connections).toBe(0));
    });
  });

  describe("presence", () => {
    it("drops a presence state over 4 KiB from any connection without closing it; many small echoes are no refusal", async () => {
      const { url, collab } = await start();
      const alice = track(await openClient(url, "alice"));
      const vera = track(await openClient(url, "vera"));

      alice.socket.send(encodeAwareness(awarenessUpdate(1, 1, { name: "A".repeat(5000) })));
      vera.socket.send(encodeAwareness(awarenessUpdate(2, 1, { name: "V".repeat(5000) })));
      expect(await serverAwareness(1, alice, vera)).toBeUndefined();
      expect(await serverAwareness(2, vera, alice)).toBeUndefined();
      expect(collab.stats().droppedAwarenessUpdates).toBe(2);

      alice.socket.send(encodeAwareness(awarenessUpdate(1, 1, { cursor: null })));
      expect(await serverAwareness(1, alice, vera)).toEqual({ user: identityOf("alice"), cursor: null });
      // A stock client that joins a busy room sends back everything it was greeted with, in one message.
      const echo = { user: identityOf("alice"), cursor: caretAt(2) };
      vera.socket.send(encodeAwareness(awarenessOf(...Array.from({ length: 40 }, (): [number, number, unknown] => [1, 1, echo]))));
      await vera.handled();
      expect(collab.stats().droppedAwarenessUpdates).toBe(2);
      expect(alice.socket.readyState).toBe(WebSocket.OPEN);
      expect(vera.socket.readyState).toBe(WebSocket.OPEN);
    });

    it("shows the account's name and colour, whatever the browser says, with its cursor and nothing else", async () => {
      const { url } = await start();
      const alice = track(await openClient(url, "alice"));
      const bob = track(await openClient(url, "bob"));
      const cursor = caretAt(3);

      alice.socket.send(
        encodeAwareness(awarenessUpdate(1, 1, { user: { name: "Ed (redaktör)", color: "#000000" }, cursor, note: "<script>" })),
      );
      expect(await serverAwareness(1, bob, alice)).toEqual({ user: identityOf("alice"), cursor });
      // What it relays is its own encoding, not the client's bytes.
      const relayed = bob.received.filter((message) => message.type === "awareness").map((message) => new TextDecoder().decode(message.update));
      expect(relayed.join("")).not.toContain("Ed (redaktör)");
    });

    it("relays nothing a read-only connection announces, silently, and takes an editor's caret away when demoted", async () => {
      const { url, collab, log } = await start();
      const vera = track(await openClient(url, "vera"));
      const alice = track(await openClient(url, "alice"));

      vera.socket.send(encodeAwareness(awarenessUpdate(2, 1, { user: { name: "Ed (redaktör)", color: "#1f5f99" }, cursor: null })));
      vera.socket.send(encodeAwareness(awarenessUpdate(2, 2, {})));
      alice.socket.send(encodeAwareness(awarenessUpdate(1, 1, { cursor: null })));
      expect(await serverAwareness(2, alice, vera)).toBeUndefined();
      expect(await serverAwareness(1, vera, alice)).toEqual({ user: identityOf("alice"), cursor: null });
      expect(collab.stats().droppedAwarenessUpdates).toBe(2);
      // Every visitor's stock client announces an empty state: expected, so not a warning.
      expect(log.warn).not.toHaveBeenCalled();

      const from = vera.received.length;
      collab.setAccess("alice", { readOnly: true });
      const removal = await vera.next("awareness", from);
      expect(removal.update).toEqual(awarenessOf([1, 2, null]));
      alice.socket.send(encodeAwareness(awarenessUpdate(1, 3, { cursor: null })));
      expect(await serverAwareness(1, vera, alice)).toBeUndefined();
      expect(collab.stats().presenceEntries).toBe(1);
    });

    it("lets no connection set or remove another's client id; echoes of what it heard pass silently", async () => {
      const { url, collab, log } = await start();
      const alice = track(await openClient(url, "alice"));
      const bob = track(await openClient(url, "bob"));
      const aliceState = { user: identityOf("alice"), cursor: caretAt(1) };
      alice.socket.send(encodeAwareness(awarenessUpdate(1, 3, aliceState)));
      expect(await serverAwareness(1, bob, alice)).toEqual(aliceState);

      // The stock client sends back what it hears, and removes a state it timed out at the clock it knows.
      bob.socket.send(encodeAwareness(awarenessUpdate(1, 3, aliceState)));
      bob.socket.send(encodeAwareness(awarenessUpdate(1, 3, null)));
      bob.socket.send(encodeAwareness(awarenessUpdate(1, 2, { cursor: null })));
      expect(await serverAwareness(1, bob)).toEqual(aliceState);
      expect(collab.stats().droppedAwarenessUpdates).toBe(0);

      bob.socket.send(encodeAwareness(awarenessUpdate(1, 4, { cursor: caretAt(5) })));
      bob.socket.send(encodeAwareness(awarenessUpdate(1, 5, null)));
      expect(await serverAwareness(1, alice, bob)).toEqual(aliceState);
      expect(collab.stats().droppedAwarenessUpdates).toBe(2);
      // One warning per connection and kind; the repeat is logged at debug.
      expect(log.warn).toHaveBeenCalledTimes(1);
      expect(log.warn).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ principal: "bob", reason: "foreign client id" }));
      expect(log.debug).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ principal: "bob", reason: "foreign client id" }));

      alice.socket.send(encodeAwareness(awarenessUpdate(1, 4, null)));
      expect(await serverAwareness(1, bob, alice)).toBeUndefined();
    });

    it("drops a state whose cursor is neither null nor two relative positions, and keeps the connection", async () => {
      const { url, collab } = await start();
      const alice = track(await openClient(url, "alice"));
      const bob = track(await openClient(url, "bob"));
      const valid = caretAt(2);
      const malformed: unknown[] = [
        {},
        { anchor: {}, head: {} },
        { anchor: valid.anchor },
        "here",
        { anchor: { item: { client: "x", clock: 1 } }, head: valid.head },
        { anchor: { item: { client: -1, clock: 1 } }, head: valid.head },
      ];
      let clock = 0;
      for (const cursor of malformed) alice.socket.send(encodeAwareness(awarenessUpdate(1, ++clock, { cursor })));
      expect(await serverAwareness(1, bob, alice)).toBeUndefined();
      expect(collab.stats().droppedAwarenessUpdates).toBe(malformed.length);

      alice.socket.send(encodeAwareness(awarenessUpdate(1, ++clock, { cursor: valid })));
      expect(await serverAwareness(1, bob, alice)).toEqual({ user: identityOf("alice"), cursor: valid });
      expect(alice.socket.readyState).toBe(WebSocket.OPEN);
    });

    it("holds four client ids per connection and a bounded number per room; removing unknown ids keeps nothing", async () => {
      const { url, collab } = await start({ presenceLimits: { stateSize: 4096, perConnection: 4, perRoom: 6, removalsRemembered: 5 } });
      const alice = track(await openClient(url, "alice"));
      const bob = track(await openClient(url, "bob"));
      const vera = track(await openClient(url, "vera"));

      alice.socket.send(encodeAwareness(awarenessOf(...[1, 2, 3, 4, 5].map((id): [number, number, unknown] => [id, 1, { cursor: null }]))));
      bob.socket.send(encodeAwareness(awarenessOf(...[11, 12, 13].map((id): [number, number, unknown] => [id, 1, { cursor: null }]))));
      await Promise.all([alice.handled(), bob.handled()]);
      expect(collab.stats().presenceEntries).toBe(6);
      expect(await serverAwareness(5, alice)).toBeUndefined();
      expect(await serverAwareness(13, bob)).toBeUndefined();

      // 300 removals of ids nobody holds, per message, from a visitor and an editor.
      for (let round = 0; round < 10; round++) {
        const removals = Array.from({ length: 300 }, (_, i): [number, number, unknown] => [1_000 + round * 300 + i, 7, null]);
        vera.socket.send(encodeAwareness(awarenessOf(...removals)));
        bob.socket.send(encodeAwareness(awarenessOf(...removals)));
      }
      // An editor that keeps adding and removing ids of its own.
      for (let clock = 2; clock < 40; clock += 2) {
        alice.socket.send(encodeAwareness(awarenessOf([1, clock, null], [100 + clock, 1, { cursor: null }])));
        alice.socket.send(encodeAwareness(awarenessOf([100 + clock, 2, null], [1, clock + 1, { cursor: null }])));
      }
      await Promise.all([alice.handled(), bob.handled(), vera.handled()]);
      expect(collab.stats().presenceEntries).toBeLessThanOrEqual(6 + 5);
      expect(await serverAwareness(1, bob)).toEqual({ user: identityOf("alice"), cursor: null });
    });

    it("lets a reconnect of the same session take over its client id, and no other session", async () => {
      const { url, collab } = await start();
      const before = track(await openClient(url, "alice"));
      const after = track(await openClient(url, "alice"));
      const laptop = track(await openClient(url, "alice", DOC_ID, "laptop"));
      before.socket.send(encodeAwareness(awarenessUpdate(1, 1, { cursor: null })));
      await before.handled();

      laptop.socket.send(encodeAwareness(awarenessUpdate(1, 2, { cursor: caretAt(1) })));
      after.socket.send(encodeAwareness(awarenessUpdate(1, 2, { cursor: caretAt(4) })));
      expect(await serverAwareness(1, after, laptop)).toEqual({ user: identityOf("alice"), cursor: caretAt(4) });

      // The old socket goes; the id now belongs to the new one and stays.
      before.socket.close();
      await before.closed;
      await eventually(() => expect(collab.stats().connections).toBe(2));
      expect(await serverAwareness(1, after)).toEqual({ user: identityOf("alice"), cursor: caretAt(4) });
    });
  });

  describe("sessions", () => {
    it("endSessions closes the connections of those sessions with 4401, and no others", async () => {
      const { url, collab } = await start();
      const phone = track(await openClient(url, "alice"));
      const elsewhere = track(await openClient(url, "alice", OTHER_DOC_ID));
      const laptop = track(await openClient(url, "alice", DOC_ID, "laptop"));
      const bob = track(await openClient(url, "bob"));

      expect(collab.endSessions([sessionOf("alice"), sessionOf("carol")])).toBe(2);
      expect(await phone.closed).toEqual({ code: 4401, reason: "session ended" });
      expect((await elsewhere.closed).code).toBe(4401);
      await Promise.all([laptop.handled(), bob.handled()]);
      laptop.socket.send(encodeSyncUpdate(typed("Still signed in on the laptop. ")));
      await laptop.handled();
      expect(textOf(collab.openDocument(DOC_ID))).toBe("Still signed in on the laptop. ");
      expect(collab.stats().connections).toBe(2);
    });

    it("refuses a connection whose session ends while it is being admitted", async () => {
      const { url, authorize, collab } = await start();
      let decide: (grant: ConnectionGrant) => void = () => {};
      const asked = new Promise<void>((resolveAsked) => {
        authorize.mockImplementationOnce(
          () =>
            new Promise((resolve) => {
              decide = resolve;
              resolveAsked();
            }),
        );
      });

      const status = upgradeStatus(`${url}/collab/${DOC_ID}?as=alice`);
      await asked;
      collab.endSessions([sessionOf("alice")]);
      decide({ ok: true, readOnly: false, principal: "alice", session: { id: sessionOf("alice"), endsAt: Infinity }, identity: identityOf("alice") });

      expect(await status).toBe(403);
      expect(collab.stats().connections).toBe(0);
    });

    it("closes a connection whose session expired at its next message, before an edit of it lands", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      const { url, collab, persistence, sessionEnds } = await start();
      sessionEnds.set(sessionOf("alice"), Date.now() + 60_000);
      const alice = track(await openClient(url, "alice"));
      alice.socket.send(encodeSyncUpdate(typed("Before the end. ")));
      await alice.handled();

      vi.setSystemTime(Date.now() + 60_000);
      alice.socket.send(encodeSyncUpdate(typed("After the end. ")));
      expect(await alice.closed).toEqual({ code: 4401, reason: "session expired" });
      expect(textOf(collab.openDocument(DOC_ID))).toBe("Before the end. ");
      expect(persistence.appended).toHaveLength(1);
    });

    it("closes an idle connection whose session expired at the next periodic check", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      const { url, sessionEnds } = await start({ heartbeatMs: 50 });
      sessionEnds.set(sessionOf("bob"), Date.now() + 60_000);
      const bob = track(await openClient(url, "bob"));
      const alice = track(await openClient(url, "alice"));

      vi.setSystemTime(Date.now() + 60_000);
      expect(await bob.closed).toEqual({ code: 4401, reason: "session expired" });
      await alice.handled();
      expect(alice.socket.readyState).toBe(WebSocket.OPEN);
    });
  });

  describe("requests that make the server send the document", () => {
    it("answers 10 sync step 1 messages, 10 awareness and 10 stored-state queries per connection in 10 s and drops the rest", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      // The defaults, not the test harness's allowance.
      const { url, collab, log } = await start({ requestRate: undefined });
      const flooder = track(await openClient(url, "vera"));
      const alice = track(await openClient(url, "alice"));
      const bob = track(await openClient(url, "bob"));

      for (let i = 0; i < 30; i++) {
        flooder.socket.send(encodeSyncStep1(new Uint8Array([0])));
        flooder.socket.send(encodeQueryAwareness());
        flooder.socket.send(encodeStoredQuery());
      }
      await eventually(() => expect(collab.stats().droppedRequests).toBe(60));

      // Meanwhile the editors' edits go through; the broadcast reaches the flooder after every answer it got.
      const from = bob.received.length;
      alice.socket.send(encodeSyncUpdate(typed("Alice types on. ")));
      await bob.next("sync-update", from);
      await flooder.next("sync-update");
      expect(flooder.received.filter((message) => message.type === "sync-step-2")).toHaveLength(10);
      expect(flooder.received.filter((message) => message.type === "awareness")).toHaveLength(10);
      expect(log.warn).not.toHaveBeenCalled();
      expect(log.debug).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ principal: "vera", type: "sync-step-1" }));

      vi.setSystemTime(Date.now() + 10_000);
      await flooder.handled();
      expect(flooder.socket.readyState).toBe(WebSocket.OPEN);

      // An editor's stored-state queries are answered up to the same rate (an announcement of a store may come too).
      for (let i = 0; i < 15; i++) bob.socket.send(encodeStoredQuery());
      await bob.handled();
      expect(collab.stats().droppedRequests).toBe(65);
      expect(bob.storedMessages).toBeGreaterThanOrEqual(10);
      expect(bob.storedMessages).toBeLessThanOrEqual(11);
    });
  });

  describe("document ids", () => {
    it("opens one room per document whatever the case of its id", async () => {
      const documentExists = vi.fn(async (id: string) => id === DOC_ID);
      const { url, collab } = await start({ documentExists });
      const upper = track(await openClient(url, "alice", DOC_ID.toUpperCase()));
      const lower = track(await openClient(url, "bob"));
      expect(collab.stats().rooms).toBe(1);
      expect(documentExists).toHaveBeenCalledWith(DOC_ID);
      expect(documentExists).not.toHaveBeenCalledWith(DOC_ID.toUpperCase());

      const from = lower.received.length;
      upper.socket.send(encodeSyncUpdate(typed("Shouted. ")));
      const relayed = await lower.next("sync-update", from);
      expect(textOf(docFrom(relayed.update))).toBe("Shouted. ");
      expect(textOf(collab.openDocument(DOC_ID.toUpperCase()))).toBe("Shouted. ");
      expect(collab.stats().rooms).toBe(1);
    });
  });
});

describe("updateChangesDocument", () => {
  /** What applying the update would really do: whether the document's full state changes. */
  function wouldChange(doc: Y.Doc, update: Uint8Array): boolean {
    const copy = docFrom(Y.encodeStateAsUpdate(doc));
    const before = Y.encodeStateAsUpdate(copy);
    Y.applyUpdate(copy, update);
    const after = Y.encodeStateAsUpdate(copy);
    return before.length !== after.length || before.some((byte, index) => byte !== after[index]);
  }

  const server = helloWithDeletion();
  const serverState = Y.encodeStateAsUpdate(server);
  const replica = () => docFrom(serverState);
  const elsewhere = replica();
  const first = edit(elsewhere, (body) => body.insert(5, "!"));
  const second = edit(elsewhere, (body) => body.insert(6, "?"));
  const third = edit(elsewhere, (body) => body.insert(7, "#"));
  const deletesFirst = edit(elsewhere, (body) => body.delete(5, 1));
  const prefixed = replica();
  const knownPlusNew = Y.mergeUpdates([serverState, edit(prefixed, (body) => body.insert(0, ">"))]);
  const upToDate = docFrom(serverState, first, second, third);

  const cases: Array<[description: string, doc: Y.Doc, update: Uint8Array, changes: boolean]> = [
    ["the document's own full state", server, serverState, false],
    ["an empty update", server, Y.encodeStateAsUpdate(new Y.Doc()), false],
    ["its delete set and nothing else", server, Y.encodeStateAsUpdate(replica(), Y.encodeStateVector(server)), false],
    ["new text", server, typed("new"), true],
    ["known structs and one new one", server, knownPlusNew, true],
    ["an edit whose predecessor is missing (held pending)", server, second, true],
    ["a deletion of text it has", server, edit(replica(), (body) => body.delete(0, 2)), true],
    ["a deletion of text it has not seen yet", server, deletesFirst, true],
    ["known edits merged around a gap", upToDate, Y.mergeUpdates([first, third]), false],
    ["new edits merged around a gap", server, Y.mergeUpdates([first, third]), true],
  ];

  it.each(cases)("%s", (_description, doc, update, changes) => {
    expect(wouldChange(doc, update)).toBe(changes);
    expect(updateChangesDocument(doc, Y.decodeUpdate(update))).toBe(changes);
  });
});
