import type { BlockReference } from "#app/comments/references";
import type { CommentView, ThreadView } from "#app/comments/types";
import type { BlockChange, VersionBlock } from "./diff";

/**
 * Threads as the read-only pages of the draft's history list them: the comments made on a version, on its page,
 * and under each change of a comparison, the comments that were on the text before it changed. Shared by the
 * server, which places the threads in the text, and the components that show them.
 */

/** A thread as those lists show it, placed in the text it is listed with (a version's, or the live draft's). */
export interface ThreadSummary {
  id: string;
  status: ThreadView["status"];
  authorName: string;
  authorOrganisation: string;
  /** Its block's reference in that text ("3.2 ¶2"); null when the block is not in it. */
  reference: BlockReference | null;
  /**
   * The passage commented on, or for a comment on a whole block that is not in that text, the block's text when
   * the thread was started; `found` says whether it is in that text. null for a whole block that is there.
   */
  quote: { text: string; found: boolean } | null;
  /** As any reader sees it: a deleted or hidden comment has no body. */
  firstComment: CommentView;
  /** The comments after the first, removed ones included: the thread shows where they were. */
  replies: number;
}

/** A summary with where its thread is: its block (null: not in the text), and where its passage starts in the block's text. */
export interface PlacedThread {
  summary: ThreadSummary;
  blockId: string | null;
  /** null for a comment on the whole block, or on a passage no longer in it. */
  passageStart: number | null;
}

/**
 * For each change, the threads that were on its block in the older text (`before`), in the order of `placed`:
 * so readers see which feedback led to which change. When a block was split in two, the threads on the part that
 * was split off are listed with the new block and the rest with the old one. An unchanged block, or one written
 * anew, lists none.
 */
export function threadsByChange(
  changes: readonly BlockChange[],
  before: readonly VersionBlock[],
  placed: readonly PlacedThread[],
): ThreadSummary[][] {
  const byBlock = new Map<string, PlacedThread[]>();
  for (const thread of placed) {
    if (thread.blockId === null) continue;
    const list = byBlock.get(thread.blockId);
    if (list) list.push(thread);
    else byBlock.set(thread.blockId, [thread]);
  }
  // Where the part split off each split block starts in its older text.
  const splitStarts = new Map<string, number>();
  for (const change of changes) {
    if (change.kind !== "added" || change.splitFrom === null) continue;
    const source = before.find((block) => block.id === change.splitFrom);
    const start = source?.text.lastIndexOf(change.block.text.trim()) ?? -1;
    if (start >= 0) splitStarts.set(change.splitFrom, start);
  }
  const inSplitPart = (thread: PlacedThread, start: number | undefined) =>
    start !== undefined && thread.passageStart !== null && thread.passageStart >= start;

  return changes.map((change) => {
    if (change.kind === "unchanged") return [];
    if (change.kind === "added") {
      const source = change.splitFrom;
      if (source === null) return [];
      const start = splitStarts.get(source);
      return (byBlock.get(source) ?? []).filter((thread) => inSplitPart(thread, start)).map((thread) => thread.summary);
    }
    const start = splitStarts.get(change.block.id);
    return (byBlock.get(change.block.id) ?? []).filter((thread) => !inSplitPart(thread, start)).map((thread) => thread.summary);
  });
}

/** The start of `text` up to about `maxLength` characters, cut after a whole word, with "…" when cut. */
export function firstWords(text: string, maxLength: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= maxLength) return flat;
  const cut = flat.slice(0, maxLength + 1);
  const lastSpace = cut.lastIndexOf(" ");
  // One long word (a web address) is cut where it is rather than dropped whole.
  return `${(lastSpace > 0 ? cut.slice(0, lastSpace) : flat.slice(0, maxLength)).replace(/[\s.,;:!?–-]+$/, "")}…`;
}
