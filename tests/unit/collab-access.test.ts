import { randomBytes } from "node:crypto";
import http, { type IncomingMessage } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
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
} from "../../server/collab/collab-server";
import {
  decodeMessage,
  encodeAwareness,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  type CollabMessage,
} from "../../server/collab/protocol";
import { updateChangesDocument } from "../../server/collab/room";
import { docFrom, DOC_ID, edit, MemoryPersistence, OTHER_DOC_ID, PLAIN_TEXT_SHAPE, serveCollab, silentLogger, TEXT, textOf, typed } from "../support/collab-fakes";

// ---------------------------------------------------------------------------------------------------------------------
// Fakes

type Role = "edit" | "read";

/**
 * Stands in for the session reader: `?as=<principal>` says who is asking (none: not signed in → 401), and the
 * principal's role in `roles` what they may do (none: not allowed → 403).
 */
function fakeAuthorize(roles: Map<string, Role>) {
  return vi.fn(async (request: IncomingMessage, _documentId: string): Promise<ConnectionGrant | ConnectionRefusal> => {
    const principal = new URL(request.url ?? "", "http://test").searchParams.get("as");
    if (principal === null) return { ok: false, status: 401 };
    const role = roles.get(principal);
    if (role === undefined) return { ok: false, status: 403 };
    return { ok: true, readOnly: role === "read", principal };
  });
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

function awarenessUpdate(clientId: number, clock: number, state: object | null): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encoding.toUint8Array(encoder);
}

// ---------------------------------------------------------------------------------------------------------------------
// A server over real sockets, and clients

interface Running {
  collab: CollabServer;
  persistence: MemoryPersistence;
  authorize: ReturnType<typeof fakeAuthorize>;
  roles: Map<string, Role>;
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
  const authorize = fakeAuthorize(roles);
  const collab = createCollabServer({
    persistence,
    documentShape: PLAIN_TEXT_SHAPE,
    documentExists: async (id) => id === DOC_ID || id === OTHER_DOC_ID,
    authorize,
    maxMessageBytes: 64 * 1024,
    unloadGraceMs: 60_000,
    log,
    ...options,
  });
  const served = await serveCollab(collab);
  return {
    collab,
    persistence,
    authorize,
    roles,
    log,
    url: served.url,
    stop: served.stop,
  };
}

interface RawClient {
  socket: WebSocket;
  received: CollabMessage[];
  /** The first message from index `from` on of that type, now or when it arrives. */
  next<T extends CollabMessage["type"]>(type: T, from?: number): Promise<Extract<CollabMessage, { type: T }>>;
  /** Resolves once the server has handled every frame sent before: it answers a sync step 1 in order, every time. */
  handled(): Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

async function openClient(url: string, principal: string, documentId = DOC_ID): Promise<RawClient> {
  const socket = new WebSocket(`${url}/collab/${documentId}?as=${principal}`);
  const received: CollabMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on("message", (data: Buffer) => {
    const result = decodeMessage(new Uint8Array(data));
    if (!result.ok) throw new Error(`server sent an undecodable frame: ${result.reason}`);
    received.push(result.message);
    for (const waiter of [...waiters]) waiter();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const next = <T extends CollabMessage["type"]>(type: T, from = 0) =>
    new Promise<Extract<CollabMessage, { type: T }>>((resolve) => {
      const check = () => {
        const found = received.slice(from).find((message): message is Extract<CollabMessage, { type: T }> => message.type === type);
        if (found === undefined) return;
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
      check();
    });
  const handled = async () => {
    const from = received.length;
    socket.send(encodeSyncStep1(new Uint8Array([0])));
    await next("sync-step-2", from);
  };
  return { socket, received, next, handled, closed };
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
      decide({ ok: true, readOnly: false, principal: "alice" });

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
      await vi.waitFor(() => expect(collab.stats().droppedReadOnlyUpdates).toBe(1));
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
      await vi.waitFor(() => expect(collab.stats().connections).toBe(1));
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
      await vi.waitFor(() => expect(collab.stats().connections).toBe(0));
    });
  });

  describe("awareness", () => {
    it("drops an awareness message over 4 KiB from any connection without closing it", async () => {
      const { url, collab } = await start();
      const alice = track(await openClient(url, "alice"));
      const vera = track(await openClient(url, "vera"));

      alice.socket.send(encodeAwareness(awarenessUpdate(1, 1, { name: "A".repeat(5000) })));
      vera.socket.send(encodeAwareness(awarenessUpdate(2, 1, { name: "V".repeat(5000) })));
      expect(await serverAwareness(1, alice, vera)).toBeUndefined();
      expect(await serverAwareness(2, vera, alice)).toBeUndefined();
      expect(collab.stats().droppedAwarenessUpdates).toBe(2);

      alice.socket.send(encodeAwareness(awarenessUpdate(1, 1, { name: "Alice" })));
      expect(await serverAwareness(1, alice, vera)).toEqual({ name: "Alice" });
      expect(alice.socket.readyState).toBe(WebSocket.OPEN);
      expect(vera.socket.readyState).toBe(WebSocket.OPEN);
    });

    it("lets a read-only connection change its presence 10 times per 10 s, not counting echoes; editors are not limited", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      const { url, collab } = await start();
      const vera = track(await openClient(url, "vera"));
      const alice = track(await openClient(url, "alice"));

      for (let clock = 1; clock <= 12; clock++) {
        vera.socket.send(encodeAwareness(awarenessUpdate(2, clock, { cursor: clock })));
        alice.socket.send(encodeAwareness(awarenessUpdate(1, clock, { cursor: clock })));
      }
      expect(await serverAwareness(2, vera, alice)).toEqual({ cursor: 10 });
      expect(await serverAwareness(1, alice, vera)).toEqual({ cursor: 12 });
      expect(collab.stats().droppedAwarenessUpdates).toBe(2);

      // The stock client sends back every awareness change it hears; those change nothing and use up nothing.
      vera.socket.send(encodeAwareness(awarenessUpdate(1, 12, { cursor: 12 })));
      vera.socket.send(encodeAwareness(awarenessUpdate(2, 10, { cursor: 10 })));
      await vera.handled();
      expect(collab.stats().droppedAwarenessUpdates).toBe(2);

      vi.setSystemTime(Date.now() + 10_000);
      vera.socket.send(encodeAwareness(awarenessUpdate(2, 13, { cursor: 13 })));
      expect(await serverAwareness(2, vera, alice)).toEqual({ cursor: 13 });
      expect(vera.socket.readyState).toBe(WebSocket.OPEN);
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
    expect(updateChangesDocument(doc, update)).toBe(changes);
  });
});
