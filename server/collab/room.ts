import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from "y-protocols/awareness";
import * as Y from "yjs";
import type { DocumentShape } from "~/editor/document-shape";
import type { Logger } from "../log";
import type { DocumentPersistence } from "./persistence";
import {
  awarenessEntries,
  CloseCode,
  decodeMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  type AwarenessEntry,
  type CollabMessage,
} from "./protocol";
import { checkUpdate } from "./update-check";

/** What one connection may do, decided when it is admitted and changed by setAccess. */
export interface ConnectionAccess {
  /** Its document changes are dropped; it still receives the document and live changes. */
  readOnly: boolean;
  /** The account the connection acts for, null for anonymous; setAccess finds connections by it. */
  principal: string | null;
}

/** A new role for a principal's open connections, or "revoked" to close them (4401). */
export type AccessChange = { readOnly: boolean } | "revoked";

/** Everyone's access when nothing decides it: anyone may edit, as nobody in particular. */
export const READ_WRITE: Readonly<ConnectionAccess> = Object.freeze({ readOnly: false, principal: null });

export interface RoomStats {
  rooms: number;
  connections: number;
  droppedReadOnlyUpdates: number;
  droppedAwarenessUpdates: number;
}

export interface AwarenessRate {
  messages: number;
  windowMs: number;
}

// A user's presence (name, colour, cursor) is a few hundred bytes; more is not presence.
const DEFAULT_MAX_AWARENESS_BYTES = 4 * 1024;
const DEFAULT_READ_ONLY_AWARENESS_RATE: AwarenessRate = { messages: 10, windowMs: 10_000 };

/** What a room needs of a connection. A `ws` WebSocket is one as it is; tests pass a plain object. */
export interface Peer {
  /** Bytes handed to send() that have not reached the network yet. */
  readonly bufferedAmount: number;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface RoomSettings {
  persistence: DocumentPersistence;
  /** What the documents may hold; an editor's update that does not fit is refused whole (1007). */
  documentShape: DocumentShape;
  log: Logger;
  /** How long a room with no connections stays loaded. */
  unloadGraceMs: number;
  /** A connection that has been sent nothing for half of this gets the awareness state, so clients never sit silent. */
  heartbeatMs: number;
  /** A connection with more than this queued is closed (1013) rather than buffered without bound. */
  maxBufferedBytes: number;
  /** Awareness messages larger than this are dropped, from every connection, since every peer is sent them again. */
  maxAwarenessBytes?: number;
  /**
   * How many awareness messages a read-only connection may send per window before the rest are dropped. Editors
   * are not limited: their cursor moves are what other people watch.
   */
  readOnlyAwarenessRate?: AwarenessRate;
}

interface RoomOptions extends RoomSettings {
  documentId: string;
  /** Settles once the previous room of this document has stored its updates; loading before that would miss them. */
  previousWriteOut: Promise<void> | undefined;
  /** Called exactly once, when the room closes for any reason, with the promise of its updates being stored. */
  onClosed(room: Room, writtenOut: Promise<void>): void;
}

/** A peer as the room sees it. Also the origin of the changes it makes, so that listeners can tell whose they are. */
class Connection {
  /** Awareness client ids this connection announced, removed for everyone when it leaves. */
  readonly awarenessClients = new Set<number>();
  lastSentAt = Date.now();
  /** Read when each message is handled, not when it arrived, so a role change covers frames already queued. */
  readOnly: boolean;
  readonly principal: string | null;
  /** When the awareness messages accepted within the current rate window arrived, oldest first. */
  readonly recentAwarenessAt: number[] = [];
  droppedUpdates = 0;
  incompleteUpdates = 0;

  constructor(
    readonly peer: Peer,
    access: ConnectionAccess,
  ) {
    this.readOnly = access.readOnly;
    this.principal = access.principal;
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

type RoomState = "loading" | "ready" | "closed";

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

function attempt<T>(run: () => T): Outcome<T> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error };
  }
}

const DOC_CHANGING_MESSAGES: ReadonlySet<CollabMessage["type"]> = new Set(["sync-step-2", "sync-update"]);

