import * as Y from "yjs";
import type { CaretIdentity } from "#app/editor/identity";
import type { DocumentShape } from "#app/editor/document-shape";
import type { Logger } from "#app/log.server";
import type { DocumentPersistence } from "./persistence";
import { DEFAULT_PRESENCE_LIMITS, encodePresence, RoomPresence, type PresenceChange, type PresenceLimits, type PresenceSource } from "./presence";
import {
  awarenessEntries,
  CloseCode,
  decodeMessage,
  encodeAwareness,
  encodeReach,
  encodeStored,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  type CollabMessage,
  type DecodedUpdate,
} from "./protocol";
import type { DocumentSharing, SharedDocumentLink, SharedRoom } from "./sharing";
import { checkDecodedUpdate } from "./update-check";

/** What one connection may do, decided when it is admitted and changed by setAccess and endSessions. */
export interface ConnectionAccess {
  /** Its document changes are dropped and it announces no presence; it still receives the document and live changes. */
  readOnly: boolean;
  /** The account the connection acts for, null for anonymous; setAccess finds connections by it. */
  principal: string | null;
  /**
   * The sign-in session it was admitted on, null for anonymous. endSessions finds connections by its id, and the
   * connection is closed (4401) once `endsAt` (ms since the epoch) has passed.
   */
  session: { id: string; endsAt: number } | null;
  /** What others see of its presence: the account's name and colour, never the browser's. Null announces nothing. */
  identity: CaretIdentity | null;
}

/** A new role for a principal's open connections, or "revoked" to close them (4401). */
export type AccessChange = { readOnly: boolean } | "revoked";

/** Everyone's access when nothing decides it: anyone may edit, as nobody in particular (and so shows no presence). */
export const READ_WRITE: Readonly<ConnectionAccess> = Object.freeze({ readOnly: false, principal: null, session: null, identity: null });

/** What a room counts while it is open; the registry adds up those of closed rooms too. */
export interface RoomCounters {
  /** Document changes from read-only connections that were not applied. */
  droppedReadOnlyUpdates: number;
  /** Awareness messages with an entry presence refused (too large, foreign, malformed, over a limit, read-only). */
  droppedAwarenessUpdates: number;
  /** Sync step 1 messages and awareness queries beyond a connection's rate, not answered. */
  droppedRequests: number;
  /** Document updates (sync step 2 and update messages) received from connections, whether they changed anything or not. */
  updatesReceived: number;
  /** Changes applied to the document, from connections or the server itself; each one is stored. */
  documentChanges: number;
  /** Update messages sent to connections: a broadcast to ten connections counts ten. */
  updatesSent: number;
}

export interface RoomStats extends RoomCounters {
  rooms: number;
  connections: number;
  /** Presence states and remembered removals held now, over all rooms. */
  presenceEntries: number;
}

function noCounts(): RoomCounters {
  return { droppedReadOnlyUpdates: 0, droppedAwarenessUpdates: 0, droppedRequests: 0, updatesReceived: 0, documentChanges: 0, updatesSent: 0 };
}

function addCounts(total: RoomCounters, more: RoomCounters): void {
  for (const key of Object.keys(more) as Array<keyof RoomCounters>) total[key] += more[key];
}

export interface MessageRate {
  messages: number;
  windowMs: number;
}

/**
 * The stock client sends one sync step 1 when it connects (and one per resync interval, which Samråd does not set)
 * and never queries awareness; each answer can be as large as the document.
 */
const DEFAULT_REQUEST_RATE: MessageRate = { messages: 10, windowMs: 10_000 };

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
  /**
   * How many sync step 1 messages, and separately how many awareness and stored-state queries, one connection may
   * send per window; more are dropped. Each is answered with the whole document, presence or stored state, so they are
   * the cheap way to make the server work. Awareness updates are not limited: only editors' are taken, and their cursor moves are what other
   * people watch.
   */
  requestRate?: MessageRate;
  presenceLimits?: PresenceLimits;
  /** The other server processes serving the same documents; without it each room is the only copy of its document. */
  sharing?: DocumentSharing;
}

interface RoomOptions extends RoomSettings {
  documentId: string;
  /** The document is archived: nobody's changes are applied until setDocumentReadOnly(false). */
  readOnly?: boolean;
  /** Settles once the previous room of this document has stored its updates; loading before that would miss them. */
  previousWriteOut: Promise<void> | undefined;
  /** Called exactly once, when the room closes for any reason, with the promise of its updates being stored. */
  onClosed(room: Room, writtenOut: Promise<void>): void;
}

