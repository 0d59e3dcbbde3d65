import type { Kysely } from "kysely";
import { Migrator, type Migration, type MigrationProvider, type MigrationResult } from "kysely/migration";
import * as initial from "./migrations/0001_initial";
import * as accounts from "./migrations/0002_accounts";
import * as comments from "./migrations/0003_comments";
import * as versions from "./migrations/0004_versions";
import * as workshopMeetingLink from "./migrations/0005_workshop_meeting_link";
import * as versionedComments from "./migrations/0006_versioned_comments";
import * as feedback from "./migrations/0007_feedback";
import * as notifications from "./migrations/0008_notifications";
import * as drafts from "./migrations/0009_drafts";
import * as draftImports from "./migrations/0010_draft_imports";

// Listed statically rather than read from disk so the migrations survive bundling; names sort in apply order.
const migrations: Record<string, Migration> = {
  "0001_initial": initial,
  "0002_accounts": accounts,
  "0003_comments": comments,
  "0004_versions": versions,
  "0005_workshop_meeting_link": workshopMeetingLink,
  "0006_versioned_comments": versionedComments,
  "0007_feedback": feedback,
  "0008_notifications": notifications,
  "0009_drafts": drafts,
  "0010_draft_imports": draftImports,
};

const staticProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/** Applies every pending migration, in order. Throws with the failing migration's name and cause. */
export async function migrateToLatest<Database>(db: Kysely<Database>): Promise<MigrationResult[]> {
  const migrator = new Migrator({ db, provider: staticProvider });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === "Error")?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      failed ? `Database migration ${failed} failed: ${reason}` : `Database migration failed: ${reason}`,
      { cause: error },
    );
  }
  return results;
}
