import { z } from "zod";
import { inTransaction } from "#db/executor";
import { findActiveMemberRole, findDefaultSpace } from "#db/repositories/memberships";
import { findUserByEmail, updatePasswordHash } from "#db/repositories/users";
import { recordAudit } from "#app/models/audit.server";
import { hashPassword, needsRehash, verifyAgainstDummyHash, verifyPassword } from "#app/models/passwords.server";
import { createSession, revokeAllSessions, revokeSession, toSessionUser, type ClockOption } from "#app/models/sessions.server";
import {
  currentTime,
  EMAIL_MAX_LENGTH,
  enteredPasswordSchema,
  rateLimited,
  type AccountServices,
  type RateLimited,
  type RequestContext,
  type SignedIn,
} from "./fields.server";

const signInSchema = z.object({
  email: z.string().max(EMAIL_MAX_LENGTH),
  password: enteredPasswordSchema,
});

export type SignInResult = SignedIn | { ok: false; error: "invalid-credentials" | "account-deactivated" } | RateLimited;

/**
 * Checks the password and starts a new session. An unknown email and a wrong password give the same answer in about
 * the same time. A deactivated account is named as such only to someone who knows its password.
 * `previousToken` (the cookie the request came with) is revoked: every sign-in gets a fresh session.
 * Each attempt counts against the sign-in limits of the client's address and the account; a success forgives the
 * account's earlier typos.
 */
export async function signIn(
  { db, liveSessions, rateLimits }: AccountServices,
  input: { email: string; password: string },
  context: RequestContext & { previousToken?: string | null } = {},
): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid-credentials" };
  const { email, password } = parsed.data;
  const limited = rateLimited(await rateLimits.signIn(context.ip ?? "", email));
  if (limited) return limited;

  const user = await findUserByEmail(db, email);
  if (!user) {
    await verifyAgainstDummyHash(password);
    return { ok: false, error: "invalid-credentials" };
  }
  if (!(await verifyPassword(user.password_hash, password))) return { ok: false, error: "invalid-credentials" };
  if (user.deactivated_at !== null) return { ok: false, error: "account-deactivated" };

  const now = (context.now ?? currentTime)();
  // Moves hashes made under older parameters to today's, while the plain password is at hand.
  if (needsRehash(user.password_hash)) await updatePasswordHash(db, user.id, await hashPassword(password), now);

  let previousSession: string | null = null;
  const result = await inTransaction(db, async (trx): Promise<SignInResult> => {
    if (context.previousToken) previousSession = await revokeSession(trx, context.previousToken, { now: () => now });
    const { token, session } = await createSession(trx, user.id, { now: () => now });
    const space = await findDefaultSpace(trx);
    const role = (await findActiveMemberRole(trx, user.id, space.id)) ?? null;
    await recordAudit(trx, { actorUserId: user.id, action: "account.signed-in", subject: user.id, ip: context.ip });
    return { ok: true, user: toSessionUser(user), role, token, session };
  });
  if (previousSession !== null) liveSessions.ended([previousSession]);
  await rateLimits.signInSucceeded(context.ip ?? "", email);
  return result;
}

/** Ends the session of the cookie's token, and its open sockets; a malformed token ends nothing. */
export async function signOut({ db, liveSessions }: Pick<AccountServices, "db" | "liveSessions">, token: string, context: ClockOption = {}): Promise<void> {
  const sessionId = await revokeSession(db, token, context);
  if (sessionId !== null) liveSessions.ended([sessionId]);
}

/** "Sign out everywhere": ends every session of the user, the current one included, and their sockets; how many. */
export async function signOutEverywhere(
  { db, liveSessions }: Pick<AccountServices, "db" | "liveSessions">,
  userId: string,
  context: RequestContext = {},
): Promise<number> {
  const revoked = await inTransaction(db, async (trx) => {
    const ids = await revokeAllSessions(trx, userId, { now: context.now });
    await recordAudit(trx, {
      actorUserId: userId,
      action: "sessions.revoked-all",
      subject: userId,
      details: { revoked: ids.length },
      ip: context.ip,
    });
    return ids;
  });
  liveSessions.ended(revoked);
  return revoked.length;
}
