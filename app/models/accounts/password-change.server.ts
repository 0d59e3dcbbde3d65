import { z } from "zod";
import { inTransaction } from "#db/executor";
import { findUserById, updatePasswordHash } from "#db/repositories/users";
import { recordAudit } from "#app/models/audit.server";
import { hashPassword, passwordSchema, verifyPassword } from "#app/models/passwords.server";
import { revokeAllSessions } from "#app/models/sessions.server";
import {
  currentTime,
  enteredPasswordSchema,
  rateLimited,
  toFieldErrors,
  type AccountServices,
  type FieldErrors,
  type RateLimited,
  type RequestContext,
} from "./fields.server";

const changePasswordSchema = z.object({
  currentPassword: enteredPasswordSchema,
  newPassword: passwordSchema,
});

export type ChangePasswordResult =
  | { ok: true }
  | { ok: false; error: "invalid-input"; fieldErrors: FieldErrors<"newPassword"> }
  | { ok: false; error: "wrong-password" | "not-found" }
  | RateLimited;

/**
 * Changes the user's password after checking the current one. Every other session of the user ends, so someone who
 * knew the old password is signed out; `keepSessionId` is the session the change was made from. Guessing the current
 * password from a session counts against the same limits as guessing it at sign-in.
 */
export async function changePassword(
  { db, liveSessions, rateLimits }: AccountServices,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  context: RequestContext & { keepSessionId?: string } = {},
): Promise<ChangePasswordResult> {
  const parsed = changePasswordSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: "invalid-input", fieldErrors: toFieldErrors<"newPassword">(parsed.error) };
  }
  const user = await findUserById(db, userId);
  if (!user || user.deactivated_at !== null) return { ok: false, error: "not-found" };
  const limited = rateLimited(await rateLimits.signIn(context.ip ?? "", user.email));
  if (limited) return limited;
  if (!(await verifyPassword(user.password_hash, parsed.data.currentPassword))) {
    return { ok: false, error: "wrong-password" };
  }
  const passwordHash = await hashPassword(parsed.data.newPassword);
  const now = (context.now ?? currentTime)();
  const ended = await inTransaction(db, async (trx) => {
    await updatePasswordHash(trx, user.id, passwordHash, now);
    const revoked = await revokeAllSessions(trx, user.id, { now: () => now, exceptSessionId: context.keepSessionId });
    await recordAudit(trx, { actorUserId: user.id, action: "password.changed", subject: user.id, ip: context.ip });
    return revoked;
  });
  liveSessions.ended(ended);
  await rateLimits.signInSucceeded(context.ip ?? "", user.email);
  return { ok: true };
}
