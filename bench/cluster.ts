/**
 * `npm run bench:cluster`: what one, two and three Samråd nodes behind nginx (docs/operations/nginx.conf, run by
 * tests/support/cluster.ts) serve to readers: page views per second of the seeded draft, with latency, and each
 * node's peak memory and CPU. Then, on two or more nodes, how long an edit made on one node takes to reach a reader
 * on another, and the nodes' CPU per edit: that needs the nodes to share edits (server/cluster/); without it the
 * edit never arrives, and the table says so.
 *
 *   npm run bench:cluster -- [--nodes 1,2,3] [--seconds 10] [--connections 8] [--edits 50]
 *
 * Needs TEST_DATABASE_URL (a PostgreSQL server to make a scratch database on), REDIS_URL and Debian's nginx, as the
 * load balancer tests do. Writes its table into bench/results.md under SECTION_HEADING, leaving the other sections
 * as they are; exits 2 on a bad flag or a missing service.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { openDatabase } from "#db/client";
import { findDocumentBySlug } from "#db/repositories/documents";
import { signedInAs } from "#tests/support/accounts";
import { nginxInstalled, NGINX_PATH, startCluster, type Cluster } from "#tests/support/cluster";
import { blockText, connectClient, paragraphIds, waitForDoc } from "#tests/support/collab-client";
import { redisUrl } from "#tests/support/redis";
import { writeResultsSection } from "./results-file";
import { machineBusyMicros, processCpuMicros, processMemoryKiB } from "./server-process";

const ROOT = path.resolve(import.meta.dirname, "..");
const SECTION_HEADING = "## Nodes behind nginx (bench:cluster)";
const PAGE = `/d/${SEED_DOCUMENT.slug}`;
const WARM_UP_MS = 2_000;
/** Node's own user agent counts as a bot, which React would answer with the whole page at once; browsers get the stream. */
const BROWSER_HEADERS = {
  "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  "Accept-Encoding": "br, gzip",
};
/** How long one edit may take to show on another node before the bench calls cross-node edits undelivered. */
const EDIT_ARRIVAL_MS = 5_000;

class UsageError extends Error {}

interface Options {
  nodeCounts: number[];
  seconds: number;
  connections: number;
  edits: number;
  /** Cross-node edits per second. */
  rate: number;
}

