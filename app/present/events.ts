/** The event type of a presenter's move on the followers' stream. */
export const PRESENTER_MOVED = "presenter-moved";

/**
 * Where the host of a presentation is: the first block of the section on their screen. Participants following the
 * presenter get each new position over server-sent events and show the same section.
 */
export interface PresenterPosition {
  sectionId: string;
}

export interface PresenterBus {
  publish(documentId: string, position: PresenterPosition): void;
  /**
   * The last position published for the document, so that a follower who joins late starts where the host is.
   * Asynchronous: with several nodes it is kept in Redis (decision 0027).
   */
  current(documentId: string): Promise<PresenterPosition | undefined>;
  /** `onClose` is called when the bus shuts down, so open streams can end and the server can stop. */
  subscribe(documentId: string, listener: (position: PresenterPosition) => void, onClose: () => void): () => void;
}