/** At most `messages` in any `windowMs`: remembers when each of the last `messages` accepted ones arrived. */
class SlidingWindow {
  private readonly acceptedAt: number[] = [];

  constructor(private readonly rate: MessageRate) {}

  accept(now: number): boolean {
    while ((this.acceptedAt[0] ?? now) <= now - this.rate.windowMs) this.acceptedAt.shift();
    if (this.acceptedAt.length >= this.rate.messages) return false;
    this.acceptedAt.push(now);
    return true;
  }
}

/** A peer as the room sees it. Also the origin of the changes it makes, so that listeners can tell whose they are. */
class Connection implements PresenceSource {
  lastSentAt = Date.now();
  /** What its account's role allows; setAccess changes it. */
  roleReadOnly: boolean;
  readonly principal: string | null;
  readonly session: string | null;
  readonly sessionEndsAt: number;
  private readonly identity: CaretIdentity | null;
  readonly syncRequests: SlidingWindow;
  readonly awarenessQueries: SlidingWindow;
  readonly storedQueries: SlidingWindow;
  droppedUpdates = 0;
  /** Kinds of refusal already logged at warn for this connection; repeats go to debug, so one client cannot fill the log. */
  private readonly warned = new Set<string>();
  /** It asked to be told what is stored (only editors that know the message type do). */
  wantsStored = false;
  incompleteUpdates = 0;

  constructor(
    readonly peer: Peer,
    access: ConnectionAccess,
    requestRate: MessageRate,
    /** The room's: whether the document itself may be changed at all (not while it is archived). */
    private readonly document: { readonly readOnly: boolean },
  ) {
    this.roleReadOnly = access.readOnly;
    this.principal = access.principal;
    this.session = access.session?.id ?? null;
    this.sessionEndsAt = access.session?.endsAt ?? Number.POSITIVE_INFINITY;
    this.identity = access.identity;
    this.syncRequests = new SlidingWindow(requestRate);
    this.awarenessQueries = new SlidingWindow(requestRate);
    this.storedQueries = new SlidingWindow(requestRate);
  }

  /**
   * Read when each message is handled, not when it arrived, so a role change or the document's archiving covers
   * frames already queued.
   */
  get readOnly(): boolean {
    return this.roleReadOnly || this.document.readOnly;
  }

  get announcesAs(): CaretIdentity | null {
    return this.readOnly ? null : this.identity;
  }

  sessionEnded(now: number): boolean {
    return now >= this.sessionEndsAt;
  }

  /** True the first time a kind of refusal happens on this connection. */
  firstWarning(kind: string): boolean {
    if (this.warned.has(kind)) return false;
    this.warned.add(kind);
    return true;
  }
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

/** The origin of updates another server process accepted: they are sent to this room's sockets, not stored or shared. */
const REMOTE_ORIGIN = Object.freeze({ remote: true });

/** The presence states another server process holds, as one owner: only that process changes or removes them. */
class RemoteNode implements PresenceSource {
  readonly announcesAs = null;
  readonly session = null;
}

/**
 * One open document: its Y.Doc, the presence of the people editing it, and their connections.
 * Frames are decoded as they arrive; until the stored state is loaded they wait in arrival order.
 * Outgoing changes are collected for the rest of the event-loop turn and sent as one message to every peer, except
 * to a connection whose own changes they all are (decision 0035).
 */
export class Room implements SharedRoom {
  readonly documentId: string;
  readonly doc = new Y.Doc();
  readonly presence: RoomPresence;
  /** True once the stored state is in the document and frames are being applied; false when loading failed. */
  readonly loaded: Promise<boolean>;

