import { STATUS_CODES, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type * as Y from "yjs";
import type { DocumentShape } from "#app/editor/document-shape";
import { createLogger, limitRepeatedWarnings, type Logger } from "#app/log.server";
import type { DocumentPersistence } from "./persistence";
import { CloseCode } from "./protocol";
import type { PresenceLimits } from "./presence";
import type { DocumentSharing } from "./sharing";
import { SocketPeer } from "./socket-peer";
import { READ_WRITE, RoomRegistry, type AccessChange, type ConnectionAccess, type MessageRate, type Room, type RoomStats } from "./room";

export type { AccessChange, ConnectionAccess, MessageRate, RoomStats } from "./room";
export type { PresenceLimits } from "./presence";

/** The connection is admitted; `principal` is the account id it acts for, null for anonymous. */
export interface ConnectionGrant extends ConnectionAccess {
  ok: true;
}

/** The connection is refused with this HTTP status before the upgrade: 401 when not signed in, 403 when not allowed. */
export interface ConnectionRefusal {
  ok: false;
  status: 401 | 403;
}

export interface CollabServerOptions {
  persistence: DocumentPersistence;
  /** What documents may hold: an editor's update that does not fit is refused whole, with 1007. */
  documentShape: DocumentShape;
  documentExists(id: string): Promise<boolean>;
  /**
   * Decides what a connection to an existing document may do, before it is upgraded. A rejection is answered
   * with 500. Without it every connection may edit, as nobody in particular.
   */
  authorize?: (request: IncomingMessage, documentId: string) => Promise<ConnectionGrant | ConnectionRefusal>;
  /** Larger frames close the connection with 1009 (ws enforces it as maxPayload). */
  maxMessageBytes: number;
  unloadGraceMs: number;
  /** The stock client drops a connection that has been silent for 30 s; this must stay well below that. */
  heartbeatMs?: number;
  /** A socket that has not answered the previous ping when the next one is due is terminated. */
  pingIntervalMs?: number;
  maxBufferedBytes?: number;
  /** Sync step 1 messages, and awareness queries, one connection may send per window; more are dropped. Defaults to 10 per 10 s each. */
  requestRate?: MessageRate;
  /**
   * Longest presence state taken (4 KiB), client ids per connection (4) and per room (500), removals remembered
   * (1,000). Entries beyond them are dropped; the connection stays open.
   */
  presenceLimits?: PresenceLimits;
  /** Set when several server processes serve the same documents (REDIS_URL): their rooms of a document are one. */
  sharing?: DocumentSharing;
  log?: Logger;
}

export interface CollabServer {
  /** Takes over upgrade requests under /collab/ and returns true for them; any other path is left untouched. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Refuses new connections, closes the open ones with 1001 and resolves once every pending write is stored. */
  shutdown(): Promise<void>;
  /**
   * The in-memory document when it is open and loaded (it then holds edits not yet stored), else null.
   * Read it synchronously and do not change it: it may be unloaded after the current task.
   */
  openDocument(documentId: string): Y.Doc | null;
  /**
   * Changes the live document: runs `change` on it as one transaction with `origin`, loading the document when
   * nobody has it open, and sends the result to every connection and to storage like an edit from a client.
   * `change` must be synchronous. Rejects when the document cannot be loaded.
   */
  changeDocument<T>(documentId: string, origin: object, change: (doc: Y.Doc) => T): Promise<T>;
  /**
   * Applies a role change to every open connection of the principal, in every document, from its next message
   * on. "revoked" closes them with 4401, which the stock client takes as final. Returns how many it changed.
   */
  setAccess(principal: string, access: AccessChange): number;
  /** Closes every open connection admitted on one of these sessions with 4401 (the sessions ended). Returns how many. */
  endSessions(sessionIds: readonly string[]): number;
  /**
   * Makes a document read-only for every connection, open now or later, from its next message on (it was archived),
   * or writable again for those whose role allows it. The server's own changes (changeDocument) are not affected.
   */
  setDocumentReadOnly(documentId: string, readOnly: boolean): void;
  stats(): RoomStats;
}

export const COLLAB_PATH_PREFIX = "/collab/";
/** Document ids are database uuids; anything else cannot name a document and is not worth a query. */
const DOCUMENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one spelling of a document id, or null when it is no uuid. The database compares uuids without regard to case,
 * so rooms must too: keyed by the id as typed, `/collab/<ID IN UPPER CASE>` opened a second copy of the document.
 */
export function canonicalDocumentId(id: string): string | null {
  return DOCUMENT_ID.test(id) ? id.toLowerCase() : null;
}

const DEFAULT_HEARTBEAT_MS = 15_000;
const DEFAULT_PING_INTERVAL_MS = 30_000;
/** Room for a few maximal messages (a new client's first sync can be as large as the document) before giving up on a peer. */
const defaultMaxBufferedBytes = (maxMessageBytes: number) => Math.max(16 * 1024 * 1024, 4 * maxMessageBytes);

export function createCollabServer(options: CollabServerOptions): CollabServer {
  const log = limitRepeatedWarnings(options.log ?? createLogger("collab"));
  const rooms = new RoomRegistry({
    persistence: options.persistence,
    documentShape: options.documentShape,
    log,
    unloadGraceMs: options.unloadGraceMs,
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    maxBufferedBytes: options.maxBufferedBytes ?? defaultMaxBufferedBytes(options.maxMessageBytes),
    requestRate: options.requestRate,
    presenceLimits: options.presenceLimits,
    sharing: options.sharing,
  });
  const changesDuringAdmission = new AccessChangesDuringAdmission();
  const webSockets = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes,
    // Yjs updates are small and already compact; compression would cost CPU and memory per connection.
    perMessageDeflate: false,
    clientTracking: false,
  });
  /** Open sockets, and whether each answered the last ping. */
  const answeredPing = new Map<WebSocket, boolean>();
  const pingTimer = setInterval(pingAll, options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS);
  let accepting = true;
  let shutdownDone: Promise<void> | null = null;

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = pathOf(request);
    if (path === null || !path.startsWith(COLLAB_PATH_PREFIX)) return false;
    void admit(request, socket, head, path.slice(COLLAB_PATH_PREFIX.length));
    return true;
  }

  /** Route → check → authorize → upgrade → join. */
  async function admit(request: IncomingMessage, socket: Duplex, head: Buffer, requestedId: string): Promise<void> {
    // Node removes its own error listener from an upgraded socket; without one, a reset while we wait would crash the process.
    const onEarlySocketError = (error: Error) => log.debug("socket failed before upgrade", { documentId: requestedId, error });
    socket.on("error", onEarlySocketError);
    if (!accepting) {
      refuse(socket, 503);
      return;
    }
    const documentId = canonicalDocumentId(requestedId);
    let exists: boolean;
    try {
      exists = documentId !== null && (await options.documentExists(documentId));
    } catch (error) {
      log.error("could not check whether a document exists", { documentId, error });
      refuse(socket, 500);
      return;
    }
    if (documentId === null || !exists) {
      log.debug("refused connection to unknown document", { documentId: requestedId });
      refuse(socket, 404);
      return;
    }
    const admission = changesDuringAdmission.begin();
    try {
      const decided = await decideAccess(request, socket, documentId);
      if (decided === null) return;
      // Shutdown may have begun while the lookup or the decision was under way.
      if (!accepting) {
        refuse(socket, 503);
        return;
      }
      // The decision may rest on a session read before a sign-out or role change that has since been applied.
      const later = admission.changeSince(decided);
      if (later === "revoked") {
        log.debug("refused connection revoked while it was being admitted", { documentId, principal: decided.principal });
        refuse(socket, 403);
        return;
      }
      const access = { ...decided, readOnly: later?.readOnly ?? decided.readOnly };
      // ws installs its own error handling on the socket from here on. It upgrades and calls back synchronously, so
      // no setAccess can fall between the check above and the connection joining its room.
      socket.off("error", onEarlySocketError);
      webSockets.handleUpgrade(request, socket, head, (webSocket) => connect(new SocketPeer(webSocket, socket), documentId, access));
    } finally {
      admission.end();
    }
  }

  /** What the connection may do, or null once it has been refused. */
  async function decideAccess(request: IncomingMessage, socket: Duplex, documentId: string): Promise<ConnectionAccess | null> {
    if (options.authorize === undefined) return READ_WRITE;
    try {
      const decision = await options.authorize(request, documentId);
      if (decision.ok) {
        const { readOnly, principal, session, identity } = decision;
        return { readOnly, principal, session, identity };
      }
      log.debug("refused connection", { documentId, status: decision.status });
      refuse(socket, decision.status === 401 ? 401 : 403);
      return null;
    } catch (error) {
      log.error("could not decide a connection's access", { documentId, error });
      refuse(socket, 500);
      return null;
    }
  }

  function connect(peer: SocketPeer, documentId: string, access: ConnectionAccess): void {
    const { webSocket } = peer;
    const room = rooms.join(documentId, peer, access);
    answeredPing.set(webSocket, true);
    webSocket.on("message", (data, isBinary) => receive(room, peer, data, isBinary));
    webSocket.on("pong", () => answeredPing.set(webSocket, true));
    // ws closes the socket itself after a protocol error or an oversized frame (1009); this only records why.
    webSocket.on("error", (error) => log.warn("websocket error", { documentId, error }));
    webSocket.on("close", () => {
      answeredPing.delete(webSocket);
      room.leave(peer);
    });
  }

  function receive(room: Room, peer: SocketPeer, data: RawData, isBinary: boolean): void {
    if (!isBinary) {
      log.warn("closing connection after a text frame", { documentId: room.documentId });
      room.disconnect(peer, CloseCode.unsupportedData, "text frames are not supported");
      return;
    }
    room.receive(peer, bytesOf(data));
  }

  function pingAll(): void {
    for (const [webSocket, answered] of answeredPing) {
      if (!answered) {
        log.info("terminating connection that did not answer a ping");
        webSocket.terminate();
        continue;
      }
      answeredPing.set(webSocket, false);
      webSocket.ping();
    }
  }

  function shutdown(): Promise<void> {
    shutdownDone ??= (async () => {
      accepting = false;
      clearInterval(pingTimer);
      try {
        // Closing first means no update can arrive after the final flush.
        await rooms.closeAll(CloseCode.goingAway, "server shutting down");
      } finally {
        webSockets.close();
      }
    })();
    return shutdownDone;
  }

  return {
    handleUpgrade,
    shutdown,
    openDocument: (documentId) => rooms.openDocument(canonicalDocumentId(documentId) ?? documentId),
    changeDocument: (documentId, origin, change) =>
      // A room opened after shutdown began would never be written out.
      accepting
        ? rooms.changeDocument(canonicalDocumentId(documentId) ?? documentId, origin, change)
        : Promise.reject(new Error("The collaboration server is shutting down")),
    setAccess(principal, access) {
      changesDuringAdmission.recordAccess(principal, access);
      const changed = rooms.setAccess(principal, access);
      log.info("changed access of open connections", { principal, access, connections: changed });
      return changed;
    },
    endSessions(sessionIds) {
      changesDuringAdmission.recordEndedSessions(sessionIds);
      const closed = rooms.endSessions(sessionIds);
      // Session ids are not logged: they are what the database knows a cookie by.
      log.info("closed the open connections of ended sessions", { sessions: sessionIds.length, connections: closed });
      return closed;
    },
    setDocumentReadOnly(documentId, readOnly) {
      rooms.setDocumentReadOnly(canonicalDocumentId(documentId) ?? documentId, readOnly);
      log.info("changed whether a document may be edited", { documentId, readOnly });
    },
    stats: () => rooms.stats(),
  };
}

