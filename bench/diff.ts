/**
 * `npm run bench:diff`: the diff of two versions of a 1,000-block draft (issue 6: median under 100 ms).
 * The newer version edits a tenth of the blocks (words added, removed and replaced), inserts, deletes and moves a
 * few, splits and merges some; the diff is computed REPEATS times and its median and p95 go to bench/results.md.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { diffVersions, type VersionBlock } from "#app/versions/diff";
import { seededRandom } from "#tests/support/random-draft";
import { writeResultsSection } from "./results-file";

const BLOCKS = 1000;
const REPEATS = 50;
const WARM_UP = 5;
const TARGET_MEDIAN_MS = 100;
const SECTION_HEADING = "## Version diff (bench:diff)";

const WORDS = "myndighet licens öppna data upphovsrätt vägledning material verk nätverket förvaltning villkor spridning".split(" ");

function sentence(random: () => number, words: number): string {
  const chosen = Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)] ?? "text");
  return `${chosen.join(" ")}.`;
}

function firstVersion(random: () => number): VersionBlock[] {
  return Array.from({ length: BLOCKS }, (_, index) =>
    index % 20 === 0
      ? { id: `b${index}`, type: "heading", text: `${index / 20 + 1}. ${sentence(random, 4)}`, level: 2 }
      : { id: `b${index}`, type: "paragraph", text: Array.from({ length: 4 }, () => sentence(random, 12)).join(" "), level: null },
  );
}

function editedVersion(random: () => number, before: readonly VersionBlock[]): VersionBlock[] {
  const after: VersionBlock[] = [];
  let added = 0;
  for (const block of before) {
    const roll = random();
    if (roll < 0.02) continue; // deleted
    if (roll < 0.12) {
      const words = block.text.split(" ");
      const at = Math.floor(random() * words.length);
      words.splice(at, Math.floor(random() * 3), ...sentence(random, 3).split(" "));
      after.push({ ...block, text: words.join(" ") });
    } else if (roll < 0.13 && block.type === "paragraph") {
      const cut = block.text.indexOf(". ") + 1;
      after.push({ ...block, text: block.text.slice(0, cut) }, { id: `split${added++}`, type: "paragraph", text: block.text.slice(cut + 1), level: null });
    } else after.push(block);
    if (random() < 0.02) after.push({ id: `new${added++}`, type: "paragraph", text: sentence(random, 20), level: null });
  }
  for (let move = 0; move < 10; move++) {
    const [moved] = after.splice(Math.floor(random() * after.length), 1);
    if (moved) after.splice(Math.floor(random() * after.length), 0, moved);
  }
  return after;
}

function median(sorted: number[]): number {
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

async function main(): Promise<void> {
  // A fixed seed: the same two versions on every run.
  const random = seededRandom(6).next;
  const before = firstVersion(random);
  const after = editedVersion(random, before);
  const samples: number[] = [];
  let summary = diffVersions(before, after).summary;
  for (let run = 0; run < WARM_UP + REPEATS; run++) {
    const started = performance.now();
    summary = diffVersions(before, after).summary;
    if (run >= WARM_UP) samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const medianMs = median(samples);
  const p95Ms = samples[Math.ceil(samples.length * 0.95) - 1] ?? NaN;
  const section = [
    SECTION_HEADING,
    "",
    `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${os.cpus().length} cores, Node ${process.version}.`,
    "",
    `Two versions of a ${BLOCKS}-block draft (${before.reduce((sum, block) => sum + block.text.length, 0) / 1000 | 0}k characters): ` +
      `${summary.edited} blocks edited, ${summary.added} added (some split off), ${summary.removed} removed, ${summary.moved} moved, ` +
      `in ${summary.sectionsChanged} sections. diffVersions (block level by id, word level inside changed blocks), ` +
      `${WARM_UP} warm-up runs then ${REPEATS} timed. Target: median under ${TARGET_MEDIAN_MS} ms.`,
    "",
    "| Median | p95 | Max | Target |",
    "| ---: | ---: | ---: | --- |",
    `| ${medianMs.toFixed(1)} ms | ${p95Ms.toFixed(1)} ms | ${(samples[samples.length - 1] ?? NaN).toFixed(1)} ms | ${medianMs < TARGET_MEDIAN_MS ? "PASS" : "FAIL"} |`,
    "",
  ].join("\n");
  console.log(section);
  await writeResultsSection(SECTION_HEADING, section);
}

await main();
