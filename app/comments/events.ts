/**
 * What the server tells the readers of a document's page, over server-sent events, when its comments change, an edit
 * moves a thread (to another block, to changed or to removed text), or a version is frozen (which changes how every
 * thread is shown). It names the thread or version only: each reader then reloads what they are allowed to see.
 */
export type CommentEvent = { type: "thread-changed"; threadId: string } | { type: "version-frozen"; versionNumber: number };

export interface CommentEventBus {
  publish(documentId: string, event: CommentEvent): void;
  /** `onClose` is called when the bus shuts down, so open streams can end and the server can stop. */
  subscribe(documentId: string, listener: (event: CommentEvent) => void, onClose: () => void): () => void;
}
