/**
 * A room applies an editor's update whole or not at all (issue 12, item 7): an update the draft's schema does not
 * allow, or one Yjs would give up on halfway, leaves the room's document exactly as stored, and nothing of it is
 * broadcast or stored.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { writeContentToYDoc } from "#app/editor/content";
import { documentShape } from "#app/editor/document-shape";
import { YJS_FRAGMENT } from "#app/editor/extensions";
import { CloseCode, encodeSyncStep2, encodeSyncUpdate } from "#server/collab/protocol";
import { RoomRegistry, type Room } from "#server/collab/room";
import { DOC_ID, FakePeer, MemoryPersistence, silentLogger } from "#tests/support/collab-fakes";
import { encodeDeletion, encodeItems, encodeSections, lastCharacterId, nestedBlockquotes, updatesOf } from "#tests/support/hostile-updates";

function storedDraft(): Y.Doc {
  const doc = new Y.Doc();
  writeContentToYDoc(
    {
      type: "doc",
      content: [
        { type: "paragraph", attrs: { id: "p1" }, content: [{ type: "text", text: "Första stycket." }] },
        { type: "paragraph", attrs: { id: "p2" }, content: [{ type: "text", text: "Andra stycket." }] },
      ],
    },
    doc,
  );
  return doc;
}

function replicaOf(doc: Y.Doc): Y.Doc {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  return replica;
}

function oneUpdate(doc: Y.Doc, change: (fragment: Y.XmlFragment) => void): Uint8Array {
  const updates = updatesOf(doc, () => doc.transact(() => change(doc.getXmlFragment(YJS_FRAGMENT))));
  const [update] = updates;
  if (updates.length !== 1 || update === undefined) throw new Error("expected one update");
  return update;
}

/** The same structs and the same deletions: the same document. */
function sameState(a: Y.Doc, b: Y.Doc): boolean {
  return Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b));
}