  private state: RoomState = "loading";
  private readonly connections = new Map<Peer, Connection>();
  private readonly receivedWhileLoading: Array<{ connection: Connection; message: CollabMessage }> = [];
  private pendingUpdates: Uint8Array[] = [];
  /** The connection that made every pending update, if one did: it has them already, so they are not sent back to it. */
  private pendingAuthor: Connection | null = null;
  /** Presence changes since the last broadcast, the latest per client id. */
  private readonly pendingPresence = new Map<number, PresenceChange>();
  private broadcastTask: NodeJS.Immediate | null = null;
  private unloadTimer: NodeJS.Timeout | null = null;
  private readonly heartbeatTimer: NodeJS.Timeout;
  /** Counts document update events, to tell whether applying an incoming update changed anything. */
  private documentChanges = 0;
  /** While a change is being applied (transactAtomically), its document updates wait here instead of going out. */
  private capturedChanges: Uint8Array[] | null = null;
  private writtenOut: Promise<void> | null = null;
  /** Everything of this document that is in the database: what was loaded, and every update stored since. */
  private stored: Y.Snapshot = Y.emptySnapshot;
  /** Updates stored since editors were last told, oldest first. */
  private storedNotAnnounced: Uint8Array[] = [];
  private droppedReadOnly = 0;
  private droppedAwareness = 0;
  private droppedRequestCount = 0;
  private updatesReceived = 0;
  private updatesSent = 0;
  private readonly shared: SharedDocumentLink | null;
  private readonly remoteNodes = new Map<string, RemoteNode>();
  private readonly remoteWhileLoading: Uint8Array[] = [];
  /** Shared with every connection: while true (the document is archived) nobody's changes are applied. */
  private readonly documentAccess: { readOnly: boolean };

  constructor(private readonly options: RoomOptions) {
    this.documentId = options.documentId;
    this.documentAccess = { readOnly: options.readOnly ?? false };
    this.presence = new RoomPresence(options.presenceLimits ?? DEFAULT_PRESENCE_LIMITS);
    this.shared = options.sharing?.open(options.documentId, this) ?? null;
    // Runs while loading too, so that a slow load does not trip the client's 30-second silence check.
    this.heartbeatTimer = setInterval(() => {
      this.closeEndedSessions();
      this.sendHeartbeats();
    }, options.heartbeatMs);
    this.loaded = this.load();
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Whether the document holds its stored state and everything since (false while loading and once closed). */
  get isLive(): boolean {
    return this.state === "ready";
  }

  /** Counts since the room opened. */
  get counters(): RoomCounters {
    return {
      droppedReadOnlyUpdates: this.droppedReadOnly,
      droppedAwarenessUpdates: this.droppedAwareness,
      droppedRequests: this.droppedRequestCount,
      updatesReceived: this.updatesReceived,
      documentChanges: this.documentChanges,
      updatesSent: this.updatesSent,
    };
  }

  join(peer: Peer, access: ConnectionAccess = READ_WRITE): void {
    if (this.state === "closed") throw new Error(`Room ${this.documentId} is closed`);
    this.cancelUnload();
    this.connections.set(peer, new Connection(peer, access, this.options.requestRate ?? DEFAULT_REQUEST_RATE, this.documentAccess));
    if (this.state === "ready") this.greet(peer);
  }

  /** Changes what the principal's open connections may do from their next message on; returns how many it changed. */
  setAccess(principal: string, access: AccessChange): number {
    let changed = 0;
    for (const connection of [...this.connections.values()]) {
      if (connection.principal !== principal) continue;
      changed++;
      if (access === "revoked") {
        this.revoke(connection, "access revoked");
      } else {
        connection.roleReadOnly = access.readOnly;
        // A read-only connection announces nothing: its caret goes at once.
        if (connection.readOnly) this.queuePresence(this.presence.removeAllOf(connection));
      }
    }
    return changed;
  }

  /**
   * Makes the document read-only for every connection (it was archived) or gives each back what its role allows, from
   * their next message on; a read-only document shows nobody's caret.
   */
  setDocumentReadOnly(readOnly: boolean): void {
    this.documentAccess.readOnly = readOnly;
    if (!readOnly) return;
    for (const connection of this.connections.values()) this.queuePresence(this.presence.removeAllOf(connection));
  }

  /** Closes (4401) the open connections admitted on any of these sessions; returns how many. */
  endSessions(sessionIds: ReadonlySet<string>): number {
    let ended = 0;
    for (const connection of [...this.connections.values()]) {
      if (connection.session === null || !sessionIds.has(connection.session)) continue;
      ended++;
      this.revoke(connection, "session ended");
    }
    return ended;
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
    // Before queueing, so that a flood during a slow load is not kept either.
    if (!this.withinRequestRate(connection, decoded.message)) return;
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
    this.queuePresence(this.presence.removeAllOf(connection));
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
    // The other processes' rooms drop these carets now rather than when they stop hearing of them.
    const departures = [...this.connections.values()].flatMap((connection) => this.presence.removeAllOf(connection));
    if (departures.length > 0) this.shared?.publishPresence(departures);
    for (const peer of this.connections.keys()) peer.close(code, reason);
    this.connections.clear();
    this.receivedWhileLoading.length = 0;
    this.pendingPresence.clear();
    this.doc.destroy();
    this.remoteWhileLoading.length = 0;
    this.writtenOut = wasReady ? this.writeOut() : Promise.resolve();
    const shared = this.shared;
    if (shared !== null) void this.writtenOut.then(() => shared.close());
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
      const stored = await (this.shared?.load() ?? this.options.persistence.load(this.documentId));
      if (this.state !== "loading") return false;
      // Applied before the update listener is attached: the stored state must not be appended again.
      if (stored !== null) Y.applyUpdateV2(this.doc, stored);
      this.stored = Y.snapshot(this.doc);
    } catch (error) {
      if (this.state !== "loading") return false;
      this.options.log.error("could not load document, refusing its connections", { documentId: this.documentId, error });
      void this.close(CloseCode.internalError, "document could not be loaded");
      return false;
    }
    this.doc.on("update", this.onDocumentUpdate);
    this.state = "ready";
    for (const update of this.remoteWhileLoading.splice(0)) this.applyRemoteUpdate(update);
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
    if (this.presence.clients > 0) this.sendTo(peer, this.encodeAllAwareness());
  }

