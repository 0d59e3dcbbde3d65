import { randomBytes } from "node:crypto";
import http from "node:http";
import { Socket } from "node:net";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { createCollabServer, type CollabServer, type CollabServerOptions } from "#server/collab/collab-server";
import {
  CloseCode,
  decodeMessage,
  encodeAwareness,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  type CollabMessage,
} from "#server/collab/protocol";
import { RoomRegistry, type ConnectionAccess, type Room, type RoomSettings } from "#server/collab/room";
import {
  deferred,
  docFrom,
  DOC_ID,
  edit,
  FakePeer,
  MemoryPersistence,
  OTHER_DOC_ID,
  PLAIN_TEXT_SHAPE,
  serveCollab,
  silentLogger,
  TEXT,
  textOf,
  typed,
} from "#tests/support/collab-fakes";
import { eventually } from "#tests/support/wait";

// ---------------------------------------------------------------------------------------------------------------------
// Yjs helpers

function awarenessUpdate(...entries: Array<{ clientId: number; clock: number; state: object | null }>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}

function readAwareness(update: Uint8Array): Map<number, unknown> {
  const decoder = decoding.createDecoder(update);
  const states = new Map<number, unknown>();
  const entries = decoding.readVarUint(decoder);
  for (let i = 0; i < entries; i++) {
    const clientId = decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    states.set(clientId, JSON.parse(decoding.readVarString(decoder)));
  }
  return states;
}

// ---------------------------------------------------------------------------------------------------------------------
// Rooms with fake connections

const MAX_BUFFERED = 1024;

function createRooms(persistence: MemoryPersistence, overrides: Partial<RoomSettings> = {}) {
  const log = silentLogger();
  const rooms = new RoomRegistry({
    persistence,
    documentShape: PLAIN_TEXT_SHAPE,
    log,
    unloadGraceMs: 5_000,
    heartbeatMs: 15_000,
    maxBufferedBytes: MAX_BUFFERED,
    ...overrides,
  });
  return { rooms, log };
}

/** Joins a peer and waits until it has been greeted, i.e. the room is loaded. */
async function joined(rooms: RoomRegistry, peer: FakePeer, documentId = DOC_ID, access?: ConnectionAccess): Promise<Room> {
  const room = rooms.join(documentId, peer, access);
  expect(await room.loaded).toBe(true);
  return room;
}

const CARET = "#1f5f99";

/** An editor signed in as `name`, whose presence shows that name. */
function editor(name: string): ConnectionAccess {
  return { readOnly: false, principal: name, session: { id: `session of ${name}`, endsAt: Number.POSITIVE_INFINITY }, identity: { name, color: CARET } };
}

/** The state the server relays for an editor without a caret in the text. */
function presenceOf(name: string) {
  return { user: { name, color: CARET }, cursor: null };
}

