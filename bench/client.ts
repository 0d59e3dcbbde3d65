/**
 * A lightweight y-websocket protocol client for the load generator: a Y.Doc, the sync protocol and awareness
 * over a bare `ws` socket, with none of WebsocketProvider's reconnect logic, BroadcastChannel or timers beyond
 * the Awareness renewal. Each writer types into its own paragraph (XmlFragment "default" → paragraph →
 * XmlText), as the editor does.
 *
 * Delivery is tracked without parsing text: a writer records, per edit, its own clock after the edit; a peer
 * has received the edit as soon as its document's state for that writer reaches that clock (Yjs only advances
 * it once the edit is integrated, not while it waits for a missing predecessor).
 */
import { performance } from "node:perf_hooks";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import WebSocket from "ws";
import * as Y from "yjs";

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;

/** One edit of a writer and its delivery to the writer's peers. */
interface EditRecord {
  /** The writer's clock after the edit: a peer whose state for the writer reaches it has the edit. */
  endClock: number;
  sentAt: number;
  /** Only edits sent inside the measured window are counted. */
  measured: boolean;
  /** Peers that have not received it yet. */
  remaining: number;
  /** Latency to the slowest peer so far, in ms. */
  slowest: number;
}

/** Counters of one measured run, shared by every client of the run. */
export class DeliveryStats {
  editsSent = 0;
  /** Peer receptions of measured edits. */
  deliveries = 0;
  /** Peer receptions the measured edits call for (edits × peers of their document). */
  expectedDeliveries = 0;
  /** Measured edits that reached every peer, and the latency to the slowest of them (ms). */
  readonly fullyDelivered: number[] = [];
  /** Measured edits that have not yet reached every peer. */
  outstanding = 0;
  disconnects = 0;
  errors: string[] = [];

  noteError(message: string): void {
    if (this.errors.length < 10) this.errors.push(message);
  }
}

/** Every edit of one writer, in order, shared by the peers of its document. */
export class WriterLog {
  readonly edits: EditRecord[] = [];

  constructor(
    readonly clientId: number,
    private readonly stats: DeliveryStats,
  ) {}

  record(endClock: number, sentAt: number, measured: boolean, peers: number): void {
    this.edits.push({ endClock, sentAt, measured, remaining: peers, slowest: 0 });
    if (measured) {
      this.stats.editsSent++;
      this.stats.expectedDeliveries += peers;
      this.stats.outstanding++;
    }
  }

  /** Marks edits from index `from` up to `clock` as received by one peer; returns the next index to look at. */
  deliver(from: number, clock: number, now: number): number {
    let index = from;
    for (let edit = this.edits[index]; edit !== undefined && edit.endClock <= clock; edit = this.edits[++index]) {
      edit.remaining--;
      if (!edit.measured) continue;
      this.stats.deliveries++;
      const latency = now - edit.sentAt;
      if (latency > edit.slowest) edit.slowest = latency;
      if (edit.remaining === 0) {
        this.stats.outstanding--;
        this.stats.fullyDelivered.push(edit.slowest);
      }
    }
    return index;
  }
}

/** Writers by Yjs client id, so a peer can tell whose edits it just received. */
export type WriterRegistry = Map<number, WriterLog>;

export interface ClientOptions {
  url: string;
  name: string;
  writers: WriterRegistry;
  stats: DeliveryStats;
  /** Cookie header of the upgrade request (Samråd: an editor's session). */
  cookie?: string;
}

export class BenchClient {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  readonly synced: Promise<void>;
  private readonly socket: WebSocket;
  /** Per writer: index of the first of its edits this client has not received. */
  private readonly cursors = new Map<WriterLog, number>();
  private text: Y.XmlText | null = null;
  private log: WriterLog | null = null;
  private editCount = 0;
  private closed = false;
  private resolveSynced: () => void = () => {};
  private rejectSynced: (error: Error) => void = () => {};

