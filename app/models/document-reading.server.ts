import type * as Y from "yjs";
import { anchorForResolving, DocumentIndex } from "#app/comments/anchoring";
import { blockReferences, type BlockReference } from "#app/comments/references";
import type { ThreadMarker } from "#app/comments/types";
import { yDocToContent, type ContentNode } from "#app/editor/content";
import { countChangedBlocks } from "#app/versions/diff";
import { locateThreads, openThreadCounts, type LocatedThread, type StoredThreads } from "./comments/threads.server";
import { textRevision } from "./text-revision.server";
import { serialize, type Serialized, type StaticDraft, type ThreadFilter } from "./document-page";

/**
 * What every reader of a document sees alike at one moment: its text, the references of its blocks, where each
 * thread is, and the open threads per block. Between two changes of the text or of the comments every page
 * view shares one, so a much-read draft is resolved once per change instead of once per reader.
 */
export interface DocumentReading {
  content: ContentNode;
  /** Names this state of the text (see textRevision). */
  textRevision: string;
  references: Map<string, BlockReference>;
  located: LocatedThread[];
  /** Blocks changed since the version the draft is based on (0 before the first version). */
  changedSinceVersion: number;
  /** As the page sends them: the same for every reader, so serialised once. */
  referencesJson: Serialized<Record<string, BlockReference>>;
  openThreadCountsJson: Serialized<Record<string, number>>;
  /** The threads a filter that is the same for every reader selects, worked out on first use. */
  selections: Map<Exclude<ThreadFilter, "mine">, ThreadSelection>;
}

/** The threads one filter selects, with what the page sends and renders of them. */
export interface ThreadSelection {
  selected: LocatedThread[];
  markersJson: Serialized<ThreadMarker[]>;
  /** The same object for every reader of this selection, so its rendered markup can be kept (see StaticDraft). */
  staticDraft: StaticDraft;
}

// A Y.Doc changes in place; counting its updates tells a reading made before a change from one made after it.
const revisions = new WeakMap<Y.Doc, { count: number }>();
// Only the latest reading per document and stored threads: older ones describe a state nobody reads any more.
const readings = new WeakMap<Y.Doc, WeakMap<StoredThreads, { revision: number; reading: DocumentReading }>>();

function revisionOf(doc: Y.Doc): number {
  let revision = revisions.get(doc);
  if (!revision) {
    const counter = { count: 0 };
    doc.on("update", () => {
      counter.count += 1;
    });
    revisions.set(doc, counter);
    revision = counter;
  }
  return revision.count;
}

/**
 * The reading of `doc` with `stored` threads. Must be called inside services.readDocument, like any read of the
 * doc: it reads the doc synchronously, so the text, the references and the threads' places describe one state.
 */
export function readingOf(doc: Y.Doc, stored: StoredThreads): DocumentReading {
  const revision = revisionOf(doc);
  let byStored = readings.get(doc);
  if (!byStored) {
    byStored = new WeakMap();
    readings.set(doc, byStored);
  }
  const cached = byStored.get(stored);
  if (cached && cached.revision === revision) return cached.reading;

  const index = DocumentIndex.of(doc);
  const outline = index.blocks.map((block) => ({
    id: block.id,
    headingLevel: block.type === "heading" ? Number(block.element.getAttribute("level")) || 1 : null,
  }));
  const located = locateThreads(stored, index);
  const references = blockReferences(outline);
  const blocks = index.blocks.map((block, position) => ({ id: block.id, type: block.type, text: block.text, level: outline[position]?.headingLevel ?? null }));
  const content = yDocToContent(doc);
  const reading: DocumentReading = {
    content,
    textRevision: textRevision(content),
    references,
    located,
    changedSinceVersion: stored.currentVersion ? countChangedBlocks(stored.currentVersion.blocks, blocks) : 0,
    referencesJson: serialize(Object.fromEntries(references)),
    openThreadCountsJson: serialize(openThreadCounts(stored, located)),
    selections: new Map(),
  };
  byStored.set(stored, { revision, reading });
  return reading;
}

/** The threads `filter` selects from `reading`: kept on the reading, except "mine", which differs per reader. */
export function selectThreads(reading: DocumentReading, filter: ThreadFilter, matches: (thread: LocatedThread) => boolean): ThreadSelection {
  if (filter === "mine") return selectionOf(reading.content, reading.located.filter(matches));
  let selection = reading.selections.get(filter);
  if (!selection) {
    selection = selectionOf(reading.content, reading.located.filter(matches));
    reading.selections.set(filter, selection);
  }
  return selection;
}

function selectionOf(content: ContentNode, selected: LocatedThread[]): ThreadSelection {
  const markers = selected.map(toMarker);
  const highlights: StaticDraft["highlights"] = {};
  const firstThreads: StaticDraft["firstThreads"] = {};
  for (const { record, resolution } of selected) {
    if (resolution.state === "removed") continue;
    firstThreads[resolution.blockId] ??= record.id;
    if (resolution.state === "passage") (highlights[resolution.blockId] ??= []).push({ from: resolution.from, to: resolution.to, threadId: record.id });
  }
  return { selected, markersJson: serialize(markers), staticDraft: { content, highlights, firstThreads } };
}

function toMarker({ record, anchor, resolution }: LocatedThread): ThreadMarker {
  return {
    id: record.id,
    blockId: resolution.state === "removed" ? null : resolution.blockId,
    anchor: anchor.passage ? anchorForResolving(anchor) : null,
  };
}
