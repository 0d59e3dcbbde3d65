/** The table `npm run bench` prints: both servers side by side, Samråd as a ratio to the reference, PASS/FAIL per target. */
import type { BenchConfig, RunResult } from "./run";

export interface Report {
  options: BenchConfig;
  startedAt: Date;
  finishedAt: Date;
  reference?: RunResult;
  samrad?: RunResult;
  /** What Samråd stored for the load documents, read back after it stopped. */
  stored?: { updates: number; snapshots: number };
}

const IDLE_DOC_TARGET_KB = 200;
/** Share of a core other processes may use during a window before the run is flagged as disturbed. */
const BUSY_MACHINE_SHARE = 0.25;

interface Row {
  name: string;
  value: (result: RunResult) => number;
  format: (value: number) => string;
  /** Target on Samråd's own value, or on the ratio to the reference. */
  target?: { text: string; on: "value" | "ratio"; pass: (value: number) => boolean };
  ratio?: boolean;
}

const fixed = (digits: number) => (value: number) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");
const percent = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(2)} %` : "n/a");

/** CPU time over the window divided by the measured edits that reached every peer. */
export const cpuPerEdit = (result: RunResult) => (result.editsDelivered > 0 ? result.cpuMicros / result.editsDelivered : Number.NaN);
export const deliveryRatio = (result: RunResult) =>
  result.expectedDeliveries > 0 ? result.deliveries / result.expectedDeliveries : Number.NaN;

const ROWS: Row[] = [
  { name: "edits sent (measured window)", value: (r) => r.editsSent, format: fixed(0) },
  { name: "p50 edit latency, ms", value: (r) => r.p50Ms, format: fixed(2), ratio: true },
  {
    name: "p99 edit latency, ms",
    value: (r) => r.p99Ms,
    format: fixed(2),
    ratio: true,
    target: { text: "ratio ≤ 1.00", on: "ratio", pass: (ratio) => ratio <= 1 },
  },
  { name: "max edit latency, ms", value: (r) => r.maxMs, format: fixed(1), ratio: true },
  {
    name: "server CPU per delivered edit, µs",
    value: cpuPerEdit,
    format: fixed(0),
    ratio: true,
    target: { text: "ratio ≤ 1.00", on: "ratio", pass: (ratio) => ratio <= 1 },
  },
  { name: "server CPU, % of one core", value: (r) => (r.cpuMicros / 1000 / r.windowMs) * 100, format: fixed(1), ratio: true },
  { name: "peak RSS (VmHWM), MiB", value: (r) => r.peakRssKiB / 1024, format: fixed(1), ratio: true },
  {
    name: "delivery ratio",
    value: deliveryRatio,
    format: percent,
    target: { text: "100 %", on: "value", pass: (value) => value === 1 },
  },
  {
    name: "memory per idle open doc (RssAnon), KB",
    // Memory that shrinks while documents open means something else moved it: no figure rather than a flattering one.
    value: (r) => (r.idle && r.idle.perDocKiB >= 0 ? (r.idle.perDocKiB * 1024) / 1000 : Number.NaN),
    format: fixed(1),
    ratio: true,
    target: { text: `< ${IDLE_DOC_TARGET_KB} KB`, on: "value", pass: (value) => value < IDLE_DOC_TARGET_KB },
  },
  {
    name: "  same, whole VmRSS, KB",
    value: (r) => (r.idle ? (r.idle.rssPerDocKiB * 1024) / 1000 : Number.NaN),
    format: fixed(1),
    ratio: true,
  },
  {
    name: "  same, JS heap + external, KB",
    value: (r) => (r.idle ? (r.idle.jsPerDocKiB * 1024) / 1000 : Number.NaN),
    format: fixed(1),
    ratio: true,
  },
];

const mib = (kib: number) => (kib / 1024).toFixed(1);
const share = (micros: number, result: RunResult) => `${((micros / 1000 / result.windowMs) * 100).toFixed(0)} %`;

export function formatReport(report: Report): string {
  const { options, reference, samrad } = report;
  const header = ["", "reference", "Samråd", "ratio", "target", ""];
  const rows: string[][] = ROWS.map((row) => {
    const ref = reference ? row.value(reference) : Number.NaN;
    const own = samrad ? row.value(samrad) : Number.NaN;
    const ratio = ref !== 0 && Number.isFinite(ref) && Number.isFinite(own) ? own / ref : Number.NaN;
    let verdict = "";
    if (row.target && samrad) {
      const judged = row.target.on === "ratio" ? ratio : own;
      verdict = Number.isFinite(judged) ? (row.target.pass(judged) ? "PASS" : "FAIL") : "n/a";
    }
    return [
      row.name,
      reference ? row.format(ref) : "-",
      samrad ? row.format(own) : "-",
      row.ratio && Number.isFinite(ratio) ? ratio.toFixed(2) : "",
      row.target?.text ?? "",
      verdict,
    ];
  });
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((cells) => (cells[column] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();

  const lines = [
    `Collaboration benchmark, ${report.startedAt.toISOString()} (${((report.finishedAt.getTime() - report.startedAt.getTime()) / 1000).toFixed(0)} s)`,
    `${options.docs} docs × ${options.clientsPerDoc} clients, ${options.writersPerDoc} writers/doc at ${options.rate} edits/s ` +
      `(${options.docs * options.writersPerDoc * options.rate} edits/s, each to ${options.clientsPerDoc - 1} peers), ` +
      `${options.warmupSeconds} s warm-up + ${options.durationSeconds} s measured, ${options.idleDocs} idle docs`,
    "",
    line(header),
    line(header.map((_, column) => "-".repeat(widths[column] ?? 0))),
    ...rows.map(line),
  ];
  for (const result of [reference, samrad]) {
    if (!result) continue;
    const idle = result.idle
      ? `; ${result.idle.opened} idle docs: RssAnon ${mib(result.idle.anonBeforeKiB)} → ${mib(result.idle.anonAfterKiB)} MiB, ` +
        `VmRSS ${mib(result.idle.rssBeforeKiB)} → ${mib(result.idle.rssAfterKiB)} MiB${result.idle.stable ? "" : " (memory had not settled: noisy)"}`
      : "";
    lines.push(
      `${result.label}: ${result.editsDelivered}/${result.editsSent} edits reached every peer, ` +
        `${result.deliveries}/${result.expectedDeliveries} deliveries, CPU ${(result.cpuMicros / 1e6).toFixed(2)} s over ` +
        `${(result.windowMs / 1000).toFixed(1)} s (generator ${share(result.generatorCpuMicros, result)}, other processes ` +
        `${share(result.otherCpuMicros, result)} of a core), ${result.disconnects} disconnects${idle}`,
    );
    for (const error of result.errors) lines.push(`  ! ${error}`);
    if (result.idle && result.idle.perDocKiB < 0) {
      lines.push(`  ! anonymous RSS fell while the idle documents opened: the memory figure is disturbed, rerun`);
    }
    if (result.otherCpuMicros / 1000 / result.windowMs > BUSY_MACHINE_SHARE) {
      lines.push(`  ! other processes were busy during ${result.label}'s window: latencies are unreliable, rerun on a quiet machine`);
    }
  }
  if (report.stored) {
    lines.push(
      `samrad persistence: ${report.stored.updates} logged updates + ${report.stored.snapshots} snapshots stored for the ${options.docs} load docs`,
    );
  }
  return lines.join("\n");
}