  /** An exception escaping here would reach a socket listener and take the whole process down with it. */
  private handleGuarded(connection: Connection, message: CollabMessage): void {
    // Checked as each message is handled, so that nothing from an expired session lands, queued frames included.
    if (connection.sessionEnded(Date.now())) {
      this.revoke(connection, "session expired");
      return;
    }
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
        this.updatesReceived++;
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
      case "query-stored":
        this.subscribeToStored(connection);
        return;
    }
  }

  /**
   * A change reaches everyone else with the next broadcast; its author has it (decision 0035). An update that changes
   * nothing (already known) is still answered, because the client counts on hearing back from the server. An update the
   * document's shape does not allow is refused whole before anything of it is applied (decision 0013).
   */
  private applyUpdate(
    connection: Connection,
    { type, update, decoded }: Extract<CollabMessage, { type: "sync-step-2" | "sync-update" }>,
    { answerIfUnchanged }: { answerIfUnchanged: boolean },
  ): void {
    const verdict = checkDecodedUpdate(this.doc, decoded, this.options.documentShape);
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
      for (const update of captured) this.recordChange(update, origin);
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
    if (!updateChangesDocument(this.doc, message.decoded)) {
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
   * Presence decides, entry by entry, what is taken (see presence.ts); the rest is dropped and the connection stays.
   * A message with any refused entry counts as dropped.
   */
  private receiveAwareness(connection: Connection, update: Uint8Array): void {
    const details = { documentId: this.documentId, principal: connection.principal };
    const { changes, refusals } = this.presence.receive(connection, awarenessEntries(update));
    this.queuePresence(changes);
    if (refusals.size === 0) return;
    this.droppedAwareness++;
    for (const reason of refusals) {
      // Every visitor's stock client announces an empty state; that is expected, not worth a warning.
      const warn = reason !== "read-only" && connection.firstWarning(`awareness: ${reason}`);
      this.options.log[warn ? "warn" : "debug"]("refused an awareness entry", { ...details, reason });
    }
  }

  /** Sync step 1, awareness and stored-state queries within the connection's rate; false (and dropped) beyond it. */
  private withinRequestRate(connection: Connection, message: CollabMessage): boolean {
    let window: SlidingWindow;
    if (message.type === "sync-step-1") window = connection.syncRequests;
    else if (message.type === "query-awareness") window = connection.awarenessQueries;
    else if (message.type === "query-stored") window = connection.storedQueries;
    else return true;
    if (window.accept(Date.now())) return true;
    this.droppedRequestCount++;
    this.options.log.debug("dropped a request beyond the connection's rate", {
      documentId: this.documentId,
      principal: connection.principal,
      type: message.type,
    });
    return false;
  }

  /** Ends a connection whose access or session ended: 4401, which the stock client takes as final. */
  private revoke(connection: Connection, reason: string): void {
    // Edits it sent while the document was loading may still be queued, and must not land either.
    connection.roleReadOnly = true;
    this.disconnect(connection.peer, CloseCode.accessRevoked, reason);
  }

  private closeEndedSessions(): void {
    const now = Date.now();
    for (const connection of [...this.connections.values()]) {
      if (connection.sessionEnded(now)) this.revoke(connection, "session expired");
    }
  }

  private readonly onDocumentUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === REMOTE_ORIGIN) this.relayRemoteChange(update);
    else if (this.capturedChanges !== null) this.capturedChanges.push(update);
    else this.recordChange(update, origin);
  };

