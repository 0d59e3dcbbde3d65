import type { Kysely } from "kysely";
import * as Y from "yjs";
import { z } from "zod";
import { DocumentIndex } from "~/comments/anchoring";
import { licenceOf, type Licence } from "~/comments/licences";
import type { VersionBlock } from "~/versions/diff";
import { CHANGE_NOTE_MAX_LENGTH, VERSION_NAME_MAX_LENGTH, type FreezeError, type FreezeField } from "~/versions/types";
import { yDocToContent, type ContentNode } from "~/editor/content";
import { findVersion, insertVersion, listVersions, versionNameTaken, type VersionRecord } from "#db/repositories/versions";
import { findWorkshopById } from "#db/repositories/workshops";
import type { Database, DocumentRow } from "#db/schema";
import { can } from "./authorization.server";
import type { CurrentSession } from "./sessions.server";

export interface VersionDeps {
  db: Kysely<Database>;
  readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T>;
}

const freezeSchema = z.object({
  name: z.string().trim().min(1, "required").max(VERSION_NAME_MAX_LENGTH, "too-long"),
  changeNote: z.string().trim().max(CHANGE_NOTE_MAX_LENGTH, "too-long").default(""),
  workshopId: z
    .string()
    .optional()
    .transform((id) => id || null),
});

export type FreezeResult = { ok: true; version: VersionRecord } | FreezeError;

/** The draft's commentable blocks as a version keeps them: enough to render and diff it without Yjs. */
export function versionBlocks(doc: Y.Doc): VersionBlock[] {
  return DocumentIndex.of(doc).blocks.map((block) => ({
    id: block.id,
    type: block.type,
    text: block.text,
    level: block.type === "heading" ? Number(block.element.getAttribute("level")) || 1 : null,
  }));
}

/**
 * Freezes the live draft as the next version: its Yjs state and its blocks as they are at this moment, read in
 * one synchronous step. Editors, hosts and admins may; the name must be new for the document.
 */
export async function freezeVersion(
  deps: VersionDeps,
  actor: CurrentSession,
  documentId: string,
  fields: Record<string, unknown>,
): Promise<FreezeResult> {
  if (!can(actor.role, "freeze-version")) return { ok: false, error: "not-allowed" };
  const parsed = freezeSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = (issue?.path[0] as FreezeField | undefined) ?? "name";
    const code = issue?.message === "required" || issue?.message === "too-long" ? issue.message : "invalid";
    return { ok: false, error: "invalid-input", field, code };
  }
  const { name, changeNote, workshopId } = parsed.data;
  if (workshopId && !(await findWorkshopById(deps.db, workshopId))) {
    return { ok: false, error: "invalid-input", field: "workshopId", code: "unknown-workshop" };
  }
  const nameTaken = () => versionNameTaken(deps.db, documentId, name);
  if (await nameTaken()) return { ok: false, error: "invalid-input", field: "name", code: "name-taken" };

  const moment = await deps.readDocument(documentId, (doc) => ({ state: Y.encodeStateAsUpdateV2(doc), blocks: versionBlocks(doc) }));
  const insert = () =>
    insertVersion(deps.db, { documentId, name, changeNote, workshopId, commentsOpenAt: null, commentsCloseAt: null, ...moment, createdBy: actor.user.id });
  try {
    return { ok: true, version: await insert() };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Someone froze a version at the same moment: either with this name, or taking this number.
    if (await nameTaken()) return { ok: false, error: "invalid-input", field: "name", code: "name-taken" };
    return { ok: true, version: await insert() };
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

export interface VersionSummary {
  number: number;
  name: string;
  changeNote: string;
  createdAt: string;
  createdByName: string;
  workshop: { title: string; startsAt: string } | null;
}

export async function loadVersionTimeline(db: Kysely<Database>, documentId: string): Promise<VersionSummary[]> {
  const versions = await listVersions(db, documentId);
  return versions.map((version) => ({
    number: version.number,
    name: version.name,
    changeNote: version.change_note,
    createdAt: version.created_at.toISOString(),
    createdByName: version.created_by_name,
    workshop:
      version.workshop_title && version.workshop_starts_at
        ? { title: version.workshop_title, startsAt: version.workshop_starts_at.toISOString() }
        : null,
  }));
}

/** A frozen version's text, rebuilt from its stored state; null for a number the document does not have. */
export async function loadVersionContent(
  db: Kysely<Database>,
  documentId: string,
  number: number,
): Promise<{ version: VersionRecord; content: ContentNode } | null> {
  const version = Number.isSafeInteger(number) && number > 0 ? await findVersion(db, documentId, number) : undefined;
  if (!version) return null;
  return { version, content: readVersionState(version.state, yDocToContent) };
}

/** Calls `read` with a Y.Doc holding a version's stored state (a Yjs V2 update); the doc is gone afterwards. */
export function readVersionState<T>(state: Uint8Array, read: (doc: Y.Doc) => T): T {
  const doc = new Y.Doc();
  try {
    Y.applyUpdateV2(doc, state);
    return read(doc);
  } finally {
    doc.destroy();
  }
}

/** What a reader of a version, or of its export, is told about it before its text. */
export interface VersionFacts {
  number: number;
  name: string;
  changeNote: string;
  createdAt: string;
  workshop: { title: string; startsAt: string } | null;
  /** The licence the document's contributions are published under. */
  licence: Licence;
}

/** A frozen version with its facts, for its page and its exports; null for a number the document does not have. */
export async function loadVersionForReading(
  db: Kysely<Database>,
  document: Pick<DocumentRow, "id" | "contribution_licence">,
  number: number,
): Promise<{ facts: VersionFacts; content: ContentNode } | null> {
  const loaded = await loadVersionContent(db, document.id, number);
  if (!loaded) return null;
  const { version, content } = loaded;
  const workshop = version.workshop_id ? await findWorkshopById(db, version.workshop_id) : undefined;
  return {
    facts: {
      number: version.number,
      name: version.name,
      changeNote: version.change_note,
      createdAt: version.created_at.toISOString(),
      workshop: workshop ? { title: workshop.title, startsAt: workshop.starts_at.toISOString() } : null,
      licence: licenceOf(document.contribution_licence),
    },
    content,
  };
}

/** "live" or a version number, as the compare page's address names them. */
export type VersionRef = number | "live";

export function parseVersionRef(value: string | null): VersionRef | null {
  if (value === "live") return "live";
  const number = Number(value);
  return Number.isSafeInteger(number) && number > 0 ? number : null;
}

/** The blocks of a version, or of the live draft; null for an unknown version. */
export async function blocksOf(deps: VersionDeps, documentId: string, ref: VersionRef): Promise<VersionBlock[] | null> {
  if (ref === "live") return deps.readDocument(documentId, versionBlocks);
  const version = await findVersion(deps.db, documentId, ref);
  return version ? (version.blocks as VersionBlock[]) : null;
}
