import * as encoding from "lib0/encoding";
import { z } from "zod";
import type { CaretIdentity } from "#app/editor/identity";
import { caretCursorSchema } from "#app/editor/presence";
import type { AwarenessEntry } from "./protocol";

/**
 * The presence (awareness) of one room, kept by the server as a relay rather than as a participant: y-protocols'
 * Awareness takes any client's word for any client id, and remembers every id it ever heard of, removals included.
 * Here every client id belongs to the connection that introduced it, only that connection may change or remove it,
 * what is relayed is rebuilt from the session (`user`) and a checked `cursor`, and what is kept is bounded.
 */

/** A connection as presence sees it. */
export interface PresenceSource {
  /** Who the connection's presence shows; null when it may announce nothing (read-only, or nobody in particular). */
  readonly announcesAs: CaretIdentity | null;
  /** The sign-in session; a connection may take over the ids of an older one of the same session (a reconnect). */
  readonly session: string | null;
}

export interface PresenceLimits {
  /**
   * Longest state (JSON text) taken. A user's presence (name, colour, cursor) is a few hundred characters; more is
   * not presence. Counted per entry, not per message: a client echoes everything it hears in one message.
   */
  stateSize: number;
  /** Client ids one connection may hold at once. A browser tab has one; a few more cover overlapping reconnects. */
  perConnection: number;
  /** Client ids a room holds at once. */
  perRoom: number;
  /** Removed ids remembered with their last clock, so that a late echo of an old state does not bring it back. */
  removalsRemembered: number;
}

export const DEFAULT_PRESENCE_LIMITS: Readonly<PresenceLimits> = Object.freeze({
  stateSize: 4 * 1024,
  perConnection: 4,
  perRoom: 500,
  removalsRemembered: 1000,
});

/** Why an entry was not taken. "read-only" is what every visitor's stock client sends, so it is no misbehaviour. */
export type PresenceRefusal = "read-only" | "foreign client id" | "too large" | "malformed state" | "too many client ids" | "room full";

/** One entry of an awareness update as the server sends it: `json` is the state as relayed, "null" for a removal. */
export interface PresenceChange {
  clientId: number;
  clock: number;
  json: string;
}

interface Held {
  owner: PresenceSource;
  clock: number;
  json: string;
}

// Fields other than the cursor (the browser's own `user` included) are dropped, so they are not looked at.
const announcedStateSchema = z.object({ cursor: caretCursorSchema.nullable().optional() });

export class RoomPresence {
  private readonly held = new Map<number, Held>();
  private readonly heldBy = new Map<PresenceSource, Set<number>>();
  /** Insertion order is removal order, so the oldest is forgotten first. */
  private readonly removedAt = new Map<number, number>();

  constructor(private readonly limits: PresenceLimits = DEFAULT_PRESENCE_LIMITS) {}

  /** Client ids with a state. */
  get clients(): number {
    return this.held.size;
  }

  /** Everything kept: states and remembered removals. */
  get entries(): number {
    return this.held.size + this.removedAt.size;
  }

  /**
   * Takes what `source` says in one awareness update. Entries that change nothing (the stock client sends back
   * every change it hears, and removes states it timed out at the clock it knows) are skipped silently.
   */
  receive(source: PresenceSource, entries: readonly AwarenessEntry[]): { changes: PresenceChange[]; refusals: Set<PresenceRefusal> } {
    const changes: PresenceChange[] = [];
    const refusals = new Set<PresenceRefusal>();
    for (const entry of entries) {
      const outcome = this.take(source, entry);
      if (outcome === null) continue;
      if (typeof outcome === "string") refusals.add(outcome);
      else changes.push(outcome);
    }
    return { changes, refusals };
  }

  /** Removes every state the source holds (it left, or may no longer announce), one clock tick past its last. */
  removeAllOf(source: PresenceSource): PresenceChange[] {
    const changes: PresenceChange[] = [];
    for (const clientId of [...(this.heldBy.get(source) ?? [])]) {
      const clock = (this.held.get(clientId)?.clock ?? 0) + 1;
      this.remove(clientId, clock);
      changes.push({ clientId, clock, json: "null" });
    }
    this.heldBy.delete(source);
    return changes;
  }

  /** Every current state (of the owners `include` picks), for a newcomer, a query or a heartbeat. */
  current(include: (owner: PresenceSource) => boolean = () => true): PresenceChange[] {
    return [...this.held].filter(([, { owner }]) => include(owner)).map(([clientId, { clock, json }]) => ({ clientId, clock, json }));
  }

