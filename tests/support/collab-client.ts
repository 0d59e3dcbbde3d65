import * as decoding from "lib0/decoding";
import { WebsocketProvider } from "y-websocket";
import WebSocket from "ws";
import * as Y from "yjs";
import { YJS_FRAGMENT } from "#app/editor/extensions";
import { decodeMessage, encodeSyncStep1, type CollabMessage } from "#server/collab/protocol";
import { readReach, REACH_MESSAGE } from "#app/editor/cluster-reach";
import { STORED_MESSAGE } from "#app/editor/unsaved-changes";
import { WAIT_MS } from "./time";

export interface CollabClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

/**
 * The stock y-websocket browser client, run in Node against a Samråd server, optionally with a session cookie
 * (as a browser would send it with the upgrade request).
 */
export async function connectClient(baseUrl: string, documentId: string, options: { cookie?: string } = {}): Promise<CollabClient> {
  const doc = new Y.Doc();
  const headers = options.cookie ? { Cookie: options.cookie } : undefined;
  class WebSocketWithCookie extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  const provider = new WebsocketProvider(baseUrl.replace(/^http/, "ws") + "/collab", documentId, doc, {
    WebSocketPolyfill: WebSocketWithCookie as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  await new Promise<void>((resolve) => {
    if (provider.synced) return resolve();
    const onSync = (synced: boolean) => {
      if (!synced) return;
      provider.off("sync", onSync);
      resolve();
    };
    provider.on("sync", onSync);
  });
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** A bare socket speaking the protocol frame by frame, for what the stock client would never send. */
export interface RawClient {
  socket: WebSocket;
  received: CollabMessage[];
  /** How many "what is stored" messages (type 100, which only the server sends) arrived. */
  storedMessages: number;
  /** What "do your changes reach the other servers" messages (type 101, server only) said, as an editor reads them. */
  reach: Array<boolean | null>;
  /** The first message from index `from` on of that type, now or when it arrives. */
  next<T extends CollabMessage["type"]>(type: T, from?: number): Promise<Extract<CollabMessage, { type: T }>>;
  /** Resolves once the server has handled every frame sent before: it answers a sync step 1 in order, every time. */
  handled(): Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a raw client on a collaboration address (ws://…/collab/<id>), optionally with a session cookie. */
export async function openRawClient(address: string, options: { cookie?: string } = {}): Promise<RawClient> {
  const socket = new WebSocket(address, { headers: options.cookie ? { Cookie: options.cookie } : undefined });
  const received: CollabMessage[] = [];
  const waiters = new Set<() => void>();
  const client = { storedMessages: 0, reach: [] as Array<boolean | null> };
  socket.on("message", (data: Buffer) => {
    const bytes = new Uint8Array(data);
    if (bytes[0] === STORED_MESSAGE) {
      client.storedMessages++;
      for (const waiter of [...waiters]) waiter();
      return;
    }
    if (bytes[0] === REACH_MESSAGE) {
      const decoder = decoding.createDecoder(bytes);
      decoding.readVarUint(decoder);
      client.reach.push(readReach(decoder));
      return;
    }
    const result = decodeMessage(bytes);
    if (!result.ok) throw new Error(`server sent an undecodable frame: ${result.reason}`);
    received.push(result.message);
    for (const waiter of [...waiters]) waiter();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const next = <T extends CollabMessage["type"]>(type: T, from = 0) =>
    new Promise<Extract<CollabMessage, { type: T }>>((resolve) => {
      const check = () => {
        const found = received.slice(from).find((message): message is Extract<CollabMessage, { type: T }> => message.type === type);
        if (found === undefined) return;
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
      check();
    });
  const handled = async () => {
    const from = received.length;
    socket.send(encodeSyncStep1(new Uint8Array([0])));
    await next("sync-step-2", from);
  };
  return Object.assign(client, { socket, received, next, handled, closed });
}

/** The block element (paragraph, heading…) with the given stable id. */
export function findBlock(doc: Y.Doc, blockId: string): Y.XmlElement {
  for (const node of doc.getXmlFragment(YJS_FRAGMENT).createTreeWalker(() => true)) {
    if (node instanceof Y.XmlElement && node.getAttribute("id") === blockId) return node;
  }
  throw new Error(`no block ${blockId}`);
}

/** The text run of a paragraph-like block (its first XmlText child). */
export function blockText(doc: Y.Doc, blockId: string): Y.XmlText {
  const text = findBlock(doc, blockId).get(0);
  if (!(text instanceof Y.XmlText)) throw new Error(`block ${blockId} has no text`);
  return text;
}

/** Plain text of a block, all marks dropped. */
export function plainText(doc: Y.Doc, blockId: string): string {
  return blockText(doc, blockId)
    .toDelta()
    .map((op: { insert?: unknown }) => (typeof op.insert === "string" ? op.insert : ""))
    .join("");
}

/** Ids of all paragraphs, in document order. */
export function paragraphIds(doc: Y.Doc): string[] {
  const ids: string[] = [];
  for (const node of doc.getXmlFragment(YJS_FRAGMENT).createTreeWalker(() => true)) {
    if (node instanceof Y.XmlElement && node.nodeName === "paragraph") {
      const id = node.getAttribute("id");
      if (typeof id === "string") ids.push(id);
    }
  }
  return ids;
}

/** Resolves when the predicate holds for the document, checked after each update (no polling). */
export function waitForDoc(doc: Y.Doc, predicate: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => {
      doc.off("update", check);
      reject(new Error("document did not reach the expected state in time"));
    }, timeoutMs);
    const check = () => {
      if (!predicate()) return;
      clearTimeout(timer);
      doc.off("update", check);
      resolve();
    };
    doc.on("update", check);
  });
}