  applyRemoteUpdate(update: Uint8Array): void {
    if (this.state === "loading") this.remoteWhileLoading.push(update);
    if (this.state !== "ready") return;
    try {
      Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
    } catch (error) {
      // Another process applied it, so it is valid; failing here means this copy is broken: load it again.
      this.options.log.error("could not apply another server's update; reloading the document", { documentId: this.documentId, error });
      void this.close(CloseCode.internalError, "document reloaded");
    }
  }

  applyRemotePresence(nodeId: string, changes: readonly PresenceChange[]): void {
    if (this.state !== "ready") return;
    let node = this.remoteNodes.get(nodeId);
    if (node === undefined) this.remoteNodes.set(nodeId, (node = new RemoteNode()));
    this.queuePresence(this.presence.receiveRelayed(node, changes), { share: false });
  }

  removeRemotePresence(nodeId: string): void {
    const node = this.remoteNodes.get(nodeId);
    if (node === undefined) return;
    this.remoteNodes.delete(nodeId);
    if (this.state === "ready") this.queuePresence(this.presence.removeAllOf(node), { share: false });
  }

  localPresence(): PresenceChange[] {
    return this.presence.current((owner) => !(owner instanceof RemoteNode));
  }

  /** Editors who asked what is stored know the message, and "saved" alone would mislead them while it is false. */
  reachChanged(reachesOthers: boolean): void {
    const message = encodeReach(reachesOthers);
    for (const [peer, connection] of this.connections) {
      if (connection.wantsStored && !connection.readOnly) this.sendTo(peer, message);
    }
  }

  /** Stored and shared by the process that accepted it; here it only goes to the sockets. */
  private relayRemoteChange(update: Uint8Array): void {
    this.documentChanges++;
    this.queueUpdate(update, REMOTE_ORIGIN);
  }

  private recordChange(update: Uint8Array, origin: unknown): void {
    this.documentChanges++;
    void this.options.persistence.append(this.documentId, update).then(() => this.onStored(update));
    this.queueUpdate(update, origin);
  }

  private queueUpdate(update: Uint8Array, origin: unknown): void {
    const author = origin instanceof Connection ? origin : null;
    this.pendingAuthor = this.pendingUpdates.length === 0 || this.pendingAuthor === author ? author : null;
    this.pendingUpdates.push(update);
    this.scheduleBroadcast();
  }

  /**
   * Editors are told what is stored, never what is merely applied here: with the database down this room keeps
   * editing in memory, and only the editor's own browser can keep those changes safe until it is back.
   */
  private onStored(update: Uint8Array): void {
    if (this.state !== "ready") return;
    this.storedNotAnnounced.push(update);
    this.scheduleBroadcast();
  }

  /** Only editors are told: a read-only connection has nothing to save, and the whole stored state is not small. */
  private subscribeToStored(connection: Connection): void {
    if (connection.readOnly) return;
    // Those already subscribed hear of the latest stores before the newcomer joins them.
    this.announceStored();
    connection.wantsStored = true;
    this.sendTo(connection.peer, encodeStored(Y.encodeSnapshot(this.stored)));
    if (this.shared !== null) this.sendTo(connection.peer, encodeReach(this.shared.reachesOthers()));
  }

  /** Sends what was stored since the last announcement, as one snapshot, to every editor that asked. */
  private announceStored(): void {
    if (this.storedNotAnnounced.length === 0) return;
    const merged = Y.mergeUpdates(this.storedNotAnnounced);
    this.storedNotAnnounced = [];
    // Updates are stored in the order the document emitted them, each continuing the one before, so the clocks
    // each client reaches in them are stored with everything before them.
    const delta = Y.createSnapshot(Y.decodeUpdate(merged).ds, Y.parseUpdateMeta(merged).to);
    this.stored = Y.createSnapshot(Y.mergeDeleteSets([this.stored.ds, delta.ds]), maxClocks(this.stored.sv, delta.sv));
    const message = encodeStored(Y.encodeSnapshot(delta));
    for (const [peer, connection] of this.connections) {
      if (connection.wantsStored && !connection.readOnly) this.sendTo(peer, message);
    }
  }

