/**
 * What the server tells the readers of a document's page, over server-sent events, when its comments change.
 * It names the thread only: each reader then reloads what they are allowed to see.
 */
export interface CommentEvent {
  type: "thread-changed";
  threadId: string;
}

export interface CommentEventBus {
  publish(documentId: string, event: CommentEvent): void;
  /** `onClose` is called when the bus shuts down, so open streams can end and the server can stop. */
  subscribe(documentId: string, listener: (event: CommentEvent) => void, onClose: () => void): () => void;
}
