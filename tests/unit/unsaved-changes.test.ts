import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { UnsavedChanges } from "#app/editor/unsaved-changes";

/** An editor's document that reports each local change as the update its browser would record. */
function editor(start?: Uint8Array) {
  const doc = new Y.Doc();
  if (start) Y.applyUpdate(doc, start);
  const unsaved = new UnsavedChanges();
  const text = doc.getText("body");
  const change = (edit: () => void): Uint8Array => {
    let captured: Uint8Array | undefined;
    const capture = (update: Uint8Array) => (captured = update);
    doc.on("update", capture);
    edit();
    doc.off("update", capture);
    if (!captured) throw new Error("the edit changed nothing");
    unsaved.add(captured);
    return captured;
  };
  return { doc, text, unsaved, change };
}

/** The server's stored copy: what it has written, and snapshots of it as the acknowledgements carry them. */
function storedCopy(start?: Uint8Array) {
  const doc = new Y.Doc();
  if (start) Y.applyUpdate(doc, start);
  return {
    doc,
    store(...updates: Uint8Array[]): Y.Snapshot {
      const before = Y.snapshot(doc);
      for (const update of updates) Y.applyUpdate(doc, update);
      // What the room sends: the snapshot of the updates stored since the last acknowledgement.
      const merged = Y.mergeUpdates(updates);
      expect(Y.snapshotContainsUpdate(before, merged)).toBe(false);
      return Y.createSnapshot(Y.decodeUpdate(merged).ds, Y.parseUpdateMeta(merged).to);
    },
    everything: (): Y.Snapshot => Y.snapshot(doc),
  };
}

describe("an editor's unsaved changes", () => {
  it("counts typed characters until the server says it stored them, and only those it stored", () => {
    const { text, unsaved, change } = editor();
    const server = storedCopy();
    const first = change(() => text.insert(0, "Hej "));
    const second = change(() => text.insert(4, "världen"));
    expect(unsaved.count).toBe(11);
    expect(unsaved.acknowledged).toBe(false);

    expect(unsaved.acknowledge(server.store(first))).toBe(true);
    expect(unsaved.acknowledged).toBe(true);
    expect(unsaved.count).toBe(7);
    expect(unsaved.acknowledge(server.store(second))).toBe(true);
    expect(unsaved.count).toBe(0);
  });

  it("counts deletions until a snapshot holds them deleted: the clocks alone say nothing about deletions", () => {
    const server = storedCopy();
    const { text, unsaved, change } = editor();
    const typed = change(() => text.insert(0, "Samråd"));
    unsaved.acknowledge(server.store(typed));
    expect(unsaved.count).toBe(0);

    const deletion = change(() => text.delete(0, 3));
    expect(unsaved.count).toBe(3);
    // An acknowledgement of someone else's typing moves clocks on, not this deletion.
    const other = editor(Y.encodeStateAsUpdate(server.doc));
    const theirs = other.change(() => other.text.insert(0, "– "));
    expect(unsaved.acknowledge(server.store(theirs))).toBe(false);
    expect(unsaved.count).toBe(3);

    expect(unsaved.acknowledge(server.store(deletion))).toBe(true);
    expect(unsaved.count).toBe(0);
  });

  it("keeps counting while acknowledgements cover only part of a deletion", () => {
    const server = storedCopy();
    const { text, unsaved, change } = editor();
    unsaved.acknowledge(server.store(change(() => text.insert(0, "abcdefgh"))));
    change(() => text.delete(2, 4));
    // Someone else deleted the middle of the same range first, and that is stored.
    const other = editor(Y.encodeStateAsUpdate(server.doc));
    unsaved.acknowledge(server.store(other.change(() => other.text.delete(3, 2))));
    expect(unsaved.count).toBe(2);
  });

  it("does not count restored edits the server already stored, whichever arrives first", () => {
    const server = storedCopy();
    const earlier = editor();
    const stored = earlier.change(() => earlier.text.insert(0, "Sparat. "));
    server.store(stored);
    const unsent = earlier.change(() => earlier.text.insert(8, "Osparat."));
    const restored = Y.encodeStateAsUpdate(earlier.doc);
    expect(Y.snapshotContainsUpdate(server.everything(), unsent)).toBe(false);

    const restoredFirst = new UnsavedChanges();
    restoredFirst.add(restored);
    restoredFirst.acknowledge(server.everything());
    expect(restoredFirst.count).toBe("Osparat.".length);

    const acknowledgedFirst = new UnsavedChanges();
    acknowledgedFirst.acknowledge(server.everything());
    acknowledgedFirst.add(restored);
    expect(acknowledgedFirst.count).toBe("Osparat.".length);

    // A restarted server that lost nothing it stored answers the reopened draft with all it has, now the edit too.
    restoredFirst.acknowledge(server.store(unsent));
    expect(restoredFirst.count).toBe(0);
  });

  it("says nothing changed when an acknowledgement repeats what it already knew", () => {
    const server = storedCopy();
    const { text, unsaved, change } = editor();
    const typed = change(() => text.insert(0, "Ett"));
    const stored = server.store(typed);
    expect(unsaved.acknowledge(stored)).toBe(true);
    expect(unsaved.acknowledge(stored)).toBe(false);
    expect(unsaved.acknowledge(server.everything())).toBe(false);
    expect(unsaved.count).toBe(0);
  });
});
