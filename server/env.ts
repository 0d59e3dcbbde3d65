import { z } from "zod";
import type { OpenDatabaseOptions } from "#db/client";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  DATA_DIR: z.string().min(1).default("./data"),
  MAX_MESSAGE_BYTES: z.coerce.number().int().positive().default(2 * 1024 * 1024),
  /** Largest request body (a posted form) accepted; larger ones are refused with 413 before they are kept in memory. */
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  /** How long a document with no connections stays in memory before it is written out and unloaded. */
  UNLOAD_GRACE_MS: z.coerce.number().int().nonnegative().default(30_000),
  /** Number of logged updates of one document after which they are compacted into its snapshot. */
  COMPACT_AFTER_UPDATES: z.coerce.number().int().positive().default(500),
  /** smtp:// or smtps:// URL for outgoing mail; without it mail goes to the outbox table and the log. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  MAIL_FROM: z.string().min(3).default("Samråd <noreply@localhost>"),
  /** The address people reach Samråd at, for links in mail, e.g. https://samrad.example.se. */
  PUBLIC_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  /** Express "trust proxy" value when behind a reverse proxy, e.g. "loopback" or "1". */
  TRUST_PROXY: z.string().optional(),
  /**
   * redis:// or rediss:// URL of the Redis that nodes share (docs/operations.md). Without it this process serves
   * alone: fan-out, caches and rate limits stay in memory.
   */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Put before every Redis key and channel, so that several deployments (or test runs) can share one Redis. */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "letters, digits and _ . : - only, at most 64")
    .default("samrad"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** "json" writes one JSON object per log line, for a log collector; "text" is for people. */
  LOG_FORMAT: z.enum(["text", "json"]).default("text"),
  /**
   * Bearer token that opens /metrics to whoever presents it (a Prometheus scraper). Without it, and without
   * METRICS_ALLOW_LOOPBACK, /metrics answers 404 to everyone.
   */
  METRICS_TOKEN: z
    .string()
    .min(16, "must be at least 16 characters")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /**
   * "1" serves /metrics without a token to connections from this machine (127.0.0.1, ::1). A reverse proxy on the same
   * machine connects from there too: turn this on only if the proxy never forwards /metrics (docs/operations.md).
   */
  METRICS_ALLOW_LOOPBACK: z
    .enum(["0", "1", ""])
    .default("0")
    .transform((value) => value === "1"),
  /**
   * How long a SIGTERM'd process keeps serving, answering /readyz with 503, before it stops: time for the load
   * balancer's health checks to notice. Defaults to 5 s in production and 0 otherwise.
   */
  DRAIN_DELAY_MS: z.coerce.number().int().nonnegative().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

/** Reads the environment once; a missing or malformed variable is reported as one clear line per problem. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new ConfigurationError(`Invalid configuration: ${problems.join("; ")}`);
}

/** An error whose message is meant for the operator as it is: printed as one line, without a stack trace. */
export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}

/** Where the configuration says the database is: PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR. */
export function databaseOptions(env: Pick<Env, "DATABASE_URL" | "DATA_DIR">): OpenDatabaseOptions {
  return { databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR };
}

const PRODUCTION_DRAIN_DELAY_MS = 5_000;

/** The drain delay: DRAIN_DELAY_MS, else long enough for health checks in production and none in development. */
export function drainDelayMs(env: Pick<Env, "DRAIN_DELAY_MS" | "NODE_ENV">): number {
  return env.DRAIN_DELAY_MS ?? (env.NODE_ENV === "production" ? PRODUCTION_DRAIN_DELAY_MS : 0);
}