describe("a room", () => {
  let persistence: MemoryPersistence;
  let rooms: RoomRegistry;
  let log: ReturnType<typeof silentLogger>;

  beforeEach(() => {
    persistence = new MemoryPersistence();
    ({ rooms, log } = createRooms(persistence));
  });

  afterEach(async () => {
    persistence.loadGate = null;
    persistence.flushGate = null;
    // Before restoring real timers: handing a fake timer to the real clearImmediate corrupts Node's immediate queue.
    await rooms.closeAll(CloseCode.goingAway, "test over");
    vi.useRealTimers();
  });

  it("greets a joining peer with the server's state vector", async () => {
    const stored = typed("Hello");
    persistence.seed(DOC_ID, stored);
    const alice = new FakePeer("alice");
    await joined(rooms, alice);

    const greeting = await alice.next("sync-step-1");
    expect(greeting.stateVector).toEqual(Y.encodeStateVector(docFrom(stored)));
  });

  it("answers sync step 1 with the state the client is missing, and only that", async () => {
    const client = new Y.Doc();
    const known = typed("Hello", client);
    const server = new Y.Doc();
    Y.applyUpdate(server, known);
    const missing = typed(", world", server);
    persistence.seed(DOC_ID, known);
    persistence.seed(DOC_ID, missing);
    const alice = new FakePeer("alice");
    const room = await joined(rooms, alice);

    room.receive(alice, encodeSyncStep1(Y.encodeStateVector(client)));
    const reply = await alice.next("sync-step-2");

    expect(reply.update).toEqual(Y.encodeStateAsUpdate(room.doc, Y.encodeStateVector(client)));
    expect(Y.decodeUpdate(reply.update).structs.every((struct) => struct.id.client === server.clientID)).toBe(true);
    Y.applyUpdate(client, reply.update);
    expect(textOf(client)).toBe("Hello, world");
  });

  it("applies an update, relays it to the others but not back to its sender, and appends it", async () => {
    const alice = new FakePeer("alice");
    const bob = new FakePeer("bob");
    const room = await joined(rooms, alice);
    rooms.join(DOC_ID, bob);
    const update = typed("Hej");

    room.receive(alice, encodeSyncUpdate(update));

    expect(textOf(room.doc)).toBe("Hej");
    expect(textOf(docFrom((await bob.next("sync-update")).update))).toBe("Hej");
    expect(alice.messages().map(({ type }) => type)).not.toContain("sync-update");
    expect(persistence.appended).toEqual([{ documentId: DOC_ID, update }]);
  });

  it("applies a sync step 2 the same way", async () => {
    const alice = new FakePeer("alice");
    const bob = new FakePeer("bob");
    const room = await joined(rooms, alice);
    rooms.join(DOC_ID, bob);
    const offline = new Y.Doc();
    typed("written offline", offline);

    room.receive(alice, encodeSyncStep2(Y.encodeStateAsUpdate(offline)));

    expect(textOf(room.doc)).toBe("written offline");
    expect(textOf(docFrom((await bob.next("sync-update")).update))).toBe("written offline");
    expect(alice.messages().map(({ type }) => type)).not.toContain("sync-update");
    expect(persistence.appended).toHaveLength(1);
  });

  it("sends the updates of one tick as one merged message, encoded once for all peers", async () => {
    const alice = new FakePeer("alice");
    const bob = new FakePeer("bob");
    const room = await joined(rooms, alice);
    rooms.join(DOC_ID, bob);
    const sentBefore = { alice: alice.sent.length, bob: bob.sent.length };

    room.receive(alice, encodeSyncUpdate(typed("from alice ")));
    room.receive(bob, encodeSyncUpdate(typed("from bob ")));
    await alice.next("sync-update", sentBefore.alice);
    await bob.next("sync-update", sentBefore.bob);

    const aliceGot = alice.sent.slice(sentBefore.alice);
    const bobGot = bob.sent.slice(sentBefore.bob);
    expect(aliceGot).toHaveLength(1);
    expect(bobGot).toHaveLength(1);
    expect(aliceGot[0]).toBe(bobGot[0]);
    const merged = docFrom((await alice.next("sync-update", sentBefore.alice)).update);
    expect(textOf(merged)).toBe(textOf(room.doc));
    expect(textOf(merged)).toContain("from alice");
    expect(textOf(merged)).toContain("from bob");
    expect(persistence.appended).toHaveLength(2);
  });

  it("answers an update that changes nothing to its sender alone", async () => {
    const alice = new FakePeer("alice");
    const bob = new FakePeer("bob");
    const update = typed("already stored");
    persistence.seed(DOC_ID, update);
    const room = await joined(rooms, alice);
    rooms.join(DOC_ID, bob);
    const bobSentBefore = bob.sent.length;

    room.receive(alice, encodeSyncUpdate(update));

    expect((await alice.next("sync-update")).update).toEqual(update);
    expect(bob.sent.slice(bobSentBefore)).toEqual([]);
    expect(persistence.appended).toEqual([]);
  });

  it("relays awareness to everyone, answers a query with it and removes a peer's presence when it leaves", async () => {
    const alice = new FakePeer("alice");
    const bob = new FakePeer("bob");
    const room = await joined(rooms, alice, DOC_ID, editor("Alice"));
    rooms.join(DOC_ID, bob);

    room.receive(alice, encodeAwareness(awarenessUpdate({ clientId: 101, clock: 1, state: { user: "Alice" } })));
    expect(readAwareness((await bob.next("awareness")).update)).toEqual(new Map([[101, presenceOf("Alice")]]));
    expect(readAwareness((await alice.next("awareness")).update)).toEqual(new Map([[101, presenceOf("Alice")]]));

    const bobSentBefore = bob.sent.length;
    room.receive(bob, encodeQueryAwareness());
    expect(readAwareness((await bob.next("awareness", bobSentBefore)).update)).toEqual(new Map([[101, presenceOf("Alice")]]));

    const carol = new FakePeer("carol");
    rooms.join(DOC_ID, carol);
    expect(readAwareness((await carol.next("awareness")).update)).toEqual(new Map([[101, presenceOf("Alice")]]));

    const bobSentBeforeLeave = bob.sent.length;
    room.leave(alice);
    expect(readAwareness((await bob.next("awareness", bobSentBeforeLeave)).update)).toEqual(new Map([[101, null]]));
    expect(room.presence.clients).toBe(0);
  });

  describe("closes only the connection that sends a bad frame", () => {
    const sane = typed("sane");
    const cases: Array<[description: string, frame: Uint8Array, closeCode: number]> = [
      ["a truncated varint", new Uint8Array([0, 2, 0x80]), CloseCode.invalidPayload],
      ["an unknown message type", new Uint8Array([9]), CloseCode.unsupportedData],
      ["an auth message", new Uint8Array([2, 0, 0]), CloseCode.unsupportedData],
      ["an unknown sync message type", new Uint8Array([0, 7, 0]), CloseCode.unsupportedData],
      ["a garbage update", new Uint8Array([0, 2, 4, 0xde, 0xad, 0xbe, 0xef]), CloseCode.invalidPayload],
      ["a truncated update", encodeSyncUpdate(sane).subarray(0, -2), CloseCode.invalidPayload],
      ["garbage", new Uint8Array([0xff, 0xfe, 0xfd, 0xfc]), CloseCode.invalidPayload],
      ["awareness that is not JSON", encodeAwareness(new Uint8Array([1, 5, 1, 3, 0x7b, 0x7b, 0x7b])), CloseCode.invalidPayload],
    ];

    it.each(cases)("%s", async (_description, badFrame, closeCode) => {
      const alice = new FakePeer("alice");
      const bob = new FakePeer("bob");
      const mallory = new FakePeer("mallory");
      persistence.seed(DOC_ID, typed("Before"));
      const room = await joined(rooms, alice);
      rooms.join(DOC_ID, bob);
      rooms.join(DOC_ID, mallory);
      const stateBefore = Y.encodeStateAsUpdate(room.doc);

      room.receive(mallory, badFrame);

      expect(mallory.closedWith?.code).toBe(closeCode);
      expect(alice.closedWith).toBeNull();
      expect(bob.closedWith).toBeNull();
      expect(Y.encodeStateAsUpdate(room.doc)).toEqual(stateBefore);
      expect(persistence.appended).toEqual([]);
      expect(log.warn).toHaveBeenCalled();
      expect(rooms.stats()).toMatchObject({ rooms: 1, connections: 2 });

      const bobSentBefore = bob.sent.length;
      room.receive(alice, encodeSyncUpdate(typed(" after")));
      await bob.next("sync-update", bobSentBefore);
      expect(textOf(room.doc)).toContain("Before");
      expect(textOf(room.doc)).toContain(" after");
      // Frames that were already on their way from the closed connection are ignored.
      room.receive(mallory, encodeSyncUpdate(typed("too late")));
      expect(textOf(room.doc)).not.toContain("too late");
    });
  });

  it("closes a connection with 1011 when handling its message fails, and carries on", async () => {
    class BrokenPeer extends FakePeer {
      override send(message: Uint8Array): void {
        const decoded = decodeMessage(message);
        if (decoded.ok && decoded.message.type === "sync-step-2") throw new Error("socket exploded");
        super.send(message);
      }
    }
    const alice = new FakePeer("alice");
    const broken = new BrokenPeer("broken");
    const room = await joined(rooms, alice);
    rooms.join(DOC_ID, broken);

    room.receive(broken, encodeSyncStep1(new Uint8Array([0])));

    expect(broken.closedWith?.code).toBe(CloseCode.internalError);
    expect(log.error).toHaveBeenCalledWith("failed to handle a message", expect.objectContaining({ type: "sync-step-1" }));
    const bob = new FakePeer("bob");
    rooms.join(DOC_ID, bob);
    room.receive(alice, encodeSyncUpdate(typed("fine")));
    expect(textOf(docFrom((await bob.next("sync-update")).update))).toBe("fine");
  });

  it("buffers frames that arrive while the document loads and applies them in order afterwards", async () => {
    const loading = deferred();
    persistence.loadGate = loading.promise;
    const stored = typed("Stored.");
    persistence.seed(DOC_ID, stored);
    const alice = new FakePeer("alice");
    const bob = new FakePeer("bob");
    const room = rooms.join(DOC_ID, alice, editor("Alice"));
    rooms.join(DOC_ID, bob);

    const writer = docFrom(stored);
    const first = edit(writer, (body) => body.insert(body.length, " First."));
    const second = edit(writer, (body) => body.insert(body.length, " Second."));
    const fromBob = typed("Bob! ");
    room.receive(alice, encodeSyncUpdate(first));
    room.receive(bob, encodeSyncUpdate(fromBob));
    room.receive(alice, encodeSyncUpdate(second));
    room.receive(alice, encodeAwareness(awarenessUpdate({ clientId: 5, clock: 1, state: { user: "Alice" } })));
    room.receive(bob, encodeSyncStep1(new Uint8Array([0])));

    expect(alice.sent).toEqual([]);
    expect(bob.sent).toEqual([]);
    expect(persistence.appended).toEqual([]);
    expect(persistence.loads).toBe(1);

    loading.resolve();
    expect(await room.loaded).toBe(true);

    expect(persistence.appended.map(({ update }) => update)).toEqual([first, fromBob, second]);
    expect(textOf(room.doc)).toContain("Stored. First. Second.");
    expect(textOf(room.doc)).toContain("Bob! ");
    expect(alice.messages()[0]?.type).toBe("sync-step-1");
    expect(textOf(docFrom((await bob.next("sync-step-2")).update))).toBe(textOf(room.doc));
    expect(readAwareness((await bob.next("awareness")).update)).toEqual(new Map([[5, presenceOf("Alice")]]));
  });

  it("keeps edits sent during the load by a peer that left before it finished", async () => {
    const loading = deferred();
    persistence.loadGate = loading.promise;
    const alice = new FakePeer("alice");
    const room = rooms.join(DOC_ID, alice, editor("Alice"));
    const update = typed("parting words");
    room.receive(alice, encodeSyncUpdate(update));
    room.receive(alice, encodeAwareness(awarenessUpdate({ clientId: 5, clock: 1, state: {} })));
    room.leave(alice);

    loading.resolve();
    expect(await room.loaded).toBe(true);

    expect(persistence.appended).toEqual([{ documentId: DOC_ID, update }]);
    expect(room.presence.entries).toBe(0);
    expect(alice.sent).toEqual([]);
  });

  it("shares one load between concurrent first connections", async () => {
    const loading = deferred();
    persistence.loadGate = loading.promise;
    const first = rooms.join(DOC_ID, new FakePeer("alice"));
    const second = rooms.join(DOC_ID, new FakePeer("bob"));
    loading.resolve();

    expect(second).toBe(first);
    expect(await first.loaded).toBe(true);
    expect(persistence.loads).toBe(1);
    expect(rooms.stats()).toMatchObject({ rooms: 1, connections: 2 });
  });

  it("refuses the connections of a document that fails to load and never writes over it", async () => {
    const stored = typed("precious");
    persistence.seed(DOC_ID, stored);
    persistence.failLoads = new Error("database unavailable");
    const alice = new FakePeer("alice");
    const bob = new FakePeer("bob");
    const room = rooms.join(DOC_ID, alice);
    rooms.join(DOC_ID, bob);
    room.receive(alice, encodeSyncStep2(Y.encodeStateAsUpdate(new Y.Doc())));

    expect(await room.loaded).toBe(false);

    expect(alice.closedWith?.code).toBe(CloseCode.internalError);
    expect(bob.closedWith?.code).toBe(CloseCode.internalError);
    expect(log.error).toHaveBeenCalledWith(expect.stringContaining("could not load"), expect.objectContaining({ documentId: DOC_ID }));
    expect(persistence.appended).toEqual([]);
    expect(persistence.flushed).toEqual([]);
    expect(persistence.stored.get(DOC_ID)).toEqual([stored]);
    expect(rooms.stats()).toMatchObject({ rooms: 0, connections: 0 });
    expect(room.doc.isDestroyed).toBe(true);

    // The next connection tries again, and gets the stored content.
    persistence.failLoads = null;
    const carol = new FakePeer("carol");
    const retried = await joined(rooms, carol);
    expect(retried).not.toBe(room);
    expect(textOf(retried.doc)).toBe("precious");
  });

  it("closes a peer that does not keep up with 1013 and keeps serving the others", async () => {
    const alice = new FakePeer("alice");
    const bob = new FakePeer("bob");
    const slow = new FakePeer("slow");
    const room = await joined(rooms, alice);
    rooms.join(DOC_ID, bob);
    rooms.join(DOC_ID, slow);
    slow.bufferedAmount = MAX_BUFFERED + 1;
    const slowSentBefore = slow.sent.length;

    room.receive(alice, encodeSyncUpdate(typed("fast")));
    await bob.next("sync-update");

    expect(slow.closedWith?.code).toBe(CloseCode.tryAgainLater);
    expect(slow.sent.length).toBe(slowSentBefore);
    expect(alice.closedWith).toBeNull();
    expect(bob.closedWith).toBeNull();
    expect(rooms.stats().connections).toBe(2);
  });

  it("sends idle connections a heartbeat: the awareness state, or an empty awareness update", async () => {
    vi.useFakeTimers();
    ({ rooms } = createRooms(persistence, { heartbeatMs: 1_000 }));
    const alice = new FakePeer("alice");
    const room = await joined(rooms, alice, DOC_ID, editor("Alice"));

    let sentBefore = alice.sent.length;
    vi.advanceTimersByTime(1_000);
    const empty = alice.messages().slice(sentBefore);
    expect(empty).toEqual([{ type: "awareness", update: new Uint8Array([0]) }]);

    room.receive(alice, encodeAwareness(awarenessUpdate({ clientId: 7, clock: 1, state: { user: "Alice" } })));
    vi.advanceTimersByTime(0); // the broadcast of that change
    sentBefore = alice.sent.length;
    vi.advanceTimersByTime(1_000);
    const withState = alice.messages().slice(sentBefore);
    expect(withState).toHaveLength(1);
    expect(withState[0]?.type).toBe("awareness");
    if (withState[0]?.type === "awareness") expect(readAwareness(withState[0].update)).toEqual(new Map([[7, presenceOf("Alice")]]));

    // Its own changes are not sent back to it (decision 0035), so typing alone it still hears a heartbeat.
    room.receive(alice, encodeSyncUpdate(typed("alone")));
    vi.advanceTimersByTime(0);
    sentBefore = alice.sent.length;
    vi.advanceTimersByTime(1_000);
    expect(alice.messages().slice(sentBefore).map(({ type }) => type)).toEqual(["awareness"]);

    // A connection that was just sent something is not idle.
    const bob = new FakePeer("bob");
    rooms.join(DOC_ID, bob);
    vi.advanceTimersByTime(600);
    room.receive(bob, encodeSyncUpdate(typed("busy")));
    vi.advanceTimersByTime(0);
    sentBefore = alice.sent.length;
    vi.advanceTimersByTime(400);
    expect(alice.sent.length).toBe(sentBefore);
  });

  describe("unloading", () => {
    beforeEach(() => {
      vi.useFakeTimers();
      ({ rooms } = createRooms(persistence, { unloadGraceMs: 5_000 }));
    });

    it("writes out and unloads a document after the grace period, leaving nothing behind", async () => {
      const alice = new FakePeer("alice");
      const room = await joined(rooms, alice, DOC_ID, editor("Alice"));
      room.receive(alice, encodeSyncUpdate(typed("keep me")));
      room.receive(alice, encodeAwareness(awarenessUpdate({ clientId: 3, clock: 1, state: {} })));
      vi.advanceTimersByTime(0);
      expect(room.presence.clients).toBe(1);

      room.leave(alice);
      vi.advanceTimersByTime(0);
      vi.advanceTimersByTime(4_999);
      expect(persistence.flushed).toEqual([]);
      expect(rooms.stats()).toMatchObject({ rooms: 1, connections: 0 });

      vi.advanceTimersByTime(1);
      expect(persistence.flushed).toEqual([DOC_ID]);
      expect(rooms.stats()).toMatchObject({ rooms: 0, connections: 0 });
      expect(room.doc.isDestroyed).toBe(true);
      expect(room.presence.clients).toBe(0);
      expect(room.isLive).toBe(false);
      expect(rooms.openDocument(DOC_ID)).toBeNull();
      expect(vi.getTimerCount()).toBe(0);
    });

    it("keeps the room when a connection comes back during the grace period", async () => {
      const alice = new FakePeer("alice");
      const room = await joined(rooms, alice);
      room.leave(alice);
      vi.advanceTimersByTime(4_000);

      const again = new FakePeer("alice again");
      expect(rooms.join(DOC_ID, again)).toBe(room);
      vi.advanceTimersByTime(10_000);

      expect(persistence.flushed).toEqual([]);
      expect(room.doc.isDestroyed).toBe(false);
      expect(persistence.loads).toBe(1);
    });

    it("reloads a document cleanly for a connection that arrives after it was unloaded", async () => {
      const alice = new FakePeer("alice");
      const room = await joined(rooms, alice);
      room.receive(alice, encodeSyncUpdate(typed("persisted")));
      room.leave(alice);
      vi.advanceTimersByTime(5_000);
      expect(room.doc.isDestroyed).toBe(true);

      const bob = new FakePeer("bob");
      const reloaded = await joined(rooms, bob);

      expect(reloaded).not.toBe(room);
      expect(textOf(reloaded.doc)).toBe("persisted");
      expect(persistence.loads).toBe(2);
      expect(rooms.openDocument(DOC_ID)).toBe(reloaded.doc);
      // The old room's listeners are gone: an edit in the new room is appended once.
      reloaded.receive(bob, encodeSyncUpdate(typed("!")));
      expect(persistence.appended).toHaveLength(2);
    });

    it("lets a connection that arrives while the document is being written out wait for the write before loading", async () => {
      const writing = deferred();
      persistence.flushGate = writing.promise;
      const alice = new FakePeer("alice");
      const room = await joined(rooms, alice);
      room.receive(alice, encodeSyncUpdate(typed("last words")));
      room.leave(alice);
      vi.advanceTimersByTime(5_000);
      expect(persistence.flushed).toEqual([DOC_ID]);

      const bob = new FakePeer("bob");
      const reloaded = rooms.join(DOC_ID, bob);
      await Promise.resolve();
      expect(persistence.loads).toBe(1);

      writing.resolve();
      expect(await reloaded.loaded).toBe(true);
      expect(persistence.loads).toBe(2);
      expect(textOf(reloaded.doc)).toBe("last words");
      expect(room.doc.isDestroyed).toBe(true);
    });
  });

  it("closes everything on closeAll: pending changes still go out, then 1001, a full flush and no timers", async () => {
    vi.useFakeTimers();
    ({ rooms } = createRooms(persistence));
    const alice = new FakePeer("alice");
    const bob = new FakePeer("bob");
    const room = await joined(rooms, alice);
    rooms.join(DOC_ID, bob);
    await joined(rooms, new FakePeer("carol"), OTHER_DOC_ID);
    const bobSentBefore = bob.sent.length;

    room.receive(alice, encodeSyncUpdate(typed("just in time")));
    await rooms.closeAll(CloseCode.goingAway, "server shutting down");

    expect(textOf(docFrom((await bob.next("sync-update", bobSentBefore)).update))).toBe("just in time");
    expect(alice.closedWith).toEqual({ code: CloseCode.goingAway, reason: "server shutting down" });
    expect(bob.closedWith?.code).toBe(CloseCode.goingAway);
    expect(persistence.flushed).toEqual(expect.arrayContaining([DOC_ID, OTHER_DOC_ID, undefined]));
    expect(persistence.flushed.at(-1)).toBeUndefined();
    expect(rooms.stats()).toMatchObject({ rooms: 0, connections: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("a change made by the server", () => {
  let persistence: MemoryPersistence;
  let rooms: RoomRegistry;

  beforeEach(() => {
    persistence = new MemoryPersistence();
    ({ rooms } = createRooms(persistence));
  });

  afterEach(async () => {
    await rooms.closeAll(CloseCode.goingAway, "test over");
    vi.useRealTimers();
  });

  it("reaches every connection and storage as one update with the given origin, beside the clients' edits", async () => {
    const stored = typed("Hello world");
    persistence.seed(DOC_ID, stored);
    const alice = new FakePeer("alice");
    const bob = new FakePeer("bob");
    const room = await joined(rooms, alice);
    rooms.join(DOC_ID, bob);
    const origins: unknown[] = [];
    room.doc.on("afterTransaction", (transaction: Y.Transaction) => origins.push(transaction.origin));
    const aliceSentBefore = alice.sent.length;
    const bobSentBefore = bob.sent.length;
    const origin = { acceptedBy: "editor" };

    const result = await rooms.changeDocument(DOC_ID, origin, (doc) => {
      const text = doc.getText(TEXT);
      text.delete(6, 5);
      text.insert(6, "there");
      return text.toString();
    });

    expect(result).toBe("Hello there");
    expect(origins).toEqual([origin]);
    expect(persistence.appended).toHaveLength(1);
    const relayed = await bob.next("sync-update", bobSentBefore);
    const client = docFrom(stored, relayed.update);
    expect(textOf(client)).toBe("Hello there");
    expect((await alice.next("sync-update", aliceSentBefore)).update).toEqual(relayed.update);
  });

  it("loads a document nobody has open into a room that stores the change and unloads after the grace period", async () => {
    vi.useFakeTimers();
    ({ rooms } = createRooms(persistence, { unloadGraceMs: 5_000 }));
    persistence.seed(DOC_ID, typed("stored"));

    await rooms.changeDocument(DOC_ID, {}, (doc) => doc.getText(TEXT).insert(0, "re"));

    expect(textOf(rooms.openDocument(DOC_ID))).toBe("restored");
    expect(persistence.appended).toHaveLength(1);
    vi.advanceTimersByTime(5_000);
    expect(persistence.flushed).toEqual([DOC_ID]);
    expect(rooms.openDocument(DOC_ID)).toBeNull();
    const reloaded = await joined(rooms, new FakePeer("alice"));
    expect(textOf(reloaded.doc)).toBe("restored");
  });

  it("shares the room with a connection that arrives meanwhile, and rejects when the document cannot be loaded", async () => {
    const changed = rooms.changeDocument(DOC_ID, {}, (doc) => doc.getText(TEXT).insert(0, "x"));
    const alice = new FakePeer("alice");
    const room = rooms.join(DOC_ID, alice);
    await changed;
    expect(textOf(room.doc)).toBe("x");

    persistence.failLoads = new Error("database down");
    await expect(rooms.changeDocument(OTHER_DOC_ID, {}, () => undefined)).rejects.toThrow(/could not be loaded/);
    expect(rooms.openDocument(OTHER_DOC_ID)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// The server over real sockets

interface Running {
  collab: CollabServer;
  persistence: MemoryPersistence;
  documentExists: ReturnType<typeof vi.fn>;
  log: ReturnType<typeof silentLogger>;
  url: string;
  stop(): Promise<void>;
}

async function startServer(options: Partial<CollabServerOptions> = {}): Promise<Running> {
  const persistence = new MemoryPersistence();
  const log = silentLogger();
  const documentExists = vi.fn(async (id: string) => id === DOC_ID);
  const collab = createCollabServer({
    persistence,
    documentShape: PLAIN_TEXT_SHAPE,
    documentExists,
    maxMessageBytes: 64 * 1024,
    unloadGraceMs: 60_000,
    log,
    ...options,
  });
  const served = await serveCollab(collab);
  return {
    collab,
    persistence,
    documentExists,
    log,
    url: served.url,
    stop: served.stop,
  };
}

interface RawClient {
  socket: WebSocket;
  next(type: CollabMessage["type"]): Promise<CollabMessage>;
  closed: Promise<{ code: number; reason: string }>;
}

async function openClient(url: string): Promise<RawClient> {
  const socket = new WebSocket(url);
  const received: CollabMessage[] = [];
  const waiters: Array<() => void> = [];
  socket.on("message", (data: Buffer) => {
    const result = decodeMessage(new Uint8Array(data));
    if (result.ok) received.push(result.message);
    for (const waiter of waiters.splice(0)) waiter();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const next = (type: CollabMessage["type"]) =>
    new Promise<CollabMessage>((resolve) => {
      const check = () => {
        const index = received.findIndex((message) => message.type === type);
        const found = received[index];
        if (found === undefined) return void waiters.push(check);
        received.splice(0, index + 1);
        resolve(found);
      };
      check();
    });
  return { socket, next, closed };
}

/** The plain HTTP response a refused upgrade gets. */
function refusedUpgrade(url: string): Promise<{ status: number; body: string }> {
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
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("upgrade", (_response, socket) => {
      socket.destroy();
      reject(new Error("the upgrade was accepted"));
    });
    request.on("error", reject);
  });
}

function syncedProvider(url: string, doc: Y.Doc): Promise<WebsocketProvider> {
  const provider = new WebsocketProvider(`${url}/collab`, DOC_ID, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  return new Promise((resolve) => {
    const onSync = (synced: boolean) => {
      if (!synced) return;
      provider.off("sync", onSync);
      resolve(provider);
    };
    provider.on("sync", onSync);
  });
}

describe("the collab server", () => {
  let running: Running | undefined;
  const cleanups: Array<() => void> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await running?.stop();
    running = undefined;
  });

  it("leaves upgrade requests for other paths untouched", async () => {
    running = await startServer();
    const socket = new Socket();
    const write = vi.spyOn(socket, "write");
    const end = vi.spyOn(socket, "end");
    const destroy = vi.spyOn(socket, "destroy");

    for (const url of ["/", "/vite-hmr", "/collab", "/collabx/" + DOC_ID, "/d/collab/" + DOC_ID]) {
      const request = Object.assign(new http.IncomingMessage(socket), { url });
      expect(running.collab.handleUpgrade(request, socket, Buffer.alloc(0))).toBe(false);
    }
    expect(write).not.toHaveBeenCalled();
    expect(end).not.toHaveBeenCalled();
    expect(destroy).not.toHaveBeenCalled();
    expect(running.documentExists).not.toHaveBeenCalled();
  });

  it("refuses an unknown document with a plain 404 before upgrading", async () => {
    running = await startServer();
    expect(await refusedUpgrade(`${running.url}/collab/${OTHER_DOC_ID}`)).toEqual({ status: 404, body: "Not Found" });
    expect(running.documentExists).toHaveBeenCalledWith(OTHER_DOC_ID);
    expect(running.persistence.loads).toBe(0);
  });

  it("refuses a malformed document id with 404 without looking it up", async () => {
    running = await startServer();
    for (const path of ["not-a-uuid", "", `${DOC_ID}/extra`, `${DOC_ID.toUpperCase()}x`, "..%2F" + DOC_ID]) {
      expect((await refusedUpgrade(`${running.url}/collab/${path}`)).status).toBe(404);
    }
    expect(running.documentExists).not.toHaveBeenCalled();
  });

  it("syncs the stock y-websocket client, which reports synced and receives other people's edits", async () => {
    running = await startServer();
    running.persistence.seed(DOC_ID, typed("Draft. "));
    const aliceDoc = new Y.Doc();
    const bobDoc = new Y.Doc();
    const alice = await syncedProvider(running.url, aliceDoc);
    cleanups.push(() => alice.destroy());
    const bob = await syncedProvider(running.url, bobDoc);
    cleanups.push(() => bob.destroy());
    expect(textOf(aliceDoc)).toBe("Draft. ");
    expect(running.collab.stats()).toMatchObject({ rooms: 1, connections: 2 });

    const arrived = new Promise<void>((resolve) => bobDoc.on("update", () => textOf(bobDoc)?.includes("Alice") && resolve()));
    aliceDoc.getText(TEXT).insert(aliceDoc.getText(TEXT).length, "Alice was here.");
    await arrived;

    expect(textOf(bobDoc)).toBe("Draft. Alice was here.");
    expect(running.collab.openDocument(DOC_ID)?.getText(TEXT).toString()).toBe("Draft. Alice was here.");
  });

  it("closes a connection that sends an oversized frame with 1009 and keeps serving the others", async () => {
    running = await startServer({ maxMessageBytes: 1024 });
    const alice = await openClient(`${running.url}/collab/${DOC_ID}`);
    const bob = await openClient(`${running.url}/collab/${DOC_ID}`);
    const mallory = await openClient(`${running.url}/collab/${DOC_ID}`);
    await alice.next("sync-step-1");

    const client = new Y.Doc();
    mallory.socket.send(encodeSyncUpdate(typed("x".repeat(2048), client)));
    expect((await mallory.closed).code).toBe(CloseCode.messageTooBig);

    alice.socket.send(encodeSyncUpdate(typed("still here")));
    expect(textOf(docFrom(((await bob.next("sync-update")) as { update: Uint8Array }).update))).toBe("still here");
    expect(running.collab.stats()).toMatchObject({ rooms: 1, connections: 2 });
    alice.socket.close();
    bob.socket.close();
  });

  it("closes a connection that sends a text frame with 1003 and one that sends garbage with 1007", async () => {
    running = await startServer();
    const alice = await openClient(`${running.url}/collab/${DOC_ID}`);
    const texter = await openClient(`${running.url}/collab/${DOC_ID}`);
    const garbler = await openClient(`${running.url}/collab/${DOC_ID}`);
    await alice.next("sync-step-1");

    texter.socket.send("hello");
    garbler.socket.send(new Uint8Array([0, 2, 3, 1, 2, 3]));
    expect((await texter.closed).code).toBe(CloseCode.unsupportedData);
    expect((await garbler.closed).code).toBe(CloseCode.invalidPayload);

    alice.socket.send(encodeQueryAwareness());
    expect((await alice.next("awareness")).type).toBe("awareness");
    alice.socket.close();
  });

  it("refuses connections with 1011 when the document cannot be loaded", async () => {
    running = await startServer();
    running.persistence.failLoads = new Error("disk on fire");
    const alice = await openClient(`${running.url}/collab/${DOC_ID}`);
    expect((await alice.closed).code).toBe(CloseCode.internalError);
    expect(running.persistence.appended).toEqual([]);
  });

  it("terminates a socket that does not answer pings", async () => {
    running = await startServer({ pingIntervalMs: 20 });
    const silent = new WebSocket(`${running.url}/collab/${DOC_ID}`, { autoPong: false });
    const closed = new Promise<number>((resolve) => silent.on("close", (code) => resolve(code)));
    expect(await closed).toBe(1006);
    expect(running.log.info).toHaveBeenCalledWith(expect.stringContaining("did not answer a ping"));
    // The server sees the socket close a moment after the client does.
    await eventually(() => expect(running?.collab.stats().connections).toBe(0));
  });

  it("leaves no timer behind after shutdown", async () => {
    vi.useFakeTimers();
    try {
      const collab = createCollabServer({
        persistence: new MemoryPersistence(),
        documentShape: PLAIN_TEXT_SHAPE,
        documentExists: async () => true,
        maxMessageBytes: 1024,
        unloadGraceMs: 1_000,
        log: silentLogger(),
      });
      expect(vi.getTimerCount()).toBeGreaterThan(0);
      await collab.shutdown();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("shuts down: closes sockets with 1001, flushes every write and refuses new upgrades", async () => {
    running = await startServer();
    const alice = await openClient(`${running.url}/collab/${DOC_ID}`);
    const bob = await openClient(`${running.url}/collab/${DOC_ID}`);
    await alice.next("sync-step-1");
    alice.socket.send(encodeSyncUpdate(typed("saved")));
    await bob.next("sync-update");

    await running.collab.shutdown();

    expect((await alice.closed).code).toBe(CloseCode.goingAway);
    expect(running.persistence.flushed).toContain(undefined);
    expect(running.persistence.appended).toHaveLength(1);
    expect(running.collab.stats()).toMatchObject({ rooms: 0, connections: 0 });
    expect((await refusedUpgrade(`${running.url}/collab/${DOC_ID}`)).status).toBe(503);
  });
});
