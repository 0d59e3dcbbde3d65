import { sql, type Kysely } from "kysely";

// Migrations are frozen in time: they must not import app code (db/schema.ts changes later), hence `any`.
type AnyDatabase = Kysely<any>;

export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .createTable("document_versions")
    .addColumn("id", "uuid", (column) => column.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("document_id", "uuid", (column) => column.notNull().references("documents.id").onDelete("cascade"))
    // 1, 2, 3… per document, in the order they were frozen.
    .addColumn("number", "integer", (column) => column.notNull())
    .addColumn("name", "text", (column) => column.notNull())
    .addColumn("change_note", "text", (column) => column.notNull().defaultTo(""))
    .addColumn("workshop_id", "uuid", (column) => column.references("workshops.id").onDelete("set null"))
    // The Yjs state of that moment (V2 encoding) and the blocks as rendered then: a version renders and diffs
    // without replaying history, and nothing ever updates these rows.
    .addColumn("state", "bytea", (column) => column.notNull())
    .addColumn("blocks", "jsonb", (column) => column.notNull())
    .addColumn("created_by", "uuid", (column) => column.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("document_versions_number_key", ["document_id", "number"])
    .execute();
  // A name is used once per document, whatever its case.
  await sql`create unique index document_versions_name_key on document_versions (document_id, lower(name))`.execute(db);
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropTable("document_versions").execute();
}
