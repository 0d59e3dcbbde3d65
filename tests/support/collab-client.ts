import { WebsocketProvider } from "y-websocket";
import WebSocket from "ws";
import * as Y from "yjs";
import { YJS_FRAGMENT } from "~/editor/extensions";

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
export function waitForDoc(doc: Y.Doc, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
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
