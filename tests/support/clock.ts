/** A clock tests move by hand, so expiry is tested without waiting. */
export function manualClock(start = new Date("2026-03-02T09:00:00Z")) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    nowMs: () => current,
    advance(milliseconds: number) {
      current += milliseconds;
    },
  };
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;
