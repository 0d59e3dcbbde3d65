import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { normalizeEmail } from "#db/repositories/users";

export type RateLimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one attempt under the key; refused once the key has used its limit in the current window. */
  consume(key: string): Promise<RateLimitResult>;
  /** Forgets the key's attempts, e.g. after a successful sign-in. */
  reset(key: string): Promise<void>;
  /** Keys this process currently remembers. */
  readonly size: number;
}

/**
 * Makes the counters of one limit. In this process's memory by default, which is enough for one Node process; with
 * REDIS_URL the nodes share counters in Redis (server/cluster/redis-rate-limits.ts, decision 0027).
 */
export type RateLimitStore = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

const memoryStore: RateLimitStore = (options) => new RateLimiterMemory(options);

export interface RateLimiterOptions {
  /** Tells this limit's keys from other limits' in a shared store. */
  name: string;
  /** Attempts allowed per key and window. */
  limit: number;
  windowMs: number;
  /** Keys remembered at most; past it expired keys are dropped, then the oldest. */
  maxKeys?: number;
  store?: RateLimitStore;
}

const DEFAULT_MAX_KEYS = 10_000;

/**
 * A fixed window per key, counted by rate-limiter-flexible. Memory stays bounded under a flood of distinct keys
 * (spoofed emails, many addresses) by maxKeys: the process keeps the keys it counted in order of their window's
 * start, and forgets the oldest in the store too once there are too many.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  const counters = (options.store ?? memoryStore)({
    keyPrefix: options.name,
    points: options.limit,
    duration: Math.ceil(options.windowMs / 1000),
  });
  /** When each counted key's window ends, oldest window first. */
  const windowEnds = new Map<string, number>();
  let lastSweep = Date.now();

  const sweepExpired = (at: number) => {
    for (const [key, endsAt] of windowEnds) {
      if (endsAt <= at) windowEnds.delete(key);
    }
    lastSweep = at;
  };

  const makeRoomFor = async (key: string, at: number) => {
    // Regular sweeps keep the list proportional to recent keys, not to every key ever seen.
    if (at - lastSweep >= options.windowMs) sweepExpired(at);
    const endsAt = windowEnds.get(key);
    if (endsAt !== undefined && endsAt > at) return;
    windowEnds.delete(key); // re-inserted after counting, so the order stays oldest window first
    if (windowEnds.size >= maxKeys) sweepExpired(at);
    // Still full of live windows: forgiving the oldest key early beats growing without end.
    while (windowEnds.size >= maxKeys) {
      const oldest = windowEnds.keys().next();
      if (oldest.done) break;
      windowEnds.delete(oldest.value);
      await counters.delete(oldest.value);
    }
  };

  return {
    async consume(key) {
      const at = Date.now();
      await makeRoomFor(key, at);
      try {
        const counted = await counters.consume(key);
        if (!windowEnds.has(key)) windowEnds.set(key, at + counted.msBeforeNext);
        return { ok: true };
      } catch (refusal) {
        // The store rejects with a RateLimiterRes when the limit is used up, and with an Error when it fails.
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        if (!windowEnds.has(key)) windowEnds.set(key, at + refusal.msBeforeNext);
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
      }
    },
    async reset(key) {
      windowEnds.delete(key);
      await counters.delete(key);
    },
    get size() {
      return windowEnds.size;
    },
  };
}

const MINUTE_MS = 60_000;

export interface AuthRateLimits {
  /** Before checking a password: 10 per 15 minutes per IP and account, 50 per 15 minutes per IP. */
  signIn(ip: string, email: string): Promise<RateLimitResult>;
  /** After a successful sign-in: the person's own earlier typos no longer count against them. */
  signInSucceeded(ip: string, email: string): Promise<void>;
  /** 10 accounts per hour per IP. */
  signUp(ip: string): Promise<RateLimitResult>;
  /** 5 mails per hour to one address (from anywhere), 20 requests per hour per IP. */
  passwordReset(ip: string, email: string): Promise<RateLimitResult>;
}

/** The limits routes apply to sign-in, sign-up and password reset; one instance per server process. */
export function createAuthRateLimits(options: { store?: RateLimitStore } = {}): AuthRateLimits {
  const limiter = (name: string, limit: number, windowMs: number) => createRateLimiter({ name, limit, windowMs, store: options.store });
  const signInPerAccount = limiter("sign-in-account", 10, 15 * MINUTE_MS);
  const signInPerIp = limiter("sign-in-ip", 50, 15 * MINUTE_MS);
  const signUpPerIp = limiter("sign-up-ip", 10, 60 * MINUTE_MS);
  const resetPerAddress = limiter("reset-address", 5, 60 * MINUTE_MS);
  const resetPerIp = limiter("reset-ip", 20, 60 * MINUTE_MS);

  const accountKey = (ip: string, email: string) => `${ip}\n${normalizeEmail(email)}`;

  return {
    signIn: (ip, email) => firstRefusal(() => signInPerAccount.consume(accountKey(ip, email)), () => signInPerIp.consume(ip)),
    signInSucceeded: (ip, email) => signInPerAccount.reset(accountKey(ip, email)),
    signUp: (ip) => signUpPerIp.consume(ip),
    passwordReset: (ip, email) =>
      firstRefusal(() => resetPerAddress.consume(normalizeEmail(email)), () => resetPerIp.consume(ip)),
  };
}

/** Consumes from each limiter in turn and stops at the first refusal, so a refused attempt is not counted further. */
async function firstRefusal(...checks: (() => Promise<RateLimitResult>)[]): Promise<RateLimitResult> {
  for (const check of checks) {
    const result = await check();
    if (!result.ok) return result;
  }
  return { ok: true };
}