  private queuePresence(changes: readonly PresenceChange[], { share } = { share: true }): void {
    if (changes.length === 0) return;
    for (const change of changes) this.pendingPresence.set(change.clientId, change);
    if (share) this.shared?.publishPresence(changes);
    this.scheduleBroadcast();
  }

  private scheduleBroadcast(): void {
    this.broadcastTask ??= setImmediate(() => this.broadcast());
  }

  /** Sends what changed since the last broadcast, each message encoded once for all peers. */
  private broadcast(): void {
    if (this.broadcastTask !== null) clearImmediate(this.broadcastTask);
    this.broadcastTask = null;
    if (this.pendingUpdates.length > 0) {
      const [only] = this.pendingUpdates;
      const merged = this.pendingUpdates.length === 1 && only !== undefined ? only : Y.mergeUpdates(this.pendingUpdates);
      const message = encodeSyncUpdate(merged);
      const author = this.pendingAuthor?.peer;
      this.pendingUpdates = [];
      this.pendingAuthor = null;
      for (const peer of this.connections.keys()) {
        if (peer === author) continue;
        this.sendTo(peer, message);
        this.updatesSent++;
      }
    }
    if (this.pendingPresence.size > 0) {
      const message = encodeAwareness(encodePresence(this.pendingPresence.values()));
      this.pendingPresence.clear();
      for (const peer of this.connections.keys()) this.sendTo(peer, message);
    }
    this.announceStored();
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
    return encodeAwareness(encodePresence(this.presence.current()));
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

function maxClocks(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): Map<number, number> {
  const clocks = new Map(a);
  for (const [client, clock] of b) clocks.set(client, Math.max(clock, clocks.get(client) ?? 0));
  return clocks;
}

/**
 * Whether applying `update` would change `doc` in any way, decided without applying it: it holds a struct (or part
 * of one) beyond the document's state vector, or deletes a range the document has not deleted. Structs the document
 * holds as pending count as new too; only a client that edited can have them.
 */
export function updateChangesDocument(doc: Y.Doc, { structs, ds }: DecodedUpdate): boolean {
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
  private readonly countedInClosedRooms = noCounts();
  /** Archived documents: their rooms, open now or later, apply nobody's changes. */
  private readonly readOnlyDocuments = new Set<string>();

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

  /** Makes the document read-only (archived) or writable again, in its open room and any room it opens later. */
  setDocumentReadOnly(documentId: string, readOnly: boolean): void {
    if (readOnly) this.readOnlyDocuments.add(documentId);
    else this.readOnlyDocuments.delete(documentId);
    this.rooms.get(documentId)?.setDocumentReadOnly(readOnly);
  }

  /** Closes the open connections of these sessions in every room; returns how many. */
  endSessions(sessionIds: readonly string[]): number {
    const ended = new Set(sessionIds);
    let closed = 0;
    for (const room of [...this.rooms.values()]) closed += room.endSessions(ended);
    return closed;
  }

  /** Open rooms, connections and presence now; the counters since the registry was created, closed rooms included. */
  stats(): RoomStats {
    const stats = { rooms: this.rooms.size, connections: 0, presenceEntries: 0, ...this.countedInClosedRooms };
    for (const room of this.rooms.values()) {
      stats.connections += room.connectionCount;
      stats.presenceEntries += room.presence.entries;
      addCounts(stats, room.counters);
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
        readOnly: this.readOnlyDocuments.has(documentId),
        previousWriteOut: this.writeOuts.get(documentId),
        onClosed: (closed, writtenOut) => this.forget(closed, writtenOut),
      });
      this.rooms.set(documentId, room);
    }
    return room;
  }

  private forget(room: Room, writtenOut: Promise<void>): void {
    const { documentId } = room;
    addCounts(this.countedInClosedRooms, room.counters);
    if (this.rooms.get(documentId) === room) this.rooms.delete(documentId);
    this.writeOuts.set(documentId, writtenOut);
    void writtenOut.then(() => {
      if (this.writeOuts.get(documentId) === writtenOut) this.writeOuts.delete(documentId);
    });
  }
}