function readOptions(): Options {
  let values;
  try {
    ({ values } = parseArgs({
      options: { nodes: { type: "string" }, seconds: { type: "string" }, connections: { type: "string" }, edits: { type: "string" }, rate: { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const whole = (name: string, value: string | undefined, fallback: number) => {
    const number = Number(value ?? fallback);
    if (!Number.isInteger(number) || number < 1) throw new UsageError(`--${name} must be a whole number ≥ 1, got ${value}`);
    return number;
  };
  const nodeCounts = (values.nodes ?? "1,2,3").split(",").map((count) => whole("nodes", count, 1));
  if (!process.env.TEST_DATABASE_URL) throw new UsageError("set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test): every node shares one PostgreSQL database");
  if (!redisUrl) throw new UsageError("set REDIS_URL (e.g. redis://127.0.0.1:6379): the nodes share one Redis");
  if (!nginxInstalled) throw new UsageError(`${NGINX_PATH} is missing: apt-get install nginx-light`);
  return {
    nodeCounts,
    seconds: whole("seconds", values.seconds, 10),
    connections: whole("connections", values.connections, 8),
    edits: whole("edits", values.edits, 1_000),
    rate: whole("rate", values.rate, 200),
  };
}

const benchStart = Date.now();
function log(message: string): void {
  process.stdout.write(`[bench:cluster +${((Date.now() - benchStart) / 1000).toFixed(1)} s] ${message}\n`);
}

// ---- Readers ----

interface ReaderLoad {
  pageViews: number;
  errors: number;
  latenciesMs: number[];
  seconds: number;
  machineBusyShare: number;
}

function fetchPage(url: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: BROWSER_HEADERS }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

/** `connections` readers, each on its own keep-alive connection, asking for the page one view after another. */
async function readPages(url: string, connections: number, durationMs: number): Promise<Omit<ReaderLoad, "machineBusyShare">> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latenciesMs: number[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + durationMs;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const sent = performance.now();
        const status = await fetchPage(url, agent).catch(() => 0);
        if (status === 200) latenciesMs.push(performance.now() - sent);
        else errors++;
      }
    }),
  );
  agent.destroy();
  return { pageViews: latenciesMs.length, errors, latenciesMs, seconds: (performance.now() - started) / 1000 };
}

// ---- Edits across nodes (meaningful once nodes share edits) ----

interface EditFigures {
  /** Milliseconds from an edit on node 0 until a reader on node 1 has it, for each edit that arrived. */
  latenciesMs: number[];
  /** Edits that had not arrived EDIT_ARRIVAL_MS after the last was sent. */
  undelivered: number;
  /** The rate the editor actually kept, edits per second. */
  rate: number;
  /** CPU time of all nodes together per edit, in ms. */
  cpuMsPerEdit: number;
}

/**
 * An editor on node 0 and a reader on node 1, each straight to its node. The editor makes `edits` edits at
 * `rate` per second (issue 15's setting: 200), each a numbered marker inserted at the start of the first paragraph;
 * the reader notes when each marker shows in its copy. Nodes that do not share edits deliver none.
 */
async function measureCrossNodeEdits(cluster: Cluster, edits: number, rate: number): Promise<EditFigures> {
  const database = await openDatabase({ databaseUrl: cluster.databaseUrl, dataDir: "unused" });
  const document = await findDocumentBySlug(database.db, SEED_DOCUMENT.slug);
  if (!document) throw new Error("the seeded draft is missing");
  const editorAccount = await signedInAs(database.db, "editor", "Bench redaktör");
  await database.close();
  const editor = await connectClient(cluster.nodeUrl(0), document.id, { cookie: editorAccount.cookie });
  const reader = await connectClient(cluster.nodeUrl(1), document.id);
  const run = randomBytes(3).toString("hex");
  const outstanding = new Map<string, number>();
  const latenciesMs: number[] = [];
  try {
    const paragraph = paragraphIds(editor.doc)[0] ?? "";
    const readerText = blockText(reader.doc, paragraph);
    const noteArrivals = () => {
      if (outstanding.size === 0) return;
      const now = performance.now();
      const text = readerText.toString();
      for (const [marker, sent] of outstanding) {
        if (!text.includes(marker)) continue;
        latenciesMs.push(now - sent);
        outstanding.delete(marker);
      }
    };
    reader.doc.on("update", noteArrivals);
    const cpuBefore = nodesCpuMicros(cluster);
    const started = performance.now();
    const interval = 1000 / rate;
    for (let edit = 0; edit < edits; edit++) {
      const due = started + edit * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const marker = `[${run}-${edit}]`;
      outstanding.set(marker, performance.now());
      blockText(editor.doc, paragraph).insert(0, marker);
    }
    const keptRate = edits / ((performance.now() - started) / 1000);
    await waitForDoc(reader.doc, () => outstanding.size === 0, EDIT_ARRIVAL_MS).catch(() => undefined);
    reader.doc.off("update", noteArrivals);
    return { latenciesMs, undelivered: outstanding.size, rate: keptRate, cpuMsPerEdit: (nodesCpuMicros(cluster) - cpuBefore) / 1000 / edits };
  } finally {
    editor.destroy();
    reader.destroy();
  }
}

function nodesCpuMicros(cluster: Cluster): number {
  let total = 0;
  for (let index = 0; index < cluster.nodeCount; index++) total += processCpuMicros(cluster.nodePid(index));
  return total;
}

// ---- One cluster size ----

interface Row {
  nodes: number;
  load: ReaderLoad;
  /** Page views each node answered, from nginx's access log. */
  viewsPerNode: number[];
  peakRssMiB: number[];
  /** Each node's CPU during the reader load, as a share of one core. */
  cpuShare: number[];
  edits: EditFigures | null;
}

async function measure(nodes: number, options: Options): Promise<Row> {
  log(`starting ${nodes} node(s) behind nginx`);
  const cluster = await startCluster({ nodes });
  try {
    const url = `${cluster.url}${PAGE}`;
    log(`warming up for ${WARM_UP_MS / 1000} s`);
    await readPages(url, options.connections, WARM_UP_MS);
    const viewsBefore = await viewsByNode(cluster);
    const cpuBefore = Array.from({ length: nodes }, (_node, index) => processCpuMicros(cluster.nodePid(index)));
    const busyBefore = machineBusyMicros();
    log(`${options.connections} readers for ${options.seconds} s`);
    const load = await readPages(url, options.connections, options.seconds * 1000);
    const busyShare = (machineBusyMicros() - busyBefore) / (load.seconds * 1e6 * os.availableParallelism());
    const cpuShare = cpuBefore.map((before, index) => (processCpuMicros(cluster.nodePid(index)) - before) / (load.seconds * 1e6));
    const peakRssMiB = Array.from({ length: nodes }, (_node, index) => processMemoryKiB(cluster.nodePid(index)).peak / 1024);
    const viewsAfter = await viewsByNode(cluster);
    const viewsPerNode = viewsAfter.map((count, index) => count - (viewsBefore[index] ?? 0));
    log(`${(load.pageViews / load.seconds).toFixed(0)} page views/s, ${load.errors} errors; per node ${viewsPerNode.join(" / ")}`);
    let edits: EditFigures | null = null;
    if (nodes >= 2) {
      log(`${options.edits} edits on node 0 at ${options.rate} per second, read on node 1`);
      edits = await measureCrossNodeEdits(cluster, options.edits, options.rate);
      log(
        edits.latenciesMs.length > 0
          ? `edit latency median ${median(edits.latenciesMs).toFixed(1)} ms, p99 ${percentile(edits.latenciesMs, 0.99).toFixed(1)} ms, ${edits.undelivered} undelivered`
          : "edits made on node 0 did not reach node 1",
      );
    }
    return { nodes, load: { ...load, machineBusyShare: busyShare }, viewsPerNode, peakRssMiB, cpuShare, edits };
  } finally {
    await cluster.stop();
  }
}

async function viewsByNode(cluster: Cluster): Promise<number[]> {
  const counts = Array.from({ length: cluster.nodeCount }, () => 0);
  for (const entry of await cluster.accessLog()) {
    if (entry.node !== null && entry.request.startsWith(`GET ${PAGE} `)) counts[entry.node] = (counts[entry.node] ?? 0) + 1;
  }
  return counts;
}

// ---- Report ----

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? Number.NaN;
}
const median = (values: number[]) => percentile(values, 0.5);
const ms = (value: number) => `${value.toFixed(1)} ms`;

function section(rows: Row[], options: Options): string {
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  const lines = [
    SECTION_HEADING,
    "",
    `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${os.availableParallelism()} cores (${cpu}), Node ${process.version}, ` +
      `${spawnSync(NGINX_PATH, ["-v"], { encoding: "utf8" }).stderr.trim().replace("nginx version: ", "")}; load average ${loadAtStart.toFixed(1)} ` +
      "when it started (other jobs on the machine take their share of the cores).",
    "",
    `Every node is the production build (build/node/main.js, its own process) on one PostgreSQL database and one Redis; nginx runs ` +
      `docs/operations/nginx.conf (least_conn, keepalive to the nodes, one worker). Readers: ${options.connections} keep-alive ` +
      `connections to nginx from the bench's own process, each asking for GET ${PAGE} (the seeded draft, as a browser: brotli, ` +
      `a browser's user agent) one view after another, ${WARM_UP_MS / 1000} s of warm-up, then ${options.seconds} s measured. ` +
      "Everything (nodes, nginx, PostgreSQL, Redis, the readers) shares the same cores, so more nodes add processes, not " +
      "cores: the rows show what the balancing costs and how evenly it spreads, not how a cluster of machines scales.",
    "",
    "| Nodes | Page views/s | Median | p95 | Errors | Views per node | Peak RSS per node | Node CPU (share of a core) | Machine busy | Edits/s | Cross-node edit p50 | p99 | Undelivered | CPU per edit |",
    "| ---: | ---: | ---: | ---: | ---: | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const row of rows) {
    const editCells =
      row.edits === null
        ? ["–", "–", "–", "–", "–"]
        : row.edits.latenciesMs.length > 0
          ? [
              row.edits.rate.toFixed(0),
              ms(median(row.edits.latenciesMs)),
              ms(percentile(row.edits.latenciesMs, 0.99)),
              String(row.edits.undelivered),
              ms(row.edits.cpuMsPerEdit),
            ]
          : [row.edits.rate.toFixed(0), `not delivered in ${EDIT_ARRIVAL_MS / 1000} s`, "–", String(row.edits.undelivered), "–"];
    lines.push(
      `| ${row.nodes} | ${(row.load.pageViews / row.load.seconds).toFixed(0)} | ${ms(median(row.load.latenciesMs))} | ${ms(percentile(row.load.latenciesMs, 0.95))} | ` +
        `${row.load.errors} | ${row.viewsPerNode.join(" / ")} | ${row.peakRssMiB.map((mib) => `${mib.toFixed(0)} MiB`).join(" / ")} | ` +
        `${row.cpuShare.map((share) => `${(share * 100).toFixed(0)} %`).join(" / ")} | ${(row.load.machineBusyShare * 100).toFixed(0)} % | ${editCells.join(" | ")} |`,
    );
  }
  lines.push(
    "",
    "Cross-node edits: an editor's client connected straight to node 0 inserts a numbered marker at the start of the first " +
      `paragraph, ${options.edits} times at ${options.rate} per second (Edits/s is the rate it kept); a reader's client connected ` +
      "straight to node 1 notes when each shows in its copy. CPU per edit is all nodes' CPU time over those edits divided by " +
      "their number. Target (issue 15): p99 under 50 ms at 200 edits/s.",
    "",
  );
  return lines.join("\n");
}

/** The 1-minute load average when the bench started: on a shared machine, how much else was running. */
const loadAtStart = os.loadavg()[0] ?? Number.NaN;

async function main(): Promise<void> {
  const options = readOptions();
  log("building the app if its sources changed (node server/build.mjs --if-stale)");
  execFileSync(process.execPath, [path.join(ROOT, "server/build.mjs"), "--if-stale"], { cwd: ROOT, stdio: "inherit" });
  const rows: Row[] = [];
  for (const nodes of options.nodeCounts) rows.push(await measure(nodes, options));
  await writeResultsSection(SECTION_HEADING, section(rows, options));
  log("written to bench/results.md");
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`[bench:cluster] ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`[bench:cluster] could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
