/**
 * `npm run bench`: drives Samråd's collaboration server and the reference y-websocket server (v2, its
 * bin/server.cjs) with the same load of real y-websocket-protocol clients and compares them.
 * See docs/performance.md for what is measured and how to read the result.
 *
 *   npm run bench -- --docs 10 --clients 10 --writers 2 --rate 10 --duration 20 --warmup 5 --idle-docs 200
 *   npm run bench -- --runs 5        # five rounds, servers in alternating order; medians into bench/results.md
 *
 * Every flag can also be given as BENCH_<FLAG> (BENCH_DOCS, BENCH_IDLE_DOCS, …). `--only samrad|reference`
 * runs one server (no ratios then). Samråd runs on PGlite and, when BENCH_DATABASE_URL or TEST_DATABASE_URL names a
 * PostgreSQL server, also on a scratch database there.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { openDatabase } from "#db/client";
import { migrateToLatest } from "#db/migrate";
import { insertDocument } from "#db/repositories/documents";
import { createUserFromCli } from "#app/models/accounts/cli.server";
import { createSession, SESSION_COOKIE_NAME } from "#app/models/sessions.server";
import { createScratchPostgresDatabase } from "#tests/support/database";
import { formatReport, formatSummary, type Round } from "./report";
import { writeResultsSection } from "./results-file";
import { runAgainst, type BenchConfig, type RunResult } from "./run";
import { freePort, ServerProcess, type ServerSpec } from "./server-process";

const ROOT = path.resolve(import.meta.dirname, "..");
const REFERENCE_SERVER = path.join(ROOT, "node_modules/y-websocket-reference/bin/server.cjs");
const BUILD_ENTRY = path.join(ROOT, "build/server/index.js");
const PROFILE_DIR = path.join(ROOT, "bench/out");
const SAMRAD_READY_TIMEOUT_MS = 60_000;
const REFERENCE_READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;
const SECTION_HEADING = "## Collaboration (bench)";

type Which = "both" | "samrad" | "reference";

interface Options extends BenchConfig {
  only: Which;
  /** Rounds of every server; more than one writes the medians into bench/results.md. */
  runs: number;
  /** Write V8 CPU profiles of each server to bench/out/<server>-<time>/ (adds profiling overhead to both). */
  profile: boolean;
}

const FLAGS = {
  docs: { default: 10, min: 1 },
  clients: { default: 10, min: 2 },
  writers: { default: 2, min: 1 },
  rate: { default: 10, min: 0.1 },
  duration: { default: 20, min: 1 },
  warmup: { default: 5, min: 0 },
  "idle-docs": { default: 200, min: 0 },
  "drain-timeout": { default: 5, min: 1 },
  runs: { default: 1, min: 1 },
} as const;
type Flag = keyof typeof FLAGS;

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: "string" as const }])),
      only: { type: "string" },
      profile: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(
      `Usage: npm run bench -- [--${Object.keys(FLAGS).join(" N] [--")} N] [--only samrad|reference] [--profile]\n` +
        "--profile writes a V8 CPU profile of each server to bench/out/ (figures then include profiling overhead).\n" +
        `Defaults: ${Object.entries(FLAGS).map(([flag, { default: value }]) => `${flag}=${value}`).join(", ")}\n` +
        "Each flag may also be set as BENCH_<FLAG> in the environment (e.g. BENCH_IDLE_DOCS=100).\n",
    );
    process.exit(0);
  }
  const number = (flag: Flag): number => {
    const raw = (values as Record<string, unknown>)[flag] ?? process.env[`BENCH_${flag.toUpperCase().replace(/-/g, "_")}`];
    const spec = FLAGS[flag];
    if (raw === undefined || raw === "") return spec.default;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < spec.min) throw new UsageError(`--${flag} must be a number ≥ ${spec.min}, got ${String(raw)}`);
    return value;
  };
  const integer = (flag: Flag): number => {
    const value = number(flag);
    if (!Number.isInteger(value)) throw new UsageError(`--${flag} must be a whole number, got ${value}`);
    return value;
  };
  const only = (values.only ?? process.env.BENCH_ONLY ?? "both") as string;
  if (only !== "both" && only !== "samrad" && only !== "reference") {
    throw new UsageError(`--only must be samrad or reference, got ${only}`);
  }
  const options: Options = {
    docs: integer("docs"),
    clientsPerDoc: integer("clients"),
    writersPerDoc: integer("writers"),
    rate: number("rate"),
    durationSeconds: number("duration"),
    warmupSeconds: number("warmup"),
    idleDocs: integer("idle-docs"),
    drainTimeoutMs: number("drain-timeout") * 1000,
    runs: integer("runs"),
    only,
    profile: values.profile === true || process.env.BENCH_PROFILE === "1",
  };
  if (options.writersPerDoc > options.clientsPerDoc) {
    throw new UsageError(`--writers (${options.writersPerDoc}) cannot exceed --clients (${options.clientsPerDoc})`);
  }
  return options;
}

