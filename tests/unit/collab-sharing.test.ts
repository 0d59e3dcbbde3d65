import * as decoding from "lib0/decoding";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { PresenceChange } from "#server/collab/presence";
import { readReach, REACH_MESSAGE } from "#app/editor/cluster-reach";
import { encodeStoredQuery } from "#app/editor/unsaved-changes";
import { CloseCode, encodeAwareness } from "#server/collab/protocol";
import { RoomRegistry, type ConnectionAccess, type Peer, type Room } from "#server/collab/room";
import type { DocumentSharing, SharedDocumentLink, SharedRoom } from "#server/collab/sharing";
import { awarenessOf, deferred, docFrom, DOC_ID, FakePeer, MemoryPersistence, PLAIN_TEXT_SHAPE, silentLogger, textOf, typed } from "#tests/support/collab-fakes";

/** The other server processes as a room sees them: what it shares is recorded, and the test plays their part. */
class FakeSharing implements DocumentSharing {
  readonly rooms: SharedRoom[] = [];
  readonly published: PresenceChange[][] = [];
  loadGate: Promise<void> | null = null;
  reachesOthers = true;

  constructor(private readonly persistence: MemoryPersistence) {}

  open(documentId: string, room: SharedRoom): SharedDocumentLink {
    this.rooms.push(room);
    return {
      load: async () => {
        await this.loadGate;
        return this.persistence.load(documentId);
      },
      reachesOthers: () => this.reachesOthers,
      publishPresence: (changes) => this.published.push([...changes]),
      close: () => {},
    };
  }
}

/** A connection that keeps what it is told about its changes' reach, as an editor's browser reads it. */
class ReachListener implements Peer {
  bufferedAmount = 0;
  readonly told: Array<boolean | null> = [];

  send(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) === REACH_MESSAGE) this.told.push(readReach(decoder));
  }

  close(): void {}
}

const EDITOR: ConnectionAccess = {
  readOnly: false,
  principal: "editor-1",
  session: { id: "session-1", endsAt: Number.POSITIVE_INFINITY },
  identity: { name: "Alice (Testmyndigheten)", color: "#1f5f99" },
};

describe("a room whose document other server processes share", () => {
  let persistence: MemoryPersistence;
  let sharing: FakeSharing;
  let rooms: RoomRegistry;

  beforeEach(() => {
    persistence = new MemoryPersistence();
    sharing = new FakeSharing(persistence);
    rooms = new RoomRegistry({
      persistence,
      sharing,
      log: silentLogger(),
      unloadGraceMs: 5_000,
      heartbeatMs: 15_000,
      maxBufferedBytes: 1 << 20,
      documentShape: PLAIN_TEXT_SHAPE,
    });
  });

  afterEach(async () => {
    await rooms.closeAll(CloseCode.goingAway, "test over");
  });

  async function joined(peer: Peer, access?: ConnectionAccess): Promise<Room> {
    const room = rooms.join(DOC_ID, peer, access);
    expect(await room.loaded).toBe(true);
    return room;
  }

  it("sends another process's update to its sockets without storing or sharing it again", async () => {
    const alice = new FakePeer("alice");
    const room = await joined(alice);
    const remote = typed("Från en annan process");

    sharing.rooms[0]?.applyRemoteUpdate(remote);

    const update = await alice.next("sync-update");
    expect(textOf(docFrom(update.update))).toBe("Från en annan process");
    expect(textOf(room.doc)).toBe("Från en annan process");
    expect(persistence.appended).toEqual([]);
  });

  it("applies an update that arrives while the room loads once it has loaded", async () => {
    persistence.seed(DOC_ID, typed("Lagrat. "));
    const gate = deferred();
    sharing.loadGate = gate.promise;
    const room = rooms.join(DOC_ID, new FakePeer("alice"));
    const remote = new Y.Doc();
    Y.applyUpdateV2(remote, (await persistence.load(DOC_ID)) ?? new Uint8Array());
    const later: Uint8Array[] = [];
    remote.on("update", (update: Uint8Array) => later.push(update));
    remote.getText("body").insert(remote.getText("body").length, "Delat under laddningen.");

    for (const update of later) sharing.rooms[0]?.applyRemoteUpdate(update);
    gate.resolve();

    expect(await room.loaded).toBe(true);
    expect(textOf(room.doc)).toBe("Lagrat. Delat under laddningen.");
  });

  it("shares its own editors' presence, shows other processes' without sharing it back, and drops a silent process's", async () => {
    const alice = new FakePeer("alice");
    const bob = new FakePeer("bob");
    const room = await joined(alice, EDITOR);
    await joined(bob);

    room.receive(alice, encodeAwareness(awarenessOf([101, 1, { cursor: null }])));
    expect(sharing.published.flat().map((change) => change.clientId)).toEqual([101]);

    const fromB: PresenceChange = { clientId: 202, clock: 3, json: JSON.stringify({ user: { name: "Bob (B)", color: "#000000" }, cursor: null }) };
    room.applyRemotePresence("node-b", [fromB]);
    await bob.next("awareness", bob.sent.length);
    expect(room.presence.current().map((change) => change.clientId).sort()).toEqual([101, 202]);
    expect(room.localPresence().map((change) => change.clientId)).toEqual([101]);
    expect(sharing.published.flat().map((change) => change.clientId)).toEqual([101]);

    // The same state again (a refresh) changes nothing.
    const before = bob.sent.length;
    room.applyRemotePresence("node-b", [fromB]);
    room.removeRemotePresence("node-b");
    const removal = await bob.next("awareness", before);
    expect(removal).toBeDefined();
    expect(room.presence.current().map((change) => change.clientId)).toEqual([101]);
  });

  it("tells editors who ask what is stored whether their changes reach the other processes, and again when that changes", async () => {
    const editor = new ReachListener();
    const quietEditor = new ReachListener();
    const reader = new ReachListener();
    const room = await joined(editor, EDITOR);
    await joined(quietEditor, { ...EDITOR, principal: "editor-2" });
    await joined(reader, { readOnly: true, principal: null, session: null, identity: null });

    room.receive(editor, encodeStoredQuery());
    room.receive(reader, encodeStoredQuery());
    expect(editor.told).toEqual([true]);

    sharing.reachesOthers = false;
    room.reachChanged(false);
    expect(editor.told).toEqual([true, false]);
    // A connection joining now hears how things are.
    room.receive(quietEditor, encodeStoredQuery());
    expect(quietEditor.told).toEqual([false]);

    sharing.reachesOthers = true;
    room.reachChanged(true);
    expect(editor.told).toEqual([true, false, true]);
    expect(quietEditor.told).toEqual([false, true]);
    // Readers change nothing, so there is nothing to tell them, and they may not know the message.
    expect(reader.told).toEqual([]);
  });
});
