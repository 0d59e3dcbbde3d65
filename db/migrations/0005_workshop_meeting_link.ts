import type { Kysely } from "kysely";

// Migrations are frozen in time: they must not import app code (db/schema.ts changes later), hence `any`.
type AnyDatabase = Kysely<any>;

export async function up(db: AnyDatabase): Promise<void> {
  // Where participants join a digital workshop; null for one without a link (yet).
  await db.schema.alterTable("workshops").addColumn("meeting_url", "text").execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.alterTable("workshops").dropColumn("meeting_url").execute();
}
