import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

const RESULTS_FILE = path.resolve(import.meta.dirname, "results.md");

/**
 * Replaces one benchmark's section of bench/results.md (from its `## ` heading to the next), or adds it; the other
 * benchmarks' sections stay as they are.
 */
export async function writeResultsSection(heading: string, section: string): Promise<void> {
  const existing = existsSync(RESULTS_FILE) ? await readFile(RESULTS_FILE, "utf8") : "# Benchmark results\n";
  const start = existing.indexOf(`${heading}\n`);
  if (start < 0) {
    await writeFile(RESULTS_FILE, `${existing.trimEnd()}\n\n${section}`);
    return;
  }
  const next = existing.indexOf("\n## ", start + heading.length);
  const rest = next < 0 ? "" : `\n${existing.slice(next + 1)}`;
  await writeFile(RESULTS_FILE, `${existing.slice(0, start)}${section}${rest}`);
}