describe("a room applying editors' updates", () => {
  let persistence: MemoryPersistence;
  let rooms: RoomRegistry;
  let log: ReturnType<typeof silentLogger>;
  let stored: Y.Doc;

  beforeEach(() => {
    persistence = new MemoryPersistence();
    log = silentLogger();
    rooms = new RoomRegistry({ persistence, documentShape, log, unloadGraceMs: 5_000, heartbeatMs: 15_000, maxBufferedBytes: 1 << 24 });
    stored = storedDraft();
    persistence.seed(DOC_ID, Y.encodeStateAsUpdate(stored));
  });

  afterEach(() => rooms.closeAll(CloseCode.goingAway, "test over"));

  async function openRoom(): Promise<{ room: Room; editor: FakePeer; other: FakePeer }> {
    const editor = new FakePeer("editor");
    const other = new FakePeer("other");
    const room = rooms.join(DOC_ID, editor);
    rooms.join(DOC_ID, other);
    expect(await room.loaded).toBe(true);
    return { room, editor, other };
  }

  /** What storage holds now, as a document. */
  async function storedState(): Promise<Y.Doc> {
    const doc = new Y.Doc();
    const state = await persistence.load(DOC_ID);
    if (state) Y.applyUpdateV2(doc, state);
    return doc;
  }

  async function expectRefusedWhole(room: Room, editor: FakePeer, other: FakePeer, frame: Uint8Array): Promise<void> {
    const before = replicaOf(room.doc);
    const otherSentBefore = other.sent.length;
    room.receive(editor, frame);
    expect(editor.closedWith?.code).toBe(CloseCode.invalidPayload);
    expect(sameState(room.doc, before)).toBe(true);
    expect(sameState(room.doc, await storedState())).toBe(true);
    expect(persistence.appended).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(other.sent.slice(otherSentBefore)).toEqual([]);
    expect(other.closedWith).toBeNull();
  }

  it("refuses an update with an unknown node type whole, as a sync update or a sync step 2", async () => {
    const { room, editor, other } = await openRoom();
    const update = oneUpdate(replicaOf(stored), (fragment) => {
      (fragment.get(0) as Y.XmlElement).insert(1, [new Y.XmlText(" Tillåten text.")]);
      fragment.insert(1, [new Y.XmlElement("script")]);
    });
    await expectRefusedWhole(room, editor, other, encodeSyncUpdate(update));
    const again = new FakePeer("again");
    room.join(again);
    await expectRefusedWhole(room, again, other, encodeSyncStep2(update));
    expect(log.warn).toHaveBeenCalledWith("closing connection after an update the document does not allow", expect.objectContaining({ reason: 'unknown node type "script"' }));
  });

  it("refuses nesting deeper than the limit whole", async () => {
    const { room, editor, other } = await openRoom();
    const update = oneUpdate(replicaOf(stored), (fragment) => nestedBlockquotes(fragment, 5_000));
    await expectRefusedWhole(room, editor, other, encodeSyncUpdate(update));
  });

  it("refuses an update Yjs would apply halfway before throwing on a struct that refers to a later one", async () => {
    const { room, editor, other } = await openRoom();
    const text = (room.doc.getXmlFragment(YJS_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const client = 4242;
    const update = encodeItems([
      new Y.Item(Y.createID(client, 0), null, lastCharacterId(text), null, null, null, null, new Y.ContentString(" Halva.")),
      new Y.Item(Y.createID(client, 1), null, Y.createID(client, 9), null, null, null, null, new Y.ContentString("x")),
    ]);
    await expectRefusedWhole(room, editor, other, encodeSyncUpdate(update));
    expect(text.toString()).toBe("Första stycket.");
  });

  it("refuses the deletion of 5,000 nested quotes an older server stored, leaving the room as stored", async () => {
    stored.transact(() => nestedBlockquotes(stored.getXmlFragment(YJS_FRAGMENT), 5_000));
    persistence.stored.set(DOC_ID, [Y.encodeStateAsUpdate(stored)]);
    const { room, editor, other } = await openRoom();
    const quotes = room.doc.getXmlFragment(YJS_FRAGMENT).get(0) as Y.XmlElement;
    await expectRefusedWhole(room, editor, other, encodeSyncUpdate(encodeDeletion(quotes._item?.id ?? Y.createID(0, 0))));

    // What an editor may do in the rest of the draft still works.
    const newcomer = new FakePeer("newcomer");
    room.join(newcomer);
    const edit = oneUpdate(replicaOf(stored), (fragment) => ((fragment.get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, "Nu: "));
    room.receive(newcomer, encodeSyncUpdate(edit));
    expect(newcomer.closedWith).toBeNull();
    expect(((room.doc.getXmlFragment(YJS_FRAGMENT).get(1) as Y.XmlElement).get(0) as Y.XmlText).toString()).toBe("Nu: Första stycket.");
    expect(sameState(room.doc, await storedState())).toBe(true);
  });

  describe("when Yjs keeps part of an update pending after all", () => {
    // A client's structs in two sections: the check reads both, one after the other; Yjs keeps only the second,
    // which then lacks the first and waits for it.
    const client = 4242;
    const twoSections = (text: Y.XmlText) => [
      [new Y.Item(Y.createID(client, 0), null, lastCharacterId(text), null, null, null, null, new Y.ContentString("a"))],
      [new Y.Item(Y.createID(client, 1), null, Y.createID(client, 0), null, null, null, null, new Y.ContentString("b"))],
    ];
    const firstText = (room: Room) => (room.doc.getXmlFragment(YJS_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText;

    it("drops what is pending and refuses the update, which changed nothing else", async () => {
      const { room, editor, other } = await openRoom();
      await expectRefusedWhole(room, editor, other, encodeSyncUpdate(encodeSections(twoSections(firstText(room)))));
      expect(room.doc.store.pendingStructs).toBeNull();
      expect(room.isLive).toBe(true);
    });

    it("takes back what Yjs applied of it by reloading the room from storage", async () => {
      const { room, editor, other } = await openRoom();
      const text = firstText(room);
      const applied = new Y.Item(Y.createID(client + 1, 0), null, lastCharacterId(text), null, null, null, null, new Y.ContentString(" Tillagt."));
      room.receive(editor, encodeSyncUpdate(encodeSections([[applied], ...twoSections(text)])));
      expect(editor.closedWith?.code).toBe(CloseCode.internalError);
      expect(other.closedWith?.code).toBe(CloseCode.internalError);
      expect(persistence.appended).toEqual([]);
      expect(other.messages().filter((message) => message.type === "sync-update")).toEqual([]);
      const { room: reloaded } = await openRoom();
      expect(sameState(reloaded.doc, stored)).toBe(true);
    });
  });

  it("does not apply an update that builds on changes it lacks, asks its sender for a step 2, and applies that", async () => {
    const { room, editor } = await openRoom();
    const client = replicaOf(stored);
    const text = () => (client.getXmlFragment(YJS_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    // Typed offline, then typed again just after reconnecting, before the client answered the server's step 1.
    oneUpdate(client, () => text().insert(0, "Offline. "));
    const afterReconnect = oneUpdate(client, () => text().insert(9, "Online. "));
    const sentBefore = editor.sent.length;

    room.receive(editor, encodeSyncUpdate(afterReconnect));

    const step1 = await editor.next("sync-step-1", sentBefore);
    expect(editor.closedWith).toBeNull();
    expect(persistence.appended).toEqual([]);
    expect(room.doc.store.pendingStructs).toBeNull();
    room.receive(editor, encodeSyncStep2(Y.encodeStateAsUpdate(client, step1.stateVector)));
    expect(((room.doc.getXmlFragment(YJS_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).toString()).toBe("Offline. Online. Första stycket.");
    expect(sameState(room.doc, await storedState())).toBe(true);
  });

  it("takes back a change of the server's own that throws halfway: it rejects, and the room reloads the stored state", async () => {
    const { editor, other } = await openRoom();
    const failure = new Error("halfway");
    await expect(
      rooms.changeDocument(DOC_ID, {}, (doc) => {
        doc.getXmlFragment(YJS_FRAGMENT).insert(0, [new Y.XmlElement("horizontalRule")]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(persistence.appended).toEqual([]);
    expect(editor.closedWith?.code).toBe(CloseCode.internalError);
    expect(other.closedWith?.code).toBe(CloseCode.internalError);
    expect(editor.messages().filter((message) => message.type === "sync-update")).toEqual([]);
    const { room } = await openRoom();
    expect(sameState(room.doc, stored)).toBe(true);
  });

  it("keeps the room open when a change of its own throws before changing anything", async () => {
    const { room, editor } = await openRoom();
    await expect(
      rooms.changeDocument(DOC_ID, {}, () => {
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(editor.closedWith).toBeNull();
    expect(room.isLive).toBe(true);
  });
});
