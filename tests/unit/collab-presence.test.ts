import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { drawsCaret } from "#app/editor/carets";
import { RoomPresence, type PresenceSource } from "#server/collab/presence";
import type { AwarenessEntry } from "#server/collab/protocol";

const doc = new Y.Doc();
doc.getText("body").insert(0, "Hello");
/** A caret as y-tiptap announces it: Y.RelativePosition objects, as JSON.stringify writes them. */
const position = JSON.parse(JSON.stringify(Y.createRelativePositionFromTypeIndex(doc.getText("body"), 2))) as unknown;
const cursor = { anchor: position, head: position };

function editor(name: string, session = `${name}/main`): PresenceSource {
  return { announcesAs: { name, color: "#1f5f99" }, session };
}

const reader: PresenceSource = { announcesAs: null, session: "vera/main" };

function entry(clientId: number, clock: number, state: Record<string, unknown> | null): AwarenessEntry {
  return { clientId, clock, state, size: JSON.stringify(state).length };
}

function shown(presence: RoomPresence): Record<number, unknown> {
  return Object.fromEntries(presence.current().map(({ clientId, json }) => [clientId, JSON.parse(json) as unknown]));
}

describe("the editor's caret filter", () => {
  const relayed = { user: { name: "Alice (PRV)", color: "#1f5f99" }, cursor };

  it("draws the carets of well-formed states of others, and never its own", () => {
    expect(drawsCaret(1, 2, relayed)).toBe(true);
    expect(drawsCaret(1, 2, { ...relayed, cursor: null })).toBe(true);
    expect(drawsCaret(2, 2, relayed)).toBe(false);
  });

  it.each([
    ["a cursor of {}", { ...relayed, cursor: {} }],
    ["positions that point nowhere", { ...relayed, cursor: { anchor: {}, head: {} } }],
    ["a cursor without a head", { ...relayed, cursor: { anchor: position } }],
    ["an item id that is not a number", { ...relayed, cursor: { anchor: { item: { client: "x", clock: 1 } }, head: position } }],
    ["a user that is a string", { user: "Ed (redaktör)", cursor }],
    ["no user", { cursor }],
    ["a colour that is not #rrggbb", { ...relayed, user: { name: "Ed", color: "red;background:url(x)" } }],
    ["an empty state", {}],
    ["null", null],
  ])("skips %s, which y-tiptap would throw on or draw wrongly", (_description, state) => {
    expect(drawsCaret(1, 2, state)).toBe(false);
  });
});

describe("a room's presence", () => {
  it("rebuilds each state from the source's identity and a checked cursor, and keeps nothing else", () => {
    const presence = new RoomPresence();
    const alice = editor("Alice");
    const { changes, refusals } = presence.receive(alice, [
      entry(1, 1, { user: { name: "Ed (redaktör)", color: "#000000" }, cursor, extra: "x" }),
      entry(2, 1, { cursor: {} }),
    ]);
    expect(refusals).toEqual(new Set(["malformed state"]));
    expect(changes.map(({ clientId }) => clientId)).toEqual([1]);
    expect(shown(presence)).toEqual({ 1: { user: { name: "Alice", color: "#1f5f99" }, cursor } });
  });

  it("takes nothing from a source that may not announce, and keeps nothing for removals of ids nobody holds", () => {
    const presence = new RoomPresence();
    const { changes, refusals } = presence.receive(reader, [entry(7, 1, { cursor: null }), entry(8, 1, null)]);
    expect(changes).toEqual([]);
    expect(refusals).toEqual(new Set(["read-only"]));
    const removals = Array.from({ length: 10_000 }, (_, i) => entry(100 + i, 5, null));
    expect(presence.receive(editor("Bob"), removals)).toEqual({ changes: [], refusals: new Set() });
    expect(presence.entries).toBe(0);
  });

  it("lets only the holder of an id change or remove it; the others' echoes change nothing and are no refusal", () => {
    const presence = new RoomPresence();
    const alice = editor("Alice");
    const bob = editor("Bob");
    presence.receive(alice, [entry(1, 3, { cursor })]);

    expect(presence.receive(bob, [entry(1, 3, { cursor: null }), entry(1, 3, null), entry(1, 2, null)])).toEqual({
      changes: [],
      refusals: new Set(),
    });
    expect(presence.receive(bob, [entry(1, 4, { cursor: null })]).refusals).toEqual(new Set(["foreign client id"]));
    expect(presence.receive(bob, [entry(1, 9, null)]).refusals).toEqual(new Set(["foreign client id"]));
    expect(shown(presence)).toEqual({ 1: { user: alice.announcesAs, cursor } });

    expect(presence.receive(alice, [entry(1, 4, null)]).changes).toEqual([{ clientId: 1, clock: 4, json: "null" }]);
    expect(presence.clients).toBe(0);
  });

  it("ignores a late echo of a removed state instead of handing the id to whoever echoed it", () => {
    const presence = new RoomPresence();
    const alice = editor("Alice");
    const bob = editor("Bob");
    presence.receive(alice, [entry(1, 3, { cursor })]);
    expect(presence.removeAllOf(alice)).toEqual([{ clientId: 1, clock: 4, json: "null" }]);

    expect(presence.receive(bob, [entry(1, 3, { cursor })])).toEqual({ changes: [], refusals: new Set() });
    expect(presence.clients).toBe(0);
    // A newer state for the id is a new announcement.
    expect(presence.receive(alice, [entry(1, 5, { cursor: null })]).changes).toHaveLength(1);
  });

  it("hands an id to a newer connection of the same session, never of another", () => {
    const presence = new RoomPresence();
    const before = editor("Alice");
    const after = editor("Alice");
    const elsewhere = editor("Alice", "Alice/laptop");
    presence.receive(before, [entry(1, 1, { cursor: null })]);

    expect(presence.receive(elsewhere, [entry(1, 2, { cursor })]).refusals).toEqual(new Set(["foreign client id"]));
    expect(presence.receive(after, [entry(1, 2, { cursor })]).changes).toHaveLength(1);
    expect(presence.removeAllOf(before)).toEqual([]);
    expect(presence.clients).toBe(1);
  });

  it("holds a bounded number of ids per source and per room, and remembers a bounded number of removals", () => {
    const presence = new RoomPresence({ stateSize: 4096, perConnection: 2, perRoom: 3, removalsRemembered: 4 });
    const alice = editor("Alice");
    const bob = editor("Bob");
    expect(presence.receive(alice, [1, 2, 3].map((id) => entry(id, 1, { cursor: null }))).refusals).toEqual(new Set(["too many client ids"]));
    expect(presence.receive(bob, [11, 12].map((id) => entry(id, 1, { cursor: null }))).refusals).toEqual(new Set(["room full"]));
    expect(presence.clients).toBe(3);

    for (let clock = 2; clock < 200; clock += 2) {
      presence.receive(alice, [entry(1, clock, null), entry(1_000 + clock, 1, { cursor: null })]);
      presence.receive(alice, [entry(1_000 + clock, 2, null), entry(1, clock + 1, { cursor: null })]);
    }
    expect(presence.clients).toBe(3);
    expect(presence.entries).toBeLessThanOrEqual(3 + 4);
  });
});
