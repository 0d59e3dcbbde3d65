/**
 * `npm run bench:page`: how long the real server takes to render the document page of a large, much discussed
 * draft (300 blocks, 1,000 threads, 3,000 comments), for a signed-in member and for an anonymous visitor, on
 * PGlite and, when BENCH_DATABASE_URL or TEST_DATABASE_URL names a PostgreSQL server, on a scratch database there.
 * Writes its table into bench/results.md under SECTION_HEADING, leaving the file's other sections as they are.
 *
 * The server is the production one (startServer with ./build), so build the app first. The fixture is made
 * through the app's own repositories and anchoring code; only comments, threads and agreements are inserted in
 * batches, as the repositories insert one row per call. Making it is not measured.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { AppLoadContext } from "@remix-run/node";
import type { Insertable, Kysely } from "kysely";
import * as Y from "yjs";
import { createAnchor, DocumentIndex, type StoredAnchor } from "#app/comments/anchoring";
import { writeContentToYDoc, yDocToContent, type ContentNode } from "#app/editor/content";
import { newBlockId } from "#app/editor/extensions";
import { getCurrentSession } from "#app/http/auth.server";
import { requireDocumentPage } from "#app/http/document.server";
import type { Role } from "#app/models/authorization.server";
import { loadStoredThreads, locateThreads } from "#app/models/comments/threads.server";
import { hashPassword } from "#app/models/passwords.server";
import { createSession, SESSION_COOKIE_NAME } from "#app/models/sessions.server";
import { appendUpdates, readDocumentState } from "#db/repositories/document-state";
import { insertDocument } from "#db/repositories/documents";
import { findDefaultSpace, upsertMembership } from "#db/repositories/memberships";
import { insertUser } from "#db/repositories/users";
import type { CommentPosition, Database } from "#db/schema";
import { startServer, type RunningServer } from "#server/app";
import { readEnv } from "#server/env";
import { writeResultsSection } from "./results-file";
import { createScratchPostgresDatabase } from "#tests/support/database";
import { seededRandom } from "#tests/support/random-draft";

const ROOT = path.resolve(import.meta.dirname, "..");
const BUILD_ENTRY = path.join(ROOT, "build/server/index.js");
const RESULTS_FILE = path.join(ROOT, "bench/results.md");
const SECTION_HEADING = "## Document page render (bench:page)";

const BLOCKS = 300;
const SECTION_LENGTH = 15;
const THREADS = 1_000;
const COMMENTS = 3_000;
const MAX_COMMENTS_PER_THREAD = 5;
const USERS = 50;
const PASSAGE_SHARE = 0.7;
const { values: flags } = parseArgs({ options: { requests: { type: "string" }, "warm-up": { type: "string" } } });
function countFlag(name: keyof typeof flags, fallback: number): number {
  const value = Number(flags[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1, got ${flags[name]}`);
  return value;
}
// Fewer requests make a quick look or a CPU profile (node --cpu-prof --import tsx bench/page.ts --requests 20) affordable.
const WARM_UP_REQUESTS = countFlag("warm-up", 20);
const REQUESTS = countFlag("requests", 200);
const TARGET_MEDIAN_MS = 50;
// Large enough to need few round trips, small enough for PostgreSQL's 65,535 bind parameters per statement.
const INSERT_BATCH = 500;
// Node's own user agent counts as a bot, which React would answer with the whole page at once; browsers get the stream.
const BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

type DatabaseKind = "PGlite" | "PostgreSQL";
type Viewer = "member" | "anonymous";

interface Fixture {
  documentId: string;
  slug: string;
  memberCookie: string;
  blocks: number;
  threads: number;
  passageThreads: number;
  comments: number;
  resolvedThreads: number;
  deletedComments: number;
  hiddenComments: number;
  agreements: number;
  contentChars: number;
}

interface Timings {
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

interface Row {
  database: DatabaseKind;
  viewer: Viewer;
  request: Timings;
  loader: Timings;
  responseBytes: number;
}

/**
 * Median per step of the loader, for the member. The stored threads and the idle document are cached between
 * requests; loadStoredThreads and DocumentStore.load are what a request pays after a change forgets them.
 */
type Phases = Record<"session" | "loadStoredThreads" | "loadDocument" | "documentIndex" | "yDocToContent" | "locateThreads", number>;

const benchStart = performance.now();