/**
 * One open document: its Y.Doc, the awareness of the people editing it, and their connections.
 * Frames are decoded as they arrive; until the stored state is loaded they wait in arrival order.
 * Outgoing changes are collected for the rest of the event-loop turn and sent as one message to every peer.
 */
export class Room {
  readonly documentId: string;
  readonly doc = new Y.Doc();
  readonly awareness: Awareness;
  /** True once the stored state is in the document and frames are being applied; false when loading failed. */
  readonly loaded: Promise<boolean>;

  private state: RoomState = "loading";
  private readonly connections = new Map<Peer, Connection>();
  private readonly receivedWhileLoading: Array<{ connection: Connection; message: CollabMessage }> = [];
  private pendingUpdates: Uint8Array[] = [];
  private readonly pendingAwarenessClients = new Set<number>();
  private broadcastTask: NodeJS.Immediate | null = null;
  private unloadTimer: NodeJS.Timeout | null = null;
  private readonly heartbeatTimer: NodeJS.Timeout;
  /** Counts document update events, to tell whether applying an incoming update changed anything. */
  private documentChanges = 0;
  /** While a change is being applied (transactAtomically), its document updates wait here instead of going out. */
  private capturedChanges: Uint8Array[] | null = null;
  private writtenOut: Promise<void> | null = null;
  private droppedReadOnly = 0;
  private droppedAwareness = 0;

