import type { DbExecutor } from "#db/executor";
import { z } from "zod";
import { consumeInvite, findInvite, insertInvite } from "#db/repositories/invites";
import { findActiveMemberRole, findDefaultSpace } from "#db/repositories/memberships";
import { isUuid } from "#db/repositories/documents";
import { recordAudit } from "./audit.server";
import { can, ROLES, type Role } from "./authorization.server";
import {
  generateSecretToken,
  hashSecretToken,
  isWellFormedSecretToken,
  type ClockOption,
} from "./sessions.server";

const DAY_MS = 24 * 60 * 60 * 1000;
export const INVITE_DEFAULT_VALID_DAYS = 7;
export const INVITE_MAX_VALID_DAYS = 30;

const createInviteSchema = z.object({
  role: z.enum(ROLES),
  validDays: z.number().int().min(1).max(INVITE_MAX_VALID_DAYS).default(INVITE_DEFAULT_VALID_DAYS),
});

export type CreateInviteResult =
  | { ok: true; token: string; role: Role; expiresAt: Date }
  | { ok: false; error: "forbidden" }
  | { ok: false; error: "invalid-input"; fieldErrors: Record<string, string[]> };

/**
 * An invite link's token to the default space with the role; admins only. The token is returned once and only its
 * hash stored, so the link cannot be shown again: the admin copies it now or makes a new one.
 */
export async function createInvite(
  db: DbExecutor,
  actor: { id: string },
  input: { role: string; validDays?: number },
  options: ClockOption & { ip?: string | null } = {},
): Promise<CreateInviteResult> {
  const parsed = createInviteSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid-input", fieldErrors: parsed.error.flatten().fieldErrors };

  const space = await findDefaultSpace(db);
  if (!isUuid(actor.id) || !can((await findActiveMemberRole(db, actor.id, space.id)) ?? null, "manage-accounts")) {
    return { ok: false, error: "forbidden" };
  }

  const createdAt = (options.now ?? currentTime)();
  const expiresAt = new Date(createdAt.getTime() + parsed.data.validDays * DAY_MS);
  const { token, tokenHash } = generateSecretToken();
  await insertInvite(db, {
    tokenHash,
    spaceId: space.id,
    role: parsed.data.role,
    createdBy: actor.id,
    createdAt,
    expiresAt,
  });
  await recordAudit(db, {
    actorUserId: actor.id,
    action: "invite.created",
    subject: tokenHash,
    details: { role: parsed.data.role, expiresAt: expiresAt.toISOString() },
    ip: options.ip,
  });
  return { ok: true, token, role: parsed.data.role, expiresAt };
}

export type InviteState =
  | { state: "valid"; role: Role; spaceId: string; expiresAt: Date }
  | { state: "used" }
  | { state: "expired" }
  | { state: "unknown" };

/** What the sign-up page shows for an invite link. */
export async function readInvite(db: DbExecutor, token: string, options: ClockOption = {}): Promise<InviteState> {
  if (!isWellFormedSecretToken(token)) return { state: "unknown" };
  const invite = await findInvite(db, hashSecretToken(token));
  if (!invite) return { state: "unknown" };
  if (invite.used_at !== null) return { state: "used" };
  if (invite.expires_at.getTime() <= (options.now ?? currentTime)().getTime()) return { state: "expired" };
  return { state: "valid", role: invite.role, spaceId: invite.space_id, expiresAt: invite.expires_at };
}

export type AcceptInviteResult =
  | { ok: true; role: Role; spaceId: string }
  | { ok: false; error: "invalid-or-expired-invite" };

/**
 * Uses up the invite for the user, who signUp has just created in the same transaction. Fails for an unknown, used
 * or expired invite; the caller then rolls the account back. The membership itself is the caller's to write.
 */
export async function acceptInvite(
  db: DbExecutor,
  token: string,
  userId: string,
  options: ClockOption & { ip?: string | null } = {},
): Promise<AcceptInviteResult> {
  if (!isWellFormedSecretToken(token)) return { ok: false, error: "invalid-or-expired-invite" };
  const tokenHash = hashSecretToken(token);
  const invite = await consumeInvite(db, tokenHash, userId, (options.now ?? currentTime)());
  if (!invite) return { ok: false, error: "invalid-or-expired-invite" };
  await recordAudit(db, {
    actorUserId: userId,
    action: "invite.used",
    subject: tokenHash,
    details: { role: invite.role, invitedBy: invite.created_by },
    ip: options.ip,
  });
  return { ok: true, role: invite.role, spaceId: invite.space_id };
}

function currentTime(): Date {
  return new Date();
}
