import type { Transaction } from "kysely";
import { z } from "zod";
import { inTransaction, type DbExecutor } from "#db/executor";
import { isUuid } from "#db/repositories/documents";
import {
  countActiveMembersWithRole,
  findActiveMemberRole,
  findDefaultSpace,
  findMembership,
  lockSpace,
  upsertMembership,
} from "#db/repositories/memberships";
import { findUserById, searchUsers, setUserDeactivated } from "#db/repositories/users";
import type { Database, SpaceRow, UserRow } from "#db/schema";
import { recordAudit } from "#app/models/audit.server";
import { can, ROLES, type Role } from "#app/models/authorization.server";
import { revokeAllSessions } from "#app/models/sessions.server";
import { currentTime, type AccountServices, type RequestContext } from "./fields.server";

export interface AccountSummary {
  id: string;
  email: string;
  name: string;
  organisation: string;
  /** Role in the default space; null for a user who is not a member of it. */
  role: Role | null;
  createdAt: Date;
  deactivatedAt: Date | null;
}

export const LIST_ACCOUNTS_MAX_LIMIT = 200;

/**
 * Accounts by name, with their role in the default space; `search` matches name, email or organisation.
 * Callers check can(role, "manage-accounts") first: this lists everyone's email.
 */
export async function listAccounts(
  db: DbExecutor,
  options: { search?: string; limit: number; offset: number },
): Promise<{ accounts: AccountSummary[]; total: number }> {
  const space = await findDefaultSpace(db);
  const search = options.search?.trim();
  const { users, total } = await searchUsers(db, {
    spaceId: space.id,
    search: search ? search : undefined,
    limit: Math.min(Math.max(1, Math.trunc(options.limit)), LIST_ACCOUNTS_MAX_LIMIT),
    offset: Math.max(0, Math.trunc(options.offset)),
  });
  return {
    total,
    accounts: users.map((user) => ({
      id: user.id,
      email: user.email,
      name: user.name,
      organisation: user.organisation,
      role: user.role,
      createdAt: user.created_at,
      deactivatedAt: user.deactivated_at,
    })),
  };
}

export type AdminActionResult = { ok: true } | { ok: false; error: "forbidden" | "not-found" | "last-admin" | "invalid-input" };

/**
 * Gives the user the role in the default space; admins only. The last active admin cannot be demoted (also not by
 * themselves), so an install always has someone who can manage accounts.
 */
export async function changeRole(
  { db, liveSessions }: Pick<AccountServices, "db" | "liveSessions">,
  actor: { id: string },
  userId: string,
  role: string,
  context: RequestContext = {},
): Promise<AdminActionResult> {
  const newRole = z.enum(ROLES).safeParse(role);
  if (!newRole.success) return { ok: false, error: "invalid-input" };

  const result = await onAccount(db, actor, userId, async (trx, user, space) => {
    const previousRole = (await findMembership(trx, user.id, space.id))?.role ?? null;
    if (previousRole === newRole.data) return { ok: true };
    if (previousRole === "admin" && (await isLastActiveAdmin(trx, user, space.id))) {
      return { ok: false, error: "last-admin" };
    }
    await upsertMembership(trx, user.id, space.id, newRole.data);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "role.changed",
      subject: user.id,
      details: { from: previousRole, to: newRole.data },
      ip: context.ip,
    });
    return { ok: true };
  });
  // Open editing sockets follow the new role at once, without waiting for a reload.
  if (result.ok) liveSessions.rightsChanged(userId, { readOnly: !can(newRole.data, "edit-draft") });
  return result;
}

/** Blocks the account and ends all its sessions and sockets; admins only, and never the last active admin. */
export async function deactivateAccount(
  { db, liveSessions }: Pick<AccountServices, "db" | "liveSessions">,
  actor: { id: string },
  userId: string,
  context: RequestContext = {},
): Promise<AdminActionResult> {
  const now = (context.now ?? currentTime)();
  const result = await onAccount(db, actor, userId, async (trx, user, space) => {
    if (user.deactivated_at !== null) return { ok: true };

    const role = (await findMembership(trx, user.id, space.id))?.role;
    if (role === "admin" && (await isLastActiveAdmin(trx, user, space.id))) return { ok: false, error: "last-admin" };
    await setUserDeactivated(trx, user.id, now, now);
    const revokedSessions = await revokeAllSessions(trx, user.id, { now: () => now });
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "account.deactivated",
      subject: user.id,
      details: { revokedSessions: revokedSessions.length },
      ip: context.ip,
    });
    return { ok: true };
  });
  // The account, not only its sessions: whatever it has open goes, however it was opened.
  if (result.ok) liveSessions.rightsChanged(userId, "revoked");
  return result;
}

/** Lets a deactivated account sign in again, with the role it had; admins only. */
export async function reactivateAccount(
  { db }: Pick<AccountServices, "db">,
  actor: { id: string },
  userId: string,
  context: RequestContext = {},
): Promise<AdminActionResult> {
  const now = (context.now ?? currentTime)();
  return onAccount(db, actor, userId, async (trx, user) => {
    if (user.deactivated_at === null) return { ok: true };
    await setUserDeactivated(trx, user.id, null, now);
    await recordAudit(trx, { actorUserId: actor.id, action: "account.reactivated", subject: user.id, ip: context.ip });
    return { ok: true };
  });
}

/**
 * Runs an admin's change to one account in a transaction, once the actor is found to be an admin and the account
 * to exist. The space stays locked until the end, so two admins demoting or deactivating each other cannot leave none.
 */
function onAccount(
  db: DbExecutor,
  actor: { id: string },
  userId: string,
  change: (trx: Transaction<Database>, user: UserRow, space: SpaceRow) => Promise<AdminActionResult>,
): Promise<AdminActionResult> {
  return inTransaction(db, async (trx) => {
    const space = await findDefaultSpace(trx);
    await lockSpace(trx, space.id);
    if (!(await actorMayManageAccounts(trx, actor.id, space.id))) return { ok: false, error: "forbidden" };
    const user = await findUserById(trx, userId);
    if (!user) return { ok: false, error: "not-found" };
    return change(trx, user, space);
  });
}

async function actorMayManageAccounts(trx: Transaction<Database>, actorId: string, spaceId: string): Promise<boolean> {
  if (!isUuid(actorId)) return false;
  // Read now rather than trusted from the session: a demotion or deactivation takes effect on the next action.
  return can((await findActiveMemberRole(trx, actorId, spaceId)) ?? null, "manage-accounts");
}

async function isLastActiveAdmin(trx: Transaction<Database>, user: UserRow, spaceId: string): Promise<boolean> {
  if (user.deactivated_at !== null) return false;
  return (await countActiveMembersWithRole(trx, spaceId, "admin")) <= 1;
}
