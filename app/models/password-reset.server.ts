import { inTransaction, type DbExecutor } from "#db/executor";
import { z } from "zod";
import {
  consumePasswordResetToken,
  insertPasswordResetToken,
  useUpPasswordResetTokensOfUser,
} from "#db/repositories/password-resets";
import { findUserByEmail, findUserById, updatePasswordHash } from "#db/repositories/users";
import { EMAIL_MAX_LENGTH, rateLimited, toFieldErrors, type AccountServices, type FieldErrors, type RateLimited, type RequestContext } from "./accounts/fields.server";
import { recordAudit } from "./audit.server";
import type { Mailer } from "./mail.server";
import { hashPassword, passwordSchema } from "./passwords.server";
import {
  generateSecretToken,
  hashSecretToken,
  isWellFormedSecretToken,
  revokeAllSessions,
} from "./sessions.server";

export const PASSWORD_RESET_VALID_MINUTES = 60;
/** Path of the page a reset link opens, followed by "/<token>"; the UI's route must match it. */
export const PASSWORD_RESET_PATH = "/reset-password";

/**
 * Mails a reset link to the address if it belongs to an active account. The answer is the same whether or not it
 * does, so the form does not tell which addresses have accounts. Requests count against the limits of the address
 * and of the client's, refused or not, so the form cannot be used to flood a mailbox.
 */
export async function requestPasswordReset(
  { db, mailer, rateLimits }: { db: DbExecutor; mailer: Pick<Mailer, "send">; rateLimits: AccountServices["rateLimits"] },
  email: string,
  /** baseUrl: the verified origin of the mailed link; null when there is none, so the request counts but mails nothing. */
  context: RequestContext & { baseUrl: string | null },
): Promise<{ ok: true } | RateLimited> {
  const limited = rateLimited(await rateLimits.passwordReset(context.ip ?? "", email));
  if (limited) return limited;
  if (context.baseUrl === null) return { ok: true };
  const parsed = z.string().trim().min(1).max(EMAIL_MAX_LENGTH).safeParse(email);
  if (!parsed.success) return { ok: true };
  const user = await findUserByEmail(db, parsed.data);
  if (!user || user.deactivated_at !== null) return { ok: true };

  const createdAt = (context.now ?? currentTime)();
  const { token, tokenHash } = generateSecretToken();
  await insertPasswordResetToken(db, {
    tokenHash,
    userId: user.id,
    createdAt,
    expiresAt: new Date(createdAt.getTime() + PASSWORD_RESET_VALID_MINUTES * 60_000),
  });
  await recordAudit(db, { actorUserId: null, action: "password.reset-requested", subject: user.id, ip: context.ip });

  const link = new URL(`${PASSWORD_RESET_PATH}/${token}`, context.baseUrl).href;
  await mailer.send({
    to: user.email,
    subject: "Återställ ditt lösenord i Samråd / Reset your Samråd password",
    text: [
      `Hej ${user.name},`,
      "",
      "Någon, förhoppningsvis du, bad om att få återställa lösenordet till ditt konto i Samråd.",
      `Öppna länken inom ${PASSWORD_RESET_VALID_MINUTES} minuter för att välja ett nytt lösenord:`,
      "",
      link,
      "",
      "Om det inte var du kan du bortse från det här meddelandet; ditt lösenord är oförändrat.",
      "",
      "---",
      "",
      "Someone, hopefully you, asked to reset the password of your Samråd account.",
      `Open the link above within ${PASSWORD_RESET_VALID_MINUTES} minutes to choose a new password.`,
      "If it was not you, ignore this message; your password has not changed.",
    ].join("\n"),
  });
  return { ok: true };
}

export type ResetPasswordResult =
  | { ok: true; userId: string }
  | { ok: false; error: "invalid-input"; fieldErrors: FieldErrors<"password"> }
  | { ok: false; error: "invalid-or-expired-link" };

/**
 * Sets a new password with the token from a reset link. The link works once and for PASSWORD_RESET_VALID_MINUTES;
 * using it ends every session of the account and voids its other reset links.
 */
export async function resetPassword(
  { db, liveSessions }: Pick<AccountServices, "db" | "liveSessions">,
  token: string,
  newPassword: string,
  context: RequestContext = {},
): Promise<ResetPasswordResult> {
  if (!isWellFormedSecretToken(token)) return { ok: false, error: "invalid-or-expired-link" };
  const parsed = z.object({ password: passwordSchema }).safeParse({ password: newPassword });
  if (!parsed.success) {
    return { ok: false, error: "invalid-input", fieldErrors: toFieldErrors<"password">(parsed.error) };
  }
  // Hashed before the transaction, which then holds its locks only for the writes.
  const passwordHash = await hashPassword(parsed.data.password);
  const now = (context.now ?? currentTime)();

  let ended: string[] = [];
  const result = await inTransaction(db, async (trx): Promise<ResetPasswordResult> => {
    const userId = await consumePasswordResetToken(trx, hashSecretToken(token), now);
    if (userId === undefined) return { ok: false, error: "invalid-or-expired-link" };
    const user = await findUserById(trx, userId);
    // A link mailed before the account was deactivated must not bring it back into use.
    if (!user || user.deactivated_at !== null) return { ok: false, error: "invalid-or-expired-link" };

    await updatePasswordHash(trx, user.id, passwordHash, now);
    await useUpPasswordResetTokensOfUser(trx, user.id, now);
    ended = await revokeAllSessions(trx, user.id, { now: () => now });
    await recordAudit(trx, {
      actorUserId: user.id,
      action: "password.reset",
      subject: user.id,
      details: { revokedSessions: ended.length },
      ip: context.ip,
    });
    return { ok: true, userId: user.id };
  });
  if (result.ok) liveSessions.ended(ended);
  return result;
}

function currentTime(): Date {
  return new Date();
}
