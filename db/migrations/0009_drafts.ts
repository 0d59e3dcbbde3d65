import { sql, type Kysely } from "kysely";

// Migrations are frozen in time: they must not import app code (db/schema.ts changes later), hence `any`.
type AnyDatabase = Kysely<any>;

export async function up(db: AnyDatabase): Promise<void> {
  // When an admin archived the draft: it stays public and readable, and nobody may change it (decision 0033).
  await db.schema.alterTable("documents").addColumn("archived_at", "timestamptz").execute();
  // Two drafts of one title would be told apart only by their address; the home page lists them by title.
  await db.schema
    .createIndex("documents_title_lower_key")
    .unique()
    .on("documents")
    .expression(sql`lower(title)`)
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropIndex("documents_title_lower_key").execute();
  await db.schema.alterTable("documents").dropColumn("archived_at").execute();
}
