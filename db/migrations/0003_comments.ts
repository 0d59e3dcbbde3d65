import { sql, type Kysely } from "kysely";

// Migrations are frozen in time: they must not import app code (db/schema.ts changes later), hence `any`.
type AnyDatabase = Kysely<any>;

export async function up(db: AnyDatabase): Promise<void> {
  // Contributions are published under this licence (an SPDX id); the comment box states it.
  await db.schema
    .alterTable("documents")
    .addColumn("contribution_licence", "text", (column) => column.notNull().defaultTo("CC-BY-4.0"))
    .execute();

  await db.schema
    .createTable("comment_threads")
    .addColumn("id", "uuid", (column) => column.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("document_id", "uuid", (column) => column.notNull().references("documents.id").onDelete("cascade"))
    // The block the thread was started on; where it is now is resolved from `anchor` against the live draft.
    .addColumn("block_id", "text", (column) => column.notNull())
    .addColumn("anchor", "jsonb", (column) => column.notNull())
    .addColumn("author_id", "uuid", (column) => column.notNull().references("users.id"))
    .addColumn("status", "text", (column) => column.notNull().defaultTo("open").check(sql`status in ('open', 'resolved')`))
    .addColumn("status_changed_by", "uuid", (column) => column.references("users.id"))
    .addColumn("status_changed_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("comment_threads_document_id_idx").on("comment_threads").columns(["document_id", "created_at"]).execute();

  await db.schema
    .createTable("comments")
    .addColumn("id", "uuid", (column) => column.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("thread_id", "uuid", (column) => column.notNull().references("comment_threads.id").onDelete("cascade"))
    .addColumn("author_id", "uuid", (column) => column.notNull().references("users.id"))
    // Emptied when the author deletes the comment: the row stays so the thread still reads in order.
    .addColumn("body", "text", (column) => column.notNull())
    .addColumn("position", "text", (column) => column.check(sql`position in ('supports', 'opposes', 'neutral')`))
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn("edited_at", "timestamptz")
    .addColumn("deleted_at", "timestamptz")
    .addColumn("hidden_at", "timestamptz")
    .addColumn("hidden_by", "uuid", (column) => column.references("users.id"))
    .addColumn("hidden_reason", "text")
    .execute();
  await db.schema.createIndex("comments_thread_id_idx").on("comments").columns(["thread_id", "created_at"]).execute();

  await db.schema
    .createTable("thread_agreements")
    .addColumn("thread_id", "uuid", (column) => column.notNull().references("comment_threads.id").onDelete("cascade"))
    .addColumn("user_id", "uuid", (column) => column.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("thread_agreements_pkey", ["thread_id", "user_id"])
    .execute();

  await db.schema
    .createTable("comment_flags")
    .addColumn("id", "uuid", (column) => column.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("comment_id", "uuid", (column) => column.notNull().references("comments.id").onDelete("cascade"))
    .addColumn("flagged_by", "uuid", (column) => column.notNull().references("users.id"))
    .addColumn("reason", "text", (column) => column.notNull())
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn("outcome", "text", (column) => column.check(sql`outcome in ('hidden', 'dismissed')`))
    .addColumn("decided_by", "uuid", (column) => column.references("users.id"))
    .addColumn("decided_at", "timestamptz")
    .execute();
  await db.schema.createIndex("comment_flags_comment_id_idx").on("comment_flags").column("comment_id").execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropTable("comment_flags").execute();
  await db.schema.dropTable("thread_agreements").execute();
  await db.schema.dropTable("comments").execute();
  await db.schema.dropTable("comment_threads").execute();
  await db.schema.alterTable("documents").dropColumn("contribution_licence").execute();
}
