import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { signUp, type SignUpInput } from "../../app/models/accounts.server";

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

export const GOOD_PASSWORD = "korrekt häst batteri";

export function signUpInput(overrides: Partial<SignUpInput> = {}): SignUpInput {
  return {
    name: "Catharina Ekdahl",
    email: "catharina@prv.example",
    organisation: "PRV",
    password: GOOD_PASSWORD,
    acceptContributionLicence: true,
    ...overrides,
  };
}

/** Signs up and fails the test unless it worked. */
export async function signUpOrFail(
  db: Kysely<Database>,
  overrides: Partial<SignUpInput> = {},
  context: Parameters<typeof signUp>[2] = {},
) {
  const result = await signUp(db, signUpInput(overrides), context);
  if (!result.ok) throw new Error(`sign-up failed: ${JSON.stringify(result)}`);
  return result;
}
