/**
 * What the collaboration server needs from storage. Implemented over the database by
 * DocumentStore (server/collab/document-store.ts); tests may pass an in-memory fake.
 */
export interface DocumentPersistence {
  /**
   * The stored state of a document as one Yjs update in V2 encoding (snapshot + log tail merged),
   * or null when nothing has been stored yet. Rejects when storage cannot be read: the caller must then
   * refuse connections rather than start from an empty document.
   */
  load(documentId: string): Promise<Uint8Array | null>;
  /**
   * Queues an update (V1 encoding, as Y.Doc emits it) to be durably stored within one second. Resolves once it is
   * stored, and so is every update of the document appended before it. Never rejects: a failed write is retried.
   */
  append(documentId: string, update: Uint8Array): Promise<void>;
  /** Resolves once everything queued so far for the document (all documents when omitted) is stored. */
  flush(documentId?: string): Promise<void>;
}
