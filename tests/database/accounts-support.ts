import type { Kysely } from "kysely";
import type { Database } from "#db/schema";
import { type AccountServices } from "#app/models/accounts/fields.server";
import { signUp, type SignUpInput } from "#app/models/accounts/sign-up.server";
import type { AuthRateLimits } from "#app/models/rate-limit.server";
import type { LiveSessions } from "#app/models/sessions.server";

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

/** The open sockets of sessions, for commands whose effect on them a test does not look at: there are none. */
export const noSockets: LiveSessions = { ended() {}, rightsChanged() {} };

/** Limits that never refuse, for tests that are not about them (rate-limit.server's own tests are). */
export const noLimits: AuthRateLimits = {
  signIn: async () => ({ ok: true }),
  signInSucceeded: async () => {},
  signUp: async () => ({ ok: true }),
  passwordReset: async () => ({ ok: true }),
};

/** The services the account commands take, on a test database. */
export function accountServices(db: Kysely<Database>, liveSessions: LiveSessions = noSockets, rateLimits: AuthRateLimits = noLimits): AccountServices {
  return { db, liveSessions, rateLimits };
}

/** What the account commands told the open sockets, in order. */
export function recordingLiveSessions() {
  const told: Array<{ ended: string[] } | { userId: string; rights: { readOnly: boolean } | "revoked" }> = [];
  const liveSessions: LiveSessions = {
    ended: (sessionIds) => told.push({ ended: [...sessionIds] }),
    rightsChanged: (userId, rights) => told.push({ userId, rights }),
  };
  return { liveSessions, told };
}

/** Signs up and fails the test unless it worked. */
export async function signUpOrFail(
  db: Kysely<Database>,
  overrides: Partial<SignUpInput> = {},
  context: Partial<Parameters<typeof signUp>[2]> = {},
) {
  const result = await signUp(accountServices(db), signUpInput(overrides), context);
  if (!result.ok) throw new Error(`sign-up failed: ${JSON.stringify(result)}`);
  return result;
}
