/**
 * A server under test, run as a child `node` process so that its CPU time and memory can be read from
 * /proc/<pid> (the child is the server itself: no npx/tsx wrapper process in between).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Both servers are started with the same flags: --expose-gc plus a preloaded one-liner that, on SIGUSR2, runs a
 * full garbage collection and prints process.memoryUsage() on stderr behind MEMORY_MARKER, so that memory can be
 * read after a forced settle. Neither server has any other code injected.
 */
const MEMORY_MARKER = "@@bench-memory ";
const GC_ON_SIGNAL =
  `process.on("SIGUSR2", () => { if (typeof globalThis.gc === "function") globalThis.gc(); ` +
  `process.stderr.write("\\n${MEMORY_MARKER}" + JSON.stringify(process.memoryUsage()) + "\\n"); });`;
export const SHARED_NODE_FLAGS = ["--expose-gc", "--import", `data:text/javascript,${encodeURIComponent(GC_ON_SIGNAL)}`];

/** What the server reported of itself right after a forced collection, in bytes. */
export interface HeapReport {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface SettledMemory {
  /** VmRSS and its anonymous part once the latter stopped moving, KiB. */
  rssKiB: number;
  anonKiB: number;
  /** V8 heap in use plus memory held outside it by JS objects (Buffers, ArrayBuffers), KiB. */
  jsKiB: number;
  /** Whether RSS stopped moving before the time allowed ran out. */
  stable: boolean;
}

const CLOCK_TICKS_PER_SECOND = readClockTicks();
const OUTPUT_LINES_KEPT = 40;

export interface ServerSpec {
  label: string;
  /** Arguments to `node` after the shared flags. */
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export class ServerProcess {
  private readonly child: ChildProcess;
  private readonly output: string[] = [];
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined = undefined;
  private heapWaiters: Array<(report: HeapReport) => void> = [];

  constructor(readonly spec: ServerSpec) {
    this.child = spawn(process.execPath, [...SHARED_NODE_FLAGS, ...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    // Whole lines only: a chunk can end in the middle of one.
    const lineReader = () => {
      let partial = "";
      return (chunk: Buffer) => {
        const lines = (partial + chunk.toString("utf8")).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) this.onLine(line);
      };
    };
    this.child.stdout?.on("data", lineReader());
    this.child.stderr?.on("data", lineReader());
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code) => {
        this.exitCode = code;
        resolve(code);
      });
      this.child.once("error", (error) => {
        this.output.push(`spawn failed: ${error.message}`);
        this.exitCode = null;
        resolve(null);
      });
    });
  }

  private onLine(line: string): void {
    if (line.trim() === "") return;
    if (line.startsWith(MEMORY_MARKER)) {
      const report = JSON.parse(line.slice(MEMORY_MARKER.length)) as HeapReport;
      for (const resolve of this.heapWaiters.splice(0)) resolve(report);
      return;
    }
    this.output.push(line);
    if (this.output.length > OUTPUT_LINES_KEPT) this.output.shift();
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.spec.label} did not start`);
    return this.child.pid;
  }

  get isRunning(): boolean {
    return this.exitCode === undefined;
  }

  /** The last lines the server printed, for error messages. */
  recentOutput(): string {
    return this.output.join("\n");
  }

  /** Waits until the server answers HTTP on the port, or fails after `timeoutMs`. */
  async waitUntilReady(port: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.isRunning) {
        throw new Error(`${this.spec.label} exited with code ${this.exitCode} before it was ready:\n${this.recentOutput()}`);
      }
      if (await answersHttp(port)) return;
      await sleep(200);
    }
    throw new Error(`${this.spec.label} was not ready after ${timeoutMs / 1000} s:\n${this.recentOutput()}`);
  }

  /** User + system CPU time of the whole process (all threads), in microseconds. */
  cpuMicros(): number {
    return processCpuMicros(this.pid);
  }

  /** Resident memory in KiB (see processMemoryKiB). */
  memoryKiB(): { rss: number; peak: number; anon: number } {
    return processMemoryKiB(this.pid);
  }

  /** Asks the server for a full garbage collection and waits for its report (null if none came in time). */
  async collectGarbage(timeoutMs = 5_000): Promise<HeapReport | null> {
    if (!this.isRunning) return null;
    const report = new Promise<HeapReport>((resolve) => this.heapWaiters.push(resolve));
    this.child.kill("SIGUSR2");
    return Promise.race([report, sleep(timeoutMs).then(() => null)]);
  }

  /**
   * Forces a collection once per `intervalMs` until anonymous RSS has moved less than `toleranceKiB` over the last
   * two intervals (V8 and the allocator give memory back to the system gradually), at most `maxMs`.
   */
  async settle({ intervalMs = 1_000, toleranceKiB = 512, maxMs = 12_000 } = {}): Promise<SettledMemory> {
    const deadline = Date.now() + maxMs;
    const readings: number[] = [];
    let heap: HeapReport | null = null;
    for (;;) {
      heap = (await this.collectGarbage()) ?? heap;
      await sleep(intervalMs);
      const memory = this.memoryKiB();
      readings.push(memory.anon);
      if (process.env.BENCH_DEBUG_MEMORY) {
        process.stdout.write(`[memory] ${this.spec.label} ${JSON.stringify(memory)} heap=${JSON.stringify(heap)}\n`);
      }
      const recent = readings.slice(-3);
      const stable = recent.length === 3 && Math.max(...recent) - Math.min(...recent) < toleranceKiB;
      if (stable || Date.now() >= deadline) {
        const jsKiB = heap ? (heap.heapUsed + heap.external) / 1024 : Number.NaN;
        return { rssKiB: memory.rss, anonKiB: memory.anon, jsKiB, stable };
      }
    }
  }

  /** SIGTERM, then SIGKILL when the server has not exited after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (!this.isRunning) return;
    this.child.kill("SIGTERM");
    const exitedInTime = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (exitedInTime) return;
    this.child.kill("SIGKILL");
    await Promise.race([this.exited, sleep(graceMs)]);
  }
}

/** User + system CPU time of a process (all threads), in microseconds. */
export function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Field 2 (comm) may contain spaces; the fields after it start past the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the file, i.e. 11 and 12 after comm and state.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Resident memory of a process in KiB: current (VmRSS), peak (VmHWM), and the anonymous part of the current one
 * (RssAnon: heaps, WebAssembly memory, allocations), which leaves out file-backed pages such as the node binary's
 * code that the kernel may drop or bring back at any time.
 */
export function processMemoryKiB(pid: number): { rss: number; peak: number; anon: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status);
    if (match?.[1] === undefined) throw new Error(`no ${name} in /proc/${pid}/status`);
    return Number(match[1]);
  };
  return { rss: field("VmRSS"), peak: field("VmHWM"), anon: field("RssAnon") };
}

/** CPU time the whole machine spent busy (all cores, everything but idle and iowait), in microseconds. */
export function machineBusyMicros(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already counted in user)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
  return ((user + nice + system + irq + softirq + steal) * 1e6) / CLOCK_TICKS_PER_SECOND;
}

function answersHttp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: "127.0.0.1", port, path: "/", timeout: 2_000 }, (response) => {
      response.resume();
      resolve(true);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function readClockTicks(): number {
  try {
    const value = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    if (Number.isInteger(value) && value > 0) return value;
  } catch {
    // getconf missing: Linux has used 100 on every common platform for a long time.
  }
  return 100;
}
