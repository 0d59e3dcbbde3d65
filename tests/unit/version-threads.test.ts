import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createAnchor, DocumentIndex, type StoredAnchor } from "#app/comments/anchoring";
import { formatReference } from "#app/comments/references";
import { writeContentToYDoc, type ContentNode } from "#app/editor/content";
import { type StoredThreads } from "#app/models/comments/threads.server";
import { placeThreads, threadsExistingAt, threadsMadeOnVersion } from "#app/models/version-threads.server";
import { readVersionState, versionBlocks } from "#app/models/versions.server";
import { diffVersions, versionBlockReferences, type VersionBlock } from "#app/versions/diff";
import { firstWords, threadsByChange, type PlacedThread, type ThreadSummary } from "#app/versions/threads";
import type { CommentRecord, ThreadRecord } from "#db/repositories/comments";

// ---------------------------------------------------------------------------------------------------------------------
// A small draft, as version 1 froze it

const text = (value: string): ContentNode => ({ type: "text", text: value });
const heading = (id: string, level: number, value: string): ContentNode => ({
  type: "heading",
  attrs: { id, level },
  content: [text(value)],
});
const paragraph = (id: string, value: string): ContentNode => ({ type: "paragraph", attrs: { id }, content: [text(value)] });

const P1 = "Myndigheter bör licensiera sitt material öppet.";
const P2 = "Använd EUPL 1.2 för myndighetens egna applikationer.";
const P3 = "Logotyper hålls åtskilda från innehållet.";

function versionOne(): Y.Doc {
  const doc = new Y.Doc();
  writeContentToYDoc(
    {
      type: "doc",
      content: [
        heading("title", 1, "Vägledning"),
        heading("s1", 2, "Licenser"),
        paragraph("p1", P1),
        paragraph("p2", P2),
        paragraph("p3", P3),
      ],
    },
    doc,
  );
  return doc;
}

/** A copy of a doc that goes on being edited, as the live draft does after a version is frozen. */
function liveCopyOf(doc: Y.Doc): Y.Doc {
  const live = new Y.Doc();
  Y.applyUpdate(live, Y.encodeStateAsUpdate(doc));
  return live;
}

function textOf(doc: Y.Doc, blockId: string): Y.XmlText {
  const block = DocumentIndex.of(doc).block(blockId);
  const first = block?.element.get(0);
  if (!(first instanceof Y.XmlText)) throw new Error(`no text in ${blockId}`);
  return first;
}

function anchor(doc: Y.Doc, blockId: string, exact?: string): StoredAnchor {
  const index = DocumentIndex.of(doc);
  const from = exact === undefined ? -1 : index.block(blockId)?.text.indexOf(exact) ?? -1;
  const made = exact === undefined ? createAnchor(index, blockId) : createAnchor(index, blockId, { from, to: from + exact.length });
  if (!made) throw new Error(`no anchor on ${blockId}`);
  return made;
}

// ---------------------------------------------------------------------------------------------------------------------
// Threads and comments as the database returns them

const MINUTE = 60_000;
const T0 = Date.parse("2026-11-02T09:00:00Z");

interface ThreadSpec {
  id: string;
  anchor: StoredAnchor;
  version?: number | null;
  minute?: number;
  status?: "open" | "resolved";
  comments?: Partial<CommentRecord>[];
}

function storedThreads(specs: ThreadSpec[]): StoredThreads {
  const threads: ThreadRecord[] = specs.map((spec) => ({
    id: spec.id,
    document_id: "d",
    block_id: spec.anchor.blockId,
    anchor: spec.anchor,
    author_id: `author-${spec.id}`,
    status: spec.status ?? "open",
    status_changed_by: null,
    status_changed_at: null,
    created_at: new Date(T0 + (spec.minute ?? 0) * MINUTE),
    version_number: spec.version === undefined ? 1 : spec.version,
    kind: "comment",
    suggested_text: null,
    outcome: null,
    response: null,
    responded_by_name: null,
    responded_at: null,
    incorporated_in: null,
    author_name: `Författare ${spec.id}`,
    author_organisation: "Testmyndigheten",
  }));
  const commentsByThread = new Map(
    specs.map((spec, threadIndex) => [
      spec.id,
      (spec.comments ?? [{}]).map(
        (fields, index): CommentRecord => ({
          id: `${spec.id}-c${index}`,
          thread_id: spec.id,
          author_id: `author-${spec.id}`,
          body: `Kommentar ${index} i ${spec.id}`,
          position: null,
          created_at: new Date((threads[threadIndex]?.created_at.getTime() ?? T0) + index * MINUTE),
          edited_at: null,
          deleted_at: null,
          hidden_at: null,
          hidden_reason: null,
          version_number: spec.version === undefined ? 1 : spec.version,
          author_name: `Författare ${spec.id}`,
          author_organisation: "Testmyndigheten",
          ...fields,
        }),
      ),
    ]),
  );
  return { currentVersion: null, threads, commentsByThread, agreements: new Map() };
}

const ids = (threads: readonly { id: string }[]) => threads.map((thread) => thread.id);

