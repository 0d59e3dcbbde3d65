import type { PresenceChange } from "./presence";

/**
 * How rooms of one document on several server processes become one document (decision 0026). Without it (no
 * REDIS_URL) a room is the only copy, as it always was. Implemented by server/cluster/document-stream.ts.
 */
export interface DocumentSharing {
  /** Called when a room is created, before it loads; the link stays until `close`. */
  open(documentId: string, room: SharedRoom): SharedDocumentLink;
}

/** What a room offers the processes it shares its document with. */
export interface SharedRoom {
  /** A document update (V1) another process accepted. Applied and sent to this room's sockets, never shared again. */
  applyRemoteUpdate(update: Uint8Array): void;
  /** Presence changes another process's room decided (presence.ts): taken as they are, never relayed again. */
  applyRemotePresence(nodeId: string, changes: readonly PresenceChange[]): void;
  /** Forgets every presence state of a process that stopped being heard from. */
  removeRemotePresence(nodeId: string): void;
  /** The presence of this process's own connections, for a periodic refresh to the others. */
  localPresence(): PresenceChange[];
  /** Whether this process's changes to the document reach the other processes changed; its editors are told. */
  reachChanged(reachesOthers: boolean): void;
}

export interface SharedDocumentLink {
  /** The stored state (V2) as every process sees it: the database and whatever is shared but not yet stored. */
  load(): Promise<Uint8Array | null>;
  /** Whether this process's changes to the document reach the other processes now (Redis up, nothing held back). */
  reachesOthers(): boolean;
  /** Presence changes of this room's own connections. */
  publishPresence(changes: readonly PresenceChange[]): void;
  /** The room closed and its updates are stored (or given up on): stop following the document. */
  close(): void;
}
