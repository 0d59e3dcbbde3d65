import { BLOCK_TEXT_LENGTH, passageWasEdited, resolveAnchor, type DocumentIndex, type StoredAnchor } from "#app/comments/anchoring";
import type { ThreadReviewOutcome } from "#db/schema";
import { diffVersions, type VersionBlock } from "./diff";

/** The thread outcomes an editor should look at: its text is no longer what was commented on. */
export const UNCERTAIN_OUTCOMES: readonly ThreadReviewOutcome[] = ["text-changed", "removed"];

export interface OpenThread {
  id: string;
  anchor: StoredAnchor;
  createdAt: Date;
}

export interface PreviousVersion {
  createdAt: Date;
  blocks: readonly VersionBlock[];
}

/**
 * How each open thread's text fares in a new version (`index`, the draft at the moment it is frozen), compared
 * with what it was about: the previous version's text for a thread that existed then, the text it was started
 * on for a newer one. A passage counts as unchanged while it resolves: its words, or at least half of them with text
 * typed among them (decision 0016); a thread on a whole block while the block's text is the same. "moved": unchanged,
 * in a block that moved.
 */
export function carryThreadsForward(
  threads: readonly OpenThread[],
  index: DocumentIndex,
  blocks: readonly VersionBlock[],
  previous: PreviousVersion | null,
): { threadId: string; outcome: ThreadReviewOutcome }[] {
  const previousText = new Map(previous?.blocks.map((block) => [block.id, block.text]));
  const moved = new Set<string>();
  if (previous) {
    for (const change of diffVersions(previous.blocks, blocks).changes) {
      if (change.kind === "moved" || (change.kind === "changed" && change.moved)) moved.add(change.block.id);
    }
  }
  return threads.map((thread) => {
    const resolution = resolveAnchor(index, thread.anchor);
    const outcome = ((): ThreadReviewOutcome => {
      if (resolution.state === "removed") return "removed";
      if (thread.anchor.passage) {
        if (resolution.state !== "passage") return passageWasEdited(index, thread.anchor) ? "text-changed" : "removed";
      } else {
        const existedAtPrevious = previous !== null && thread.createdAt < previous.createdAt;
        const atPrevious = existedAtPrevious ? previousText.get(resolution.blockId) : undefined;
        const text = index.block(resolution.blockId)?.text ?? "";
        const same = atPrevious !== undefined ? text === atPrevious : sameAsStartedOn(text, thread.anchor.blockText);
        if (!same) return "text-changed";
      }
      return moved.has(resolution.blockId) ? "moved" : "unchanged";
    })();
    return { threadId: thread.id, outcome };
  });
}

/** The anchor keeps only the first BLOCK_TEXT_LENGTH characters of the block it was started on. */
function sameAsStartedOn(text: string, blockText: string): boolean {
  return blockText.length < BLOCK_TEXT_LENGTH ? text === blockText : text.startsWith(blockText);
}
