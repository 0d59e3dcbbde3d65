/**
 * `npm run bench:reader`: what a person opening the draft gets, in Chromium, as a visitor, a member and an editor,
 * on a desktop and on a throttled phone: bytes on the wire, paints, layout shift, and how long until a click on a
 * paragraph's margin reference opens the comment composer. See docs/performance.md ("Reader experience").
 *
 *   npm run bench:reader -- [--runs 3] [--no-fail]
 *
 * The server is the production one, as `npm start` runs it (`node server/build.mjs --if-stale`, then
 * build/node/main.js as its own process, with its compression), on a throwaway PGlite folder seeded with the
 * draft. Writes its tables into bench/results.md under SECTION_HEADING, leaving the other sections as they are,
 * and exits 1 when a target is missed (unless --no-fail), 2 on a bad flag.
 */
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser, type BrowserContextOptions, type CDPSession, type Page } from "playwright-core";
import { openDatabase } from "#db/client";
import { migrateToLatest } from "#db/migrate";
import { createUserFromCli } from "#app/models/accounts/cli.server";
import type { Role } from "#app/models/authorization.server";
import { createSession, SESSION_COOKIE_NAME } from "#app/models/sessions.server";
import { seedDatabase } from "#app/seed";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { scaledMs } from "#tests/support/time";
import { writeResultsSection } from "./results-file";
import { freePort, ServerProcess } from "./server-process";

const ROOT = path.resolve(import.meta.dirname, "..");
const SERVER_ENTRY = path.join(ROOT, "build/node/main.js");
const SECTION_HEADING = "## Reader experience (bench:reader)";
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The flags of tests/support/browser.ts: headless, and no background calls home on this closed network. */
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Upper bounds only: every wait ends on its event, these just keep a broken page from hanging the bench. */
const SERVER_READY_MS = scaledMs(30_000);
const PAGE_WAIT_MS = scaledMs(30_000);
/** The page counts as settled once no HTTP request (but the comment-event stream, which never ends) is open for this long. */
const NETWORK_QUIET_MS = 1_000;
const STOP_GRACE_MS = 5_000;

/**
 * What the bench looks for in the page. Hydrated: the document page adds has-drawer once React has taken over the
 * server's markup (useHydrated), which is also when its margin references start opening the composer.
 */
const SELECTORS = {
  hydrated: "main.has-drawer",
  editorLive: '.ProseMirror[contenteditable="true"]',
  composer: "#new-comment textarea",
  signInEmail: 'input[name="email"]',
  /** The first paragraph's margin reference: headings' references ("2", "Rubrik") have no ¶. */
  paragraphReference: ".block-ref",
  paragraphMark: "¶",
};

const TARGET_COMPOSER_MS = 2_500;
const TARGET_VISITOR_SCRIPT_BYTES = 150_000;

/**
 * Lighthouse's mobile throttling ("Slow 4G", `throttling.mobileSlow4G` in its config/constants.js) as Lighthouse
 * applies it through DevTools (throttlingMethod "devtools"): 150 ms RTT × 3.75 as request latency, 1.6 Mbit/s × 0.9
 * down and 750 kbit/s × 0.9 up (Lighthouse's kbit is 1,024 bit), CPU 4× slower. DevTools' own "Slow 4G" preset uses
 * the same latency and factors with 1,000-bit kbits (180,000 and 84,375 B/s).
 */
const SLOW_4G = {
  offline: false,
  latency: 150 * 3.75,
  downloadThroughput: (1.6 * 1024 * 0.9 * 1024) / 8,
  uploadThroughput: (750 * 0.9 * 1024) / 8,
};
const PHONE_CPU_SLOWDOWN = 4;
const PHONE_USER_AGENT =
  "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Mobile Safari/537.36";

interface Profile {
  name: "desktop" | "phone";
  description: string;
  context: BrowserContextOptions;
  network: typeof SLOW_4G | null;
  cpuSlowdown: number;
}

