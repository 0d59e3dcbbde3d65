import http from "node:http";
import type { AddressInfo } from "node:net";
import { vi } from "vitest";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import type { DocumentShape } from "#app/editor/document-shape";
import type { CollabServer } from "#server/collab/collab-server";
import { decodeMessage, type CollabMessage } from "#server/collab/protocol";
import type { Peer } from "#server/collab/room";
import type { DocumentPersistence } from "#server/collab/persistence";
import type { Logger } from "#app/log.server";

/** Fakes and Yjs helpers shared by the collaboration server's unit tests. */

export const DOC_ID = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
export const OTHER_DOC_ID = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
/** The shared text the tests edit. */
export const TEXT = "body";

/** Documents that are one plain text named TEXT, the shape most collaboration tests edit. */
export const PLAIN_TEXT_SHAPE: DocumentShape = {
  roots: new Map([[TEXT, "text"]]),
  elements: new Map(),
  isFormat: () => false,
  maxDepth: 0,
};

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A connection as the room sees it; records what it was sent and how it was closed. */
export class FakePeer implements Peer {
  bufferedAmount = 0;
  readonly sent: Uint8Array[] = [];
  closedWith: { code: number; reason: string } | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(readonly name: string) {}

  send(message: Uint8Array): void {
    this.sent.push(message);
    for (const listener of [...this.listeners]) listener();
  }

  close(code: number, reason: string): void {
    this.closedWith ??= { code, reason };
  }

  messages(): CollabMessage[] {
    return this.sent.map((bytes) => {
      const result = decodeMessage(bytes);
      if (!result.ok) throw new Error(`server sent an undecodable frame to ${this.name}: ${result.reason}`);
      return result.message;
    });
  }

  /** The first message sent from index `from` on that matches, now or when it arrives. */
  next<T extends CollabMessage["type"]>(type: T, from = 0): Promise<Extract<CollabMessage, { type: T }>> {
    const find = () => this.messages().slice(from).find((message): message is Extract<CollabMessage, { type: T }> => message.type === type);
    return new Promise((resolve) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        this.listeners.delete(check);
        resolve(found);
      };
      this.listeners.add(check);
      check();
    });
  }
}

/** Stores updates as DocumentStore does (V1 in, merged V2 out); loads and flushes can be held back by a test. */
export class MemoryPersistence implements DocumentPersistence {
  readonly stored = new Map<string, Uint8Array[]>();
  readonly appended: Array<{ documentId: string; update: Uint8Array }> = [];
  readonly flushed: Array<string | undefined> = [];
  loads = 0;
  loadGate: Promise<void> | null = null;
  flushGate: Promise<void> | null = null;
  failLoads: Error | null = null;

  seed(documentId: string, update: Uint8Array): void {
    this.stored.set(documentId, [...(this.stored.get(documentId) ?? []), update]);
  }

  async load(documentId: string): Promise<Uint8Array | null> {
    this.loads++;
    await this.loadGate;
    if (this.failLoads) throw this.failLoads;
    const updates = this.stored.get(documentId);
    return updates ? Y.convertUpdateFormatV1ToV2(Y.mergeUpdates(updates)) : null;
  }

  /** Until a test resolves it, appended updates are not reported stored (as while the database is down). */
  storeGate: Promise<void> | null = null;

  append(documentId: string, update: Uint8Array): Promise<void> {
    this.appended.push({ documentId, update });
    this.seed(documentId, update);
    return this.storeGate ?? Promise.resolve();
  }

  async flush(documentId?: string): Promise<void> {
    this.flushed.push(documentId);
    await this.flushGate;
  }
}

export function silentLogger(): Logger & Record<keyof Logger, ReturnType<typeof vi.fn>> {
  return { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
}

/** The update a client emits for one local edit. */
export function edit(doc: Y.Doc, change: (text: Y.Text) => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const capture = (update: Uint8Array) => updates.push(update);
  doc.on("update", capture);
  change(doc.getText(TEXT));
  doc.off("update", capture);
  const [update] = updates;
  if (updates.length !== 1 || update === undefined) throw new Error("expected exactly one update");
  return update;
}

export function typed(text: string, doc = new Y.Doc()): Uint8Array {
  return edit(doc, (body) => body.insert(body.length, text));
}

export function textOf(doc: Y.Doc | null | undefined): string | undefined {
  return doc?.getText(TEXT).toString();
}

export function docFrom(...updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

/** Serves a collaboration server's upgrades on 127.0.0.1 and a random port; other paths are refused. */
export async function serveCollab(collab: CollabServer): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer((_request, response) => response.writeHead(404).end());
  server.on("upgrade", (request, socket, head) => {
    if (!collab.handleUpgrade(request, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    async stop() {
      await collab.shutdown();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An awareness update (as y-protocols encodes one) with these entries, as any client could send it. */
export function awarenessOf(...entries: Array<[clientId: number, clock: number, state: unknown]>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const [clientId, clock, state] of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}
