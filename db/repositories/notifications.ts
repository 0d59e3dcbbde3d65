import type { DbExecutor } from "#db/executor";
import type { NotificationKind } from "#db/schema";

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  documentId: string;
  threadId: string | null;
  versionNumber: number | null;
  actorId: string | null;
  createdAt: Date;
}

/** All in one statement: one event tells everyone it concerns at once. */
export async function insertNotifications(db: DbExecutor, notifications: readonly NewNotification[]): Promise<void> {
  if (notifications.length === 0) return;
  await db
    .insertInto("notifications")
    .values(
      notifications.map((notification) => ({
        user_id: notification.userId,
        kind: notification.kind,
        document_id: notification.documentId,
        thread_id: notification.threadId,
        version_number: notification.versionNumber,
        actor_id: notification.actorId,
        created_at: notification.createdAt,
      })),
    )
    .execute();
}

export interface NotificationRecord {
  id: string;
  kind: NotificationKind;
  created_at: Date;
  read_at: Date | null;
  thread_id: string | null;
  version_number: number | null;
  document_slug: string;
  document_title: string;
  actor_name: string | null;
  version_name: string | null;
}

/** A user's notifications, newest first, with what the list says about each. */
export async function listNotifications(db: DbExecutor, userId: string, limit: number): Promise<NotificationRecord[]> {
  return db
    .selectFrom("notifications")
    .innerJoin("documents", "documents.id", "notifications.document_id")
    .leftJoin("users as actors", "actors.id", "notifications.actor_id")
    .leftJoin("document_versions", (join) =>
      join.onRef("document_versions.document_id", "=", "notifications.document_id").onRef("document_versions.number", "=", "notifications.version_number"),
    )
    .select([
      "notifications.id",
      "notifications.kind",
      "notifications.created_at",
      "notifications.read_at",
      "notifications.thread_id",
      "notifications.version_number",
      "documents.slug as document_slug",
      "documents.title as document_title",
      "actors.name as actor_name",
      "document_versions.name as version_name",
    ])
    .where("notifications.user_id", "=", userId)
    .orderBy("notifications.created_at", "desc")
    .orderBy("notifications.id", "desc")
    .limit(limit)
    .execute();
}

/** Shown in the header of every page a member views: answered from the partial index of unread rows. */
export async function countUnreadNotifications(db: DbExecutor, userId: string): Promise<number> {
  const row = await db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function markAllNotificationsRead(db: DbExecutor, userId: string, at: Date): Promise<void> {
  await db.updateTable("notifications").set({ read_at: at }).where("user_id", "=", userId).where("read_at", "is", null).execute();
}

// ---- Who is told ----

/** Active people who wrote in a thread: its author and everyone with a comment in it they have not deleted. */
export async function listThreadParticipants(db: DbExecutor, threadId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("users")
    .select("users.id")
    .where("users.deactivated_at", "is", null)
    .where((eb) =>
      eb.or([
        eb("users.id", "in", eb.selectFrom("comment_threads").select("author_id").where("id", "=", threadId)),
        eb("users.id", "in", eb.selectFrom("comments").select("author_id").where("thread_id", "=", threadId).where("deleted_at", "is", null)),
      ]),
    )
    .execute();
  return rows.map((row) => row.id);
}

/** Active people who started a thread on a document, each once. */
export async function listThreadAuthorsOfDocument(db: DbExecutor, documentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("users")
    .select("users.id")
    .where("users.deactivated_at", "is", null)
    .where("users.id", "in", (eb) => eb.selectFrom("comment_threads").select("author_id").where("document_id", "=", documentId))
    .execute();
  return rows.map((row) => row.id);
}

// ---- Mail ----

export interface EmailSettings {
  reply: boolean;
  status: boolean;
  version: boolean;
}

const SETTING_COLUMN = { reply: "email_on_reply", status: "email_on_status", version: "email_on_version" } as const;

export async function findEmailSettings(db: DbExecutor, userId: string): Promise<EmailSettings | undefined> {
  const row = await db
    .selectFrom("users")
    .select(["email_on_reply", "email_on_status", "email_on_version"])
    .where("id", "=", userId)
    .executeTakeFirst();
  return row && { reply: row.email_on_reply, status: row.email_on_status, version: row.email_on_version };
}

export async function updateEmailSettings(db: DbExecutor, userId: string, settings: EmailSettings, at: Date): Promise<void> {
  await db
    .updateTable("users")
    .set({ email_on_reply: settings.reply, email_on_status: settings.status, email_on_version: settings.version, updated_at: at })
    .where("id", "=", userId)
    .execute();
}

/** Of `userIds`, the active ones who asked to be mailed about `kind`, with their address. */
export async function listMailRecipients(
  db: DbExecutor,
  userIds: readonly string[],
  kind: NotificationKind,
): Promise<{ id: string; email: string; name: string }[]> {
  if (userIds.length === 0) return [];
  return db
    .selectFrom("users")
    .select(["id", "email", "name"])
    .where("id", "in", userIds)
    .where(SETTING_COLUMN[kind], "=", true)
    .where("deactivated_at", "is", null)
    .execute();
}