const PROFILES: Profile[] = [
  {
    name: "desktop",
    description: "1400×1000 viewport, no throttling (the server is on the same machine)",
    context: { viewport: { width: 1400, height: 1000 } },
    network: null,
    cpuSlowdown: 1,
  },
  {
    name: "phone",
    description:
      `390×844 viewport at device scale 3, touch, Chrome-on-Android user agent; network Lighthouse "Slow 4G" ` +
      `(${SLOW_4G.latency} ms latency per request, ${Math.round(SLOW_4G.downloadThroughput).toLocaleString("en")} B/s down = 1.6 Mbit/s × 0.9, ` +
      `${Math.round(SLOW_4G.uploadThroughput).toLocaleString("en")} B/s up = 750 kbit/s × 0.9, via CDP Network.emulateNetworkConditions); ` +
      `CPU ${PHONE_CPU_SLOWDOWN}× slower (CDP Emulation.setCPUThrottlingRate)`,
    context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, userAgent: PHONE_USER_AGENT },
    network: SLOW_4G,
    cpuSlowdown: PHONE_CPU_SLOWDOWN,
  },
];

type Viewer = "visitor" | Extract<Role, "member" | "editor">;
const VIEWERS: Viewer[] = ["visitor", "member", "editor"];

/** One run's figures: milliseconds from navigation start, bytes, and the layout shift score. */
interface Sample {
  scriptBytes: number;
  httpBytes: number;
  webSocketBytes: number;
  firstPaint: number | null;
  firstContentfulPaint: number | null;
  largestContentfulPaint: number | null;
  layoutShift: number;
  hydrated: number | null;
  /** Composer visible (member, editor) or the sign-in form shown (visitor), after a click once hydrated. */
  commentingWorks: number | null;
  /** The part of commentingWorks from the click (as the page received it) to the composer or sign-in form. */
  clickToOpen: number | null;
  editorLive: number | null;
}

interface Row {
  profile: Profile["name"];
  viewer: Viewer;
  runs: Sample[];
  encodings: Set<string>;
}

// ---- Flags ----

class UsageError extends Error {}
/** Something missing on this machine: the message says what to do, a stack would not help. */
class SetupError extends Error {}

