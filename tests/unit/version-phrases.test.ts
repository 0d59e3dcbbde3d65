import { describe, expect, it } from "vitest";
import { diffVersions, diffWords, type VersionBlock, type WordChange } from "#app/versions/diff";
import { phrases } from "#app/versions/phrases";
import { changesBySection } from "#app/versions/sections";
import { seededRandom, type Random } from "#tests/support/random-draft";

const oldSide = (words: readonly WordChange[]) => words.filter((word) => word.kind !== "added").map((word) => word.text).join("");
const newSide = (words: readonly WordChange[]) => words.filter((word) => word.kind !== "removed").map((word) => word.text).join("");
/** The diff as a reader sees it: [-removed-] and {+added+} in the running text. */
const marked = (words: readonly WordChange[]) =>
  words.map((word) => (word.kind === "same" ? word.text : word.kind === "removed" ? `[-${word.text}-]` : `{+${word.text}+}`)).join("");

describe("a word diff read as phrases", () => {
  it("keeps a small edit small", () => {
    expect(marked(phrases(diffWords("Myndigheter bör licensiera öppet.", "Myndigheter ska licensiera öppet.")))).toBe(
      "Myndigheter [-bör-]{+ska+} licensiera öppet.",
    );
  });

  it("reads neighbouring changes separated by spaces or a short word as one old phrase, then one new", () => {
    const before = "Vi använder i dag CC BY för texter och CC0 för data, som nätverket kom fram till.";
    const after = "Vi använder i dag en öppen licens för allt material, som nätverket kom fram till.";
    expect(marked(phrases(diffWords(before, after)))).toBe(
      "Vi använder i dag [-CC BY för texter och CC0 för data-]{+en öppen licens för allt material+}, som nätverket kom fram till.",
    );
  });

  it("shows a paragraph that was mostly rewritten as all of the old text, then all of the new", () => {
    const before = "Skälen för stycket skrevs om helt efter workshoppen i oktober.";
    const after = "Hela stycket är nytt och säger något annat än förut om skälen.";
    const grouped = phrases(diffWords(before, after));
    expect(grouped).toEqual([
      { kind: "removed", text: before },
      { kind: "added", text: after },
    ]);
  });

  it("keeps long unchanged stretches between changes as they are", () => {
    const before = "Första meningen är kvar. Den andra meningen står också kvar som den var. Slutet ändras.";
    const after = "Nya meningen är kvar. Den andra meningen står också kvar som den var. Slutet byts.";
    expect(marked(phrases(diffWords(before, after)))).toBe(
      "[-Första-]{+Nya+} meningen är kvar. Den andra meningen står också kvar som den var. Slutet [-ändras-]{+byts+}.",
    );
  });

  it("has the old text on its old side and the new text on its new side, for any edit (seeded)", () => {
    const vocabulary = "och att för licens data öppna myndighet i en upphovsrätt material CC0 , . ( ) – verk".split(" ");
    const text = (random: Random, words: number) =>
      Array.from({ length: words }, () => random.pick(vocabulary)).join(random.chance(0.2) ? "  " : " ");
    const edit = (random: Random, source: string) => {
      const words = source.split(" ");
      for (let step = random.between(0, 6); step > 0; step--) {
        words.splice(random.int(words.length + 1), random.int(4), ...text(random, random.int(5)).split(" ").filter(Boolean));
      }
      return words.join(" ");
    };
    for (let seed = 1; seed <= 300; seed++) {
      const random = seededRandom(seed);
      const before = random.chance(0.05) ? "" : text(random, random.between(1, 40));
      const after = random.chance(0.05) ? "" : edit(random, before);
      const grouped = phrases(diffWords(before, after));
      expect(oldSide(grouped), `seed ${seed}`).toBe(before);
      expect(newSide(grouped), `seed ${seed}`).toBe(after);
      // Phrases never take turns: a removal is never followed by another removal, nor an addition by one.
      grouped.forEach((word, index) => {
        const next = grouped[index + 1];
        if (next && word.kind !== "same") expect(next.kind === word.kind || (word.kind === "added" && next.kind === "removed"), `seed ${seed}`).toBe(false);
      });
    }
  });
});

describe("the changes of each section", () => {
  const p = (id: string, text: string): VersionBlock => ({ id, type: "paragraph", text, level: null });
  const h = (id: string, level: number, text: string): VersionBlock => ({ id, type: "heading", text, level });

  it("counts each section's changes under its heading and points at its first change", () => {
    const before = [h("t", 1, "Titel"), p("i", "Inledning."), h("s1", 2, "1. Om"), p("a", "Alfa."), h("s2", 2, "2. Licenser"), p("b", "Beta."), p("c", "Gamma."), p("d", "Delta.")];
    const after = [h("t", 1, "Titel"), p("i", "Inledning, ändrad."), h("s1", 2, "1. Om"), p("a", "Alfa."), h("s2", 2, "2. Licenser"), p("b", "Beta, ny."), p("c", "Gamma, ny."), p("n", "Ny."), p("d", "Delta.")];
    expect(changesBySection(diffVersions(before, after).changes)).toEqual([
      { heading: null, firstChange: 1, edited: 1, added: 0, removed: 0, moved: 0 },
      { heading: "2. Licenser", firstChange: 2, edited: 2, added: 1, removed: 0, moved: 0 },
    ]);
  });
});
