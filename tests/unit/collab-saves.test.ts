import * as decoding from "lib0/decoding";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { CloseCode, encodeQueryAwareness, encodeSyncUpdate } from "#server/collab/protocol";
import { READ_WRITE, RoomRegistry, type ConnectionAccess, type Peer, type Room } from "#server/collab/room";
import { encodeStoredQuery, STORED_MESSAGE } from "#app/editor/unsaved-changes";
import { deferred, DOC_ID, MemoryPersistence, PLAIN_TEXT_SHAPE, silentLogger, typed } from "#tests/support/collab-fakes";

/** A connection that sorts what it is sent: save acknowledgements apart, everything else by message type. */
class Editor implements Peer {
  bufferedAmount = 0;
  readonly acknowledgements: Y.Snapshot[] = [];
  readonly otherTypes: number[] = [];
  private readonly listeners = new Set<() => void>();

  send(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    if (type === STORED_MESSAGE) this.acknowledgements.push(Y.decodeSnapshot(decoding.readVarUint8Array(decoder)));
    else this.otherTypes.push(type);
    for (const listener of [...this.listeners]) listener();
  }

  close(): void {}

  /** Everything the acknowledgements so far say is stored, as the editor's browser accumulates it. */
  storedSoFar(): Y.Snapshot {
    return this.acknowledgements.reduce(
      (all, next) =>
        Y.createSnapshot(
          Y.mergeDeleteSets([all.ds, next.ds]),
          new Map([...all.sv, ...[...next.sv].map(([client, clock]) => [client, Math.max(clock, all.sv.get(client) ?? 0)] as const)]),
        ),
      Y.emptySnapshot,
    );
  }

  covers(update: Uint8Array): boolean {
    return Y.snapshotContainsUpdate(this.storedSoFar(), update);
  }

  /** Resolves once the condition holds, checked after each message. */
  until(condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!condition()) return;
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
      check();
    });
  }
}

describe("save acknowledgements in a room", () => {
  let persistence: MemoryPersistence;
  let rooms: RoomRegistry;

  beforeEach(() => {
    persistence = new MemoryPersistence();
    rooms = new RoomRegistry({ persistence, log: silentLogger(), unloadGraceMs: 5_000, heartbeatMs: 15_000, maxBufferedBytes: 1 << 20, documentShape: PLAIN_TEXT_SHAPE });
  });

  afterEach(async () => {
    persistence.storeGate = null;
    await rooms.closeAll(CloseCode.goingAway, "test over");
  });

  async function join(peer: Editor, access: ConnectionAccess = READ_WRITE): Promise<Room> {
    const room = rooms.join(DOC_ID, peer, access);
    expect(await room.loaded).toBe(true);
    return room;
  }

  it("answers an editor's request with everything stored: the draft as loaded", async () => {
    const stored = typed("Lagrat sedan förut");
    persistence.seed(DOC_ID, stored);
    const alice = new Editor();
    const room = await join(alice);
    room.receive(alice, encodeStoredQuery());
    await alice.until(() => alice.acknowledgements.length === 1);
    expect(alice.covers(stored)).toBe(true);
  });

  it("acknowledges an update once the store has written it, not when the room applied it", async () => {
    const alice = new Editor();
    const room = await join(alice);
    room.receive(alice, encodeStoredQuery());
    await alice.until(() => alice.acknowledgements.length === 1);

    const write = deferred();
    persistence.storeGate = write.promise;
    const update = typed("Ny mening. ");
    room.receive(alice, encodeSyncUpdate(update));
    // The room has applied the update; its write is still held back.
    expect(room.doc.getText("body").toString()).toBe("Ny mening. ");
    // Asking again gets what is stored now, which is still not the update.
    room.receive(alice, encodeStoredQuery());
    await alice.until(() => alice.acknowledgements.length === 2);
    expect(alice.covers(update)).toBe(false);

    write.resolve();
    await alice.until(() => alice.covers(update));
  });

  it("tells a reconnected editor about what was stored while it was away", async () => {
    const alice = new Editor();
    const room = await join(alice);
    room.receive(alice, encodeStoredQuery());
    const write = deferred();
    persistence.storeGate = write.promise;
    const update = typed("Medan anslutningen var borta. ");
    room.receive(alice, encodeSyncUpdate(update));
    room.leave(alice);
    write.resolve();
    // The room takes note of the write, with nobody to tell, in the turn of the event loop after the store answered.
    await persistence.storeGate;
    await new Promise<void>((resolve) => setImmediate(resolve));

    const again = new Editor();
    room.join(again);
    room.receive(again, encodeStoredQuery());
    await again.until(() => again.acknowledgements.length === 1);
    expect(alice.covers(update)).toBe(false);
    expect(again.covers(update)).toBe(true);
  });

  it("tells neither read-only connections nor clients that did not ask", async () => {
    const reader = new Editor();
    const stock = new Editor();
    const alice = new Editor();
    const room = await join(reader, { ...READ_WRITE, readOnly: true });
    room.join(stock);
    room.join(alice);
    room.receive(reader, encodeStoredQuery());
    room.receive(alice, encodeStoredQuery());
    const update = typed("Bara för redaktörer. ");
    room.receive(alice, encodeSyncUpdate(update));
    await alice.until(() => alice.covers(update));
    // Messages to one connection keep their order: the answer to this comes after any acknowledgement sent before it.
    room.receive(reader, encodeQueryAwareness());
    await reader.until(() => reader.otherTypes.includes(1));
    expect(reader.acknowledgements).toEqual([]);
    expect(stock.acknowledgements).toEqual([]);
  });
});