/**
 * setAccess and endSessions calls made while admissions wait for `authorize`, so that a decision taken just before
 * a change cannot open a connection that outlives it. Kept only while some admission is waiting.
 */
class AccessChangesDuringAdmission {
  private waiting = 0;
  private sequence = 0;
  private readonly changes = new Map<string, { sequence: number; access: AccessChange }>();
  private readonly endedSessions = new Map<string, number>();

  begin(): { changeSince(decided: ConnectionAccess): AccessChange | undefined; end(): void } {
    this.waiting++;
    const startedAt = this.sequence;
    return {
      changeSince: ({ principal, session }) => {
        const endedAt = session === null ? undefined : this.endedSessions.get(session.id);
        if (endedAt !== undefined && endedAt > startedAt) return "revoked";
        const change = principal === null ? undefined : this.changes.get(principal);
        return change !== undefined && change.sequence > startedAt ? change.access : undefined;
      },
      end: () => {
        this.waiting--;
        if (this.waiting > 0) return;
        this.changes.clear();
        this.endedSessions.clear();
      },
    };
  }

  recordAccess(principal: string, access: AccessChange): void {
    this.sequence++;
    if (this.waiting > 0) this.changes.set(principal, { sequence: this.sequence, access });
  }

  recordEndedSessions(sessionIds: readonly string[]): void {
    this.sequence++;
    if (this.waiting === 0) return;
    for (const id of sessionIds) this.endedSessions.set(id, this.sequence);
  }
}

function pathOf(request: IncomingMessage): string | null {
  try {
    return new URL(request.url ?? "", "http://localhost").pathname;
  } catch {
    return null;
  }
}

function bytesOf(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

/** A plain HTTP response instead of the 101, so a refused client sees an ordinary status code. */
function refuse(socket: Duplex, status: 401 | 403 | 404 | 500 | 503): void {
  const text = STATUS_CODES[status] ?? "Error";
  if (socket.destroyed) return;
  socket.once("finish", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}
