import type * as Y from "yjs";
import { DocumentIndex, resolveAnchor, type ResolvedAnchor, type StoredAnchor } from "#app/comments/anchoring";
import type { CommentEventBus } from "#app/comments/events";
import { textRevisionOf } from "./text-revision.server";

/** How long a burst of edits may settle before the threads' places are compared again. */
export const THREAD_PLACES_DELAY_MS = 250;

export interface ThreadPlacesDeps {
  /** The document's threads with their anchors as stored (StoredThreads from the comment cache will do). */
  readThreads(documentId: string): Promise<{ threads: readonly { id: string; anchor: unknown }[] }>;
  readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T>;
  commentEvents: Pick<CommentEventBus, "publish">;
  onError(documentId: string, error: unknown): void;
  /** Runs `compare` once a burst of edits has settled, and returns how to cancel it: THREAD_PLACES_DELAY_MS later by default. */
  later?: (compare: () => void) => () => void;
}

interface Watched {
  pages: number;
  /** Each thread's place when last compared; null until the first comparison. */
  places: Map<string, string> | null;
  /** The text's revision when last compared. */
  revision: string | null;
  /** Cancels the comparison waiting for edits to settle, while one is. */
  cancel: (() => void) | null;
  comparing: boolean;
  changedMeanwhile: boolean;
}

/**
 * Edits move threads as well as comments do: a deleted paragraph puts its threads on removed text, a passage
 * rewritten for the most part makes its thread "changed or removed", a split or a join moves it to another block.
 * While a document has open pages, this compares every thread's place after each burst of edits and announces the
 * threads whose place changed as changed, so the pages reload them as they do for a new comment (decision 0016).
 * Offsets within a block are not a place: the live editor follows those itself.
 */
export class ThreadPlaces {
  private readonly documents = new Map<string, Watched>();
  private readonly later: (compare: () => void) => () => void;

  constructor(private readonly deps: ThreadPlacesDeps) {
    this.later =
      deps.later ??
      ((compare) => {
        const timer = setTimeout(compare, THREAD_PLACES_DELAY_MS);
        return () => clearTimeout(timer);
      });
  }

  /** A page of the document listens from now on; the returned function says it stopped. */
  watch(documentId: string): () => void {
    let watched = this.documents.get(documentId);
    if (!watched) {
      watched = { pages: 0, places: null, revision: null, cancel: null, comparing: false, changedMeanwhile: false };
      this.documents.set(documentId, watched);
      // The places the page was given, or near enough: what later edits are compared with.
      void this.compare(documentId, watched);
    }
    watched.pages += 1;
    const counted = watched;
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      counted.pages -= 1;
      if (counted.pages > 0 || this.documents.get(documentId) !== counted) return;
      counted.cancel?.();
      this.documents.delete(documentId);
    };
  }

  /** The document's text changed (any change, by anyone). */
  changed(documentId: string): void {
    const watched = this.documents.get(documentId);
    if (!watched) return;
    if (watched.comparing) watched.changedMeanwhile = true;
    else watched.cancel ??= this.later(() => void this.compare(documentId, watched));
  }

  /** Any watched document's text may have changed (edits on other nodes may have gone unannounced). */
  changedAll(): void {
    for (const documentId of this.documents.keys()) this.changed(documentId);
  }

  /** Stops every pending comparison (the server is stopping). */
  close(): void {
    for (const watched of this.documents.values()) watched.cancel?.();
    this.documents.clear();
  }

  private async compare(documentId: string, watched: Watched): Promise<void> {
    watched.cancel = null;
    watched.comparing = true;
    try {
      const { threads } = await this.deps.readThreads(documentId);
      const { places, revision } = await this.deps.readDocument(documentId, (doc) => ({ places: placesOf(threads, doc), revision: textRevisionOf(doc) }));
      if (this.documents.get(documentId) !== watched) return;
      const previous = watched.places;
      const previousRevision = watched.revision;
      watched.places = places;
      watched.revision = revision;
      if (previousRevision !== null && previousRevision !== revision) this.deps.commentEvents.publish(documentId, { type: "text-changed", revision });
      if (!previous) return;
      for (const { id, anchor } of threads) {
        // A thread made since the last comparison was shown where it was made.
        const before = previous.get(id) ?? placeWhenMade(anchor as StoredAnchor);
        if (places.get(id) !== before) this.deps.commentEvents.publish(documentId, { type: "thread-changed", threadId: id });
      }
    } catch (error) {
      this.deps.onError(documentId, error);
    } finally {
      watched.comparing = false;
      if (watched.changedMeanwhile) {
        watched.changedMeanwhile = false;
        this.changed(documentId);
      }
    }
  }
}

function placesOf(threads: readonly { id: string; anchor: unknown }[], doc: Y.Doc): Map<string, string> {
  const index = DocumentIndex.of(doc);
  return new Map(threads.map((thread) => [thread.id, placeOf(resolveAnchor(index, thread.anchor as StoredAnchor))]));
}

function placeWhenMade(anchor: StoredAnchor): string {
  return placeIn(anchor.blockId, anchor.passage ? "passage" : "block");
}

/** What of a thread's resolution the page shows beyond the live editor's highlight: its block and its state. */
function placeOf(resolution: ResolvedAnchor): string {
  switch (resolution.state) {
    case "removed":
      return "removed";
    case "block":
      return placeIn(resolution.blockId, resolution.passageRemoved ? "changed" : "block");
    case "passage":
      return placeIn(resolution.blockId, "passage");
  }
}

function placeIn(blockId: string, shownAs: "passage" | "block" | "changed"): string {
  return `${blockId} ${shownAs}`;
}
