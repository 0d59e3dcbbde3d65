import { describe, expect, it } from "vitest";
import { changeReferences, diffVersions, diffWords, type BlockChange, type VersionBlock } from "#app/versions/diff";

const p = (id: string, text: string): VersionBlock => ({ id, type: "paragraph", text, level: null });
const h2 = (id: string, text: string): VersionBlock => ({ id, type: "heading", text, level: 2 });
/** Each change as "kind id" (+ what a reader is told about it), in the order the diff shows them. */
const outline = (changes: BlockChange[]) =>
  changes.map((change) => {
    switch (change.kind) {
      case "added":
        return `added ${change.block.id}${change.splitFrom ? ` (split from ${change.splitFrom})` : ""}`;
      case "removed":
        return `removed ${change.block.id}${change.mergedInto ? ` (merged into ${change.mergedInto})` : ""}`;
      case "changed":
        return `changed ${change.block.id}${change.moved ? " (moved)" : ""}`;
      default:
        return `${change.kind} ${change.block.id}`;
    }
  });

const base = [h2("s1", "1. Om vägledningen"), p("a", "Alfa text om licenser."), p("b", "Beta text om data."), h2("s2", "2. Varför"), p("c", "Gamma text."), p("d", "Delta text.")];

describe("the difference between two versions", () => {
  it("says there is none between a version and itself", () => {
    const diff = diffVersions(base, base);
    expect(diff.changes.every((change) => change.kind === "unchanged")).toBe(true);
    expect(diff.summary).toEqual({ sectionsChanged: 0, edited: 0, added: 0, removed: 0, moved: 0 });
  });

  it("finds an edit, word by word", () => {
    const diff = diffVersions(base, base.map((block) => (block.id === "b" ? p("b", "Beta text om öppna data.") : block)));
    expect(outline(diff.changes)).toContain("changed b");
    const change = diff.changes.find((candidate) => candidate.kind === "changed");
    expect(change?.kind === "changed" ? change.words : []).toEqual([
      { kind: "same", text: "Beta text om " },
      { kind: "added", text: "öppna " },
      { kind: "same", text: "data." },
    ]);
    expect(diff.summary).toEqual({ sectionsChanged: 1, edited: 1, added: 0, removed: 0, moved: 0 });
  });

  it("places an inserted block where it is and a deleted one where it was (removals first, as in a unified diff)", () => {
    const after = [base[0], base[1], p("new", "Ny text."), base[3], base[5]].filter((block): block is VersionBlock => block !== undefined);
    expect(outline(diffVersions(base, after).changes)).toEqual([
      "unchanged s1",
      "unchanged a",
      "removed b",
      "added new",
      "unchanged s2",
      "removed c",
      "unchanged d",
    ]);
    expect(diffVersions(base, after).summary).toEqual({ sectionsChanged: 2, edited: 0, added: 1, removed: 2, moved: 0 });
  });

  it("marks only the block that moved, not every block it passed", () => {
    const after = [base[0], base[2], base[3], base[4], base[5], base[1]].filter((block): block is VersionBlock => block !== undefined);
    const diff = diffVersions(base, after);
    expect(outline(diff.changes)).toEqual(["unchanged s1", "unchanged b", "unchanged s2", "unchanged c", "unchanged d", "moved a"]);
    expect(diff.summary.moved).toBe(1);
  });

  it("reports a moved and edited block once, as both", () => {
    const after = [base[0], base[2], base[3], p("a", "Alfa text om fria licenser."), base[4], base[5]].filter(
      (block): block is VersionBlock => block !== undefined,
    );
    const diff = diffVersions(base, after);
    expect(outline(diff.changes)).toContain("changed a (moved)");
    expect(diff.summary).toEqual({ sectionsChanged: 1, edited: 1, added: 0, removed: 0, moved: 1 });
  });

  it("recognises a split: the block keeps its start, a new block takes the rest", () => {
    const before = [p("a", "Första meningen. Andra meningen.")];
    const after = [p("a", "Första meningen."), p("n", "Andra meningen.")];
    expect(outline(diffVersions(before, after).changes)).toEqual(["changed a", "added n (split from a)"]);
  });

  it("recognises a merge: the block absorbs the next one's text", () => {
    const before = [p("a", "Första meningen."), p("b", "Andra meningen.")];
    const after = [p("a", "Första meningen. Andra meningen.")];
    expect(outline(diffVersions(before, after).changes)).toEqual(["changed a", "removed b (merged into a)"]);
  });

  it("keeps every word of both texts in the word diff, in order", () => {
    const pairs = [
      ["", "Helt ny text."],
      ["Borttagen text.", ""],
      ["Myndigheter bör licensiera öppet, enligt PRV.", "Myndigheter ska licensiera material öppet enligt PRV och Digg."],
      ["a b c d e f g", "g f e d c b a"],
    ] as const;
    for (const [before, after] of pairs) {
      const words = diffWords(before, after);
      expect(words.filter((word) => word.kind !== "added").map((word) => word.text).join("")).toBe(before);
      expect(words.filter((word) => word.kind !== "removed").map((word) => word.text).join("")).toBe(after);
    }
  });

  it("places each change as readers cite it: in the newer version, or where a removed block was", () => {
    const after = [base[0], base[1], p("new", "Ny text."), base[3], p("c", "Gamma text, ändrad."), base[5]].filter(
      (block): block is VersionBlock => block !== undefined,
    );
    const changes = diffVersions(base, after).changes;
    const references = changeReferences(base, after, changes);
    const placed = changes.map((change, index) => [outline([change])[0], references[index]]);
    expect(placed).toEqual([
      ["unchanged s1", { section: "1", paragraph: null }],
      ["unchanged a", { section: "1", paragraph: 1 }],
      ["removed b", { section: "1", paragraph: 2 }],
      ["added new", { section: "1", paragraph: 2 }],
      ["unchanged s2", { section: "2", paragraph: null }],
      ["changed c", { section: "2", paragraph: 1 }],
      ["unchanged d", { section: "2", paragraph: 2 }],
    ]);
  });
});
