import type { DbExecutor } from "#db/executor";
import type { DraftImportRow, JsonObject } from "#db/schema";
import { isUuid } from "./documents";

export interface NewDraftImport {
  sessionId: string;
  fileName: string;
  content: JsonObject;
  report: JsonObject;
}

export async function insertDraftImport(db: DbExecutor, draftImport: NewDraftImport): Promise<DraftImportRow> {
  return db
    .insertInto("draft_imports")
    .values({
      session_id: draftImport.sessionId,
      file_name: draftImport.fileName,
      content: JSON.stringify(draftImport.content),
      report: JSON.stringify(draftImport.report),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The import if this session made it after `since`; undefined otherwise, including for an id that is not a uuid. */
export async function findDraftImport(db: DbExecutor, id: string, sessionId: string, since: Date): Promise<DraftImportRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db
    .selectFrom("draft_imports")
    .selectAll()
    .where("id", "=", id)
    .where("session_id", "=", sessionId)
    .where("created_at", ">", since)
    .executeTakeFirst();
}

/** Removes the session's import, if it has one of this id. */
export async function deleteDraftImport(db: DbExecutor, id: string, sessionId: string): Promise<void> {
  if (!isUuid(id)) return;
  await db.deleteFrom("draft_imports").where("id", "=", id).where("session_id", "=", sessionId).execute();
}

/** Removes every import made before `before`: the ones nobody confirmed or abandoned. */
export async function deleteDraftImportsBefore(db: DbExecutor, before: Date): Promise<void> {
  await db.deleteFrom("draft_imports").where("created_at", "<", before).execute();
}
