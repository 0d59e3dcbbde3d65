import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createAnchor, DocumentIndex, type StoredAnchor } from "#app/comments/anchoring";
import type { CommentEvent } from "#app/comments/events";
import { writeContentToYDoc, type ContentNode } from "#app/editor/content";
import { ThreadPlaces } from "#app/models/thread-places.server";
import { deleteText, insertText, removeBlock, splitBlock, textblocks } from "#tests/support/random-draft";

const paragraph = (id: string, text: string): ContentNode => ({ type: "paragraph", attrs: { id }, content: [{ type: "text", text }] });

function element(doc: Y.Doc, id: string): Y.XmlElement {
  const found = textblocks(doc).find((block) => block.getAttribute("id") === id);
  if (!found) throw new Error(`no block ${id}`);
  return found;
}

/** A document with threads, and the events ThreadPlaces publishes for it, each awaited as it comes. */
function setUp() {
  const doc = new Y.Doc();
  writeContentToYDoc(
    {
      type: "doc",
      content: [
        paragraph("p1", "Myndigheter bör licensiera sitt material öppet."),
        paragraph("p2", "Använd EUPL 1.2 för egna applikationer."),
        paragraph("p3", "Data publiceras under CC0."),
      ],
    },
    doc,
  );
  const index = DocumentIndex.of(doc);
  const on = (blockId: string, exact?: string): StoredAnchor => {
    const from = exact ? (index.block(blockId)?.text.indexOf(exact) ?? -1) : -1;
    const anchor = createAnchor(index, blockId, exact ? { from, to: from + exact.length } : undefined);
    if (!anchor) throw new Error("no anchor");
    return anchor;
  };
  const threads = [
    { id: "passage", anchor: on("p1", "licensiera sitt material") },
    { id: "block", anchor: on("p2") },
    { id: "other", anchor: on("p3", "CC0") },
  ];
  /** A thread made now, as a member's comment makes one. */
  const addThread = (id: string, blockId: string, exact?: string) => threads.push({ id, anchor: on(blockId, exact) });
  const events: CommentEvent[] = [];
  /** The text's revisions announced, apart from the threads' events. */
  const revisions: string[] = [];
  // Comparisons waiting for edits to settle: the test says when they have.
  const settling: (() => void)[] = [];
  let waiting: (() => void) | null = null;
  let compared = 0;
  let onCompared: (() => void) | null = null;
  const places = new ThreadPlaces({
    readThreads: () => Promise.resolve({ threads }),
    readDocument: (_documentId, read) => {
      const result = read(doc);
      compared += 1;
      onCompared?.();
      return Promise.resolve(result);
    },
    commentEvents: {
      publish: (documentId, event) => {
        expect(documentId).toBe("d");
        if (event.type === "text-changed") revisions.push(event.revision);
        else events.push(event);
        waiting?.();
        onRevision?.();
      },
    },
    onError: (_documentId, error) => {
      throw error;
    },
    later: (compare) => {
      settling.push(compare);
      return () => settling.splice(settling.indexOf(compare), 1);
    },
  });
  const nextEvent = async (): Promise<CommentEvent> => {
    while (events.length === 0) await new Promise<void>((resolve) => (waiting = resolve));
    return events.shift() as CommentEvent;
  };
  let onRevision: (() => void) | null = null;
  const nextRevision = async (): Promise<string> => {
    while (revisions.length === 0) await new Promise<void>((resolve) => (onRevision = resolve));
    return revisions.shift() as string;
  };
  const comparisons = async (count: number): Promise<void> => {
    while (compared < count) await new Promise<void>((resolve) => (onCompared = resolve));
  };
  /** A change to the text, as the collaboration server reports it, then the time for a burst of edits to settle. */
  const edit = (change: () => void) => {
    change();
    places.changed("d");
  };
  const settle = () => {
    for (const compare of settling.splice(0)) compare();
  };
  return { doc, places, events, revisions, nextRevision, settling, addThread, nextEvent, comparisons, edit, settle };
}

