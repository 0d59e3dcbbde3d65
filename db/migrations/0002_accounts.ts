import { sql, type Kysely } from "kysely";

// Migrations are frozen in time: they must not import app code (db/schema.ts changes later), hence `any`.
type AnyDatabase = Kysely<any>;

// Copied rather than imported, for the same reason; the repositories find the default space by this slug.
const DEFAULT_SPACE_SLUG = "standard";
const DEFAULT_SPACE_NAME = "Samråd";
const ROLE_CHECK = sql`role in ('member', 'editor', 'host', 'admin')`;

export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .createTable("spaces")
    .addColumn("id", "uuid", (column) => column.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("slug", "text", (column) => column.notNull().unique())
    .addColumn("name", "text", (column) => column.notNull())
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await db.insertInto("spaces").values({ slug: DEFAULT_SPACE_SLUG, name: DEFAULT_SPACE_NAME }).execute();

  // Existing documents belong to the default space. A column DEFAULT cannot name a row inserted at run time
  // portably, so the column is filled here and insertDocument supplies the default space from now on.
  await db.schema
    .alterTable("documents")
    .addColumn("space_id", "uuid", (column) => column.references("spaces.id").onDelete("restrict"))
    .execute();
  await db
    .updateTable("documents")
    .set({ space_id: db.selectFrom("spaces").select("id").where("slug", "=", DEFAULT_SPACE_SLUG) })
    .execute();
  await db.schema.alterTable("documents").alterColumn("space_id", (column) => column.setNotNull()).execute();
  await db.schema.createIndex("documents_space_id_idx").on("documents").column("space_id").execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "uuid", (column) => column.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("email", "text", (column) => column.notNull())
    // Lower-cased and trimmed, so "Anna@PRV.se" and "anna@prv.se " are one account.
    .addColumn("email_normalized", "text", (column) => column.notNull().unique())
    .addColumn("name", "text", (column) => column.notNull())
    .addColumn("organisation", "text", (column) => column.notNull().defaultTo(""))
    .addColumn("password_hash", "text", (column) => column.notNull())
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn("deactivated_at", "timestamptz")
    .addColumn("contribution_licence_accepted_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("memberships")
    .addColumn("user_id", "uuid", (column) => column.notNull().references("users.id").onDelete("cascade"))
    .addColumn("space_id", "uuid", (column) => column.notNull().references("spaces.id").onDelete("cascade"))
    .addColumn("role", "text", (column) => column.notNull().check(ROLE_CHECK))
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("memberships_pkey", ["user_id", "space_id"])
    .execute();
  // Counting a space's admins (the last admin cannot be demoted) and listing its members.
  await db.schema.createIndex("memberships_space_id_role_idx").on("memberships").columns(["space_id", "role"]).execute();

  // Users are deactivated, never deleted, so rows naming them need no cascade beyond their own sessions and tokens.
  await db.schema
    .createTable("sessions")
    // SHA-256 (hex) of the token; the token itself only ever lives in the visitor's cookie.
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("user_id", "uuid", (column) => column.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn("last_seen_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (column) => column.notNull())
    .addColumn("revoked_at", "timestamptz")
    .execute();
  await db.schema.createIndex("sessions_user_id_idx").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("password_reset_tokens")
    .addColumn("token_hash", "text", (column) => column.primaryKey())
    .addColumn("user_id", "uuid", (column) => column.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (column) => column.notNull())
    .addColumn("used_at", "timestamptz")
    .execute();
  await db.schema.createIndex("password_reset_tokens_user_id_idx").on("password_reset_tokens").column("user_id").execute();

  await db.schema
    .createTable("invites")
    .addColumn("token_hash", "text", (column) => column.primaryKey())
    .addColumn("space_id", "uuid", (column) => column.notNull().references("spaces.id").onDelete("cascade"))
    .addColumn("role", "text", (column) => column.notNull().check(ROLE_CHECK))
    .addColumn("created_by", "uuid", (column) => column.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (column) => column.notNull())
    .addColumn("used_at", "timestamptz")
    .addColumn("used_by", "uuid", (column) => column.references("users.id"))
    .execute();

  await db.schema
    .createTable("outbox")
    .addColumn("id", "bigint", (column) => column.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("to_address", "text", (column) => column.notNull())
    .addColumn("subject", "text", (column) => column.notNull())
    .addColumn("body_text", "text", (column) => column.notNull())
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn("sent_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "bigint", (column) => column.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("actor_user_id", "uuid", (column) => column.references("users.id"))
    .addColumn("action", "text", (column) => column.notNull())
    .addColumn("subject", "text")
    .addColumn("details", "jsonb", (column) => column.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("ip", "text")
    .addColumn("created_at", "timestamptz", (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropTable("audit_log").execute();
  await db.schema.dropTable("outbox").execute();
  await db.schema.dropTable("invites").execute();
  await db.schema.dropTable("password_reset_tokens").execute();
  await db.schema.dropTable("sessions").execute();
  await db.schema.dropTable("memberships").execute();
  await db.schema.dropTable("users").execute();
  await db.schema.dropIndex("documents_space_id_idx").execute();
  await db.schema.alterTable("documents").dropColumn("space_id").execute();
  await db.schema.dropTable("spaces").execute();
}
