import { sql, type Kysely } from "kysely";

// Migrations are frozen in time: they must not import app code (db/schema.ts changes later), hence `any`.
type AnyDatabase = Kysely<any>;

export async function up(db: AnyDatabase): Promise<void> {
  // The version the draft was based on when a thread was started or a comment written; null before the first.
  await db.schema.alterTable("comment_threads").addColumn("version_number", "integer").execute();
  await db.schema.alterTable("comments").addColumn("version_number", "integer").execute();
  // When comments on the draft based on this version are taken; null: no limit on that side.
  await db.schema
    .alterTable("document_versions")
    .addColumn("comments_open_at", "timestamptz")
    .addColumn("comments_close_at", "timestamptz")
    .execute();
  // How each open thread fared when a version was frozen; the uncertain ones wait for an editor's review.
  await db.schema
    .createTable("thread_reviews")
    .addColumn("thread_id", "uuid", (column) => column.notNull().references("comment_threads.id").onDelete("cascade"))
    .addColumn("version_id", "uuid", (column) => column.notNull().references("document_versions.id").onDelete("cascade"))
    .addColumn("outcome", "text", (column) => column.notNull().check(sql`outcome in ('unchanged', 'moved', 'text-changed', 'removed')`))
    .addColumn("reviewed_by", "uuid", (column) => column.references("users.id"))
    .addColumn("reviewed_at", "timestamptz")
    .addPrimaryKeyConstraint("thread_reviews_pkey", ["thread_id", "version_id"])
    .execute();
  await db.schema.createIndex("thread_reviews_version_idx").on("thread_reviews").column("version_id").execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropTable("thread_reviews").execute();
  await db.schema.alterTable("document_versions").dropColumn("comments_open_at").dropColumn("comments_close_at").execute();
  await db.schema.alterTable("comments").dropColumn("version_number").execute();
  await db.schema.alterTable("comment_threads").dropColumn("version_number").execute();
}
