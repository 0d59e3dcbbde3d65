import { blockReferences, type BlockReference } from "#app/comments/references";

/**
 * What changed between two versions of the draft, block by block (matched by their stable ids) and, inside a
 * changed block, word by word. Pure: versions store their block lists, so a diff never replays history.
 */

/** A block as a version stores it. */
export interface VersionBlock {
  id: string;
  /** "paragraph", "heading", "codeBlock"… */
  type: string;
  text: string;
  /** Heading level; null for other blocks. */
  level: number | null;
}

export type WordChange = { kind: "same" | "added" | "removed"; text: string };

export type BlockChange =
  | { kind: "unchanged"; block: VersionBlock }
  | { kind: "added"; block: VersionBlock; /** Its text was the tail of this block before (a split). */ splitFrom: string | null }
  | { kind: "removed"; block: VersionBlock; /** Its text now ends this block (a merge). */ mergedInto: string | null }
  | { kind: "changed"; block: VersionBlock; before: VersionBlock; moved: boolean; words: WordChange[] }
  | { kind: "moved"; block: VersionBlock };

export interface DiffSummary {
  /** Sections (level-2 headings, and the part before the first) with any change. */
  sectionsChanged: number;
  edited: number;
  added: number;
  removed: number;
  moved: number;
}

export interface VersionDiff {
  /** In the newer version's order; a removed block comes right after the block that preceded it before. */
  changes: BlockChange[];
  summary: DiffSummary;
}

export function diffVersions(before: readonly VersionBlock[], after: readonly VersionBlock[]): VersionDiff {
  const beforeById = new Map(before.map((block, index) => [block.id, { block, index }]));
  const afterIds = new Set(after.map((block) => block.id));
  const kept = after.filter((block) => beforeById.has(block.id));
  // Blocks kept in the same relative order are the longest increasing run of their old places; the rest moved.
  const inOrder = longestIncreasingSubsequence(kept.map((block) => beforeById.get(block.id)?.index ?? 0));
  const notMoved = new Set([...inOrder].map((position) => kept[position]?.id));

  const changes: BlockChange[] = [];
  const removedAfter = removedBlocksByPredecessor(before, afterIds);
  for (const removed of removedAfter.get(null) ?? []) changes.push(removedChange(removed, before, after, afterIds));
  for (const block of after) {
    const previous = beforeById.get(block.id)?.block;
    const moved = previous !== undefined && !notMoved.has(block.id);
    if (!previous) changes.push({ kind: "added", block, splitFrom: splitSource(block, after, beforeById) });
    else if (previous.text !== block.text || previous.type !== block.type || previous.level !== block.level) {
      changes.push({ kind: "changed", block, before: previous, moved, words: diffWords(previous.text, block.text) });
    } else changes.push(moved ? { kind: "moved", block } : { kind: "unchanged", block });
    if (previous) for (const removed of removedAfter.get(block.id) ?? []) changes.push(removedChange(removed, before, after, afterIds));
  }
  return { changes, summary: summarise(changes) };
}

/**
 * Where each change is, as readers cite it ("3.2 ¶2"): its place in the newer version, or in the older one for a
 * removed block (it has no place in the newer one).
 */
export function changeReferences(
  before: readonly VersionBlock[],
  after: readonly VersionBlock[],
  changes: readonly BlockChange[],
): (BlockReference | null)[] {
  const beforeReferences = versionBlockReferences(before);
  const afterReferences = versionBlockReferences(after);
  return changes.map((change) => (change.kind === "removed" ? beforeReferences : afterReferences).get(change.block.id) ?? null);
}

/** The reference of each block of a version ("3.2 ¶2"), by block id. */
export function versionBlockReferences(blocks: readonly VersionBlock[]): Map<string, BlockReference> {
  return blockReferences(blocks.map((block) => ({ id: block.id, headingLevel: block.type === "heading" ? (block.level ?? 1) : null })));
}

/** Removed blocks, grouped under the nearest earlier block that still exists (null: none before them). */
function removedBlocksByPredecessor(before: readonly VersionBlock[], afterIds: Set<string>): Map<string | null, VersionBlock[]> {
  const groups = new Map<string | null, VersionBlock[]>();
  let predecessor: string | null = null;
  for (const block of before) {
    if (afterIds.has(block.id)) {
      predecessor = block.id;
      continue;
    }
    const group = groups.get(predecessor);
    if (group) group.push(block);
    else groups.set(predecessor, [block]);
  }
  return groups;
}

/** A new block whose text the block before it (in the new version) used to end with: split off from it. */
function splitSource(block: VersionBlock, after: readonly VersionBlock[], beforeById: Map<string, { block: VersionBlock }>): string | null {
  const index = after.indexOf(block);
  const previous = index > 0 ? after[index - 1] : undefined;
  const old = previous ? beforeById.get(previous.id)?.block : undefined;
  if (!previous || !old || block.text.trim() === "") return null;
  return old.text.includes(block.text.trim()) && !previous.text.includes(block.text.trim()) ? previous.id : null;
}

