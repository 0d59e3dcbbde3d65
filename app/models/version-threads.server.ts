import type { Kysely } from "kysely";
import type * as Y from "yjs";
import { DocumentIndex } from "#app/comments/anchoring";
import type { BlockReference } from "#app/comments/references";
import { versionBlockReferences, type BlockChange, type VersionBlock } from "#app/versions/diff";
import { threadsByChange, type PlacedThread, type ThreadSummary } from "#app/versions/threads";
import type { ThreadRecord } from "#db/repositories/comments";
import { findVersion, findVersionCreatedAt } from "#db/repositories/versions";
import type { Database } from "#db/schema";
import type { CommentCache } from "./comment-cache.server";
import { toCommentView } from "./comments/presenters.server";
import { isRemovedThread, locateThreads, type StoredThreads } from "./comments/threads.server";
import { readVersionState, type VersionRef } from "./versions.server";

/**
 * The comments of the draft's history: those made on a version, placed in that version's own text, and those
 * that were on each changed block of a comparison. Threads whose every comment their authors deleted are left
 * out, as the live draft leaves them out of its counts: their authors took them back.
 */

export interface VersionThreadDeps {
  db: Kysely<Database>;
  readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T>;
  commentCache: Pick<CommentCache, "read">;
}

// ---- Choosing ----

/** The threads started while the live draft was based on version `number`. */
export function threadsMadeOnVersion(stored: StoredThreads, number: number): ThreadRecord[] {
  return stored.threads.filter((thread) => thread.version_number === number && !isRemovedThread(stored, thread.id));
}

/** The threads that existed at `moment` (null: now). */
export function threadsExistingAt(stored: StoredThreads, moment: Date | null): ThreadRecord[] {
  return stored.threads.filter((thread) => (moment === null || thread.created_at <= moment) && !isRemovedThread(stored, thread.id));
}

// ---- Placing ----

/**
 * `threads` placed in the text `index` holds, in document order (threads whose block is not in it last), with the
 * `references` of that text's blocks.
 */
export function placeThreads(
  stored: StoredThreads,
  threads: readonly ThreadRecord[],
  index: DocumentIndex,
  references: ReadonlyMap<string, BlockReference>,
): PlacedThread[] {
  return locateThreads({ ...stored, threads: [...threads] }, index).flatMap(({ record, anchor, resolution }): PlacedThread[] => {
    const [first, ...replies] = stored.commentsByThread.get(record.id) ?? [];
    // Every thread is stored with its first comment; one without is not shown rather than shown empty.
    if (!first) return [];
    const blockId = resolution.state === "removed" ? null : resolution.blockId;
    const quote = anchor.passage
      ? { text: anchor.passage.quote.exact, found: resolution.state === "passage" }
      : resolution.state === "removed"
        ? { text: anchor.blockText, found: false }
        : null;
    return [
      {
        summary: {
          id: record.id,
          status: record.status,
          authorName: record.author_name,
          authorOrganisation: record.author_organisation,
          reference: (blockId !== null && references.get(blockId)) || null,
          quote,
          firstComment: toCommentView(first, null),
          replies: replies.length,
        },
        blockId,
        passageStart: resolution.state === "passage" ? resolution.from : null,
      },
    ];
  });
}

// ---- Loading ----

/** The threads made on version `number` of a document, placed in that version's own text; none for an unknown version. */
export async function loadVersionThreads(
  deps: Pick<VersionThreadDeps, "db" | "commentCache">,
  documentId: string,
  number: number,
): Promise<ThreadSummary[]> {
  const stored = await deps.commentCache.read(documentId);
  const threads = threadsMadeOnVersion(stored, number);
  if (threads.length === 0) return [];
  const version = await findVersion(deps.db, documentId, number);
  if (!version) return [];
  const references = versionBlockReferences(version.blocks as VersionBlock[]);
  const placed = readVersionState(version.state, (doc) => placeThreads(stored, threads, DocumentIndex.of(doc), references));
  return placed.map((thread) => thread.summary);
}

/**
 * For each of `changes` (from `from`'s blocks, `before`, to `to`'s), the threads that were on its block in the
 * `from` text (see threadsByChange): every thread that existed when `to` was frozen (or now, for the live draft),
 * placed in the `from` text.
 */
export async function loadThreadsOnChanges(
  deps: VersionThreadDeps,
  documentId: string,
  comparison: { from: VersionRef; to: VersionRef; before: readonly VersionBlock[]; changes: readonly BlockChange[] },
): Promise<ThreadSummary[][]> {
  const { from, to, before, changes } = comparison;
  const none = () => changes.map((): ThreadSummary[] => []);
  const [stored, frozenAt] = await Promise.all([
    deps.commentCache.read(documentId),
    to === "live" ? null : findVersionCreatedAt(deps.db, documentId, to),
  ]);
  if (frozenAt === undefined) return none();
  const threads = threadsExistingAt(stored, frozenAt);
  if (threads.length === 0 || changes.every((change) => change.kind === "unchanged")) return none();

  const references = versionBlockReferences(before);
  const place = (doc: Y.Doc) => placeThreads(stored, threads, DocumentIndex.of(doc), references);
  let placed: PlacedThread[];
  if (from === "live") placed = await deps.readDocument(documentId, place);
  else {
    const version = await findVersion(deps.db, documentId, from);
    if (!version) return none();
    placed = readVersionState(version.state, place);
  }
  return threadsByChange(changes, before, placed);
}