/** Placed in `doc` as the pages place them: with the references of its own blocks. */
function placedIn(doc: Y.Doc, stored: StoredThreads, threads = stored.threads): PlacedThread[] {
  return placeThreads(stored, threads, DocumentIndex.of(doc), versionBlockReferences(versionBlocks(doc)));
}

describe("choosing the threads of a version", () => {
  const doc = versionOne();
  const removed = new Date(T0 + 90 * MINUTE);
  const stored = storedThreads([
    { id: "before-any", anchor: anchor(doc, "p1"), version: null, minute: 0 },
    { id: "on-v1", anchor: anchor(doc, "p1"), version: 1, minute: 10 },
    { id: "withdrawn", anchor: anchor(doc, "p2"), version: 1, minute: 20, comments: [{ deleted_at: removed }, { deleted_at: removed }] },
    { id: "half-withdrawn", anchor: anchor(doc, "p2"), version: 1, minute: 30, comments: [{ deleted_at: removed }, {}] },
    { id: "on-v2", anchor: anchor(doc, "p3"), version: 2, minute: 60 },
  ]);

  it("takes the threads started while the draft was based on that version, less those their authors removed", () => {
    expect(ids(threadsMadeOnVersion(stored, 1))).toEqual(["on-v1", "half-withdrawn"]);
    expect(ids(threadsMadeOnVersion(stored, 2))).toEqual(["on-v2"]);
    expect(threadsMadeOnVersion(stored, 3)).toEqual([]);
  });

  it("takes the threads that existed at a moment, the moment itself included, or all of them for the live draft", () => {
    expect(ids(threadsExistingAt(stored, new Date(T0 + 10 * MINUTE)))).toEqual(["before-any", "on-v1"]);
    expect(ids(threadsExistingAt(stored, new Date(T0 + 59 * MINUTE)))).toEqual(["before-any", "on-v1", "half-withdrawn"]);
    expect(ids(threadsExistingAt(stored, null))).toEqual(["before-any", "on-v1", "half-withdrawn", "on-v2"]);
  });
});

describe("placing threads in a version's own text", () => {
  it("lists them in document order with the reference, passage, status, author, first comment and replies there", () => {
    const doc = versionOne();
    const stored = storedThreads([
      { id: "late-in-p2", anchor: anchor(doc, "p2", "egna applikationer"), status: "resolved", comments: [{ body: "Vilka?" }, {}, {}] },
      { id: "whole-p1", anchor: anchor(doc, "p1"), comments: [{ body: "Hela stycket.", position: "supports" }] },
      { id: "early-in-p2", anchor: anchor(doc, "p2", "EUPL 1.2") },
    ]);
    // As the version page reads it: from the stored state, into a doc that is gone afterwards.
    const placed = readVersionState(Y.encodeStateAsUpdateV2(doc), (frozen) => placedIn(frozen, stored));
    expect(ids(placed.map((thread) => thread.summary))).toEqual(["whole-p1", "early-in-p2", "late-in-p2"]);

    const [whole, early, late] = placed;
    expect(whole).toMatchObject({ blockId: "p1", passageStart: null });
    expect(whole?.summary).toMatchObject({
      status: "open",
      authorName: "Författare whole-p1",
      authorOrganisation: "Testmyndigheten",
      quote: null,
      firstComment: { state: "visible", body: "Hela stycket.", position: "supports" },
      replies: 0,
    });
    expect(formatReference(whole?.summary.reference ?? { section: null, paragraph: null }, "Rubrik")).toBe("1 ¶1");
    expect(early).toMatchObject({ blockId: "p2", passageStart: P2.indexOf("EUPL 1.2") });
    expect(late?.summary).toMatchObject({ status: "resolved", quote: { text: "egna applikationer", found: true }, replies: 2 });
    expect(formatReference(late?.summary.reference ?? { section: null, paragraph: null }, "Rubrik")).toBe("1 ¶2");
  });

  it("never shows the text of a deleted or hidden first comment", () => {
    const doc = versionOne();
    const at = new Date(T0 + 5 * MINUTE);
    const stored = storedThreads([
      { id: "deleted", anchor: anchor(doc, "p1"), comments: [{ body: "Ångrat", deleted_at: at }, { body: "Ett svar" }] },
      {
        id: "hidden",
        anchor: anchor(doc, "p2"),
        comments: [{ body: "Otrevligt", position: "opposes", hidden_at: at, hidden_reason: "Personangrepp" }],
      },
    ]);
    const [deleted, hidden] = placedIn(doc, stored).map((thread) => thread.summary.firstComment);
    expect(deleted).toMatchObject({ state: "deleted", body: "" });
    expect(hidden).toMatchObject({ state: "hidden", body: "", position: null, hiddenReason: "Personangrepp" });
    expect(JSON.stringify(placedIn(doc, stored))).not.toMatch(/Ångrat|Otrevligt/);
  });

  it("says when a thread's passage or block is not in that text, and lists those threads last", () => {
    const frozen = versionOne();
    const live = liveCopyOf(frozen);
    // After the freeze, text is typed into ¶2 and commented on, and a paragraph is written and commented on.
    textOf(live, "p2").insert(P2.length, " Även för webbplatser.");
    const written = "Ett stycke skrivet efteråt.";
    const stored = storedThreads([
      { id: "on-written-later", anchor: { blockId: "p9", blockText: written, passage: null } },
      { id: "on-typed-text", anchor: anchor(live, "p2", "Även för webbplatser") },
      { id: "on-p1", anchor: anchor(frozen, "p1") },
    ]);

    const placed = placedIn(frozen, stored);
    expect(ids(placed.map((thread) => thread.summary))).toEqual(["on-p1", "on-typed-text", "on-written-later"]);
    const [, typed, later] = placed;
    expect(typed).toMatchObject({ blockId: "p2", passageStart: null });
    expect(typed?.summary.quote).toEqual({ text: "Även för webbplatser", found: false });
    expect(later).toMatchObject({ blockId: null, passageStart: null });
    expect(later?.summary).toMatchObject({ reference: null, quote: { text: written, found: false } });
  });
});