  /**
   * Takes changes another server process's presence decided, on behalf of `source` (that process). They were built
   * there from a session, as `receive` builds them here, and reach us only through the deployment's own Redis, so
   * they are trusted as they are; the room's limits and the clocks still apply.
   */
  receiveRelayed(source: PresenceSource, changes: readonly PresenceChange[]): PresenceChange[] {
    const taken: PresenceChange[] = [];
    for (const change of changes) {
      const { clientId, clock, json } = change;
      const removal = json === "null";
      const held = this.held.get(clientId);
      if (held === undefined) {
        if (removal) continue;
        const removedAt = this.removedAt.get(clientId);
        if (removedAt !== undefined && clock <= removedAt) continue;
        if (this.held.size >= this.limits.perRoom || json.length > this.limits.stateSize) continue;
      } else if (!(held.clock < clock || (held.clock === clock && removal))) {
        continue;
      }
      if (removal) {
        this.remove(clientId, clock);
      } else {
        if (held !== undefined && held.owner !== source) this.heldBy.get(held.owner)?.delete(clientId);
        this.held.set(clientId, { owner: source, clock, json });
        this.removedAt.delete(clientId);
        let ids = this.heldBy.get(source);
        if (ids === undefined) this.heldBy.set(source, (ids = new Set()));
        ids.add(clientId);
      }
      taken.push(change);
    }
    return taken;
  }

  /** The change this entry makes, a refusal, or null when it changes nothing. */
  private take(source: PresenceSource, { clientId, clock, state, size }: AwarenessEntry): PresenceChange | PresenceRefusal | null {
    const held = this.held.get(clientId);
    if (held === undefined) {
      // Nothing is kept for removing what is not here: that was how 50 sockets filled a million entries.
      if (state === null) return null;
      const removedAt = this.removedAt.get(clientId);
      if (removedAt !== undefined && clock <= removedAt) return null;
    } else {
      // The same condition as y-protocols' applyAwarenessUpdate: newer, or a removal at the same clock.
      const newer = held.clock < clock || (held.clock === clock && state === null);
      if (held.owner !== source) {
        if (held.clock >= clock) return null;
        if (!this.mayTakeOver(source, held.owner)) return "foreign client id";
      } else if (!newer) {
        return null;
      }
    }
    if (state === null) {
      this.remove(clientId, clock);
      return { clientId, clock, json: "null" };
    }
    const identity = source.announcesAs;
    if (identity === null) return "read-only";
    if (size > this.limits.stateSize) return "too large";
    const newToSource = held?.owner !== source;
    // Before the schema: a flood of new ids is turned away without parsing each one.
    if (newToSource && (this.heldBy.get(source)?.size ?? 0) >= this.limits.perConnection) return "too many client ids";
    if (held === undefined && this.held.size >= this.limits.perRoom) return "room full";
    const announced = announcedStateSchema.safeParse(state);
    if (!announced.success) return "malformed state";
    if (newToSource && held !== undefined) this.heldBy.get(held.owner)?.delete(clientId);
    const json = JSON.stringify({ user: identity, cursor: announced.data.cursor ?? null });
    this.held.set(clientId, { owner: source, clock, json });
    this.removedAt.delete(clientId);
    let ids = this.heldBy.get(source);
    if (ids === undefined) this.heldBy.set(source, (ids = new Set()));
    ids.add(clientId);
    return { clientId, clock, json };
  }

  /**
   * A tab that reconnects before the server noticed its old socket is gone announces the id the old socket holds;
   * within one session that is the same person, so the newer connection gets it.
   */
  private mayTakeOver(source: PresenceSource, owner: PresenceSource): boolean {
    return source.session !== null && source.session === owner.session && source.announcesAs !== null;
  }

  private remove(clientId: number, clock: number): void {
    const held = this.held.get(clientId);
    if (held !== undefined) this.heldBy.get(held.owner)?.delete(clientId);
    this.held.delete(clientId);
    this.removedAt.delete(clientId);
    this.removedAt.set(clientId, clock);
    for (const oldest of this.removedAt.keys()) {
      if (this.removedAt.size <= this.limits.removalsRemembered) break;
      this.removedAt.delete(oldest);
    }
  }
}

/** An awareness update (y-protocols' format) of these changes. */
export function encodePresence(changes: Iterable<PresenceChange>): Uint8Array {
  const list = [...changes];
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, list.length);
  for (const { clientId, clock, json } of list) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, json);
  }
  return encoding.toUint8Array(encoder);
}