  constructor(private readonly options: RoomOptions) {
    this.documentId = options.documentId;
    this.awareness = new Awareness(this.doc);
    // The server is a relay, not a participant: it must not show up as a collaborator.
    this.awareness.setLocalState(null);
    // Runs while loading too, so that a slow load does not trip the client's 30-second silence check.
    this.heartbeatTimer = setInterval(() => this.sendHeartbeats(), options.heartbeatMs);
    this.loaded = this.load();
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Whether the document holds its stored state and everything since (false while loading and once closed). */
  get isLive(): boolean {
    return this.state === "ready";
  }

  /** Document changes from read-only connections that were not applied. */
  get droppedReadOnlyUpdates(): number {
    return this.droppedReadOnly;
  }

  /** Awareness messages not applied because they were too large or came too often. */
  get droppedAwarenessUpdates(): number {
    return this.droppedAwareness;
  }

  join(peer: Peer, access: ConnectionAccess = READ_WRITE): void {
    if (this.state === "closed") throw new Error(`Room ${this.documentId} is closed`);
    this.cancelUnload();
    this.connections.set(peer, new Connection(peer, access));
    if (this.state === "ready") this.greet(peer);
  }

  /** Changes what the principal's open connections may do from their next message on; returns how many it changed. */
  setAccess(principal: string, access: AccessChange): number {
    let changed = 0;
    for (const connection of [...this.connections.values()]) {
      if (connection.principal !== principal) continue;
      changed++;
      if (access === "revoked") {
        // Edits it sent while the document was loading may still be queued, and must not land either.
        connection.readOnly = true;
        this.disconnect(connection.peer, CloseCode.accessRevoked, "access revoked");
      } else {
        connection.readOnly = access.readOnly;
      }
    }
    return changed;
  }

  /** One binary frame from a peer. A frame that does not decode closes that peer alone. */
  receive(peer: Peer, frame: Uint8Array): void {
    const connection = this.connections.get(peer);
    // Frames can still arrive from a socket the room has already let go of.
    if (connection === undefined || this.state === "closed") return;
    const decoded = decodeMessage(frame);
    if (!decoded.ok) {
      this.options.log.warn("closing connection after a bad frame", {
        documentId: this.documentId,
        reason: decoded.reason,
        closeCode: decoded.closeCode,
      });
      this.disconnect(peer, decoded.closeCode, decoded.reason);
      return;
    }
    if (this.state === "loading") {
      this.receivedWhileLoading.push({ connection, message: decoded.message });
      return;
    }
    this.handleGuarded(connection, decoded.message);
  }

  /** Forgets a peer whose socket closed. Safe to call more than once. */
  leave(peer: Peer): void {
    const connection = this.connections.get(peer);
    if (connection === undefined) return;
    this.connections.delete(peer);
    if (this.state !== "ready") return;
    removeAwarenessStates(this.awareness, [...connection.awarenessClients], null);
    if (this.connections.size === 0) this.scheduleUnload();
  }

  /** Removes a peer from the room and closes its socket with the given code. */
  disconnect(peer: Peer, code: number, reason: string): void {
    this.leave(peer);
    peer.close(code, reason);
  }

  /**
   * Closes every connection with `code`, stops all timers and destroys the document. Resolves once
   * everything the room appended is stored (at once when it never loaded: it has written nothing).
   */
  close(code: number, reason: string): Promise<void> {
    if (this.writtenOut !== null) return this.writtenOut;
    const wasReady = this.state === "ready";
    // The last changes still go out before the close frames, which the socket sends after them.
    if (wasReady) this.broadcast();
    this.state = "closed";
    clearInterval(this.heartbeatTimer);
    this.cancelUnload();
    if (this.broadcastTask !== null) clearImmediate(this.broadcastTask);
    this.broadcastTask = null;
    this.doc.off("update", this.onDocumentUpdate);
    this.awareness.off("update", this.onAwarenessUpdate);
    for (const peer of this.connections.keys()) peer.close(code, reason);
    this.connections.clear();
    this.receivedWhileLoading.length = 0;
    this.awareness.destroy();
    this.doc.destroy();
    this.writtenOut = wasReady ? this.writeOut() : Promise.resolve();
    this.options.onClosed(this, this.writtenOut);
    return this.writtenOut;
  }

  private async writeOut(): Promise<void> {
    try {
      await this.options.persistence.flush(this.documentId);
    } catch (error) {
      this.options.log.error("could not write out document", { documentId: this.documentId, error });
    }
  }

  private async load(): Promise<boolean> {
    if (this.options.previousWriteOut !== undefined) {
      await this.options.previousWriteOut;
      if (this.state !== "loading") return false;
    }
    try {
      const stored = await this.options.persistence.load(this.documentId);
      if (this.state !== "loading") return false;
      // Applied before the update listener is attached: the stored state must not be appended again.
      if (stored !== null) Y.applyUpdateV2(this.doc, stored);
    } catch (error) {
      if (this.state !== "loading") return false;
      this.options.log.error("could not load document, refusing its connections", { documentId: this.documentId, error });
      void this.close(CloseCode.internalError, "document could not be loaded");
      return false;
    }
    this.doc.on("update", this.onDocumentUpdate);
    this.awareness.on("update", this.onAwarenessUpdate);
    this.state = "ready";
    for (const peer of this.connections.keys()) this.greet(peer);
    for (const { connection, message } of this.receivedWhileLoading.splice(0)) {
      // A change that failed midway closes the room (transactAtomically); the rest is for the next one.
      if (this.state !== "ready") return true;
      const stillConnected = this.connections.get(connection.peer) === connection;
      // Edits are kept even when their author has gone; replies and presence only matter to a connected peer.
      if (stillConnected || DOC_CHANGING_MESSAGES.has(message.type)) this.handleGuarded(connection, message);
    }
    if (this.connections.size === 0) this.scheduleUnload();
    return true;
  }

  /** The server's state vector, so the client answers with what the server lacks, and who else is here. */
  private greet(peer: Peer): void {
    this.sendTo(peer, encodeSyncStep1(Y.encodeStateVector(this.doc)));
    if (this.awareness.getStates().size > 0) this.sendTo(peer, this.encodeAllAwareness());
  }

  /** An exception escaping here would reach a socket listener and take the whole process down with it. */
  private handleGuarded(connection: Connection, message: CollabMessage): void {
    try {
      this.handle(connection, message);
    } catch (error) {
      this.options.log.error("failed to handle a message", { documentId: this.documentId, type: message.type, error });
      this.disconnect(connection.peer, CloseCode.internalError, "internal error");
    }
  }

  private handle(connection: Connection, message: CollabMessage): void {
    switch (message.type) {
      case "sync-step-1":
        this.sendTo(connection.peer, encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, message.stateVector)));
        return;
      case "sync-step-2":
      case "sync-update": {
        // The client counts on hearing back about an update; a step 2 is its own answer to the server.
        const answerIfUnchanged = message.type === "sync-update";
        if (connection.readOnly) this.receiveFromReadOnly(connection, message, { answerIfUnchanged });
        else this.applyUpdate(connection, message, { answerIfUnchanged });
        return;
      }
      case "awareness":
        this.receiveAwareness(connection, message.update);
        return;
      case "query-awareness":
        this.sendTo(connection.peer, this.encodeAllAwareness());
        return;
    }
  }

  /**
   * A change reaches everyone, its author included, with the next broadcast. An update that changes nothing
   * (already known) is still answered, because the client counts on hearing back from the server. An update the
   * document's shape does not allow is refused whole before anything of it is applied (decision 0013).
   */
  private applyUpdate(
    connection: Connection,
    { type, update }: Extract<CollabMessage, { type: "sync-step-2" | "sync-update" }>,
    { answerIfUnchanged }: { answerIfUnchanged: boolean },
  ): void {
    const verdict = checkUpdate(this.doc, update, this.options.documentShape);
    if (verdict.kind === "refuse") {
      this.options.log.warn("closing connection after an update the document does not allow", {
        documentId: this.documentId,
        principal: connection.principal,
        reason: verdict.reason,
      });
      this.disconnect(connection.peer, CloseCode.invalidPayload, "update not allowed");
      return;
    }
    if (verdict.kind === "incomplete") {
      this.receiveIncomplete(connection, type);
      return;
    }
    const changesBefore = this.documentChanges;
    const outcome = this.transactAtomically(connection, false, () => this.applyWhole(update, connection));
    if (!outcome.ok) {
      this.options.log.warn("closing connection after an update that could not be applied", {
        documentId: this.documentId,
        error: outcome.error,
      });
      this.disconnect(connection.peer, CloseCode.invalidPayload, "update could not be applied");
      return;
    }
    if (answerIfUnchanged && this.documentChanges === changesBefore) this.sendTo(connection.peer, encodeSyncUpdate(update));
  }

  /**
   * The check leaves Yjs nothing to keep pending; should it ever keep some all the same (a client's structs sent in two
   * sections of one update, of which Yjs keeps the last), they are dropped rather than integrated unchecked later, and
   * the update counts as failed: what Yjs did apply of it is taken back (transactAtomically).
   */
  private applyWhole(update: Uint8Array, connection: Connection): void {
    Y.applyUpdate(this.doc, update, connection);
    const { store } = this.doc;
    if (store.pendingStructs === null && store.pendingDs === null) return;
    store.pendingStructs = null;
    store.pendingDs = null;
    throw new Error("part of the update was left pending");
  }

  /**
   * An update that builds on changes the server does not have is not applied: Yjs would keep it pending and apply it
   * unchecked once they arrive. A stock client sends one when it edits before it has answered the server's sync step
   * 1 after being offline; it answers a step 1 with everything the server lacks, missing part included, so it is sent
   * one. A step 2 is that answer already: asking again could go round in circles.
   */
  private receiveIncomplete(connection: Connection, type: "sync-step-2" | "sync-update"): void {
    connection.incompleteUpdates++;
    const details = { documentId: this.documentId, principal: connection.principal, type };
    if (connection.incompleteUpdates === 1) this.options.log.warn("did not apply an update that builds on missing changes", details);
    else this.options.log.debug("did not apply an update that builds on missing changes", { ...details, count: connection.incompleteUpdates });
    if (type === "sync-update") this.sendTo(connection.peer, encodeSyncStep1(Y.encodeStateVector(this.doc)));
  }

  /**
   * Runs `change` as one Yjs transaction and lets its document updates reach storage and the peers only once it has
   * ended without an error. Yjs still emits the update of a transaction that threw halfway, and can throw in its own
   * clean-up after applying everything (its garbage collection recurses through deleted content); either way the
   * document may now hold part of the change. Then nothing of it goes out, and the room closes (1011, so clients
   * reconnect) after storing what came before, so that the document is loaded again as it was stored.
   */
  private transactAtomically<T>(origin: object, local: boolean, change: () => T): Outcome<T> {
    const captured: Uint8Array[] = [];
    let outcome: Outcome<T>;
    let cleanUpFailed = false;
    this.capturedChanges = captured;
    try {
      outcome = Y.transact(this.doc, () => attempt(change), origin, local);
    } catch (error) {
      cleanUpFailed = true;
      outcome = { ok: false, error };
    } finally {
      this.capturedChanges = null;
    }
    if (outcome.ok) {
      for (const update of captured) this.recordChange(update);
    } else if (captured.length > 0 || cleanUpFailed) {
      this.options.log.error("a change failed midway; reloading the document from storage", { documentId: this.documentId, error: outcome.error });
      void this.close(CloseCode.internalError, "document reloaded");
    }
    return outcome;
  }

  /** Runs a change of the server's own (see RoomRegistry.changeDocument); one that throws leaves nothing behind. */
  change<T>(origin: object, change: (doc: Y.Doc) => T): T {
    const outcome = this.transactAtomically(origin, true, () => change(this.doc));
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * Nothing from a read-only connection is applied. Every client answers the server's sync step 1 with a step 2,
   * which from a read-only one is normally empty or all known; only one that would change the document is dropped.
   * The connection stays open: closing it would make the stock client reconnect and send the same again.
   */
  private receiveFromReadOnly(
    connection: Connection,
    message: Extract<CollabMessage, { type: "sync-step-2" | "sync-update" }>,
    { answerIfUnchanged }: { answerIfUnchanged: boolean },
  ): void {
    if (!updateChangesDocument(this.doc, message.update)) {
      if (answerIfUnchanged) this.sendTo(connection.peer, encodeSyncUpdate(message.update));
      return;
    }
    this.droppedReadOnly++;
    connection.droppedUpdates++;
    const details = { documentId: this.documentId, principal: connection.principal, type: message.type };
    // Once per connection at warn: a client that keeps sending must not be able to fill the log.
    if (connection.droppedUpdates === 1) this.options.log.warn("dropped a change from a read-only connection", details);
    else this.options.log.debug("dropped a change from a read-only connection", { ...details, dropped: connection.droppedUpdates });
  }

  /**
   * The stock client sends every awareness change it hears back to the server; those change nothing here and are
   * skipped before the limits, so that they neither count as dropped nor use up a read-only connection's allowance.
   */
  private receiveAwareness(connection: Connection, update: Uint8Array): void {
    if (!awarenessEntries(update).some((entry) => this.awarenessWouldChange(entry))) return;
    const refused = this.awarenessRefusal(connection, update.length);
    if (refused !== null) {
      this.droppedAwareness++;
      this.options.log.debug("dropped an awareness update", {
        documentId: this.documentId,
        principal: connection.principal,
        reason: refused,
      });
      return;
    }
    applyAwarenessUpdate(this.awareness, update, connection);
  }

  /** The condition under which applyAwarenessUpdate takes an entry (y-protocols/awareness.js). */
  private awarenessWouldChange({ clientId, clock, removesState }: AwarenessEntry): boolean {
    const known = this.awareness.meta.get(clientId)?.clock ?? 0;
    return known < clock || (known === clock && removesState && this.awareness.states.has(clientId));
  }

  private awarenessRefusal(connection: Connection, bytes: number): "too large" | "too frequent" | null {
    if (bytes > (this.options.maxAwarenessBytes ?? DEFAULT_MAX_AWARENESS_BYTES)) return "too large";
    if (!connection.readOnly) return null;
    const { messages, windowMs } = this.options.readOnlyAwarenessRate ?? DEFAULT_READ_ONLY_AWARENESS_RATE;
    const now = Date.now();
    const recent = connection.recentAwarenessAt;
    while (recent.length > 0 && (recent[0] ?? now) <= now - windowMs) recent.shift();
    if (recent.length >= messages) return "too frequent";
    recent.push(now);
    return null;
  }

  private readonly onDocumentUpdate = (update: Uint8Array): void => {
    if (this.capturedChanges !== null) this.capturedChanges.push(update);
    else this.recordChange(update);
  };

  private recordChange(update: Uint8Array): void {
    this.documentChanges++;
    this.options.persistence.append(this.documentId, update);
    this.pendingUpdates.push(update);
    this.scheduleBroadcast();
  }

  private readonly onAwarenessUpdate = ({ added, updated, removed }: AwarenessChange, origin: unknown): void => {
    if (origin instanceof Connection) {
      for (const client of added) origin.awarenessClients.add(client);
      for (const client of removed) origin.awarenessClients.delete(client);
    }
    for (const client of [...added, ...updated, ...removed]) this.pendingAwarenessClients.add(client);
    this.scheduleBroadcast();
  };

  private scheduleBroadcast(): void {
    this.broadcastTask ??= setImmediate(() => this.broadcast());
  }

  /** Sends what changed since the last broadcast, each message encoded once for all peers. */
  private broadcast(): void {
    if (this.broadcastTask !== null) clearImmediate(this.broadcastTask);
    this.broadcastTask = null;
    const messages: Uint8Array[] = [];
    if (this.pendingUpdates.length > 0) {
      const [only] = this.pendingUpdates;
      const merged = this.pendingUpdates.length === 1 && only !== undefined ? only : Y.mergeUpdates(this.pendingUpdates);
      this.pendingUpdates = [];
      messages.push(encodeSyncUpdate(merged));
    }
    if (this.pendingAwarenessClients.size > 0) {
      messages.push(encodeAwareness(encodeAwarenessUpdate(this.awareness, [...this.pendingAwarenessClients])));
      this.pendingAwarenessClients.clear();
    }
    for (const message of messages) {
      for (const peer of this.connections.keys()) this.sendTo(peer, message);
    }
  }

  private sendTo(peer: Peer, message: Uint8Array): void {
    const connection = this.connections.get(peer);
    if (connection === undefined) return;
    if (peer.bufferedAmount > this.options.maxBufferedBytes) {
      this.options.log.warn("closing a connection that does not keep up", {
        documentId: this.documentId,
        bufferedAmount: peer.bufferedAmount,
      });
      this.disconnect(peer, CloseCode.tryAgainLater, "too far behind");
      return;
    }
    connection.lastSentAt = Date.now();
    peer.send(message);
  }

  /** Lists every known client; with none it is an empty update, which still tells the client the server is alive. */
  private encodeAllAwareness(): Uint8Array {
    return encodeAwareness(encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]));
  }

  /**
   * Checked every heartbeatMs for connections idle for half of it, so none is silent for more than 1.5 × heartbeatMs
   * (checking for a full period of idleness could let one go silent for almost two periods).
   */
  private sendHeartbeats(): void {
    const idleSince = Date.now() - this.options.heartbeatMs / 2;
    let heartbeat: Uint8Array | null = null;
    for (const [peer, connection] of this.connections) {
      if (connection.lastSentAt > idleSince) continue;
      heartbeat ??= this.encodeAllAwareness();
      this.sendTo(peer, heartbeat);
    }
  }

  private scheduleUnload(): void {
    this.cancelUnload();
    this.unloadTimer = setTimeout(() => {
      this.unloadTimer = null;
      this.options.log.debug("unloading document without connections", { documentId: this.documentId });
      void this.close(CloseCode.goingAway, "document unloaded");
    }, this.options.unloadGraceMs);
  }

  private cancelUnload(): void {
    if (this.unloadTimer !== null) clearTimeout(this.unloadTimer);
    this.unloadTimer = null;
  }
}

