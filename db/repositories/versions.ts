import type { Kysely, Transaction } from "kysely";
import type { Database } from "../schema";

type Executor = Kysely<Database> | Transaction<Database>;

export interface NewVersion {
  documentId: string;
  name: string;
  changeNote: string;
  workshopId: string | null;
  state: Uint8Array;
  blocks: unknown;
  createdBy: string;
}

export interface VersionRecord {
  id: string;
  document_id: string;
  number: number;
  name: string;
  change_note: string;
  workshop_id: string | null;
  state: Uint8Array;
  blocks: unknown;
  created_by: string;
  created_at: Date;
}

/**
 * Stores a version under the next number of its document. Two freezes at once cannot take the same number: the
 * unique constraint refuses the second, which the caller may retry.
 */
export async function insertVersion(db: Executor, version: NewVersion): Promise<VersionRecord> {
  return db
    .insertInto("document_versions")
    .values((eb) => ({
      document_id: version.documentId,
      number: eb
        .selectFrom("document_versions")
        .select((inner) => inner(inner.fn.coalesce(inner.fn.max("number"), inner.lit(0)), "+", inner.lit(1)).as("next"))
        .where("document_id", "=", version.documentId),
      name: version.name,
      change_note: version.changeNote,
      workshop_id: version.workshopId,
      state: version.state,
      blocks: JSON.stringify(version.blocks),
      created_by: version.createdBy,
    }))
    .returningAll()
    .executeTakeFirstOrThrow() as Promise<VersionRecord>;
}

export async function findVersion(db: Executor, documentId: string, number: number): Promise<VersionRecord | undefined> {
  return db.selectFrom("document_versions").selectAll().where("document_id", "=", documentId).where("number", "=", number).executeTakeFirst() as Promise<
    VersionRecord | undefined
  >;
}

export async function versionNameTaken(db: Executor, documentId: string, name: string): Promise<boolean> {
  const row = await db
    .selectFrom("document_versions")
    .select("id")
    .where("document_id", "=", documentId)
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}

export interface VersionListing {
  id: string;
  number: number;
  name: string;
  change_note: string;
  created_at: Date;
  created_by_name: string;
  workshop_id: string | null;
  workshop_title: string | null;
  workshop_starts_at: Date | null;
}

/** A document's versions, newest first, with who froze them and the workshop each was presented at. */
export async function listVersions(db: Executor, documentId: string): Promise<VersionListing[]> {
  return db
    .selectFrom("document_versions")
    .innerJoin("users", "users.id", "document_versions.created_by")
    .leftJoin("workshops", "workshops.id", "document_versions.workshop_id")
    .select([
      "document_versions.id",
      "document_versions.number",
      "document_versions.name",
      "document_versions.change_note",
      "document_versions.created_at",
      "users.name as created_by_name",
      "document_versions.workshop_id",
      "workshops.title as workshop_title",
      "workshops.starts_at as workshop_starts_at",
    ])
    .where("document_versions.document_id", "=", documentId)
    .orderBy("document_versions.number", "desc")
    .execute();
}

/** The versions presented at a workshop, with their documents, oldest first. */
export async function listVersionsAtWorkshop(
  db: Executor,
  workshopId: string,
): Promise<{ number: number; name: string; document_slug: string; document_title: string }[]> {
  return db
    .selectFrom("document_versions")
    .innerJoin("documents", "documents.id", "document_versions.document_id")
    .select(["document_versions.number", "document_versions.name", "documents.slug as document_slug", "documents.title as document_title"])
    .where("document_versions.workshop_id", "=", workshopId)
    .orderBy("document_versions.created_at")
    .execute();
}