function log(message: string): void {
  process.stdout.write(`[bench:page +${((performance.now() - benchStart) / 1000).toFixed(1)} s] ${message}\n`);
}

// ---- Fixture ----

const SEED = 20200901;
// Reset by createFixture, so the PGlite and PostgreSQL runs get the same draft and comments.
// The same draft and comments on every run, so runs compare.
let random = seededRandom(SEED).next;
const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

const WORDS = (
  "myndigheten myndigheter offentlig sektor öppna licenser immaterialrätt upphovsrätt programvara källkod data " +
  "vidareutnyttjande förvaltning digital tillgänglig tillgängliggörande rättighetsinnehavare avtal villkor " +
  "verksamheten bör ska kan behöver särskilt därför enligt inom utifrån genom samt eller och att som för med " +
  "på av till om det den de en ett inte även när vilket följande bedömning ansvar beslut information handling " +
  "allmän handlingar offentlighetsprincipen sekretess personuppgifter dataskyddsförordningen upphandling " +
  "leverantör licensiering spridning användning ändringar bearbetning vägledningen rekommenderar tydligt " +
  "nätverket samverkan kommuner regioner statliga förutsättningar kostnader nytta risker ståndpunkt praxis"
).split(" ");
const ORGANISATIONS = [
  "Patent- och registreringsverket",
  "Myndigheten för digital förvaltning",
  "Skatteverket",
  "Lantmäteriet",
  "Försäkringskassan",
  "Sveriges kommuner och regioner",
  "Region Stockholm",
  "Göteborgs stad",
  "Riksarkivet",
  "",
];
const FIRST_NAMES = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Per", "Sara", "Mikael", "Lena", "Anders"];
const LAST_NAMES = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Lindqvist"];
const POSITIONS: (CommentPosition | null)[] = ["supports", "opposes", "neutral", null, null];

