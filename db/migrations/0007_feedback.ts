import { sql, type Kysely } from "kysely";

// Migrations are frozen in time: they must not import app code (db/schema.ts changes later), hence `any`.
type AnyDatabase = Kysely<any>;

export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .alterTable("comment_threads")
    // A suggestion proposes replacement text for its passage (or whole block); a comment does not.
    .addColumn("kind", "text", (column) => column.notNull().defaultTo("comment").check(sql`kind in ('comment', 'suggestion')`))
    .addColumn("suggested_text", "text")
    // How editors handled a closed thread, and their public answer ("how we handled this").
    .addColumn("outcome", "text", (column) => column.check(sql`outcome in ('accepted', 'partly-accepted', 'rejected', 'answered')`))
    .addColumn("response", "text")
    .addColumn("responded_by", "uuid", (column) => column.references("users.id"))
    .addColumn("responded_at", "timestamptz")
    // The version that first contained the change an accepted thread asked for.
    .addColumn("incorporated_in", "integer")
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema
    .alterTable("comment_threads")
    .dropColumn("kind")
    .dropColumn("suggested_text")
    .dropColumn("outcome")
    .dropColumn("response")
    .dropColumn("responded_by")
    .dropColumn("responded_at")
    .dropColumn("incorporated_in")
    .execute();
}
