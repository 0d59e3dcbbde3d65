import * as encoding from "lib0/encoding";
import * as Y from "yjs";

/**
 * The message type of save acknowledgements, beside y-websocket's 0–3. From an editor to the server it is a request
 * without payload: "tell me what is stored, now and whenever more is". From the server it carries a Yjs snapshot
 * (state vector and delete set, `Y.encodeSnapshot`) of changes that are stored in the database. The stock client
 * does not know it, which is why the server sends it only to editors that asked.
 */
export const STORED_MESSAGE = 100;

export function encodeStoredQuery(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, STORED_MESSAGE);
  return encoding.toUint8Array(encoder);
}

/** Half-open clock ranges [start, end) of one Yjs client, sorted and disjoint. */
type Ranges = Array<readonly [number, number]>;

/**
 * This browser's changes to a document that the server has not yet said it stored, and what it has said it stored.
 * Changes are counted in Yjs clock units: a typed character is one, a deleted character is one.
 *
 * Knowledge only grows: the server acknowledges stored changes as snapshots, and a change once stored stays stored,
 * across reconnects and server restarts. A change recorded after the server acknowledged it (edits restored from an
 * earlier visit, say) is not counted.
 */
export class UnsavedChanges {
  readonly #storedClocks = new Map<number, number>();
  readonly #storedDeletes = new Map<number, Ranges>();
  readonly #inserts = new Map<number, Ranges>();
  readonly #deletes = new Map<number, Ranges>();
  #count = 0;
  #acknowledged = false;

  /** Characters inserted or deleted here and not yet stored. */
  get count(): number {
    return this.#count;
  }

  /** Whether the server has acknowledged anything yet; before that, restored edits cannot be told from stored ones. */
  get acknowledged(): boolean {
    return this.#acknowledged;
  }

  /** Records a change made in this browser: a Yjs update (V1) of a local edit, or of edits restored from an earlier visit. */
  add(update: Uint8Array): void {
    const { structs, ds } = Y.decodeUpdate(update);
    for (const struct of structs) {
      // A Skip is a gap in a merged update and carries nothing.
      if (struct instanceof Y.Skip) continue;
      const { client, clock } = struct.id;
      const start = Math.max(clock, this.#storedClocks.get(client) ?? 0);
      const end = clock + struct.length;
      if (start < end) this.#inserts.set(client, union(this.#inserts.get(client) ?? [], [[start, end]]));
    }
    for (const [client, items] of ds.clients) {
      const deleted = subtract(rangesOf(items), this.#storedDeletes.get(client) ?? []);
      if (deleted.length > 0) this.#deletes.set(client, union(this.#deletes.get(client) ?? [], deleted));
    }
    this.#recount();
  }

  /** The server stored these changes. Returns whether fewer of this browser's changes are unsaved now. */
  acknowledge(stored: Y.Snapshot): boolean {
    this.#acknowledged = true;
    const before = this.#count;
    for (const [client, clock] of stored.sv) {
      if (clock <= (this.#storedClocks.get(client) ?? 0)) continue;
      this.#storedClocks.set(client, clock);
      const inserts = this.#inserts.get(client);
      if (inserts) setOrDelete(this.#inserts, client, subtract(inserts, [[0, clock]]));
    }
    for (const [client, items] of stored.ds.clients) {
      const deleted = rangesOf(items);
      this.#storedDeletes.set(client, union(this.#storedDeletes.get(client) ?? [], deleted));
      const unsaved = this.#deletes.get(client);
      if (unsaved) setOrDelete(this.#deletes, client, subtract(unsaved, deleted));
    }
    this.#recount();
    return this.#count < before;
  }

  #recount(): void {
    let count = 0;
    for (const ranges of [...this.#inserts.values(), ...this.#deletes.values()]) {
      for (const [start, end] of ranges) count += end - start;
    }
    this.#count = count;
  }
}

function setOrDelete(map: Map<number, Ranges>, client: number, ranges: Ranges): void {
  if (ranges.length === 0) map.delete(client);
  else map.set(client, ranges);
}

/** A delete set's items for one client, as sorted, disjoint ranges (an update's delete set need not be merged). */
function rangesOf(items: ReadonlyArray<{ clock: number; len: number }>): Ranges {
  return union(
    [],
    items.filter((item) => item.len > 0).map((item) => [item.clock, item.clock + item.len] as const),
  );
}

function union(a: Ranges, b: Ranges): Ranges {
  const all = [...a, ...b].sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of all) {
    const last = merged[merged.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** `ranges` without anything in `removed`; both sorted and disjoint. */
function subtract(ranges: Ranges, removed: Ranges): Ranges {
  const result: Array<readonly [number, number]> = [];
  let r = 0;
  for (const [rangeStart, end] of ranges) {
    let start = rangeStart;
    // Removed ranges wholly before this one cannot touch the ranges after it either.
    while (r < removed.length && (removed[r]?.[1] ?? 0) <= start) r++;
    for (let i = r; i < removed.length && start < end; i++) {
      const [removedStart, removedEnd] = removed[i] ?? [end, end];
      if (removedStart >= end) break;
      if (removedStart > start) result.push([start, removedStart]);
      start = Math.max(start, removedEnd);
    }
    if (start < end) result.push([start, end]);
  }
  return result;
}
