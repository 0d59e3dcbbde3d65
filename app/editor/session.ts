import * as decoding from "lib0/decoding";
import { IndexeddbPersistence } from "y-indexeddb";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { readReach, REACH_MESSAGE } from "./cluster-reach";
import { encodeStoredQuery, STORED_MESSAGE, UnsavedChanges } from "./unsaved-changes";

/** "ended": the server closed the connection for good (the sign-in ended or the right to edit was taken away). */
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline" | "ended";

/**
 * What an editor is told about their changes: "unknown" until the server first says what it stored (and always for
 * readers, who change nothing), "saving" while the server keeps acknowledging them, "waiting" once it has not for a
 * while or the connection is gone.
 */
export type SaveState = "unknown" | "saved" | "saving" | "waiting";

// The server stores every 700 ms; changes with no acknowledgement for several ticks are not simply on their way.
const STALLED_AFTER_MS = 3_000;

/**
 * One browser's live copy of a document: the Y.Doc, its websocket, and what the person should be told
 * about the connection and their changes. It listens from construction on, so nothing is missed before React subscribes.
 *
 * For an editor (`localDraftName` set) the Y.Doc is also kept in IndexedDB under that name, so that what was typed
 * survives a closed tab, a lost connection or a server crash and is sent when the draft is next opened; and the
 * server is asked to say what it stored, so that "saved" means stored in the database.
 */
export class CollaborationSession {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  private everConnected = false;
  private ended = false;
  private readonly listeners = new Set<() => void>();
  private readonly unsaved: UnsavedChanges | null = null;
  private readonly localDraft: IndexeddbPersistence | null = null;
  private localDraftRestored = false;
  private stalled = false;
  /** Until a server of several says otherwise, changes reach everyone it serves, which is everyone. */
  private reaching = true;
  private stallTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(documentId: string, localDraftName: string | null) {
    const protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
    this.provider = new WebsocketProvider(`${protocol}//${window.location.host}/collab`, documentId, this.doc);
    this.provider.on("status", this.onStatus);
    this.provider.on("sync", this.notify);
    // The stock provider stops reconnecting after a 4400–4499 close (4401: the session ended) and says so here.
    this.provider.on("closed", this.onEnded);
    window.addEventListener("online", this.notify);
    window.addEventListener("offline", this.notify);
    if (localDraftName !== null) {
      this.unsaved = new UnsavedChanges();
      // Before IndexedDB restores anything: edits restored from an earlier visit are this browser's changes too.
      this.doc.on("update", this.onDocumentUpdate);
      this.localDraft = new IndexeddbPersistence(localDraftName, this.doc);
      this.localDraft.on("synced", this.onLocalDraftRestored);
      // A browser that refuses IndexedDB (storage turned off) keeps nothing, but is still told what the server stored.
      this.localDraft._db.catch(this.onLocalDraftRestored);
      this.provider.messageHandlers[STORED_MESSAGE] = (_reply, decoder) => this.onStored(decoding.readVarUint8Array(decoder));
      this.provider.messageHandlers[REACH_MESSAGE] = (_reply, decoder) => this.onReach(readReach(decoder));
      window.addEventListener("beforeunload", this.onBeforeUnload);
    }
  }

  /** For useSyncExternalStore. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly connectionState = (): ConnectionState => {
    if (this.ended) return "ended";
    if (!navigator.onLine) return "offline";
    if (this.provider.wsconnected) return "connected";
    return this.everConnected ? "reconnecting" : "connecting";
  };

  readonly isSynced = (): boolean => this.provider.synced;

  readonly saveState = (): SaveState => {
    // Until the edits kept from an earlier visit are back in the document, "saved" could leave them out.
    if (this.unsaved === null || !this.unsaved.acknowledged || !this.localDraftRestored) return "unknown";
    if (this.unsaved.count === 0) return "saved";
    return this.stalled || this.connectionState() !== "connected" ? "waiting" : "saving";
  };

  /** Whether the server last said that an editor's changes reach the editors on other servers. */
  readonly reachesOthers = (): boolean => this.reaching;

  /** Characters typed or deleted in this browser that the server has not stored; 0 while that is unknown. */
  readonly unsavedCount = (): number => (this.saveState() === "unknown" ? 0 : (this.unsaved?.count ?? 0));

  destroy(): void {
    window.removeEventListener("online", this.notify);
    window.removeEventListener("offline", this.notify);
    window.removeEventListener("beforeunload", this.onBeforeUnload);
    if (this.stallTimer !== null) clearTimeout(this.stallTimer);
    this.listeners.clear();
    this.provider.destroy();
    this.localDraft?.destroy().catch(() => {});
    this.doc.destroy();
  }

  private readonly onStatus = ({ status }: { status: string }) => {
    if (status === "connected") {
      this.everConnected = true;
      // Another server may answer this connection: it says so if the changes do not reach the others.
      this.reaching = true;
      // Emitted as the socket opens, before the provider's own sync step 1, on every connection.
      if (this.unsaved !== null) this.provider.ws?.send(encodeStoredQuery());
    }
    this.notify();
  };

  private readonly onDocumentUpdate = (update: Uint8Array, origin: unknown) => {
    // What the provider applies came from the server, which has it; everything else was done or restored here.
    if (origin === this.provider || this.unsaved === null) return;
    this.unsaved.add(update);
    this.afterUnsavedChanged(false);
  };

  private readonly onEnded = () => {
    this.ended = true;
    this.notify();
  };

  private readonly onLocalDraftRestored = () => {
    this.localDraftRestored = true;
    this.notify();
  };

  private onStored(snapshot: Uint8Array): void {
    if (this.unsaved === null) return;
    this.afterUnsavedChanged(this.unsaved.acknowledge(Y.decodeSnapshot(snapshot)));
  }

  /** A malformed message (null) changes nothing. */
  private onReach(reaching: boolean | null): void {
    if (reaching === null || reaching === this.reaching) return;
    this.reaching = reaching;
    this.notify();
  }

  /** Changes count as stalled once no acknowledgement has made progress on them for STALLED_AFTER_MS. */
  private afterUnsavedChanged(progress: boolean): void {
    const waiting = (this.unsaved?.count ?? 0) > 0;
    if (!waiting || progress) {
      this.stalled = false;
      if (this.stallTimer !== null) clearTimeout(this.stallTimer);
      this.stallTimer = null;
    }
    if (waiting && !this.stalled && this.stallTimer === null) {
      this.stallTimer = setTimeout(() => {
        this.stallTimer = null;
        this.stalled = true;
        this.notify();
      }, STALLED_AFTER_MS);
    }
    this.notify();
  }

  /** Nothing typed is lost by leaving (IndexedDB keeps it), but it reaches the others only once the draft is opened again. */
  private readonly onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (this.unsavedCount() === 0) return;
    event.preventDefault();
    // Chromium before 119 asks only when returnValue is set.
    event.returnValue = "";
  };

  private readonly notify = () => {
    for (const listener of this.listeners) listener();
  };
}
