import type { DbExecutor } from "#db/executor";
import type { Transaction } from "kysely";
import type { Database, MembershipRole, MembershipRow, SpaceRow } from "#db/schema";

/** Slug of the space migration 0002 creates; every install has it. */
export const DEFAULT_SPACE_SLUG = "standard";

export async function findSpaceBySlug(db: DbExecutor, slug: string): Promise<SpaceRow | undefined> {
  return db.selectFrom("spaces").selectAll().where("slug", "=", slug).executeTakeFirst();
}

export async function findDefaultSpace(db: DbExecutor): Promise<SpaceRow> {
  const space = await findSpaceBySlug(db, DEFAULT_SPACE_SLUG);
  if (!space) throw new Error(`The default space "${DEFAULT_SPACE_SLUG}" is missing; has migration 0002 run?`);
  return space;
}

/**
 * Locks the space's row until the transaction ends. Decisions that depend on a space's whole membership
 * (who becomes the first admin, whether the last admin is being demoted) take this lock first, so two of them
 * never decide on the same stale picture.
 */
export async function lockSpace(trx: Transaction<Database>, spaceId: string): Promise<void> {
  await trx.selectFrom("spaces").select("id").where("id", "=", spaceId).forUpdate().execute();
}

export async function findMembership(db: DbExecutor, userId: string, spaceId: string): Promise<MembershipRow | undefined> {
  return db
    .selectFrom("memberships")
    .selectAll()
    .where("user_id", "=", userId)
    .where("space_id", "=", spaceId)
    .executeTakeFirst();
}

/** Gives the user the role in the space, replacing the role they had there. */
export async function upsertMembership(db: DbExecutor, userId: string, spaceId: string, role: MembershipRole): Promise<void> {
  await db
    .insertInto("memberships")
    .values({ user_id: userId, space_id: spaceId, role })
    .onConflict((conflict) => conflict.columns(["user_id", "space_id"]).doUpdateSet({ role }))
    .execute();
}

/** Members of the space with the role whose account is not deactivated. */
export async function countActiveMembersWithRole(db: DbExecutor, spaceId: string, role: MembershipRole): Promise<number> {
  const row = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("memberships.space_id", "=", spaceId)
    .where("memberships.role", "=", role)
    .where("users.deactivated_at", "is", null)
    .executeTakeFirstOrThrow();
  return row.count;
}

/** The user's role in the space, or undefined when they are not a member or their account is deactivated. */
export async function findActiveMemberRole(
  db: DbExecutor,
  userId: string,
  spaceId: string,
): Promise<MembershipRole | undefined> {
  const row = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select("memberships.role")
    .where("memberships.user_id", "=", userId)
    .where("memberships.space_id", "=", spaceId)
    .where("users.deactivated_at", "is", null)
    .executeTakeFirst();
  return row?.role;
}
