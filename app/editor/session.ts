import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

/**
 * One browser's live copy of a document: the Y.Doc, its websocket, and what the person should be told
 * about the connection. It listens from construction on, so no status change is missed before React subscribes.
 */
export class CollaborationSession {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  private everConnected = false;
  private readonly listeners = new Set<() => void>();

  constructor(documentId: string) {
    const protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
    this.provider = new WebsocketProvider(`${protocol}//${window.location.host}/collab`, documentId, this.doc);
    this.provider.on("status", this.onStatus);
    this.provider.on("sync", this.notify);
    window.addEventListener("online", this.notify);
    window.addEventListener("offline", this.notify);
  }

  /** For useSyncExternalStore. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly connectionState = (): ConnectionState => {
    if (!navigator.onLine) return "offline";
    if (this.provider.wsconnected) return "connected";
    return this.everConnected ? "reconnecting" : "connecting";
  };

  readonly isSynced = (): boolean => this.provider.synced;

  destroy(): void {
    window.removeEventListener("online", this.notify);
    window.removeEventListener("offline", this.notify);
    this.listeners.clear();
    this.provider.destroy();
    this.doc.destroy();
  }

  private readonly onStatus = ({ status }: { status: string }) => {
    if (status === "connected") this.everConnected = true;
    this.notify();
  };

  private readonly notify = () => {
    for (const listener of this.listeners) listener();
  };
}