class UsageError extends Error {}

const benchStart = Date.now();

function log(message: string): void {
  process.stdout.write(`[bench +${((Date.now() - benchStart) / 1000).toFixed(1)} s] ${message}\n`);
}

/** Where Samråd's database is: a PGlite folder, or a PostgreSQL database (dataDir then unused). */
interface DatabaseLocation {
  dataDir: string;
  databaseUrl?: string;
}

/** Everything to undo on the way out, also when interrupted. */
const running = new Set<ServerProcess>();
const removals = new Set<() => Promise<void>>();

async function cleanUp(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop(STOP_GRACE_MS)));
  running.clear();
  for (const remove of removals) await remove();
  removals.clear();
}

/** A fresh database for one Samråd run, removed by cleanUp() or once the run is done. */
async function freshDatabase(adminUrl: string | undefined): Promise<{ location: DatabaseLocation; remove(): Promise<void> }> {
  if (adminUrl !== undefined) {
    const scratch = await createScratchPostgresDatabase(adminUrl);
    removals.add(scratch.drop);
    return { location: { dataDir: "unused", databaseUrl: scratch.url }, remove: async () => (removals.delete(scratch.drop), scratch.drop()) };
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "samrad-bench-"));
  const remove = () => rm(dataDir, { recursive: true, force: true });
  removals.add(remove);
  return { location: { dataDir }, remove: async () => (removals.delete(remove), remove()) };
}

