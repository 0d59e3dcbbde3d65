import type { DbExecutor } from "#db/executor";
import type { AuditLogRow, JsonObject } from "#db/schema";

export interface NewAuditEntry {
  actorUserId: string | null;
  action: string;
  subject: string | null;
  details: JsonObject;
  ip: string | null;
}

export async function insertAuditEntry(db: DbExecutor, entry: NewAuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      actor_user_id: entry.actorUserId,
      action: entry.action,
      subject: entry.subject,
      details: JSON.stringify(entry.details),
      ip: entry.ip,
    })
    .execute();
}

export interface AuditEntryWithActor extends AuditLogRow {
  actor_name: string | null;
  actor_email: string | null;
}

/** Newest first, with the acting user's name and email, and how many entries there are in all. */
export async function listAuditEntries(
  db: DbExecutor,
  options: { limit: number; offset: number },
): Promise<{ entries: AuditEntryWithActor[]; total: number }> {
  const entries = await db
    .selectFrom("audit_log")
    .leftJoin("users", "users.id", "audit_log.actor_user_id")
    .selectAll("audit_log")
    .select(["users.name as actor_name", "users.email as actor_email"])
    .orderBy("audit_log.id", "desc")
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  const count = await db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirstOrThrow();
  return { entries, total: count.count };
}