function removedChange(
  block: VersionBlock,
  before: readonly VersionBlock[],
  after: readonly VersionBlock[],
  afterIds: Set<string>,
): BlockChange {
  // Merged: the nearest earlier surviving block now ends with (or contains) this block's text.
  const index = before.indexOf(block);
  let mergedInto: string | null = null;
  for (let earlier = index - 1; earlier >= 0; earlier--) {
    const candidate = before[earlier];
    if (!candidate || !afterIds.has(candidate.id)) continue;
    const now = after.find((other) => other.id === candidate.id);
    if (now && block.text.trim() !== "" && now.text.includes(block.text.trim()) && !candidate.text.includes(block.text.trim())) {
      mergedInto = now.id;
    }
    break;
  }
  return { kind: "removed", block, mergedInto };
}

function summarise(changes: readonly BlockChange[]): DiffSummary {
  const summary: DiffSummary = { sectionsChanged: 0, edited: 0, added: 0, removed: 0, moved: 0 };
  let section = 0;
  const sections = new Set<number>();
  for (const change of changes) {
    if (change.kind !== "removed" && change.block.type === "heading" && change.block.level === 2) section += 1;
    if (change.kind === "unchanged") continue;
    sections.add(section);
    if (change.kind === "changed") {
      summary.edited += 1;
      if (change.moved) summary.moved += 1;
    } else if (change.kind === "added") summary.added += 1;
    else if (change.kind === "removed") summary.removed += 1;
    else summary.moved += 1;
  }
  summary.sectionsChanged = sections.size;
  return summary;
}

/** Indexes (into `values`) of one longest strictly increasing subsequence; O(n log n). */
export function longestIncreasingSubsequence(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous = new Array<number>(values.length).fill(-1);
  for (let index = 0; index < values.length; index++) {
    const value = values[index] ?? 0;
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((values[tails[middle] ?? 0] ?? 0) < value) low = middle + 1;
      else high = middle;
    }
    if (low > 0) previous[index] = tails[low - 1] ?? -1;
    tails[low] = index;
  }
  const result = new Set<number>();
  for (let index = tails[tails.length - 1] ?? -1; index !== -1; index = previous[index] ?? -1) result.add(index);
  return result;
}

// ---- Words ----

/** Words, runs of spaces and single punctuation marks: the units a reader sees change. */
export function tokenize(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+|\s+|[^\p{L}\p{N}\s]/gu) ?? [];
}

/** Myers' O(ND) diff of the two texts' tokens, merged into runs. */
export function diffWords(before: string, after: string): WordChange[] {
  const a = tokenize(before);
  const b = tokenize(after);
  // Common ends first: most edits touch a small part of a paragraph.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const middle = myers(a.slice(start, endA), b.slice(start, endB));
  const changes: WordChange[] = [];
  const push = (kind: WordChange["kind"], text: string) => {
    const last = changes[changes.length - 1];
    if (last && last.kind === kind) last.text += text;
    else if (text !== "") changes.push({ kind, text });
  };
  push("same", a.slice(0, start).join(""));
  for (const change of middle) push(change.kind, change.text);
  push("same", a.slice(endA).join(""));
  return changes;
}

function myers(a: readonly string[], b: readonly string[]): WordChange[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0)) ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, offset, d);
    }
  }
  return [];
}

function backtrack(trace: Int32Array[], a: readonly string[], b: readonly string[], offset: number, depth: number): WordChange[] {
  const changes: WordChange[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = depth; d > 0; d--) {
    const v = trace[d] ?? new Int32Array();
    const k = x - y;
    const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
    const previousK = down ? k + 1 : k - 1;
    const previousX = v[offset + previousK] ?? 0;
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      changes.push({ kind: "same", text: a[x - 1] ?? "" });
      x--;
      y--;
    }
    if (down) changes.push({ kind: "added", text: b[y - 1] ?? "" });
    else changes.push({ kind: "removed", text: a[x - 1] ?? "" });
    x = previousX;
    y = previousY;
  }
  while (x > 0 && y > 0) {
    changes.push({ kind: "same", text: a[x - 1] ?? "" });
    x--;
    y--;
  }
  return changes.reverse();
}

/**
 * How many blocks differ between two versions, counted cheaply by id and text (no word diff): added, removed or
 * edited. What the live draft shows as "n paragraphs changed since version m" on every page view.
 */
export function countChangedBlocks(before: readonly VersionBlock[], after: readonly VersionBlock[]): number {
  const beforeText = new Map(before.map((block) => [block.id, block.text]));
  let changed = 0;
  for (const block of after) {
    const text = beforeText.get(block.id);
    if (text !== block.text) changed += 1;
    beforeText.delete(block.id);
  }
  return changed + beforeText.size;
}