/**
 * Whether applying `update` would change `doc` in any way, decided without applying it: it holds a struct (or part
 * of one) beyond the document's state vector, or deletes a range the document has not deleted. Structs the document
 * holds as pending count as new too; only a client that edited can have them.
 */
export function updateChangesDocument(doc: Y.Doc, update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  const known = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const struct of structs) {
    // A Skip is a gap that mergeUpdates leaves between structs; it carries nothing.
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > (known.get(struct.id.client) ?? 0)) return true;
  }
  let deleted: Map<number, Array<{ clock: number; len: number }>> | null = null;
  for (const [client, ranges] of ds.clients) {
    for (const { clock, len } of ranges) {
      if (len <= 0) continue;
      // Built only when needed: it walks every struct, and most updates from read-only clients delete nothing.
      deleted ??= Y.createDeleteSetFromStructStore(doc.store).clients;
      if (!rangeCovered(deleted.get(client) ?? [], clock, len)) return true;
    }
  }
  return false;
}

/**
 * `ranges` is sorted by clock, and adjacent deleted structs are merged into one range, so a range that is wholly
 * deleted lies inside a single one of them.
 */
function rangeCovered(ranges: ReadonlyArray<{ clock: number; len: number }>, clock: number, len: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const range = ranges[middle];
    if (range === undefined) return false;
    if (range.clock + range.len <= clock) low = middle + 1;
    else if (range.clock > clock) high = middle - 1;
    else return clock + len <= range.clock + range.len;
  }
  return false;
}

