import type { DbExecutor } from "#db/executor";
import type { InviteRow, MembershipRole } from "#db/schema";

export interface NewInvite {
  tokenHash: string;
  spaceId: string;
  role: MembershipRole;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
}

export async function insertInvite(db: DbExecutor, invite: NewInvite): Promise<InviteRow> {
  return db
    .insertInto("invites")
    .values({
      token_hash: invite.tokenHash,
      space_id: invite.spaceId,
      role: invite.role,
      created_by: invite.createdBy,
      created_at: invite.createdAt,
      expires_at: invite.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findInvite(db: DbExecutor, tokenHash: string): Promise<InviteRow | undefined> {
  return db.selectFrom("invites").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
}

/**
 * Marks the invite used by the user if it is unused and unexpired at `at`, and returns it; undefined otherwise.
 * One statement, so two sign-ups racing with the same link cannot both succeed.
 */
export async function consumeInvite(
  db: DbExecutor,
  tokenHash: string,
  usedBy: string,
  at: Date,
): Promise<InviteRow | undefined> {
  return db
    .updateTable("invites")
    .set({ used_at: at, used_by: usedBy })
    .where("token_hash", "=", tokenHash)
    .where("used_at", "is", null)
    .where("expires_at", ">", at)
    .returningAll()
    .executeTakeFirst();
}
