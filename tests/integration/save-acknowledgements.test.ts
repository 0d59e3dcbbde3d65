import * as decoding from "lib0/decoding";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { insertDocument } from "#db/repositories/documents";
import { createCollabServer } from "#server/collab/collab-server";
import { DocumentStore } from "#server/collab/document-store";
import { encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate, MessageType, SyncMessageType } from "#server/collab/protocol";
import type { Logger } from "#app/log.server";
import { encodeStoredQuery, STORED_MESSAGE, UnsavedChanges } from "#app/editor/unsaved-changes";
import { PLAIN_TEXT_SHAPE, serveCollab } from "#tests/support/collab-fakes";
import { createTestDatabase, StorageOutage, storedDocument, testDatabaseKinds, type TestDatabase } from "#tests/support/database";

const DOCUMENT_ID = "3d0f6a52-9b1c-4e8d-a7f3-2c5e8b1d9a64";

/** Calls back on each error the store logs: the sign that a write was tried and failed. */
function storeLog(onError: () => void): Logger {
  return { debug: () => {}, info: () => {}, warn: () => {}, error: onError };
}

/**
 * An editor's browser reduced to frames: its Y.Doc, what it has not yet seen stored (counted as the editor does), and
 * one websocket at a time. It speaks the sync protocol by hand so the test sees every frame the server sends.
 */
class RawEditor {
  readonly doc = new Y.Doc();
  readonly unsaved = new UnsavedChanges();
  acknowledgements = 0;
  private socket: WebSocket | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly url: string) {
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === this) return;
      this.unsaved.add(update);
      this.socket?.send(encodeSyncUpdate(update));
    });
  }

  /** Opens a connection, asks for acknowledgements and syncs, as the app's session does on every (re)connect. */
  async connect(): Promise<void> {
    const socket = new WebSocket(`${this.url}/collab/${DOCUMENT_ID}`);
    socket.binaryType = "nodebuffer";
    socket.on("message", (data: Buffer) => this.receive(socket, new Uint8Array(data)));
    await new Promise<void>((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    this.socket = socket;
    const answered = this.acknowledgements;
    socket.send(encodeStoredQuery());
    socket.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    await this.until(() => this.acknowledgements > answered);
  }

  disconnect(): void {
    this.socket?.close();
    this.socket = null;
  }

  type(text: string): void {
    const body = this.doc.getText("body");
    body.insert(body.length, text);
  }

  /** Asks what is stored and waits for the answer, so every acknowledgement sent before it has arrived too. */
  async askWhatIsStored(): Promise<void> {
    const answered = this.acknowledgements;
    this.socket?.send(encodeStoredQuery());
    await this.until(() => this.acknowledgements > answered);
  }

  until(condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!condition()) return;
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
      check();
    });
  }

  private receive(socket: WebSocket, frame: Uint8Array): void {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.sync) {
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === SyncMessageType.step1) socket.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, payload)));
      else Y.applyUpdate(this.doc, payload, this);
    } else if (type === STORED_MESSAGE) {
      this.unsaved.acknowledge(Y.decodeSnapshot(decoding.readVarUint8Array(decoder)));
      this.acknowledgements++;
    }
    for (const listener of [...this.listeners]) listener();
  }
}

describe.each(testDatabaseKinds())("save acknowledgements over a real store on %s", (kind) => {
  let database: TestDatabase;
  let outage: StorageOutage;
  let storeErrors: number;
  let stop: () => Promise<void>;
  let editor: RawEditor;
  const onStoreError = new Set<() => void>();

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    await insertDocument(database.db, { id: DOCUMENT_ID, slug: "kvitton", title: "Kvitton", language: "sv" });
    outage = new StorageOutage();
    storeErrors = 0;
    const store = new DocumentStore({
      db: database.db.withPlugin(outage),
      compactAfterUpdates: 1_000,
      log: storeLog(() => {
        storeErrors++;
        for (const listener of onStoreError) listener();
      }),
    });
    const collab = createCollabServer({
      persistence: store,
      documentExists: async () => true,
      maxMessageBytes: 1 << 20,
      unloadGraceMs: 60_000,
      documentShape: PLAIN_TEXT_SHAPE,
    });
    const served = await serveCollab(collab);
    stop = async () => {
      outage.failing = false;
      await served.stop();
      await store.close();
    };
    editor = new RawEditor(served.url);
    await editor.connect();
  });

  afterEach(async () => {
    editor.disconnect();
    await stop();
    await database.close();
  });

  async function storedText(): Promise<string> {
    return (await storedDocument(database.db, DOCUMENT_ID)).getText("body").toString();
  }

  function nextStoreError(): Promise<void> {
    const seen = storeErrors;
    return new Promise((resolve) => {
      const check = () => {
        if (storeErrors === seen) return;
        onStoreError.delete(check);
        resolve();
      };
      onStoreError.add(check);
    });
  }

  it("acknowledges an edit once it is in the database", async () => {
    editor.type("Hej");
    expect(editor.unsaved.count).toBe(3);
    await editor.until(() => editor.unsaved.count === 0);
    // The acknowledgement has arrived: what it says is stored must be readable from the database now.
    expect(await storedText()).toBe("Hej");
  });

  it("acknowledges nothing during a storage outage, so the editor counts what waits, and everything once it ends", async () => {
    editor.type("Före. ");
    await editor.until(() => editor.unsaved.count === 0);

    outage.failing = true;
    const writeFailed = nextStoreError();
    editor.type("Under ");
    editor.type("avbrottet.");
    await writeFailed;
    await editor.askWhatIsStored();
    expect(editor.unsaved.count).toBe("Under avbrottet.".length);
    expect(await storedText()).toBe("Före. ");

    // A reconnect during the outage changes nothing: the server still holds the edits, and still has not stored them.
    editor.disconnect();
    await editor.connect();
    expect(editor.unsaved.count).toBe("Under avbrottet.".length);

    outage.failing = false;
    await editor.until(() => editor.unsaved.count === 0);
    expect(await storedText()).toBe("Före. Under avbrottet.");
  });
});