describe("threads moved by edits", () => {
  it("announces a thread whose block was deleted, and not threads whose text was only typed in", async () => {
    const { doc, places, events, nextEvent, comparisons, edit, settle } = setUp();
    const unwatch = places.watch("d");
    await comparisons(1);
    // Typing inside a passage moves its offsets only: the live editor follows those.
    edit(() => insertText(element(doc, "p1"), 20, "ja, "));
    // One comparison for a burst of edits.
    edit(() => removeBlock(element(doc, "p2")));
    settle();
    expect(await nextEvent()).toEqual({ type: "thread-changed", threadId: "block" });
    // Most of the passage typed over: its thread is now on changed text.
    edit(() => deleteText(element(doc, "p1"), 16, 36));
    settle();
    expect(await nextEvent()).toEqual({ type: "thread-changed", threadId: "passage" });
    // A split moves a passage to the new block.
    edit(() => splitBlock(element(doc, "p3"), 5, "p3b"));
    settle();
    expect(await nextEvent()).toEqual({ type: "thread-changed", threadId: "other" });
    await comparisons(4);
    expect(events).toEqual([]);
    unwatch();
  });

  it("announces a thread made since the last comparison when the first edit after it moves it", async () => {
    const { doc, places, events, nextEvent, comparisons, addThread, edit, settle } = setUp();
    const unwatch = places.watch("d");
    await comparisons(1);
    addThread("new", "p2", "EUPL 1.2");
    addThread("new on a block", "p3");
    edit(() => removeBlock(element(doc, "p2")));
    settle();
    expect(await nextEvent()).toEqual({ type: "thread-changed", threadId: "block" });
    expect(await nextEvent()).toEqual({ type: "thread-changed", threadId: "new" });
    // Made and not moved: nothing to announce.
    edit(() => removeBlock(element(doc, "p3")));
    addThread("newer", "p1", "material");
    settle();
    expect(await nextEvent()).toEqual({ type: "thread-changed", threadId: "other" });
    expect(await nextEvent()).toEqual({ type: "thread-changed", threadId: "new on a block" });
    expect(events).toEqual([]);
    unwatch();
  });

  it("compares only while a page listens", async () => {
    const { doc, places, settling, nextEvent, comparisons, edit, settle } = setUp();
    // Before any page listens: nothing to announce, and what the first page gets already shows it.
    edit(() => removeBlock(element(doc, "p2")));
    expect(settling).toHaveLength(0);
    const first = places.watch("d");
    const second = places.watch("d");
    await comparisons(1);
    first();
    // The first page left, the second still listens.
    edit(() => removeBlock(element(doc, "p3")));
    settle();
    expect(await nextEvent()).toEqual({ type: "thread-changed", threadId: "other" });
    // The last page leaves with a comparison waiting: it is cancelled, and later edits start none.
    edit(() => insertText(element(doc, "p1"), 0, "Alla "));
    expect(settling).toHaveLength(1);
    second();
    expect(settling).toHaveLength(0);
    edit(() => removeBlock(element(doc, "p1")));
    expect(settling).toHaveLength(0);
  });

  it("announces each new revision of the text once per burst of edits, for pages without the editor", async () => {
    const { doc, places, revisions, nextRevision, comparisons, edit, settle } = setUp();
    const unwatch = places.watch("d");
    await comparisons(1);
    edit(() => insertText(element(doc, "p1"), 20, "ja, "));
    edit(() => insertText(element(doc, "p2"), 0, "Och "));
    settle();
    const first = await nextRevision();
    // An edit undone within a burst leaves the text as it was: nothing to announce for it.
    edit(() => insertText(element(doc, "p3"), 0, "x"));
    edit(() => deleteText(element(doc, "p3"), 0, 1));
    settle();
    edit(() => insertText(element(doc, "p3"), 0, "Alla "));
    settle();
    const second = await nextRevision();
    expect(second).not.toBe(first);
    expect(revisions).toEqual([]);
    unwatch();
  });
});