/**
 * The open rooms, one per document. A document's room is created by its first connection and shared by
 * the connections that follow, so concurrent first connections share one load.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  /** Rooms that closed but whose updates may not be stored yet; a new room of the same document waits for them. */
  private readonly writeOuts = new Map<string, Promise<void>>();
  private readonly droppedInClosedRooms = { droppedReadOnlyUpdates: 0, droppedAwarenessUpdates: 0 };

  constructor(private readonly settings: RoomSettings) {}

  join(documentId: string, peer: Peer, access: ConnectionAccess = READ_WRITE): Room {
    const room = this.roomFor(documentId);
    room.join(peer, access);
    return room;
  }

  /**
   * Runs `change` on the document as one transaction with `origin`, in the document's room: its update then reaches
   * every connection and storage exactly as a client's does. When nobody has the document open it is loaded into a
   * room of its own, which unloads after the grace period like any other, so that a connection arriving meanwhile
   * shares it and a later load waits for its write. Rejects when the document cannot be loaded.
   */
  async changeDocument<T>(documentId: string, origin: object, change: (doc: Y.Doc) => T): Promise<T> {
    for (;;) {
      const room = this.roomFor(documentId);
      if (!(await room.loaded)) throw new Error(`Document ${documentId} could not be loaded`);
      // A room that unloaded between loading and now has stored its state: the next one loads it again.
      if (room.isLive) return room.change(origin, change);
    }
  }

  /** The live document when it is open and loaded, else null. Read it synchronously: the room may unload later. */
  openDocument(documentId: string): Y.Doc | null {
    const room = this.rooms.get(documentId);
    return room?.isLive ? room.doc : null;
  }

  /** Changes the access of the principal's open connections in every room; returns how many it changed. */
  setAccess(principal: string, access: AccessChange): number {
    let changed = 0;
    for (const room of [...this.rooms.values()]) changed += room.setAccess(principal, access);
    return changed;
  }

  /** Open rooms and connections now; dropped messages since the registry was created, closed rooms included. */
  stats(): RoomStats {
    const stats = { rooms: this.rooms.size, connections: 0, ...this.droppedInClosedRooms };
    for (const room of this.rooms.values()) {
      stats.connections += room.connectionCount;
      stats.droppedReadOnlyUpdates += room.droppedReadOnlyUpdates;
      stats.droppedAwarenessUpdates += room.droppedAwarenessUpdates;
    }
    return stats;
  }

  /** Closes every room and resolves once everything queued for storage is stored. */
  async closeAll(code: number, reason: string): Promise<void> {
    await Promise.all([...this.rooms.values()].map((room) => room.close(code, reason)));
    await Promise.all(this.writeOuts.values());
    await this.settings.persistence.flush();
  }

  private roomFor(documentId: string): Room {
    let room = this.rooms.get(documentId);
    if (room === undefined) {
      room = new Room({
        ...this.settings,
        documentId,
        previousWriteOut: this.writeOuts.get(documentId),
        onClosed: (closed, writtenOut) => this.forget(closed, writtenOut),
      });
      this.rooms.set(documentId, room);
    }
    return room;
  }

  private forget(room: Room, writtenOut: Promise<void>): void {
    const { documentId } = room;
    this.droppedInClosedRooms.droppedReadOnlyUpdates += room.droppedReadOnlyUpdates;
    this.droppedInClosedRooms.droppedAwarenessUpdates += room.droppedAwarenessUpdates;
    if (this.rooms.get(documentId) === room) this.rooms.delete(documentId);
    this.writeOuts.set(documentId, writtenOut);
    void writtenOut.then(() => {
      if (this.writeOuts.get(documentId) === writtenOut) this.writeOuts.delete(documentId);
    });
  }
}
