import { z } from "zod";

/**
 * How many times longer than an idle developer machine needs the tests may take: every wall-clock bound in them
 * (Vitest's test and hook timeouts, waits on a condition, the e2e bars for "live") is a base value times this factor,
 * read once from `SAMRAD_TEST_TIME_SCALE`. The default leaves room for a 2-core machine other jobs keep busy; 1 holds
 * the e2e tests to the bars a person would notice, on an idle machine.
 */
export const TIME_SCALE = z.coerce
  .number()
  .positive()
  .default(3)
  .parse(process.env.SAMRAD_TEST_TIME_SCALE || undefined);

export function scaledMs(baseMs: number): number {
  return Math.round(baseMs * TIME_SCALE);
}

/** How long a wait on a condition that should hold soon (a sync, a queued write) may take before the test fails. */
export const WAIT_MS = scaledMs(5_000);

/**
 * What a participant would call "seeing it live", well within a conversation's pause: a change made in one browser
 * shows in another within 1 s (the bar of decisions 0006 for comments and 0009 for following a presenter).
 */
export const LIVE_MS = scaledMs(1_000);

/**
 * Waits for `event`, but fails with an error naming `what` after `ms`: the upper bound of an event wait outside a
 * Vitest test (the cluster harness also runs under `npm run bench:cluster`, where `eventually` is not available).
 */
export async function within<T>(event: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([event, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
