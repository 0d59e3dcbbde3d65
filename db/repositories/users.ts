import type { DbExecutor } from "#db/executor";
import { sql } from "kysely";
import type { MembershipRole, NewUser, UserRow } from "#db/schema";
import { isUuid } from "./documents";

/** The form of an address users.email_normalized holds: one account per address, whatever its case or spacing. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** undefined for an unknown id, including one that is not a uuid at all. */
export async function findUserById(db: DbExecutor, id: string): Promise<UserRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findUserByEmail(db: DbExecutor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("email_normalized", "=", normalizeEmail(email)).executeTakeFirst();
}

/** email_normalized is derived from email here, so no caller can store the two out of step. */
export async function insertUser(db: DbExecutor, user: Omit<NewUser, "email_normalized">): Promise<UserRow> {
  return db
    .insertInto("users")
    .values({ ...user, email_normalized: normalizeEmail(user.email) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function countUsers(db: DbExecutor): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function updatePasswordHash(db: DbExecutor, userId: string, passwordHash: string, at: Date): Promise<void> {
  await db.updateTable("users").set({ password_hash: passwordHash, updated_at: at }).where("id", "=", userId).execute();
}

/** Sets or clears deactivated_at. */
export async function setUserDeactivated(db: DbExecutor, userId: string, deactivatedAt: Date | null, at: Date): Promise<void> {
  await db
    .updateTable("users")
    .set({ deactivated_at: deactivatedAt, updated_at: at })
    .where("id", "=", userId)
    .execute();
}

export interface UserWithRole extends UserRow {
  /** Role in the space asked about; null when the user is not a member of it. */
  role: MembershipRole | null;
}

export interface SearchUsersOptions {
  spaceId: string;
  /** Matched as a substring, case-insensitively, against name, email and organisation. */
  search?: string;
  limit: number;
  offset: number;
}

/** Users by name (then email), with their role in the space, and how many match in all. */
export async function searchUsers(
  db: DbExecutor,
  options: SearchUsersOptions,
): Promise<{ users: UserWithRole[]; total: number }> {
  const pattern = options.search ? `%${escapeLikePattern(options.search)}%` : undefined;
  const base = db
    .selectFrom("users")
    .leftJoin("memberships", (join) =>
      join.onRef("memberships.user_id", "=", "users.id").on("memberships.space_id", "=", options.spaceId),
    )
    .$if(pattern !== undefined, (query) =>
      query.where((eb) =>
        eb.or([
          eb("users.name", "ilike", pattern ?? ""),
          eb("users.email", "ilike", pattern ?? ""),
          eb("users.organisation", "ilike", pattern ?? ""),
        ]),
      ),
    );

  const users = await base
    .selectAll("users")
    .select("memberships.role")
    // Lower-cased so "åsa" and "Åsa" sort together whatever the database's collation.
    .orderBy(sql`lower(users.name)`)
    .orderBy("users.email_normalized")
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  const count = await base.select((eb) => eb.fn.countAll<number>().as("count")).executeTakeFirstOrThrow();
  return { users, total: count.count };
}

/** Makes %, _ and the escape character itself match literally (PostgreSQL's default LIKE escape is \). */
function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** Records consent to publish contributions under the contribution licence; the first consent is kept. */
export async function acceptContributionLicence(db: DbExecutor, userId: string, at: Date): Promise<void> {
  await db
    .updateTable("users")
    .set({ contribution_licence_accepted_at: at, updated_at: at })
    .where("id", "=", userId)
    .where("contribution_licence_accepted_at", "is", null)
    .execute();
}
