import { sql, type Kysely } from "kysely";

// Migrations are frozen in time: they must not import app code (db/schema.ts changes later), hence `any`.
type AnyDatabase = Kysely<any>;

export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .createTable("notifications")
    .addColumn("id", "uuid", (column) => column.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("user_id", "uuid", (column) => column.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (column) => column.notNull().check(sql`kind in ('reply', 'status', 'version')`))
    .addColumn("document_id", "uuid", (column) => column.notNull().references("documents.id").onDelete("cascade"))
    .addColumn("thread_id", "uuid", (column) => column.references("comment_threads.id").onDelete("cascade"))
    .addColumn("version_number", "integer")
    // Who replied, answered or froze the version; users are deactivated, never deleted.
    .addColumn("actor_id", "uuid", (column) => column.references("users.id"))
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn("read_at", "timestamptz")
    .execute();
  // The list, newest first, and the unread count in the header of every page a member views.
  await db.schema.createIndex("notifications_user_id_created_at_idx").on("notifications").columns(["user_id", "created_at"]).execute();
  await db.schema
    .createIndex("notifications_unread_idx")
    .on("notifications")
    .column("user_id")
    .where(sql.ref("read_at"), "is", null)
    .execute();

  // Replies and editors' answers concern what the member wrote, and are what they wait for: mailed unless turned off.
  // New versions concern the whole draft, are announced at the workshops and come to everyone with a thread: asked for.
  await db.schema
    .alterTable("users")
    .addColumn("email_on_reply", "boolean", (column) => column.notNull().defaultTo(true))
    .addColumn("email_on_status", "boolean", (column) => column.notNull().defaultTo(true))
    .addColumn("email_on_version", "boolean", (column) => column.notNull().defaultTo(false))
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.alterTable("users").dropColumn("email_on_reply").dropColumn("email_on_status").dropColumn("email_on_version").execute();
  await db.schema.dropTable("notifications").execute();
}
