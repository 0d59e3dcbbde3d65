import type { Kysely } from "kysely";
import type { Database } from "#db/schema";
import { loadStoredThreads, type StoredThreads } from "./comments/threads.server";

/**
 * The stored threads of recently read documents, kept between page requests: a draft is read far more often
 * than it is commented on, and reading 3,000 comments per page view would dominate its render time. Every
 * change to comments goes through changeThreads (comments/changes.server.ts), which invalidates the document here; a
 * change on another node invalidates it through the same channel as the live events (decision 0027).
 */
export class CommentCache {
  // The load itself is kept from its start, so an invalidation during it drops it too, and readers meanwhile share it.
  private readonly entries = new Map<string, Promise<StoredThreads>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxDocuments = 16,
  ) {}

  read(documentId: string): Promise<StoredThreads> {
    const cached = this.entries.get(documentId);
    if (cached) {
      // Most recently read last, so the oldest is evicted first.
      this.entries.delete(documentId);
      this.entries.set(documentId, cached);
      return cached;
    }
    const loading = loadStoredThreads(this.db, documentId);
    this.entries.set(documentId, loading);
    loading.catch(() => {
      if (this.entries.get(documentId) === loading) this.entries.delete(documentId);
    });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxDocuments) break;
      this.entries.delete(oldest);
    }
    return loading;
  }

  invalidate(documentId: string): void {
    this.entries.delete(documentId);
  }

  /** Forgets every document, for when changes made elsewhere may have gone unannounced. */
  clear(): void {
    this.entries.clear();
  }
}
