import { normalizeEmail } from "#db/repositories/users";

export type RateLimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one attempt under the key; refused once the key has used its limit in the current window. */
  consume(key: string): RateLimitResult;
  /** Forgets the key's attempts, e.g. after a successful sign-in. */
  reset(key: string): void;
  /** Keys currently remembered. */
  readonly size: number;
}

export interface RateLimiterOptions {
  /** Attempts allowed per key and window. */
  limit: number;
  windowMs: number;
  /** Milliseconds since the epoch; tests pass a clock they control. */
  now?: () => number;
  /** Keys remembered at most; past it expired keys are dropped, then the oldest. */
  maxKeys?: number;
}

interface Window {
  startedAt: number;
  count: number;
}

const DEFAULT_MAX_KEYS = 10_000;

/**
 * Fixed-window counter per key, in this process's memory: enough for one Node process, which is how Samråd runs.
 * Memory stays bounded under a flood of distinct keys (spoofed emails, many addresses) by maxKeys.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  const windows = new Map<string, Window>();
  let lastSweep = now();

  const sweepExpired = (at: number) => {
    for (const [key, window] of windows) {
      if (at - window.startedAt >= options.windowMs) windows.delete(key);
    }
    lastSweep = at;
  };

  return {
    consume(key) {
      const at = now();
      // Regular sweeps keep memory proportional to recent keys, not to every key ever seen.
      if (at - lastSweep >= options.windowMs) sweepExpired(at);

      let window = windows.get(key);
      if (!window || at - window.startedAt >= options.windowMs) {
        windows.delete(key); // re-inserted below, so Map order stays oldest window first
        if (windows.size >= maxKeys) sweepExpired(at);
        // Still full of live windows: evicting the oldest forgives one key early, which beats growing without end.
        while (windows.size >= maxKeys) {
          const oldest = windows.keys().next();
          if (oldest.done) break;
          windows.delete(oldest.value);
        }
        window = { startedAt: at, count: 0 };
        windows.set(key, window);
      }

      if (window.count >= options.limit) {
        const retryAfterMs = window.startedAt + options.windowMs - at;
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
      }
      window.count += 1;
      return { ok: true };
    },
    reset(key) {
      windows.delete(key);
    },
    get size() {
      return windows.size;
    },
  };
}

const MINUTE_MS = 60_000;

export interface AuthRateLimits {
  /** Before checking a password: 10 per 15 minutes per IP and account, 50 per 15 minutes per IP. */
  signIn(ip: string, email: string): RateLimitResult;
  /** After a successful sign-in: the person's own earlier typos no longer count against them. */
  signInSucceeded(ip: string, email: string): void;
  /** 10 accounts per hour per IP. */
  signUp(ip: string): RateLimitResult;
  /** 5 mails per hour to one address (from anywhere), 20 requests per hour per IP. */
  passwordReset(ip: string, email: string): RateLimitResult;
}

/** The limits routes apply to sign-in, sign-up and password reset; one instance per server process. */
export function createAuthRateLimits(options: { now?: () => number } = {}): AuthRateLimits {
  const limiter = (limit: number, windowMs: number) => createRateLimiter({ limit, windowMs, now: options.now });
  const signInPerAccount = limiter(10, 15 * MINUTE_MS);
  const signInPerIp = limiter(50, 15 * MINUTE_MS);
  const signUpPerIp = limiter(10, 60 * MINUTE_MS);
  const resetPerAddress = limiter(5, 60 * MINUTE_MS);
  const resetPerIp = limiter(20, 60 * MINUTE_MS);

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
function firstRefusal(...checks: (() => RateLimitResult)[]): RateLimitResult {
  for (const check of checks) {
    const result = check();
    if (!result.ok) return result;
  }
  return { ok: true };
}
