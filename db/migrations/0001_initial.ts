import { sql, type Kysely } from "kysely";

// Migrations are frozen in time: they must not import app code (db/schema.ts changes later), hence `any`.
type AnyDatabase = Kysely<any>;

export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .createTable("documents")
    .addColumn("id", "uuid", (column) => column.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("slug", "text", (column) => column.notNull().unique())
    .addColumn("title", "text", (column) => column.notNull())
    .addColumn("language", "text", (column) => column.notNull())
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("document_updates")
    .addColumn("seq", "bigint", (column) => column.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("document_id", "uuid", (column) =>
      column.notNull().references("documents.id").onDelete("cascade"),
    )
    .addColumn("update", "bytea", (column) => column.notNull())
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .execute();

  // Loading a document reads its log in seq order; compaction deletes by (document_id, seq).
  await db.schema
    .createIndex("document_updates_document_id_seq_idx")
    .on("document_updates")
    .columns(["document_id", "seq"])
    .execute();

  await db.schema
    .createTable("document_snapshots")
    .addColumn("document_id", "uuid", (column) =>
      column.primaryKey().references("documents.id").onDelete("cascade"),
    )
    .addColumn("state", "bytea", (column) => column.notNull())
    .addColumn("updated_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("workshops")
    .addColumn("id", "uuid", (column) => column.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("slug", "text", (column) => column.notNull().unique())
    .addColumn("title", "text", (column) => column.notNull())
    .addColumn("starts_at", "timestamptz", (column) => column.notNull())
    .addColumn("ends_at", "timestamptz", (column) => column.notNull())
    .addColumn("description", "text", (column) => column.notNull())
    .addColumn("organisers", "text", (column) => column.notNull())
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .execute();

  // The programme page lists workshops in chronological order.
  await db.schema.createIndex("workshops_starts_at_idx").on("workshops").column("starts_at").execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropTable("workshops").execute();
  await db.schema.dropTable("document_snapshots").execute();
  await db.schema.dropTable("document_updates").execute();
  await db.schema.dropTable("documents").execute();
}