function readOptions(): { runs: number; fail: boolean } {
  let values;
  try {
    ({ values } = parseArgs({ options: { runs: { type: "string" }, "no-fail": { type: "boolean" }, help: { type: "boolean", short: "h" } }, strict: true }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) {
    process.stdout.write("Usage: npm run bench:reader -- [--runs N (default 3)] [--no-fail (exit 0 even when a target is missed)]\n");
    process.exit(0);
  }
  const runs = Number(values.runs ?? 3);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs must be a whole number ≥ 1, got ${values.runs}`);
  return { runs, fail: values["no-fail"] !== true };
}

const benchStart = Date.now();

function log(message: string): void {
  process.stdout.write(`[bench:reader +${((Date.now() - benchStart) / 1000).toFixed(1)} s] ${message}\n`);
}

// ---- Server and accounts ----

function ensureBuild(): void {
  log("building the app if its sources changed (node server/build.mjs --if-stale)");
  const build = spawnSync(process.execPath, [path.join(ROOT, "server/build.mjs"), "--if-stale"], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0 || !existsSync(SERVER_ENTRY)) throw new SetupError(`the build failed (exit ${build.status ?? build.signal}); run \`npm run build\` to see why`);
}

/** Seeds the draft and makes a member and an editor with a session each, before the server opens the folder. */
async function prepareDatabase(dataDir: string): Promise<Record<Exclude<Viewer, "visitor">, string>> {
  const database = await openDatabase({ dataDir });
  try {
    await migrateToLatest(database.db);
    await seedDatabase(database.db);
    const tokens = {} as Record<Exclude<Viewer, "visitor">, string>;
    for (const role of ["member", "editor"] as const) {
      const created = await createUserFromCli(database.db, {
        email: `bench-reader-${role}-${randomBytes(4).toString("hex")}@example.test`,
        name: `Bench ${role}`,
        password: randomUUID(),
        role,
      });
      if (!created.ok) throw new Error(`could not create the ${role}: ${created.error}`);
      tokens[role] = (await createSession(database.db, created.user.id)).token;
    }
    return tokens;
  } finally {
    await database.close();
  }
}

// ---- In the page ----

/** What the recorder logs on the console when a mark is first recorded, followed by the mark's name. */
const MARK_MESSAGE = "reader-bench mark: ";

/**
 * Runs in the page before its own scripts. Records the paint metrics the browser reports and, on each DOM change,
 * the first moment each condition holds (performance.now(), i.e. ms from navigation start). A string, not a
 * function: tsx's helpers would not exist in the page.
 */
const RECORDER = `(() => {
  const state = { marks: {}, lcp: null, cls: 0, missedClicks: 0 };
  Object.defineProperty(window, "__readerBench", { value: state });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) state.lcp = entry.renderTime || entry.loadTime || entry.startTime;
  }).observe({ type: "largest-contentful-paint", buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) state.cls += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  const visible = (element) => {
    if (!element) return false;
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== "hidden";
  };
  const conditions = {
    hydrated: () => document.querySelector(${JSON.stringify(SELECTORS.hydrated)}) !== null,
    editorLive: () => visible(document.querySelector(${JSON.stringify(SELECTORS.editorLive)})),
    composer: () => visible(document.querySelector(${JSON.stringify(SELECTORS.composer)})),
    signIn: () => location.pathname === "/sign-in" && visible(document.querySelector(${JSON.stringify(SELECTORS.signInEmail)})),
  };
  const check = () => {
    const now = performance.now();
    for (const [name, holds] of Object.entries(conditions)) {
      if (state.marks[name] !== undefined || !holds()) continue;
      state.marks[name] = now;
      // Told to the bench as an event, so that it acts at once rather than when its next poll comes round.
      // With the point a finger would tap at that moment: the middle of the first paragraph's margin reference.
      const reference = [...document.querySelectorAll(${JSON.stringify(SELECTORS.paragraphReference)})].find((element) => element.textContent.includes(${JSON.stringify(SELECTORS.paragraphMark)}));
      const box = reference?.getBoundingClientRect();
      console.debug(${JSON.stringify(MARK_MESSAGE)} + name + (box ? " " + (box.left + box.width / 2) + " " + (box.top + box.height / 2) : ""));
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
  addEventListener("click", (event) => {
    if (!event.isTrusted) return;
    if (state.marks.click === undefined) state.marks.click = performance.now();
    if (!(event.target instanceof Element && event.target.closest(${JSON.stringify(SELECTORS.paragraphReference)}))) state.missedClicks += 1;
  }, true);
})();`;

type Mark = "hydrated" | "editorLive" | "composer" | "signIn" | "click";

interface PageFigures {
  marks: Partial<Record<Mark, number>>;
  lcp: number | null;
  cls: number;
  firstPaint: number | null;
  firstContentfulPaint: number | null;
  now: number;
}

function readFigures(page: Page): Promise<PageFigures> {
  return page.evaluate(`(() => {
    const state = window.__readerBench;
    const paint = (name) => performance.getEntriesByName(name, "paint")[0]?.startTime ?? null;
    return { marks: state.marks, lcp: state.lcp, cls: state.cls, firstPaint: paint("first-paint"), firstContentfulPaint: paint("first-contentful-paint"), now: performance.now() };
  })()`);
}

/**
 * The moment `mark` was recorded in the page (now, if the DOM showed it without a change the recorder saw), and how
 * long after the click that was.
 */
async function openedAt(page: Page, mark: Mark): Promise<Commenting> {
  const figures = await readFigures(page);
  const opened = figures.marks[mark] ?? figures.now;
  const { click = null, hydrated = null } = figures.marks;
  return { commentingWorks: opened, clickToOpen: click === null ? null : opened - click, hydrated, click };
}

// ---- Network ----

interface RequestRecord {
  type: string;
  done: boolean;
  bytes: number;
}

/** What the page fetched, from the DevTools protocol: sizes as they came over the wire (compressed, with headers). */
class NetworkLog {
  private readonly requests = new Map<string, RequestRecord>();
  readonly encodings = new Set<string>();
  webSocketBytes = 0;
  private quietWaiters: Array<() => void> = [];
  private quietTimer: NodeJS.Timeout | undefined;

  constructor(cdp: CDPSession) {
    cdp.on("Network.requestWillBeSent", (event) => {
      if (this.requests.has(event.requestId)) return; // a redirect: same request, bytes counted once it finishes
      this.requests.set(event.requestId, { type: event.type ?? "Other", done: false, bytes: 0 });
      this.changed();
    });
    cdp.on("Network.responseReceived", (event) => {
      const record = this.requests.get(event.requestId);
      if (record) record.type = event.type;
      if (event.type === "Script") {
        const encoding = Object.entries(event.response.headers).find(([name]) => name.toLowerCase() === "content-encoding")?.[1];
        this.encodings.add(encoding ?? "identity");
      }
    });
    cdp.on("Network.loadingFinished", (event) => {
      const record = this.requests.get(event.requestId);
      if (!record) return;
      record.done = true;
      record.bytes = event.encodedDataLength;
      this.changed();
    });
    cdp.on("Network.loadingFailed", (event) => {
      const record = this.requests.get(event.requestId);
      if (record) record.done = true;
      this.changed();
    });
    cdp.on("Network.webSocketFrameReceived", (event) => {
      const { opcode, payloadData } = event.response;
      // Binary frames (opcode 2) arrive base64-encoded; text frames as text.
      this.webSocketBytes += opcode === 2 ? Buffer.from(payloadData, "base64").length : Buffer.byteLength(payloadData);
    });
  }

  bytes(type?: string): number {
    let total = 0;
    for (const record of this.requests.values()) if (type === undefined || record.type === type) total += record.bytes;
    return total;
  }

  private get open(): number {
    let open = 0;
    for (const record of this.requests.values()) if (!record.done && record.type !== "EventSource") open += 1;
    return open;
  }

  private changed(): void {
    clearTimeout(this.quietTimer);
    if (this.open > 0 || this.quietWaiters.length === 0) return;
    this.quietTimer = setTimeout(() => {
      for (const resolve of this.quietWaiters.splice(0)) resolve();
    }, NETWORK_QUIET_MS);
  }

  /** Resolves once no request has been open for NETWORK_QUIET_MS. */
  async quiet(timeoutMs: number): Promise<void> {
    const settled = new Promise<void>((resolve) => this.quietWaiters.push(resolve));
    this.changed();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the page still had ${this.open} request(s) open after ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      await Promise.race([settled, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

// ---- One page load ----

interface Visit {
  page: Page;
  network: NetworkLog;
  close(): Promise<void>;
}

/** A new browser context (empty cache, no cookies but the viewer's session), throttled as the profile says. */
async function visit(browser: Browser, baseUrl: string, profile: Profile, viewer: Viewer, tokens: Record<Exclude<Viewer, "visitor">, string>): Promise<Visit> {
  const context = await browser.newContext({ locale: "sv-SE", ...profile.context });
  try {
    if (viewer !== "visitor") await context.addCookies([{ name: SESSION_COOKIE_NAME, value: tokens[viewer], url: baseUrl }]);
    await context.addInitScript(RECORDER);
    const page = await context.newPage();
    page.setDefaultTimeout(PAGE_WAIT_MS);
    const cdp = await context.newCDPSession(page);
    const network = new NetworkLog(cdp);
    await cdp.send("Network.enable");
    if (profile.network) await cdp.send("Network.emulateNetworkConditions", profile.network);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: profile.cpuSlowdown });
    await page.goto(`${baseUrl}/d/${SEED_DOCUMENT.slug}`, { waitUntil: "commit" });
    return { page, network, close: () => context.close() };
  } catch (error) {
    await context.close();
    throw error;
  }
}

async function waitForMark(page: Page, mark: Mark): Promise<void> {
  // A function, not a string: the page's CSP forbids eval, which Playwright would need for a string.
  await page.waitForFunction(
    (name) => (window as unknown as { __readerBench: { marks: Record<string, number> } }).__readerBench.marks[name] !== undefined,
    mark,
    { timeout: PAGE_WAIT_MS },
  );
}

/**
 * Reading: the page loads with no one touching it until it is settled (load event, hydrated, the editor live for
 * an editor, then no request open for NETWORK_QUIET_MS). Bytes, paints and layout shift come from this load, so
 * that no input ends the largest-contentful-paint or layout-shift records early.
 */
async function readingLoad(open: () => Promise<Visit>, viewer: Viewer): Promise<Omit<Sample, "commentingWorks" | "clickToOpen"> & { encodings: Set<string> }> {
  const { page, network, close } = await open();
  try {
    await page.waitForLoadState("load");
    await waitForMark(page, "hydrated");
    if (viewer === "editor") await waitForMark(page, "editorLive");
    await network.quiet(PAGE_WAIT_MS);
    const figures = await readFigures(page);
    return {
      scriptBytes: network.bytes("Script"),
      httpBytes: network.bytes(),
      webSocketBytes: network.webSocketBytes,
      firstPaint: figures.firstPaint,
      firstContentfulPaint: figures.firstContentfulPaint,
      largestContentfulPaint: figures.lcp,
      layoutShift: figures.cls,
      hydrated: figures.marks.hydrated ?? null,
      editorLive: viewer === "editor" ? (figures.marks.editorLive ?? null) : null,
      encodings: network.encodings,
    };
  } finally {
    await close();
  }
}

/**
 * Commenting: a second cold load in which the first paragraph's margin reference (its label has "¶") is clicked,
 * or tapped on the phone, as soon as the page is hydrated; done when the composer's text box is visible, or for a
 * visitor when the sign-in form is shown. Milliseconds from navigation start.
 */
/** The commenting load's own moments, hydrated and click, are only logged, to tell the page's delays from the click's. */
interface Commenting {
  commentingWorks: number;
  clickToOpen: number | null;
  hydrated: number | null;
  click: number | null;
}

async function commentingLoad(open: () => Promise<Visit>, profile: Profile, viewer: Viewer): Promise<Commenting> {
  const { page, close } = await open();
  try {
    // Where a finger lands: the reference's middle as the page has it when it reports itself hydrated, so that the tap
    // is one input event at once, as a person's is.
    const hydrated = await page.waitForEvent("console", { predicate: (message) => message.text().startsWith(`${MARK_MESSAGE}hydrated `), timeout: PAGE_WAIT_MS });
    const [x = Number.NaN, y = Number.NaN] = hydrated.text().slice(`${MARK_MESSAGE}hydrated `.length).split(" ").map(Number);
    if (profile.context.hasTouch) await page.touchscreen.tap(x, y);
    else await page.mouse.click(x, y);
    const outcome: Mark = viewer === "visitor" ? "signIn" : "composer";
    const missed = await page.waitForFunction(
      (name) => {
        const state = (window as unknown as { __readerBench: { marks: Record<string, number>; missedClicks: number } }).__readerBench;
        return state.marks[name] !== undefined ? "opened" : state.missedClicks > 0 ? "missed" : false;
      },
      outcome,
      { timeout: PAGE_WAIT_MS },
    );
    if ((await missed.jsonValue()) === "missed") {
      // The page moved under the click (an editor's toolbar appearing, say): click again, as a person would,
      // this time once the reference holds still. The time still counts from navigation start.
      log(`${profile.name}, ${viewer}: the click landed beside the reference as the page moved; clicking again`);
      const reference = page.locator(SELECTORS.paragraphReference, { hasText: SELECTORS.paragraphMark }).first();
      if (profile.context.hasTouch) await reference.tap();
      else await reference.click();
    }
    if (viewer === "visitor") {
      await page.waitForURL((url) => url.pathname === "/sign-in");
      await page.locator(SELECTORS.signInEmail).waitFor({ state: "visible" });
      return await openedAt(page, "signIn");
    }
    await page.locator(SELECTORS.composer).waitFor({ state: "visible" });
    return await openedAt(page, "composer");
  } finally {
    await close();
  }
}

// ---- Report ----

function median(values: (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null).sort((a, b) => a - b);
  if (known.length === 0) return null;
  const middle = Math.floor(known.length / 2);
  return known.length % 2 === 1 ? (known[middle] ?? null) : ((known[middle - 1] ?? 0) + (known[middle] ?? 0)) / 2;
}

const medianOf = (row: Row, key: keyof Sample) => median(row.runs.map((run) => run[key]));
const kB = (bytes: number | null) => (bytes === null ? "–" : `${(bytes / 1000).toFixed(1)} kB`);
const ms = (value: number | null) => (value === null ? "–" : `${Math.round(value)} ms`);

interface Verdict {
  label: string;
  measured: string;
  pass: boolean;
}

function verdicts(rows: Row[]): Verdict[] {
  const find = (viewer: Viewer) => rows.find((row) => row.profile === "phone" && row.viewer === viewer);
  const result: Verdict[] = [];
  const member = find("member");
  if (member) {
    const value = medianOf(member, "commentingWorks");
    result.push({ label: `phone, member: composer open within ${TARGET_COMPOSER_MS / 1000} s of navigation`, measured: ms(value), pass: value !== null && value <= TARGET_COMPOSER_MS });
  }
  const visitor = find("visitor");
  if (visitor) {
    const value = medianOf(visitor, "scriptBytes");
    result.push({ label: `phone, visitor: script ≤ ${TARGET_VISITOR_SCRIPT_BYTES / 1000} kB compressed`, measured: kB(value), pass: value !== null && value <= TARGET_VISITOR_SCRIPT_BYTES });
  }
  return result;
}

function formatSection(options: { startedAt: Date; runs: number; rows: Row[]; verdicts: Verdict[]; browserVersion: string; commit: string }): string {
  const { rows } = options;
  const encodings = [...new Set(rows.flatMap((row) => [...row.encodings]))].join(", ");
  const lines = [
    SECTION_HEADING,
    "",
    `Run ${options.startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC at ${options.commit} on ${os.cpus().length} cores ` +
      `(load average ${os.loadavg()[0]?.toFixed(1)} at the start), Node ${process.version}, Chromium ${options.browserVersion} headless.`,
    "",
    `The seeded draft (/d/${SEED_DOCUMENT.slug}) from the production server (build/node/main.js, its own compression; content-encodings of the scripts: ${encodings || "–"}), ` +
      `opened in a new browser context (cold cache) per load. Each figure is the median of ${options.runs} runs; a run is two cold loads: ` +
      "one left alone until settled (load event, hydrated, the editor live for an editor, then no HTTP request open for 1 s) for bytes, paints and layout shift, " +
      "and one in which the first paragraph's margin reference is clicked (tapped on the phone) as soon as the page is hydrated. " +
      "Times are from navigation start. Bytes are as transferred (compressed, with headers, CDP encodedDataLength): scripts, all HTTP, and the " +
      "payload the collaboration WebSocket had received by then. Commenting works (one tap or click where the reference is, found while the page loads, " +
      "sent as soon as the page reports itself hydrated on its console): " +
      "the composer's text box is visible (member, editor) or the sign-in form is shown " +
      "(visitor); “of which after the click” is the part from the click reaching the page to that moment, the rest being page load, hydration and the click itself. " +
      "Hydrated: React has taken over the server's page (main.has-drawer). Editor live: an editable ProseMirror is visible (editor only).",
    "",
  ];
  for (const profile of PROFILES) {
    const profileRows = rows.filter((row) => row.profile === profile.name);
    if (profileRows.length === 0) continue;
    lines.push(
      `### ${profile.name === "desktop" ? "Desktop" : "Phone"}: ${profile.description}`,
      "",
      "| Viewer | Script | All HTTP | WebSocket in | First paint | FCP | LCP | CLS | Hydrated | Commenting works | of which after the click | Editor live |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...profileRows.map(
        (row) =>
          `| ${row.viewer} | ${kB(medianOf(row, "scriptBytes"))} | ${kB(medianOf(row, "httpBytes"))} | ${kB(medianOf(row, "webSocketBytes"))} | ` +
          `${ms(medianOf(row, "firstPaint"))} | ${ms(medianOf(row, "firstContentfulPaint"))} | ${ms(medianOf(row, "largestContentfulPaint"))} | ` +
          `${medianOf(row, "layoutShift")?.toFixed(3) ?? "–"} | ${ms(medianOf(row, "hydrated"))} | ${ms(medianOf(row, "commentingWorks"))} | ${ms(medianOf(row, "clickToOpen"))} | ${ms(medianOf(row, "editorLive"))} |`,
      ),
      "",
    );
  }
  lines.push("Targets:", "", "| Target | Measured | Result |", "| --- | ---: | --- |");
  for (const verdict of options.verdicts) lines.push(`| ${verdict.label} | ${verdict.measured} | ${verdict.pass ? "PASS" : "FAIL"} |`);
  return `${lines.join("\n")}\n`;
}

// ---- Main ----

let server: ServerProcess | undefined;
let browser: Browser | undefined;
let dataDir: string | undefined;

async function cleanUp(): Promise<void> {
  await browser?.close().catch(() => undefined);
  browser = undefined;
  await server?.stop(STOP_GRACE_MS);
  server = undefined;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
}

async function main(): Promise<number> {
  const options = readOptions();
  if (!existsSync(CHROMIUM_PATH)) {
    throw new SetupError(`no Chromium at ${CHROMIUM_PATH}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH to its executable`);
  }
  ensureBuild();
  const startedAt = new Date();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "samrad-bench-reader-"));
  const tokens = await prepareDatabase(dataDir);
  const port = await freePort();
  server = new ServerProcess({
    label: "Samråd",
    args: [SERVER_ENTRY],
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "warn" },
  });
  await server.waitUntilReady(port, SERVER_READY_MS);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    throw new SetupError(`Chromium at ${CHROMIUM_PATH} did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const activeBrowser = browser;
  log(`server at ${baseUrl}, Chromium ${activeBrowser.version()}, ${options.runs} run(s) per profile and viewer`);

  const rows: Row[] = [];
  for (const profile of PROFILES) {
    for (const viewer of VIEWERS) {
      const row: Row = { profile: profile.name, viewer, runs: [], encodings: new Set() };
      const open = () => visit(activeBrowser, baseUrl, profile, viewer, tokens);
      for (let run = 1; run <= options.runs; run++) {
        const { encodings, ...reading } = await readingLoad(open, viewer);
        for (const encoding of encodings) row.encodings.add(encoding);
        const { commentingWorks, clickToOpen, ...moments } = await commentingLoad(open, profile, viewer);
        row.runs.push({ ...reading, commentingWorks, clickToOpen });
        log(
          `${profile.name}, ${viewer}, run ${run}: script ${kB(reading.scriptBytes)}, LCP ${ms(reading.largestContentfulPaint)}, ` +
            `hydrated ${ms(reading.hydrated)}, commenting works ${ms(commentingWorks)} (hydrated ${ms(moments.hydrated)}, click ${ms(moments.click)})${viewer === "editor" ? `, editor live ${ms(reading.editorLive)}` : ""}`,
        );
      }
      rows.push(row);
    }
  }

  const results = verdicts(rows);
  const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim() || "unknown commit";
  const section = formatSection({ startedAt, runs: options.runs, rows, verdicts: results, browserVersion: activeBrowser.version(), commit });
  process.stdout.write(`\n${section}`);
  await writeResultsSection(SECTION_HEADING, section);
  log("written to bench/results.md");

  const failed = results.filter((verdict) => !verdict.pass);
  for (const verdict of failed) process.stderr.write(`[bench:reader] target missed: ${verdict.label}; measured ${verdict.measured}\n`);
  return failed.length > 0 && options.fail ? 1 : 0;
}

// The server is a child process: stop it however the bench ends.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(130));
  });
}
process.once("unhandledRejection", (reason) => {
  process.stderr.write(`[bench:reader] could not run: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
  void cleanUp().finally(() => process.exit(1));
});

main()
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    const usage = error instanceof UsageError;
    const brief = usage || error instanceof SetupError;
    const serverOutput = server && !brief ? `\nlast server output:\n${server.recentOutput()}` : "";
    const text = error instanceof Error ? (brief ? error.message : (error.stack ?? error.message)) : String(error);
    process.stderr.write(`[bench:reader] ${usage ? "" : "could not run: "}${text}${serverOutput}\n`);
    await cleanUp();
    process.exit(usage ? 2 : 1);
  });
