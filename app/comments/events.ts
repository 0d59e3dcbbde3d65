/**
 * What the server tells the readers of a document's page, over server-sent events, when its comments change, an edit
 * moves a thread (to another block, to changed or to removed text), or a version is frozen (which changes how every
 * thread is shown). It names the thread or version only: each reader then reloads what they are allowed to see.
 * `text-changed` names the text's new revision after a burst of edits, for pages that show the server's markup of
 * the draft instead of the live editor (decision 0022).
 */
export type CommentEvent =
  | { type: "thread-changed"; threadId: string }
  | { type: "version-frozen"; versionNumber: number }
  | { type: "text-changed"; revision: string };

export interface CommentEventBus {
  publish(documentId: string, event: CommentEvent): void;
  /** `onClose` is called when the bus shuts down, so open streams can end and the server can stop. */
  subscribe(documentId: string, listener: (event: CommentEvent) => void, onClose: () => void): () => void;
}
