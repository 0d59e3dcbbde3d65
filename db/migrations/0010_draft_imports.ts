import { sql, type Kysely } from "kysely";

// Migrations are frozen in time: they must not import app code (db/schema.ts changes later), hence `any`.
type AnyDatabase = Kysely<any>;

export async function up(db: AnyDatabase): Promise<void> {
  // A Word or Markdown file converted and waiting for its importer to read the report and confirm (decision 0033):
  // only that session may use it, and it goes with the session or once the draft is created.
  await db.schema
    .createTable("draft_imports")
    .addColumn("id", "uuid", (column) => column.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("session_id", "text", (column) => column.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("file_name", "text", (column) => column.notNull())
    .addColumn("content", "jsonb", (column) => column.notNull())
    .addColumn("report", "jsonb", (column) => column.notNull())
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("draft_imports_created_at_idx").on("draft_imports").column("created_at").execute();
  await db.schema.createIndex("draft_imports_session_id_idx").on("draft_imports").column("session_id").execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropTable("draft_imports").execute();
}
