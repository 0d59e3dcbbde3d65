import { z } from "zod";
import { inTransaction } from "#db/executor";
import { upsertMembership } from "#db/repositories/memberships";
import { countUsers } from "#db/repositories/users";
import { recordAudit } from "#app/models/audit.server";
import type { Role } from "#app/models/authorization.server";
import { acceptInvite, readInvite } from "#app/models/invites.server";
import { hashPassword, passwordSchema } from "#app/models/passwords.server";
import { createSession, revokeSession, toSessionUser } from "#app/models/sessions.server";
import {
  currentTime,
  emailSchema,
  nameSchema,
  organisationSchema,
  rateLimited,
  toFieldErrors,
  type AccountServices,
  type FieldErrors,
  type RateLimited,
  type RequestContext,
  type SignedIn,
} from "./fields.server";
import { insertAccount, reserveAccount } from "./new-account.server";

const signUpSchema = z.object({
  name: nameSchema,
  email: emailSchema,
  organisation: organisationSchema,
  password: passwordSchema,
  // Contributions are published under the contribution licence, so an account cannot exist without accepting it.
  acceptContributionLicence: z.literal(true, { errorMap: () => ({ message: "must-accept" }) }),
  // A form's empty hidden field means no invite.
  inviteToken: z
    .string()
    .optional()
    .transform((token) => (token ? token : undefined)),
});

export type SignUpField = "name" | "email" | "organisation" | "password" | "acceptContributionLicence";

export interface SignUpInput {
  name: string;
  email: string;
  organisation?: string;
  password: string;
  acceptContributionLicence: boolean;
  /** From an invite link: the account gets the invite's role. */
  inviteToken?: string;
}

export type SignUpResult =
  | (SignedIn & { role: Role })
  | { ok: false; error: "invalid-input"; fieldErrors: FieldErrors<SignUpField> }
  | { ok: false; error: "email-taken" }
  | { ok: false; error: "invalid-or-expired-invite" }
  | RateLimited;

/**
 * Creates an account and signs it in. The first account of an install becomes admin of the default space, one
 * made from an invite gets the invite's role, any other is a member. `previousToken` is the session cookie the
 * request came with, if any: it is revoked, so a sign-up never continues someone else's session.
 */
export async function signUp(
  { db, liveSessions, rateLimits }: AccountServices,
  input: SignUpInput,
  context: RequestContext & { previousToken?: string | null } = {},
): Promise<SignUpResult> {
  const limited = rateLimited(await rateLimits.signUp(context.ip ?? ""));
  if (limited) return limited;
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: "invalid-input", fieldErrors: toFieldErrors<SignUpField>(parsed.error) };
  }
  const { name, email, organisation, password, inviteToken } = parsed.data;
  // Hashed before the transaction, so the space stays locked for as short a time as possible.
  const passwordHash = await hashPassword(password);
  const now = (context.now ?? currentTime)();

  let previousSession: string | null = null;
  const result = await inTransaction(db, async (trx): Promise<SignUpResult> => {
    const space = await reserveAccount(trx, email);
    if (!space) return { ok: false, error: "email-taken" };

    const isFirstAccount = (await countUsers(trx)) === 0;
    let role: Role = isFirstAccount ? "admin" : "member";
    let inviteSpaceId: string | undefined;
    if (inviteToken !== undefined && !isFirstAccount) {
      const invite = await readInvite(trx, inviteToken, { now: () => now });
      if (invite.state !== "valid") return { ok: false, error: "invalid-or-expired-invite" };
      role = invite.role;
      inviteSpaceId = invite.spaceId;
    }

    const user = await insertAccount(trx, { email, name, organisation, passwordHash }, now, true);
    if (inviteToken !== undefined && inviteSpaceId !== undefined) {
      const accepted = await acceptInvite(trx, inviteToken, user.id, { now: () => now, ip: context.ip });
      // Checked above under the space lock, so only a bug gets here; throwing rolls the account back.
      if (!accepted.ok) throw new Error("An invite checked as valid could not be used");
    }
    if (inviteSpaceId !== undefined && inviteSpaceId !== space.id) {
      await upsertMembership(trx, user.id, inviteSpaceId, role);
      await upsertMembership(trx, user.id, space.id, "member");
    } else {
      await upsertMembership(trx, user.id, space.id, role);
    }
    await recordAudit(trx, {
      actorUserId: user.id,
      action: "account.created",
      subject: user.id,
      details: { via: "sign-up", role, invited: inviteSpaceId !== undefined },
      ip: context.ip,
    });

    if (context.previousToken) previousSession = await revokeSession(trx, context.previousToken, { now: () => now });
    const { token, session } = await createSession(trx, user.id, { now: () => now });
    return { ok: true, user: toSessionUser(user), role, token, session };
  });
  if (result.ok && previousSession !== null) liveSessions.ended([previousSession]);
  return result;
}