function sentence(): string {
  const words = Array.from({ length: between(8, 20) }, () => pick(WORDS));
  const text = words.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function prose(minLength: number, maxLength: number): string {
  const target = between(minLength, maxLength);
  let text = sentence();
  while (text.length < target) text += ` ${sentence()}`;
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1).trimEnd()}.`;
}

/** A paragraph of plain text, or now and then one with a bold phrase in it, as drafts have. */
function paragraph(text: string): ContentNode {
  const cut = text.indexOf(" ", Math.floor(text.length / 3));
  const end = text.indexOf(" ", cut + 20);
  const content: ContentNode[] =
    random() < 0.15 && cut > 0 && end > cut
      ? [
          { type: "text", text: text.slice(0, cut + 1) },
          { type: "text", text: text.slice(cut + 1, end), marks: [{ type: "bold" }] },
          { type: "text", text: text.slice(end) },
        ]
      : [{ type: "text", text }];
  return { type: "paragraph", attrs: { id: newBlockId() }, content };
}

/** BLOCKS commentable blocks: a title, a heading (levels 2 and 3) every SECTION_LENGTH blocks, prose and bullet lists between. */
function buildDraft(): ContentNode {
  const content: ContentNode[] = [{ type: "heading", attrs: { id: newBlockId(), level: 1 }, content: [{ type: "text", text: "Vägledning om öppna licenser, prestandautkast" }] }];
  let blocks = 1;
  let section = 0;
  while (blocks < BLOCKS) {
    if (blocks % SECTION_LENGTH === 0) {
      section += 1;
      const level = section % 3 === 1 ? 2 : 3;
      content.push({ type: "heading", attrs: { id: newBlockId(), level }, content: [{ type: "text", text: `${section}. ${prose(20, 60).slice(0, -1)}` }] });
      blocks += 1;
    } else if (random() < 0.08) {
      const items = Math.min(between(3, 5), BLOCKS - blocks);
      content.push({
        type: "bulletList",
        content: Array.from({ length: items }, () => ({ type: "listItem", attrs: { id: newBlockId() }, content: [paragraph(prose(100, 250))] })),
      });
      blocks += items;
    } else {
      content.push(paragraph(prose(300, 600)));
      blocks += 1;
    }
  }
  return { type: "doc", content };
}

/** A word-aligned passage of 15 to 80 characters, as people select them. */
function passageIn(text: string): { from: number; to: number } | undefined {
  const start = text.indexOf(" ", between(0, Math.max(0, text.length - 90)));
  if (start < 0) return undefined;
  const from = start + 1;
  const end = text.indexOf(" ", from + between(15, 80));
  const to = end < 0 ? text.length : end;
  return from < to ? { from, to } : undefined;
}

/** 1 to MAX_COMMENTS_PER_THREAD comments for each thread, COMMENTS in all. */
function commentCounts(): number[] {
  const counts = Array.from({ length: THREADS }, () => 1);
  for (let left = COMMENTS - THREADS; left > 0; ) {
    const thread = between(0, THREADS - 1);
    if ((counts[thread] ?? 0) >= MAX_COMMENTS_PER_THREAD) continue;
    counts[thread] = (counts[thread] ?? 0) + 1;
    left -= 1;
  }
  return counts;
}

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_BATCH) await insert(rows.slice(start, start + INSERT_BATCH));
}

/** USERS accounts in the default space sharing one password hash (argon2 per account would take seconds); the first is the viewing member. */
async function createUsers(db: Kysely<Database>): Promise<{ ids: string[]; editorIds: string[] }> {
  const space = await findDefaultSpace(db);
  const passwordHash = await hashPassword(randomUUID());
  const ids: string[] = [];
  const editorIds: string[] = [];
  for (let index = 0; index < USERS; index++) {
    const role: Role = index > 0 && index % 10 === 0 ? "editor" : "member";
    const email = `bench-${index}-${randomBytes(4).toString("hex")}@example.test`;
    const user = await insertUser(db, {
      email,
      name: `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`,
      organisation: pick(ORGANISATIONS),
      password_hash: passwordHash,
      deactivated_at: null,
      contribution_licence_accepted_at: new Date(),
    });
    await upsertMembership(db, user.id, space.id, role);
    ids.push(user.id);
    if (role === "editor") editorIds.push(user.id);
  }
  return { ids, editorIds };
}

async function createFixture(db: Kysely<Database>): Promise<Fixture> {
  random = seededRandom(SEED).next;
  const slug = `bench-page-${randomBytes(4).toString("hex")}`;
  const document = await insertDocument(db, { slug, title: "Vägledning om öppna licenser (prestandatest)", language: "sv" });
  const doc = new Y.Doc();
  writeContentToYDoc(buildDraft(), doc);
  // Stored as the seed stores its draft: one logged update, loaded by the server's DocumentStore.
  await appendUpdates(db, document.id, [Y.encodeStateAsUpdateV2(doc)]);
  const index = DocumentIndex.of(doc);

  const { ids: userIds, editorIds } = await createUsers(db);
  const viewerId = userIds[0] ?? "";
  const { token } = await createSession(db, viewerId);

  const threadRows: Insertable<Database["comment_threads"]>[] = [];
  const commentRows: Insertable<Database["comments"]>[] = [];
  const agreementRows: Insertable<Database["thread_agreements"]>[] = [];
  const dayMs = 24 * 60 * 60 * 1000;
  const firstDay = Date.now() - 30 * dayMs;
  let passageThreads = 0;

  for (const count of commentCounts()) {
    const block = pick(index.blocks);
    const passage = random() < PASSAGE_SHARE ? passageIn(block.text) : undefined;
    const anchor: StoredAnchor | null = createAnchor(index, block.id, passage);
    if (!anchor) throw new Error(`could not anchor a thread on block ${block.id}`);
    if (anchor.passage) passageThreads += 1;
    const threadId = randomUUID();
    const authorId = pick(userIds);
    const createdAt = firstDay + random() * 25 * dayMs;
    const resolved = random() < 0.2;
    const resolver = pick(editorIds);
    threadRows.push({
      id: threadId,
      document_id: document.id,
      block_id: block.id,
      anchor: JSON.stringify(anchor),
      author_id: authorId,
      status: resolved ? "resolved" : "open",
      status_changed_by: resolved ? resolver : null,
      status_changed_at: resolved ? new Date(createdAt + 4 * dayMs) : null,
      created_at: new Date(createdAt),
    });
    for (let reply = 0; reply < count; reply++) {
      const at = new Date(createdAt + reply * random() * dayMs);
      const fate = random();
      const deleted = fate < 0.05;
      const hidden = fate >= 0.05 && fate < 0.07;
      commentRows.push({
        thread_id: threadId,
        author_id: reply === 0 ? authorId : pick(userIds),
        // A deleted comment's body is erased, as markCommentDeleted does.
        body: deleted ? "" : prose(80, 800),
        position: deleted ? null : pick(POSITIONS),
        created_at: at,
        edited_at: !deleted && random() < 0.05 ? new Date(at.getTime() + 60_000) : null,
        deleted_at: deleted ? new Date(at.getTime() + dayMs) : null,
        hidden_at: hidden ? new Date(at.getTime() + dayMs) : null,
        hidden_by: hidden ? resolver : null,
        hidden_reason: hidden ? "Personangrepp, strider mot riktlinjerna för diskussionen." : null,
      });
    }
    if (random() < 0.4) {
      const agreeing = new Set(Array.from({ length: between(1, 8) }, () => pick(userIds)));
      agreeing.delete(authorId);
      for (const userId of agreeing) agreementRows.push({ thread_id: threadId, user_id: userId });
    }
  }

  await insertInBatches(threadRows, (batch) => db.insertInto("comment_threads").values(batch).execute());
  await insertInBatches(commentRows, (batch) => db.insertInto("comments").values(batch).execute());
  await insertInBatches(agreementRows, (batch) => db.insertInto("thread_agreements").values(batch).execute());
  doc.destroy();

  return {
    documentId: document.id,
    slug,
    memberCookie: `${SESSION_COOKIE_NAME}=${token}`,
    blocks: index.blocks.length,
    threads: threadRows.length,
    passageThreads,
    comments: commentRows.length,
    resolvedThreads: threadRows.filter((thread) => thread.status === "resolved").length,
    deletedComments: commentRows.filter((comment) => comment.deleted_at).length,
    hiddenComments: commentRows.filter((comment) => comment.hidden_at).length,
    agreements: agreementRows.length,
    contentChars: index.blocks.reduce((sum, block) => sum + block.text.length, 0),
  };
}

// ---- Measuring ----

function summarise(samples: number[]): Timings {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (rank: number) => sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? NaN;
  const middle = sorted.length / 2;
  const medianMs = sorted.length % 2 === 1 ? at(Math.floor(middle)) : (at(middle - 1) + at(middle)) / 2;
  // Nearest-rank percentile.
  return { medianMs, p95Ms: at(Math.ceil(sorted.length * 0.95) - 1), maxMs: at(sorted.length - 1) };
}

/**
 * The browser's side of the measurement, run in a process of its own so that reading an 800 KB body does not take
 * turns with the server on the same thread: WARM_UP_REQUESTS, then REQUESTS timed one after another, each from
 * sending to the last byte of the body. Prints the samples and the body size as JSON.
 */
const CLIENT_SCRIPT = `
const http = require("node:http");
const [url, headersJson, warmUp, requests] = process.argv.slice(1);
const headers = JSON.parse(headersJson);
const agent = new http.Agent({ keepAlive: true });
const once = () => new Promise((resolve, reject) => {
  const started = performance.now();
  http.get(url, { headers, agent }, (response) => {
    let bytes = 0;
    response.on("data", (chunk) => { bytes += chunk.length; });
    response.on("end", () => resolve({ elapsed: performance.now() - started, bytes, status: response.statusCode }));
    response.on("error", reject);
  }).on("error", reject);
});
(async () => {
  const samples = [];
  let bytes = 0;
  for (let request = 0; request < Number(warmUp) + Number(requests); request++) {
    const result = await once();
    if (result.status !== 200) throw new Error("GET " + url + " answered " + result.status);
    if (request >= Number(warmUp)) samples.push(result.elapsed);
    bytes = result.bytes;
  }
  agent.destroy();
  process.stdout.write(JSON.stringify({ samples, bytes }));
})().catch((error) => { console.error(error.message); process.exit(1); });
`;

async function timeRequests(url: string, cookie: string | null): Promise<{ timings: Timings; bytes: number }> {
  const headers: Record<string, string> = { "user-agent": BROWSER_USER_AGENT, accept: "text/html" };
  if (cookie) headers.cookie = cookie;
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", CLIENT_SCRIPT, url, JSON.stringify(headers), String(WARM_UP_REQUESTS), String(REQUESTS)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`the request client exited with ${code}`))));
  });
  const { samples, bytes } = JSON.parse(output) as { samples: number[]; bytes: number };
  return { timings: summarise(samples), bytes };
}

function loadContext(server: RunningServer): AppLoadContext {
  return { services: server.services, cspNonce: "bench", clientIp: "127.0.0.1", serverOnly: {} };
}

/** The route's loader alone, called in process as Remix calls it: no rendering, no serialisation, no HTTP. */
async function timeLoader(server: RunningServer, url: string, fixture: Fixture, cookie: string | null): Promise<Timings> {
  const context = loadContext(server);
  const samples: number[] = [];
  for (let call = 0; call < WARM_UP_REQUESTS + REQUESTS; call++) {
    const request = new Request(url, { headers: cookie ? { cookie } : {} });
    const started = performance.now();
    const page = await requireDocumentPage(request, context, fixture.slug);
    const elapsed = performance.now() - started;
    if (page.page.access.signedIn !== (cookie !== null)) throw new Error("the loader did not see the viewer the bench meant");
    if (call >= WARM_UP_REQUESTS) samples.push(elapsed);
  }
  return summarise(samples);
}

/** The loader's steps one by one, for the member; the cached ones uncached (see Phases). */
async function timePhases(server: RunningServer, url: string, fixture: Fixture): Promise<Phases> {
  const context = loadContext(server);
  const { db } = server.services;
  const samples: Record<keyof Phases, number[]> = {
    session: [],
    loadStoredThreads: [],
    loadDocument: [],
    documentIndex: [],
    yDocToContent: [],
    locateThreads: [],
  };
  for (let round = 0; round < WARM_UP_REQUESTS + REQUESTS; round++) {
    const keep = round >= WARM_UP_REQUESTS;
    const record = (phase: keyof Phases, started: number): number => {
      const now = performance.now();
      if (keep) samples[phase].push(now - started);
      return now;
    };
    let at = performance.now();
    await getCurrentSession(new Request(url, { headers: { cookie: fixture.memberCookie } }), context);
    at = record("session", at);
    const stored = await loadStoredThreads(db, fixture.documentId);
    at = record("loadStoredThreads", at);
    // What DocumentStore.load and the idle-document cache do on a miss.
    const { snapshot, updates } = await readDocumentState(db, fixture.documentId);
    const doc = new Y.Doc();
    for (const part of [snapshot, ...updates.map((row) => row.update)]) if (part) Y.applyUpdateV2(doc, part);
    at = record("loadDocument", at);
    const index = DocumentIndex.of(doc);
    at = record("documentIndex", at);
    yDocToContent(doc);
    at = record("yDocToContent", at);
    locateThreads(stored, index);
    record("locateThreads", at);
    doc.destroy();
  }
  const medians = Object.entries(samples).map(([phase, values]) => [phase, summarise(values).medianMs]);
  return Object.fromEntries(medians) as Phases;
}

// ---- Databases ----

async function benchDatabase(database: DatabaseKind, databaseUrl: string): Promise<{ rows: Row[]; phases: Phases; fixture: Fixture }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "samrad-bench-page-"));
  let server: RunningServer | undefined;
  try {
    server = await startServer(
      readEnv({ NODE_ENV: "production", HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: "error" }),
    );
    let started = performance.now();
    const fixture = await createFixture(server.services.db);
    log(`${database}: fixture made in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const url = `${server.url}/d/${fixture.slug}`;
    const rows: Row[] = [];
    for (const viewer of ["member", "anonymous"] as const) {
      const cookie = viewer === "member" ? fixture.memberCookie : null;
      started = performance.now();
      const { timings, bytes } = await timeRequests(url, cookie);
      const loader = await timeLoader(server, url, fixture, cookie);
      rows.push({ database, viewer, request: timings, loader, responseBytes: bytes });
      log(`${database}, ${viewer}: median ${timings.medianMs.toFixed(1)} ms (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
    const phases = await timePhases(server, url, fixture);
    return { rows, phases, fixture };
  } finally {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

// ---- Report ----

const ms = (value: number) => `${value.toFixed(1)} ms`;

function formatSection(options: { startedAt: Date; rows: Row[]; phases: Map<DatabaseKind, Phases>; fixture: Fixture; skipped: string | null }): string {
  const { fixture, rows } = options;
  const lines = [
    SECTION_HEADING,
    "",
    `Run ${options.startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}), ` +
      `Node ${process.version}, ${os.platform()} ${os.release()}.`,
    "",
    `Fixture: ${fixture.blocks} blocks (${(fixture.contentChars / 1000).toFixed(0)}k characters: headings every ${SECTION_LENGTH} blocks, paragraphs of 300–600 characters, bullet lists), ` +
      `${fixture.threads} threads (${fixture.passageThreads} on passages, the rest on whole blocks; ${fixture.resolvedThreads} resolved), ` +
      `${fixture.comments} comments by ${USERS} people (${fixture.deletedComments} deleted, ${fixture.hiddenComments} hidden), ${fixture.agreements} agreements. ` +
      "The draft is one stored Yjs update with no one connected to it, so pages read it from the server's idle-document cache.",
    "",
    `GET /d/<slug> on the production server (startServer, ./build), ${WARM_UP_REQUESTS} warm-up requests then ${REQUESTS} sequential ones per row, ` +
      "timed by a client in a separate process (node:http, keep-alive) from sending to the last byte of the body. Loader: the route's requireDocumentPage called in process, without rendering or HTTP. " +
      `Target: median under ${TARGET_MEDIAN_MS} ms.`,
    "",
    "| Database | Viewer | Median | p95 | Max | Loader median | Loader p95 | Response size | Target |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...rows.map(
      (row) =>
        `| ${row.database} | ${row.viewer} | ${ms(row.request.medianMs)} | ${ms(row.request.p95Ms)} | ${ms(row.request.maxMs)} | ` +
        `${ms(row.loader.medianMs)} | ${ms(row.loader.p95Ms)} | ${(row.responseBytes / 1024).toFixed(0)} KiB | ` +
        `${row.request.medianMs < TARGET_MEDIAN_MS ? "PASS" : "FAIL"} |`,
    ),
  ];
  if (options.skipped) lines.push("", options.skipped);
  lines.push(
    "",
    "The loader's steps (medians, member). The server keeps the stored threads and the idle draft in memory between " +
      "requests, so the two load columns are paid only by the first request after a change; rendering and serialising " +
      "the page take the rest of a request:",
    "",
    "| Database | Session | loadStoredThreads | Load Y.Doc | DocumentIndex.of | yDocToContent | locateThreads |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...[...options.phases].map(
      ([database, phases]) =>
        `| ${database} | ${ms(phases.session)} | ${ms(phases.loadStoredThreads)} | ${ms(phases.loadDocument)} | ${ms(phases.documentIndex)} | ` +
        `${ms(phases.yDocToContent)} | ${ms(phases.locateThreads)} |`,
    ),
  );
  return `${lines.join("\n")}\n`;
}


async function main(): Promise<void> {
  if (!existsSync(BUILD_ENTRY)) throw new Error(`${path.relative(ROOT, BUILD_ENTRY)} is missing: run \`npm run build\` first`);
  const startedAt = new Date();
  const rows: Row[] = [];
  const phases = new Map<DatabaseKind, Phases>();

  const pglite = await benchDatabase("PGlite", "");
  rows.push(...pglite.rows);
  phases.set("PGlite", pglite.phases);

  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  let skipped: string | null = null;
  if (adminUrl) {
    const scratch = await createScratchPostgresDatabase(adminUrl);
    try {
      const postgres = await benchDatabase("PostgreSQL", scratch.url);
      rows.push(...postgres.rows);
      phases.set("PostgreSQL", postgres.phases);
    } finally {
      await scratch.drop();
    }
  } else {
    skipped = "PostgreSQL was skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a server the bench may create databases on.";
    log(skipped);
  }

  const section = formatSection({ startedAt, rows, phases, fixture: pglite.fixture, skipped });
  process.stdout.write(`\n${section}`);
  await writeResultsSection(SECTION_HEADING, section);
  log(`written to ${path.relative(ROOT, RESULTS_FILE)}`);
}

/**
 * React and Express choose their production code from process.env.NODE_ENV when they are first loaded, and
 * `npm start` sets it; NODE_ENV given to readEnv alone would measure React's development build, many times slower.
 * So without it the bench runs itself again with it.
 */
function rerunInProduction(): void {
  const rerun = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  process.exit(rerun.status ?? 1);
}

if (process.env.NODE_ENV !== "production") rerunInProduction();
main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    // fetch reports only "fetch failed"; the reason (a reset connection, a refused port) is its cause.
    const cause = error instanceof Error && error.cause !== undefined ? `\ncaused by: ${String(error.cause)}` : "";
    process.stderr.write(`[bench:page] could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}${cause}\n`);
    process.exit(1);
  });
