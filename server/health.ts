import { sql, type Kysely } from "kysely";
import type { Redis } from "ioredis";
import type { Database } from "#db/schema";
import type { Logger } from "#app/log.server";

/** One dependency the process cannot serve without, checked on every /readyz. */
export interface ReadinessProbe {
  name: string;
  /** Resolves when the dependency answers; rejects (or takes longer than the timeout) when it does not. */
  check(): Promise<unknown>;
}

export type ProbeOutcome = "ok" | "failed" | "timed out";

export type ReadinessReport =
  | { status: "ready"; probes: Record<string, ProbeOutcome> }
  | { status: "unavailable"; failing: string[]; probes: Record<string, ProbeOutcome> }
  | { status: "draining" };

export const PROBE_TIMEOUT_MS = 2_000;

/** The database answers a query that reads nothing. */
export function databaseProbe(db: Kysely<Database>): ReadinessProbe {
  return { name: "database", check: () => sql`select 1`.execute(db) };
}

/** Redis answers PING, on a connection of the probe's own, so that a queue of other commands cannot hide an outage. */
export function redisProbe(redis: Redis): ReadinessProbe {
  return { name: "redis", check: () => redis.ping() };
}

/**
 * Whether this process should get new requests: every probe answers within the timeout, and it is not draining. The
 * answer is never cached; a probe's failure is logged when it starts and when it ends, not at every check, since
 * load balancers ask every few seconds.
 */
export class Readiness {
  #draining = false;
  readonly #failing = new Set<string>();

  constructor(
    private readonly probes: readonly ReadinessProbe[],
    private readonly log: Logger,
    private readonly timeoutMs = PROBE_TIMEOUT_MS,
  ) {}

  get draining(): boolean {
    return this.#draining;
  }

  /** From now on the process reports itself not ready, so that the load balancer sends its requests elsewhere. */
  startDraining(): void {
    this.#draining = true;
  }

  async check(): Promise<ReadinessReport> {
    if (this.#draining) return { status: "draining" };
    const outcomes = await Promise.all(this.probes.map(async (probe) => [probe.name, await this.#run(probe)] as const));
    if (this.#draining) return { status: "draining" };
    const probes = Object.fromEntries(outcomes);
    const failing = outcomes.filter(([, outcome]) => outcome !== "ok").map(([name]) => name);
    return failing.length === 0 ? { status: "ready", probes } : { status: "unavailable", failing, probes };
  }

  async #run(probe: ReadinessProbe): Promise<ProbeOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timed out">((resolve) => (timer = setTimeout(() => resolve("timed out"), this.timeoutMs)));
    const answered = probe.check().then(
      () => "ok" as const,
      (error: unknown) => {
        if (!this.#failing.has(probe.name)) this.log.warn("readiness probe failed", { probe: probe.name, error: asLoggable(error) });
        return "failed" as const;
      },
    );
    const outcome = await Promise.race([answered, timedOut]).finally(() => clearTimeout(timer));
    if (outcome === "ok") {
      if (this.#failing.delete(probe.name)) this.log.info("readiness probe answers again", { probe: probe.name });
    } else {
      if (outcome === "timed out" && !this.#failing.has(probe.name)) {
        this.log.warn("readiness probe timed out", { probe: probe.name, timeoutMs: this.timeoutMs });
      }
      this.#failing.add(probe.name);
    }
    return outcome;
  }
}

function asLoggable(error: unknown): Error | string {
  return error instanceof Error ? error : String(error);
}