/** Samråd's server serves the Remix build in production mode; build it once when it is missing. */
function ensureBuild(): void {
  if (existsSync(BUILD_ENTRY)) return;
  log("no Remix build in ./build: running `npx remix vite:build` once (about 15 s)");
  const result = spawnSync("npx", ["remix", "vite:build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], timeout: 180_000 });
  if (result.status !== 0 || !existsSync(BUILD_ENTRY)) throw new Error("the Remix build failed; run `npm run build` and retry");
}

/**
 * Creates the documents Samråd must know before clients may connect to them, in a fresh PGlite directory, and an
 * editor account whose session the clients use (only editors' changes are applied). Returns its Cookie header.
 */
async function prepareDatabase(location: DatabaseLocation, ids: string[]): Promise<string> {
  const database = await openDatabase(location);
  try {
    await migrateToLatest(database.db);
    for (const [index, id] of ids.entries()) {
      await insertDocument(database.db, { id, slug: `bench-${index}`, title: `Bench document ${index}`, language: "sv" });
    }
    const editor = await createUserFromCli(database.db, {
      email: "bench-editor@example.test",
      name: "Bench editor",
      password: randomUUID(),
      role: "editor",
    });
    if (!editor.ok) throw new Error(`could not create the bench editor: ${editor.error}`);
    const { token } = await createSession(database.db, editor.user.id);
    return `${SESSION_COOKIE_NAME}=${token}`;
  } finally {
    await database.close();
  }
}

/** Counts what Samråd stored for the bench documents, proving persistence was on during the run. */
async function countStored(location: DatabaseLocation, ids: string[]): Promise<{ updates: number; snapshots: number }> {
  const database = await openDatabase(location);
  try {
    const updates = await database.db
      .selectFrom("document_updates")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .where("document_id", "in", ids)
      .executeTakeFirstOrThrow();
    const snapshots = await database.db
      .selectFrom("document_snapshots")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .where("document_id", "in", ids)
      .executeTakeFirstOrThrow();
    return { updates: Number(updates.count), snapshots: Number(snapshots.count) };
  } finally {
    await database.close();
  }
}

function profileFlags(options: Options, label: string): string[] {
  if (!options.profile) return [];
  // A profile is only written on a normal exit; a server without a SIGTERM handler of its own would just die.
  const exitOnTerm = `process.on("SIGTERM", () => { if (process.listenerCount("SIGTERM") === 1) process.exit(0); });`;
  return [
    "--cpu-prof",
    // One folder per server: every thread (tsx's loader thread too) writes its own profile.
    `--cpu-prof-dir=${path.join(PROFILE_DIR, `${label}-${Date.now()}`)}`,
    "--import",
    `data:text/javascript,${encodeURIComponent(exitOnTerm)}`,
  ];
}

function baseEnv(port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: "127.0.0.1", PORT: String(port), NODE_ENV: "production" };
  // Same flags for both servers (see SHARED_NODE_FLAGS); nothing inherited from the generator's own runner.
  delete env.NODE_OPTIONS;
  // The reference server would persist to LevelDB with it; Samråd must use its own PGlite directory.
  delete env.YPERSISTENCE;
  delete env.DATABASE_URL;
  return env;
}

async function benchServer(
  spec: ServerSpec,
  port: number,
  readyTimeoutMs: number,
  options: Options,
  loadIds: string[],
  idleIds: string[],
  cookie: string | undefined,
): Promise<RunResult> {
  const started = Date.now();
  const server = new ServerProcess(spec);
  running.add(server);
  try {
    await server.waitUntilReady(port, readyTimeoutMs);
    log(`${spec.label}: ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${server.pid})`);
    return await runAgainst(server, port, options, loadIds, idleIds, cookie, (message) => log(`${spec.label}: ${message}`));
  } finally {
    await server.stop(STOP_GRACE_MS);
    running.delete(server);
    const output = server.recentOutput();
    if (/\b(WARN|ERROR)\b|Error/.test(output)) log(`${spec.label} logged warnings or errors (last lines):\n${output}`);
  }
}

/** Samråd on one database: documents and the editor prepared first, persistence counted afterwards. */
async function benchSamrad(options: Options, label: string, adminUrl: string | undefined): Promise<{ result: RunResult; stored: Round["stored"] }> {
  const loadIds = Array.from({ length: options.docs }, () => randomUUID());
  const idleIds = Array.from({ length: options.idleDocs }, () => randomUUID());
  const database = await freshDatabase(adminUrl);
  try {
    const cookie = await prepareDatabase(database.location, [...loadIds, ...idleIds]);
    log(`${label}: created ${loadIds.length + idleIds.length} documents`);
    const port = await freePort();
    // No load balancer waits on it: without a drain delay SIGTERM stops it within the grace period, so a profile is written.
    const env: NodeJS.ProcessEnv = { ...baseEnv(port), DATA_DIR: database.location.dataDir, LOG_LEVEL: "warn", DRAIN_DELAY_MS: "0" };
    if (database.location.databaseUrl !== undefined) env.DATABASE_URL = database.location.databaseUrl;
    const result = await benchServer(
      { label, args: [...profileFlags(options, label), "--import", "tsx", "server/main.ts"], env, cwd: ROOT },
      port,
      SAMRAD_READY_TIMEOUT_MS,
      options,
      loadIds,
      idleIds,
      cookie,
    );
    return { result, stored: await countStored(database.location, loadIds) };
  } finally {
    await database.remove();
  }
}

async function benchReference(options: Options): Promise<RunResult> {
  const loadIds = Array.from({ length: options.docs }, () => randomUUID());
  const idleIds = Array.from({ length: options.idleDocs }, () => randomUUID());
  const port = await freePort();
  return benchServer(
    { label: "reference", args: [...profileFlags(options, "reference"), REFERENCE_SERVER], env: baseEnv(port), cwd: ROOT },
    port,
    REFERENCE_READY_TIMEOUT_MS,
    options,
    loadIds,
    idleIds,
    undefined,
  );
}

async function main(): Promise<void> {
  const options = readOptions();
  const startedAt = new Date();
  const loadAverageAtStart = os.loadavg()[0] ?? Number.NaN;
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  log(
    `${options.docs} docs × ${options.clientsPerDoc} clients, ${options.writersPerDoc} writers/doc at ${options.rate} edits/s, ` +
      `${options.warmupSeconds} s warm-up + ${options.durationSeconds} s measured, ${options.idleDocs} idle docs, ${options.runs} round(s); ` +
      `${os.cpus().length} CPUs, load average ${loadAverageAtStart.toFixed(1)}` +
      (options.only !== "reference" && adminUrl === undefined ? "; no BENCH_DATABASE_URL or TEST_DATABASE_URL, so PGlite only" : ""),
  );
  if (options.only !== "reference") ensureBuild();

  type Step = (round: Round) => Promise<void>;
  const steps: Step[] = [];
  if (options.only !== "samrad") steps.push(async (round) => void (round.reference = await benchReference(options)));
  if (options.only !== "reference") {
    steps.push(async (round) => {
      const { result, stored } = await benchSamrad(options, "samrad", undefined);
      round.samrad = result;
      round.stored = stored;
    });
    if (adminUrl !== undefined) {
      steps.push(async (round) => {
        const { result, stored } = await benchSamrad(options, "samrad-postgres", adminUrl);
        round.samradPostgres = result;
        round.storedPostgres = stored;
      });
    }
  }

  const rounds: Round[] = [];
  for (let index = 0; index < options.runs; index++) {
    const round: Round = { loadAverage: os.loadavg()[0] ?? Number.NaN };
    // Every other round in reverse order, so that neither server always runs on a machine warmed up by the other.
    for (const step of index % 2 === 0 ? steps : [...steps].reverse()) await step(round);
    rounds.push(round);
    const finishedAt = new Date();
    process.stdout.write(`\nRound ${index + 1} of ${options.runs}, load average ${round.loadAverage.toFixed(1)} at its start\n`);
    process.stdout.write(`${formatReport({ options, startedAt, finishedAt, reference: round.reference, samrad: round.samrad, stored: round.stored })}\n`);
    if (round.samradPostgres) {
      process.stdout.write(
        `\nThe same round with Samråd on PostgreSQL:\n${formatReport({ options, startedAt, finishedAt, reference: round.reference, samrad: round.samradPostgres, stored: round.storedPostgres })}\n`,
      );
    }
  }

  if (options.runs > 1) {
    const summary = formatSummary({ options, startedAt, finishedAt: new Date(), rounds, loadAverageAtStart, loadAverageAtEnd: os.loadavg()[0] ?? Number.NaN });
    process.stdout.write(`\n${summary}`);
    await writeResultsSection(SECTION_HEADING, summary);
  }
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping the servers`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main()
  .then(async () => {
    await cleanUp();
    // Lingering sockets or timers of the generator must not keep the process alive.
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    process.stderr.write(`[bench] could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    await cleanUp().catch(() => {});
    process.exit(error instanceof UsageError ? 2 : 1);
  });
