interface Subscriber<Event> {
  listener: (event: Event) => void;
  onClose: () => void;
}

/**
 * In-process fan-out of a document's events to the page streams of this process. With several nodes, the buses in
 * server/cluster/redis-events.ts also send them to the other nodes, which fan them out here (decision 0027).
 */
export class InProcessEvents<Event> {
  private readonly subscribers = new Map<string, Set<Subscriber<Event>>>();

  publish(documentId: string, event: Event): void {
    for (const subscriber of this.subscribers.get(documentId) ?? []) subscriber.listener(event);
  }

  subscribe(documentId: string, listener: (event: Event) => void, onClose: () => void): () => void {
    const subscriber = { listener, onClose };
    let forDocument = this.subscribers.get(documentId);
    if (!forDocument) {
      forDocument = new Set();
      this.subscribers.set(documentId, forDocument);
    }
    forDocument.add(subscriber);
    return () => {
      forDocument.delete(subscriber);
      if (forDocument.size === 0 && this.subscribers.get(documentId) === forDocument) this.subscribers.delete(documentId);
    };
  }

  /** Ends every open stream; later subscriptions are not expected (the server is stopping). */
  close(): void {
    const all = [...this.subscribers.values()].flatMap((set) => [...set]);
    this.subscribers.clear();
    for (const subscriber of all) subscriber.onClose();
  }
}
