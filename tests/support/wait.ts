import { vi } from "vitest";
import { WAIT_MS } from "./time";

/**
 * Retries `assertion` until it passes, as `vi.waitFor` does, but within a bound that scales with the machine
 * (`SAMRAD_TEST_TIME_SCALE`) instead of `vi.waitFor`'s fixed second. Pass `timeout` (scaled) only where the bound is
 * what the test is about.
 */
export function eventually<T>(assertion: () => T | Promise<T>, options: { timeout?: number; interval?: number } = {}): Promise<T> {
  // The one call the lint rule allows: every other wait goes through here.
  // eslint-disable-next-line no-restricted-properties
  return vi.waitFor(assertion, { timeout: WAIT_MS, ...options });
}
