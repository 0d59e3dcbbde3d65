import type { DbExecutor } from "#db/executor";
import type { MembershipRole, SessionRow, UserRow } from "#db/schema";

export interface NewSessionValues {
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
}

export async function insertSession(db: DbExecutor, values: NewSessionValues): Promise<SessionRow> {
  return db
    .insertInto("sessions")
    .values({
      id: values.id,
      user_id: values.userId,
      created_at: values.createdAt,
      last_seen_at: values.createdAt,
      expires_at: values.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface SessionWithUser {
  session: SessionRow;
  user: UserRow;
  /** The user's role in the space asked about; null when they are not a member of it. */
  role: MembershipRole | null;
}

/** The session with its user and their role in the space with the slug, in one round trip: it runs on every request. */
export async function findSessionWithUser(
  db: DbExecutor,
  sessionId: string,
  spaceSlug: string,
): Promise<SessionWithUser | undefined> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .leftJoin("memberships", (join) =>
      join
        .onRef("memberships.user_id", "=", "users.id")
        .on((eb) =>
          eb("memberships.space_id", "=", eb.selectFrom("spaces").select("spaces.id").where("spaces.slug", "=", spaceSlug)),
        ),
    )
    .select([
      "sessions.id as session_id",
      "sessions.created_at as session_created_at",
      "sessions.last_seen_at as session_last_seen_at",
      "sessions.expires_at as session_expires_at",
      "sessions.revoked_at as session_revoked_at",
      "users.id as user_id",
      "users.email",
      "users.email_normalized",
      "users.name",
      "users.organisation",
      "users.password_hash",
      "users.created_at",
      "users.updated_at",
      "users.deactivated_at",
      "users.contribution_licence_accepted_at",
      "users.email_on_reply",
      "users.email_on_status",
      "users.email_on_version",
      "memberships.role",
    ])
    .where("sessions.id", "=", sessionId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    session: {
      id: row.session_id,
      user_id: row.user_id,
      created_at: row.session_created_at,
      last_seen_at: row.session_last_seen_at,
      expires_at: row.session_expires_at,
      revoked_at: row.session_revoked_at,
    },
    user: {
      id: row.user_id,
      email: row.email,
      email_normalized: row.email_normalized,
      name: row.name,
      organisation: row.organisation,
      password_hash: row.password_hash,
      created_at: row.created_at,
      updated_at: row.updated_at,
      deactivated_at: row.deactivated_at,
      contribution_licence_accepted_at: row.contribution_licence_accepted_at,
      email_on_reply: row.email_on_reply,
      email_on_status: row.email_on_status,
      email_on_version: row.email_on_version,
    },
    role: row.role,
  };
}

export async function touchSession(db: DbExecutor, sessionId: string, at: Date): Promise<void> {
  await db.updateTable("sessions").set({ last_seen_at: at }).where("id", "=", sessionId).execute();
}

/** Revokes the session unless it already was; true when this call revoked it. */
export async function revokeSessionById(db: DbExecutor, sessionId: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable("sessions")
    .set({ revoked_at: at })
    .where("id", "=", sessionId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Revokes every live session of the user, except the one given; the ids of those it revoked. */
export async function revokeSessionsOfUser(
  db: DbExecutor,
  userId: string,
  at: Date,
  exceptSessionId?: string,
): Promise<string[]> {
  const rows = await db
    .updateTable("sessions")
    .set({ revoked_at: at })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .$if(exceptSessionId !== undefined, (query) => query.where("id", "!=", exceptSessionId ?? ""))
    .returning("id")
    .execute();
  return rows.map((row) => row.id);
}