  constructor(private readonly options: ClientOptions) {
    this.synced = new Promise<void>((resolve, reject) => {
      this.resolveSynced = resolve;
      this.rejectSynced = reject;
    });
    // Whoever waits for the sync sees the failure; nobody waiting must not crash the generator.
    this.synced.catch(() => {});
    this.awareness.setLocalState({ user: { name: options.name, color: "#1f6feb" } });
    this.socket = new WebSocket(options.url, {
      perMessageDeflate: false,
      headers: options.cookie ? { Cookie: options.cookie } : undefined,
    });
    this.socket.binaryType = "nodebuffer";
    this.socket.on("open", () => this.onOpen());
    this.socket.on("message", (data: Buffer) => this.onMessage(data));
    this.socket.on("unexpected-response", (_request, response) => {
      this.fail(`connection to ${options.url} refused with HTTP ${response.statusCode}`);
      this.socket.terminate();
    });
    this.socket.on("error", (error) => this.fail(`socket error: ${error.message}`));
    this.socket.on("close", () => {
      if (!this.closed) {
        this.options.stats.disconnects++;
        this.fail("connection closed by the server");
      }
      this.closed = true;
      this.awareness.destroy();
    });
    this.doc.on("update", this.onLocalUpdate);
    this.doc.on("afterTransaction", this.onTransaction);
    this.awareness.on("update", this.onAwarenessChange);
  }

  /** Turns this client into a writer: it gets its own paragraph to type into. Call once, after sync. */
  becomeWriter(): WriterLog {
    const fragment = this.doc.getXmlFragment("default");
    const paragraph = new Y.XmlElement("paragraph");
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    fragment.insert(fragment.length, [paragraph]);
    this.text = text;
    this.log = new WriterLog(this.doc.clientID, this.options.stats);
    this.options.writers.set(this.doc.clientID, this.log);
    return this.log;
  }

  /** Types a few characters at the end of the writer's paragraph and records the edit for its `peers`. */
  type(measured: boolean, peers: number): void {
    if (this.text === null || this.log === null || this.closed) return;
    this.editCount++;
    const sentAt = performance.now();
    this.text.insert(this.text.length, `${this.editCount.toString(36)} `);
    this.log.record(Y.getState(this.doc.store, this.doc.clientID), sentAt, measured, peers);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.awareness.destroy();
    this.socket.close(1000, "bench done");
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === WebSocket.OPEN;
  }

  private onOpen(): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.send(encoding.toUint8Array(encoder));
    this.sendAwareness([this.doc.clientID]);
  }

  private onMessage(data: Buffer): void {
    try {
      const decoder = decoding.createDecoder(data);
      const messageType = decoding.readVarUint(decoder);
      if (messageType === MESSAGE_SYNC) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        const syncType = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
        if (encoding.length(encoder) > 1) this.send(encoding.toUint8Array(encoder));
        if (syncType === syncProtocol.messageYjsSyncStep2) this.resolveSynced();
      } else if (messageType === MESSAGE_AWARENESS) {
        applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
      }
    } catch (error) {
      this.fail(`could not handle a message: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private readonly onLocalUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, update);
    this.send(encoding.toUint8Array(encoder));
  };

  private readonly onTransaction = (transaction: Y.Transaction): void => {
    if (transaction.origin !== this) return;
    const now = performance.now();
    for (const [client, clock] of transaction.afterState) {
      if (transaction.beforeState.get(client) === clock) continue;
      const log = this.options.writers.get(client);
      if (log === undefined || log === this.log) continue;
      this.cursors.set(log, log.deliver(this.cursors.get(log) ?? 0, clock, now));
    }
  };

  /** Like the stock client: presence changes of this client (including the periodic renewal) go to the server. */
  private readonly onAwarenessChange = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin === this) return;
    this.sendAwareness([...added, ...updated, ...removed]);
  };

  private sendAwareness(clients: number[]): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(this.awareness, clients));
    this.send(encoding.toUint8Array(encoder));
  }

  private send(message: Uint8Array): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(message);
  }

  private fail(message: string): void {
    this.options.stats.noteError(`${this.options.name}: ${message}`);
    this.rejectSynced(new Error(message));
  }
}
