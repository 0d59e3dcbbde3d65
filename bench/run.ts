/**
 * One server's run: the steady typing load, then the idle-document memory probe. Both servers go through
 * exactly this code with the same configuration.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { BenchClient, DeliveryStats, type WriterRegistry } from "./client";
import { machineBusyMicros, type ServerProcess } from "./server-process";

export interface BenchConfig {
  docs: number;
  clientsPerDoc: number;
  writersPerDoc: number;
  /** Edits per second per writer. */
  rate: number;
  warmupSeconds: number;
  durationSeconds: number;
  idleDocs: number;
  /** How long to wait after the window for the last edits to arrive. */
  drainTimeoutMs: number;
}

export interface RunResult {
  label: string;
  editsSent: number;
  /** Measured edits that reached every peer. */
  editsDelivered: number;
  deliveries: number;
  expectedDeliveries: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  cpuMicros: number;
  /** Wall-clock length of the CPU window, ms. */
  windowMs: number;
  /** CPU time the load generator (this process) used over the same window. */
  generatorCpuMicros: number;
  /** CPU time every other process on the machine used over the window: competition the figures suffer from. */
  otherCpuMicros: number;
  peakRssKiB: number;
  idle: {
    opened: number;
    rssBeforeKiB: number;
    rssAfterKiB: number;
    anonBeforeKiB: number;
    anonAfterKiB: number;
    /** Growth of anonymous RSS per document: the figure judged against the target. */
    perDocKiB: number;
    /** Growth of the whole VmRSS per document (includes file-backed pages the kernel may drop meanwhile). */
    rssPerDocKiB: number;
    /** Growth of the V8 heap plus external (Buffer/ArrayBuffer) memory per document, as the server reports it. */
    jsPerDocKiB: number;
    /** Whether anonymous RSS had stopped moving at both readings. */
    stable: boolean;
  } | null;
  disconnects: number;
  errors: string[];
}

const CONNECT_BATCH = 50;
const SYNC_TIMEOUT_MS = 20_000;
const POST_DRAIN_SETTLE_MS = 500;

/** Document ids are shared by both servers: Samråd refuses ids it does not know, the reference server takes any path. */
export function collabUrl(port: number, documentId: string): string {
  return `ws://127.0.0.1:${port}/collab/${documentId}`;
}

