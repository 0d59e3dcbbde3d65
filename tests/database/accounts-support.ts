import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { signUp, type SignUpInput } from "../../app/models/accounts.server";
import type { LiveSessions } from "../../app/models/sessions.server";

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
  const result = await signUp(db, signUpInput(overrides), { liveSessions: noSockets, ...context });
  if (!result.ok) throw new Error(`sign-up failed: ${JSON.stringify(result)}`);
  return result;
}
