import type { Generated, Insertable, Selectable } from "kysely";

/** Table types of the Samråd database. Migrations in db/migrations create exactly these. */
export interface Database {
  documents: DocumentsTable;
  document_updates: DocumentUpdatesTable;
  document_snapshots: DocumentSnapshotsTable;
  workshops: WorkshopsTable;
}

export interface DocumentsTable {
  id: Generated<string>; // uuid, also the collaboration room name: /collab/<id>
  slug: string; // unique, used in /d/<slug>
  title: string;
  language: string; // BCP 47 tag of the document's own text, e.g. "sv"
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Append-only log of Yjs updates (V2 encoding), compacted into document_snapshots. */
export interface DocumentUpdatesTable {
  seq: Generated<number>; // bigint identity, surfaced as number by both drivers
  document_id: string;
  update: Uint8Array;
  created_at: Generated<Date>;
}

/** At most one per document: the merged state (V2 encoding) of every log row it replaced. */
export interface DocumentSnapshotsTable {
  document_id: string;
  state: Uint8Array;
  updated_at: Generated<Date>;
}

export interface WorkshopsTable {
  id: Generated<string>; // uuid
  slug: string; // unique, e.g. "2020-09-01-oppna-licenser"
  title: string;
  starts_at: Date;
  ends_at: Date;
  description: string;
  organisers: string; // as written in the programme, e.g. "Catharina Ekdahl och Charlott Galant (PRV)"
  created_at: Generated<Date>;
}

export type DocumentRow = Selectable<DocumentsTable>;
export type NewDocument = Insertable<DocumentsTable>;
export type DocumentUpdateRow = Selectable<DocumentUpdatesTable>;
export type WorkshopRow = Selectable<WorkshopsTable>;
export type NewWorkshop = Insertable<WorkshopsTable>;