/** One round of `--runs`: every server once, on the same machine within minutes. */
export interface Round {
  /** One-minute load average when the round started. */
  loadAverage: number;
  reference?: RunResult;
  samrad?: RunResult;
  samradPostgres?: RunResult;
  stored?: { updates: number; snapshots: number };
  storedPostgres?: { updates: number; snapshots: number };
}

export interface Summary {
  options: BenchConfig;
  startedAt: Date;
  finishedAt: Date;
  rounds: Round[];
  loadAverageAtStart: number;
  loadAverageAtEnd: number;
}

function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** "median (min–max)" of the finite values. */
function spread(values: number[], format: (value: number) => string): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return "–";
  return `${format(median(finite))} (${format(Math.min(...finite))}–${format(Math.max(...finite))})`;
}

/**
 * The Markdown section `--runs N` writes into bench/results.md: per figure the median over the rounds with its range,
 * and Samråd's ratios to the reference taken round by round (each against the reference run beside it).
 */
export function formatSummary(summary: Summary): string {
  const { options, rounds } = summary;
  type Column = { name: string; pick: (round: Round) => RunResult | undefined };
  const columns = ([
    { name: "reference", pick: (round) => round.reference },
    { name: "Samråd, PGlite", pick: (round) => round.samrad },
    { name: "Samråd, PostgreSQL", pick: (round) => round.samradPostgres },
  ] satisfies Column[] as Column[]).filter((column) => rounds.some((round) => column.pick(round) !== undefined));
  const figure = (value: (result: RunResult) => number, format: (value: number) => string) =>
    columns.map(({ pick }) => spread(rounds.map((round) => { const result = pick(round); return result ? value(result) : Number.NaN; }), format));
  const ratio = (value: (result: RunResult) => number) =>
    columns.map(({ name, pick }) =>
      name === "reference"
        ? "1"
        : spread(
            rounds.map((round) => {
              const own = pick(round);
              return own && round.reference ? value(own) / value(round.reference) : Number.NaN;
            }),
            fixed(2),
          ),
    );
  const table: Array<[string, string[]]> = [
    ["server CPU per delivered edit, µs", figure(cpuPerEdit, fixed(0))],
    ["  ratio to the reference (target ≤ 1.00)", ratio(cpuPerEdit)],
    ["p50 edit latency, ms", figure((r) => r.p50Ms, fixed(2))],
    ["p99 edit latency, ms", figure((r) => r.p99Ms, fixed(2))],
    ["  ratio to the reference (target ≤ 1.00)", ratio((r) => r.p99Ms)],
    ["delivery ratio", figure(deliveryRatio, percent)],
    ["peak RSS (VmHWM), MiB", figure((r) => r.peakRssKiB / 1024, fixed(1))],
    ["RssAnon with the load connected, settled, MiB", figure((r) => (r.idle ? r.idle.anonBeforeKiB / 1024 : Number.NaN), fixed(1))],
    ["memory per idle open doc (RssAnon), KB", figure((r) => (r.idle && r.idle.perDocKiB >= 0 ? (r.idle.perDocKiB * 1024) / 1000 : Number.NaN), fixed(1))],
    ["other processes during the window, % of a core", figure((r) => (r.otherCpuMicros / 1000 / r.windowMs) * 100, fixed(0))],
  ];
  const stored = rounds.map((round) => round.stored?.updates ?? 0);
  const storedPostgres = rounds.map((round) => round.storedPostgres?.updates ?? 0);
  return [
    "## Collaboration (bench)",
    "",
    `Run ${summary.startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC, ${rounds.length} rounds in ` +
      `${((summary.finishedAt.getTime() - summary.startedAt.getTime()) / 60_000).toFixed(0)} minutes (load average ` +
      `${summary.loadAverageAtStart.toFixed(1)} at the start, ${rounds.map((round) => round.loadAverage.toFixed(1)).join(", ")} at each round's, ` +
      `${summary.loadAverageAtEnd.toFixed(1)} at the end), Node ${process.version}.`,
    "",
    `${options.docs} documents × ${options.clientsPerDoc} clients, ${options.writersPerDoc} writers each at ${options.rate} edits/s, ` +
      `${options.warmupSeconds} s warm-up + ${options.durationSeconds} s measured, ${options.idleDocs} idle documents. ` +
      "Each round runs every server once, every other round in reverse order. Median over the rounds (lowest–highest); " +
      "ratios are taken per round against that round's reference run. Samråd runs with persistence and authorization on " +
      `(an editor's session on every socket; ${stored.join(", ")} logged updates stored per PGlite round` +
      (rounds.some((round) => round.storedPostgres) ? `, ${storedPostgres.join(", ")} per PostgreSQL round` : "") +
      "). On PostgreSQL the database's own CPU and memory are outside the measured process.",
    "",
    `| | ${columns.map(({ name }) => name).join(" | ")} |`,
    `| --- | ${columns.map(() => "---:").join(" | ")} |`,
    ...table.map(([name, cells]) => `| ${name.trim()} | ${cells.join(" | ")} |`),
    "",
  ].join("\n");
}
