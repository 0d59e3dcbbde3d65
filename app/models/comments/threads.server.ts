import type { Kysely } from "kysely";
import { DocumentIndex, resolveAnchor, type ResolvedAnchor, type StoredAnchor } from "#app/comments/anchoring";
import { locateSuggestion } from "#app/comments/suggestions";
import type { VersionBlock } from "#app/versions/diff";
import { listAgreements, listComments, listThreads, type CommentRecord, type ThreadRecord } from "#db/repositories/comments";
import { findCurrentVersion, findVersionBlocks, type CurrentVersionRecord } from "#db/repositories/versions";
import type { Database } from "#db/schema";

/* The threads of a document as stored, and where each is in the text being shown. */

/** Everything stored about a document's threads, the same for every reader; see CommentCache. */
export interface StoredThreads {
  /**
   * The latest version, which the live draft is based on, with its blocks (to count what changed since). Kept with
   * the threads because freezing a version changes how they are shown, and invalidates this cache like a comment does.
   */
  currentVersion: (CurrentVersionRecord & { blocks: VersionBlock[] }) | null;
  threads: ThreadRecord[];
  commentsByThread: Map<string, CommentRecord[]>;
  /** User ids agreeing with each thread. */
  agreements: Map<string, Set<string>>;
}

export async function loadStoredThreads(db: Kysely<Database>, documentId: string): Promise<StoredThreads> {
  const [threads, comments, agreements, version] = await Promise.all([
    listThreads(db, documentId),
    listComments(db, documentId),
    listAgreements(db, documentId),
    findCurrentVersion(db, documentId),
  ]);
  const currentVersion = version ? { ...version, blocks: ((await findVersionBlocks(db, version.id)) ?? []) as VersionBlock[] } : null;
  const commentsByThread = new Map<string, CommentRecord[]>();
  for (const comment of comments) {
    const list = commentsByThread.get(comment.thread_id);
    if (list) list.push(comment);
    else commentsByThread.set(comment.thread_id, [comment]);
  }
  return { currentVersion, threads, commentsByThread, agreements };
}

/** A thread and where its anchor is in the document being shown. */
export interface LocatedThread {
  record: ThreadRecord;
  anchor: StoredAnchor;
  resolution: ResolvedAnchor;
  /** What a suggestion's passage reads now (see locateSuggestion); null for a comment, or when it is gone. */
  currentText: string | null;
}

/**
 * Every thread resolved against `index` (the state the page renders), in document order: by block, then by
 * place in the block; threads on removed text last.
 */
export function locateThreads(stored: StoredThreads, index: DocumentIndex): LocatedThread[] {
  const blockOrder = new Map(index.blocks.map((block, position) => [block.id, position]));
  const located = stored.threads.map((record) => {
    const anchor = record.anchor;
    const resolution = resolveAnchor(index, anchor);
    const place = record.kind === "suggestion" ? locateSuggestion(index, anchor) : null;
    const currentText = place?.state === "found" ? place.current : null;
    const key: [number, number] =
      resolution.state === "removed"
        ? [Number.MAX_SAFE_INTEGER, 0]
        : [blockOrder.get(resolution.blockId) ?? Number.MAX_SAFE_INTEGER, resolution.state === "passage" ? resolution.from : -1];
    return { located: { record, anchor, resolution, currentText }, key };
  });
  return located.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1]).map(({ located: thread }) => thread);
}

/** How many open threads each block has: the count beside it on the page (threads on removed text count nowhere). */
export function openThreadCounts(stored: StoredThreads, located: readonly LocatedThread[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { record, resolution } of located) {
    if (record.status === "open" && resolution.state !== "removed" && !isRemovedThread(stored, record.id)) {
      counts[resolution.blockId] = (counts[resolution.blockId] ?? 0) + 1;
    }
  }
  return counts;
}

/** Every comment of the thread deleted by its author: nothing is left to show or answer. */
export function isRemovedThread(stored: StoredThreads, threadId: string): boolean {
  const comments = stored.commentsByThread.get(threadId) ?? [];
  return comments.length > 0 && comments.every((comment) => comment.deleted_at !== null);
}

/** Whether the viewer started or wrote in the thread (the "mine" filter). */
export function isViewersThread(stored: StoredThreads, thread: ThreadRecord, viewerId: string): boolean {
  return thread.author_id === viewerId || (stored.commentsByThread.get(thread.id) ?? []).some((comment) => comment.author_id === viewerId);
}