export async function runAgainst(
  server: ServerProcess,
  port: number,
  config: BenchConfig,
  loadDocIds: string[],
  idleDocIds: string[],
  /** Session cookie sent with every upgrade: Samråd applies only editors' changes. */
  cookie: string | undefined,
  progress: (message: string) => void,
): Promise<RunResult> {
  const stats = new DeliveryStats();
  const writers: WriterRegistry = new Map();
  const clients: BenchClient[] = [];
  const idleClients: BenchClient[] = [];
  try {
    // Connect every client of the load and wait for its first sync.
    const perDoc: BenchClient[][] = loadDocIds.map((documentId, docIndex) =>
      Array.from({ length: config.clientsPerDoc }, (_, clientIndex) => {
        const client = new BenchClient({ url: collabUrl(port, documentId), name: `d${docIndex}c${clientIndex}`, writers, stats, cookie });
        clients.push(client);
        return client;
      }),
    );
    await waitForSync(clients, "load clients");
    const peers = config.clientsPerDoc - 1;
    const typists = perDoc.flatMap((docClients) => docClients.slice(0, config.writersPerDoc));
    for (const typist of typists) typist.becomeWriter();
    progress(`${clients.length} clients connected (${typists.length} writers); warming up for ${config.warmupSeconds} s`);

    // Writers type at a steady rate, each with its own phase so the load is spread over the interval.
    let measuring = false;
    const periodMs = 1000 / config.rate;
    const timers: NodeJS.Timeout[] = [];
    const phaseTimers = typists.map((typist, index) =>
      setTimeout(() => {
        timers.push(setInterval(() => typist.type(measuring, peers), periodMs));
      }, (periodMs * index) / typists.length),
    );
    const stopTyping = () => {
      for (const timer of phaseTimers) clearTimeout(timer);
      for (const timer of timers) clearInterval(timer);
    };

    let cpuStart: number;
    let generatorCpuStart: NodeJS.CpuUsage;
    let machineStart: number;
    let windowStart: number;
    try {
      await sleep(config.warmupSeconds * 1000);
      cpuStart = server.cpuMicros();
      generatorCpuStart = process.cpuUsage();
      machineStart = machineBusyMicros();
      windowStart = performance.now();
      measuring = true;
      progress(`measuring for ${config.durationSeconds} s`);
      await sleep(config.durationSeconds * 1000);
    } finally {
      stopTyping();
    }

    // Every measured edit must have arrived at every peer before the CPU window closes (or the drain times out).
    const drainDeadline = performance.now() + config.drainTimeoutMs;
    while (stats.outstanding > 0 && performance.now() < drainDeadline) await sleep(20);
    await sleep(POST_DRAIN_SETTLE_MS);
    const cpuMicros = server.cpuMicros() - cpuStart;
    const windowMs = performance.now() - windowStart;
    const generatorCpu = process.cpuUsage(generatorCpuStart);
    const machineBusy = machineBusyMicros() - machineStart;
    const peakRssKiB = server.memoryKiB().peak;

    const latencies = Float64Array.from(stats.fullyDelivered).sort();
    const result: RunResult = {
      label: server.spec.label,
      editsSent: stats.editsSent,
      editsDelivered: stats.fullyDelivered.length,
      deliveries: stats.deliveries,
      expectedDeliveries: stats.expectedDeliveries,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      maxMs: latencies.length > 0 ? (latencies[latencies.length - 1] ?? Number.NaN) : Number.NaN,
      cpuMicros,
      windowMs,
      generatorCpuMicros: generatorCpu.user + generatorCpu.system,
      otherCpuMicros: Math.max(0, machineBusy - cpuMicros - (generatorCpu.user + generatorCpu.system)),
      peakRssKiB,
      idle: null,
      disconnects: stats.disconnects,
      errors: stats.errors,
    };

    // Idle documents: the load clients stay connected (their rooms stay open), typing has stopped.
    if (config.idleDocs > 0) {
      progress(`settling, then opening ${config.idleDocs} idle documents`);
      const before = await server.settle();
      // In batches, as people arrive, rather than as one burst of hundreds of handshakes.
      for (let start = 0; start < idleDocIds.length; start += CONNECT_BATCH) {
        const batch = idleDocIds.slice(start, start + CONNECT_BATCH).map(
          (documentId, index) =>
            new BenchClient({ url: collabUrl(port, documentId), name: `idle${start + index}`, writers, stats, cookie }),
        );
        idleClients.push(...batch);
        await waitForSync(batch, "idle clients");
      }
      const after = await server.settle();
      const opened = idleClients.length;
      result.idle = {
        opened,
        rssBeforeKiB: before.rssKiB,
        rssAfterKiB: after.rssKiB,
        anonBeforeKiB: before.anonKiB,
        anonAfterKiB: after.anonKiB,
        perDocKiB: (after.anonKiB - before.anonKiB) / opened,
        rssPerDocKiB: (after.rssKiB - before.rssKiB) / opened,
        jsPerDocKiB: (after.jsKiB - before.jsKiB) / opened,
        stable: before.stable && after.stable,
      };
      result.peakRssKiB = Math.max(result.peakRssKiB, server.memoryKiB().peak);
    }
    result.disconnects = stats.disconnects;
    return result;
  } finally {
    for (const client of [...clients, ...idleClients]) client.close();
    // Lets the close frames go out before the server is stopped.
    await sleep(200);
  }
}

/** Resolves once every client has synced; rejects on the first failure or after SYNC_TIMEOUT_MS. */
async function waitForSync(clients: BenchClient[], what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not sync within ${SYNC_TIMEOUT_MS / 1000} s`)), SYNC_TIMEOUT_MS);
  });
  try {
    await Promise.race([Promise.all(clients.map((client) => client.synced)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Nearest-rank percentile of sorted values; NaN when there are none. */
function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}