describe("the threads under each change", () => {
  const summary = (id: string): ThreadSummary => ({
    id,
    status: "open",
    authorName: id,
    authorOrganisation: "",
    reference: null,
    quote: null,
    firstComment: {
      id: `${id}-c0`,
      authorName: id,
      authorOrganisation: "",
      body: "",
      state: "visible",
      hiddenReason: null,
      position: null,
      createdAt: "",
      editedAt: null,
      mine: false,
      versionNumber: null,
    },
    replies: 0,
  });
  const at = (id: string, blockId: string | null, passageStart: number | null = null): PlacedThread => ({
    summary: summary(id),
    blockId,
    passageStart,
  });
  const p = (id: string, text: string): VersionBlock => ({ id, type: "paragraph", text, level: null });

  const SPLIT_HEAD = "Första delen om licenser.";
  const SPLIT_TAIL = "Andra delen om data.";
  const before = [
    p("a", "Alfa."),
    p("b", "Beta."),
    p("c", "Gamma."),
    p("d", "Delta."),
    p("e", `${SPLIT_HEAD} ${SPLIT_TAIL}`),
    p("f", "Epsilon."),
  ];
  const after = [
    p("a", "Alfa, ändrad."),
    p("c", "Gamma."),
    p("d", "Delta."),
    p("e", SPLIT_HEAD),
    p("new", SPLIT_TAIL),
    p("f", "Epsilon."),
    p("g", "Zeta."),
  ];

  it("lists with each changed, removed and moved block the threads that were on it, and none with the others", () => {
    // c moves to after f.
    const reordered = [...after.filter((block) => block.id !== "c" && block.id !== "g"), p("c", "Gamma."), p("g", "Zeta.")];
    const diff = diffVersions(before, reordered);
    const placed = [at("on-a", "a"), at("on-b", "b", 0), at("on-c", "c"), at("on-d", "d"), at("on-f", "f"), at("not-there", null)];
    const lists = threadsByChange(diff.changes, before, placed);
    const byChange = diff.changes.map((change, index) => `${change.kind} ${change.block.id}: ${ids(lists[index] ?? []).join(",")}`);
    expect(byChange).toEqual([
      "changed a: on-a",
      "removed b: on-b",
      "unchanged d: ",
      "changed e: ",
      "added new: ",
      "unchanged f: ",
      "moved c: on-c",
      "added g: ",
    ]);
  });

  it("lists a thread on the part of a block that was split off with the new block, and the rest with the old one", () => {
    const diff = diffVersions(before, after);
    const split = diff.changes.find((change) => change.kind === "added" && change.block.id === "new");
    expect(split?.kind === "added" && split.splitFrom).toBe("e");
    const tailStart = (before[4]?.text ?? "").indexOf(SPLIT_TAIL);
    const placed = [at("whole-e", "e"), at("on-head", "e", 0), at("on-tail", "e", tailStart), at("later-in-tail", "e", tailStart + 6)];
    const lists = threadsByChange(diff.changes, before, placed);
    const listOf = (id: string, kind: string) =>
      ids(lists[diff.changes.findIndex((change) => change.block.id === id && change.kind === kind)] ?? []);
    expect(listOf("e", "changed")).toEqual(["whole-e", "on-head"]);
    expect(listOf("new", "added")).toEqual(["on-tail", "later-in-tail"]);
    expect(listOf("g", "added")).toEqual([]);
  });
});

describe("the first words of a comment", () => {
  it("keeps a short comment whole, on one line", () => {
    expect(firstWords("Bra.\n\nMen  oklart.", 40)).toBe("Bra. Men oklart.");
  });

  it("cuts a long one after a whole word, without trailing punctuation", () => {
    expect(firstWords("Vi tycker att stycket, som det står nu, är svårt att förstå.", 24)).toBe("Vi tycker att stycket…");
  });

  it("cuts one long word where it must", () => {
    expect(firstWords("https://example.org/en/mycket/lang/adress", 12)).toBe("https://exam…");
  });
});
