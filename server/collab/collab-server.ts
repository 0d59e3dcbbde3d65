import { STATUS_CODES, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type * as Y from "yjs";
import { createLogger, type Logger } from "../log";
import type { DocumentPersistence } from "./persistence";
import { CloseCode } from "./protocol";
import { RoomRegistry, type Room } from "./room";

export interface CollabServerOptions {
  persistence: DocumentPersistence;
  documentExists(id: string): Promise<boolean>;
  /** Larger frames close the connection with 1009 (ws enforces it as maxPayload). */
  maxMessageBytes: number;
  unloadGraceMs: number;
  /** The stock client drops a connection that has been silent for 30 s; this must stay well below that. */
  heartbeatMs?: number;
  /** A socket that has not answered the previous ping when the next one is due is terminated. */
  pingIntervalMs?: number;
  maxBufferedBytes?: number;
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
  stats(): { rooms: number; connections: number };
}

export const COLLAB_PATH_PREFIX = "/collab/";
/** Document ids are database uuids; anything else cannot name a document and is not worth a query. */
const DOCUMENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const DEFAULT_HEARTBEAT_MS = 15_000;
const DEFAULT_PING_INTERVAL_MS = 30_000;
/** Room for a few maximal messages (a new client's first sync can be as large as the document) before giving up on a peer. */
const defaultMaxBufferedBytes = (maxMessageBytes: number) => Math.max(16 * 1024 * 1024, 4 * maxMessageBytes);

export function createCollabServer(options: CollabServerOptions): CollabServer {
  const log = options.log ?? createLogger("collab");
  const rooms = new RoomRegistry({
    persistence: options.persistence,
    log,
    unloadGraceMs: options.unloadGraceMs,
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    maxBufferedBytes: options.maxBufferedBytes ?? defaultMaxBufferedBytes(options.maxMessageBytes),
  });
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

  /** Route → check → upgrade → join. Deciding what the connection may do (accounts) belongs between check and upgrade. */
  async function admit(request: IncomingMessage, socket: Duplex, head: Buffer, documentId: string): Promise<void> {
    // Node removes its own error listener from an upgraded socket; without one, a reset while we wait would crash the process.
    const onEarlySocketError = (error: Error) => log.debug("socket failed before upgrade", { documentId, error });
    socket.on("error", onEarlySocketError);
    if (!accepting) {
      refuse(socket, 503);
      return;
    }
    let exists: boolean;
    try {
      exists = DOCUMENT_ID.test(documentId) && (await options.documentExists(documentId));
    } catch (error) {
      log.error("could not check whether a document exists", { documentId, error });
      refuse(socket, 500);
      return;
    }
    if (!exists) {
      log.debug("refused connection to unknown document", { documentId });
      refuse(socket, 404);
      return;
    }
    // Shutdown may have begun while the lookup was under way.
    if (!accepting) {
      refuse(socket, 503);
      return;
    }
    // ws installs its own error handling on the socket from here on.
    socket.off("error", onEarlySocketError);
    webSockets.handleUpgrade(request, socket, head, (webSocket) => connect(webSocket, documentId));
  }

  function connect(webSocket: WebSocket, documentId: string): void {
    const room = rooms.join(documentId, webSocket);
    answeredPing.set(webSocket, true);
    webSocket.on("message", (data, isBinary) => receive(room, webSocket, data, isBinary));
    webSocket.on("pong", () => answeredPing.set(webSocket, true));
    // ws closes the socket itself after a protocol error or an oversized frame (1009); this only records why.
    webSocket.on("error", (error) => log.warn("websocket error", { documentId, error }));
    webSocket.on("close", () => {
      answeredPing.delete(webSocket);
      room.leave(webSocket);
    });
  }

  function receive(room: Room, webSocket: WebSocket, data: RawData, isBinary: boolean): void {
    if (!isBinary) {
      log.warn("closing connection after a text frame", { documentId: room.documentId });
      room.disconnect(webSocket, CloseCode.unsupportedData, "text frames are not supported");
      return;
    }
    room.receive(webSocket, bytesOf(data));
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
    openDocument: (documentId) => rooms.openDocument(documentId),
    stats: () => rooms.stats(),
  };
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
function refuse(socket: Duplex, status: 404 | 500 | 503): void {
  const text = STATUS_CODES[status] ?? "Error";
  if (socket.destroyed) return;
  socket.once("finish", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}
