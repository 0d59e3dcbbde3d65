import type { Kysely } from "kysely";
import * as Y from "yjs";
import { z } from "zod";
import { DocumentIndex } from "#app/comments/anchoring";
import { isCalendarDate, stockholmTimeToUtc } from "#app/i18n/stockholm-time";
import { carryThreadsForward } from "#app/versions/carry-forward";
import { licenceOf, type Licence } from "#app/comments/licences";
import type { VersionBlock } from "#app/versions/diff";
import { CHANGE_NOTE_MAX_LENGTH, VERSION_NAME_MAX_LENGTH, type FreezeError, type FreezeField } from "#app/versions/types";
import { yDocToContent, type ContentNode } from "#app/editor/content";
import { parseVersionNumber } from "#app/input/numbers";
import { findVersion, insertThreadReviews, insertVersion, listVersions, versionNameTaken, type VersionRecord } from "#db/repositories/versions";
import { markIncorporated } from "#db/repositories/comments";
import { isDocumentArchived } from "#db/repositories/documents";
import { findWorkshopById } from "#db/repositories/workshops";
import type { Database, DocumentRow } from "#db/schema";
import { can } from "./authorization.server";
import type { CommentCache } from "./comment-cache.server";
import { isRemovedThread } from "./comments/threads.server";
import { changeThreads, type ThreadChangeServices } from "./comments/changes.server";
import type { CurrentSession } from "./sessions.server";

export interface VersionDeps extends ThreadChangeServices {
  readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T>;
  /** Freezing carries the open threads forward and changes how every thread is shown: pages must reload them. */
  commentCache: CommentCache;
}

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => value || null);

const freezeSchema = z.object({
  name: z.string().trim().min(1, "required").max(VERSION_NAME_MAX_LENGTH, "too-long"),
  changeNote: z.string().trim().max(CHANGE_NOTE_MAX_LENGTH, "too-long").default(""),
  workshopId: optionalText,
  // The comment window, in Swedish time; a day without a time opens at its start and closes at its end.
  commentsOpenDate: optionalText,
  commentsOpenTime: optionalText,
  commentsCloseDate: optionalText,
  commentsCloseTime: optionalText,
});

/** The instant a date and optional time of the freeze form name; undefined when there is no date, null when it is not a time. */
function windowInstant(date: string | null, time: string | null, wholeDayTime: string): Date | null | undefined {
  if (!date) return undefined;
  if (!isCalendarDate(date) || (time !== null && !/^\d{2}:\d{2}$/.test(time))) return null;
  return stockholmTimeToUtc(date, time ?? wholeDayTime);
}

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
  // An archived draft's history is complete: no version is added to it (decision 0033).
  if (await isDocumentArchived(deps.db, documentId)) return { ok: false, error: "invalid-input", field: "name", code: "archived" };
  const parsed = freezeSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = (issue?.path[0] as FreezeField | undefined) ?? "name";
    const code = issue?.message === "required" || issue?.message === "too-long" ? issue.message : "invalid";
    return { ok: false, error: "invalid-input", field, code };
  }
  const { name, changeNote, workshopId } = parsed.data;
  const commentsOpenAt = windowInstant(parsed.data.commentsOpenDate, parsed.data.commentsOpenTime, "00:00");
  const commentsCloseAt = windowInstant(parsed.data.commentsCloseDate, parsed.data.commentsCloseTime, "23:59");
  if (commentsOpenAt === null) return { ok: false, error: "invalid-input", field: "commentsOpen", code: "invalid-time" };
  if (commentsCloseAt === null) return { ok: false, error: "invalid-input", field: "commentsClose", code: "invalid-time" };
  if (commentsOpenAt && commentsCloseAt && commentsCloseAt <= commentsOpenAt) {
    return { ok: false, error: "invalid-input", field: "commentsClose", code: "close-before-open" };
  }
  if (workshopId && !(await findWorkshopById(deps.db, workshopId))) {
    return { ok: false, error: "invalid-input", field: "workshopId", code: "unknown-workshop" };
  }
  const nameTaken = () => versionNameTaken(deps.db, documentId, name);
  if (await nameTaken()) return { ok: false, error: "invalid-input", field: "name", code: "name-taken" };

  const stored = await deps.commentCache.read(documentId);
  const openThreads = stored.threads
    .filter((thread) => thread.status === "open" && !isRemovedThread(stored, thread.id))
    .map((thread) => ({ id: thread.id, anchor: thread.anchor, createdAt: thread.created_at }));
  // One synchronous read: the state, the blocks and how each thread fares all describe the same moment.
  const { reviews, ...moment } = await deps.readDocument(documentId, (doc) => {
    const blocks = versionBlocks(doc);
    const previous = stored.currentVersion && { createdAt: stored.currentVersion.created_at, blocks: stored.currentVersion.blocks };
    return { state: Y.encodeStateAsUpdateV2(doc), blocks, reviews: carryThreadsForward(openThreads, DocumentIndex.of(doc), blocks, previous) };
  });
  const insert = () =>
    changeThreads(deps, { documentId, actorId: actor.user.id }, async (trx, changes) => {
      const inserted = await insertVersion(trx, {
        documentId,
        name,
        changeNote,
        workshopId,
        commentsOpenAt: commentsOpenAt ?? null,
        commentsCloseAt: commentsCloseAt ?? null,
        ...moment,
        createdBy: actor.user.id,
      });
      await insertThreadReviews(trx, inserted.id, reviews);
      // Accepted since the previous version: this version is the first to contain their change.
      await markIncorporated(trx, documentId, inserted.number);
      changes.versionFrozen(inserted);
      return inserted;
    });
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
  workshop: { slug: string; title: string; startsAt: string } | null;
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
      workshop: workshop ? { slug: workshop.slug, title: workshop.title, startsAt: workshop.starts_at.toISOString() } : null,
      licence: licenceOf(document.contribution_licence),
    },
    content,
  };
}

/** "live" or a version number, as the compare page's address names them. */
export type VersionRef = number | "live";

export function parseVersionRef(value: string | null): VersionRef | null {
  if (value === "live") return "live";
  return parseVersionNumber(value);
}

/** The blocks of a version, or of the live draft; null for an unknown version. */
export async function blocksOf(deps: Pick<VersionDeps, "db" | "readDocument">, documentId: string, ref: VersionRef): Promise<VersionBlock[] | null> {
  if (ref === "live") return deps.readDocument(documentId, versionBlocks);
  const version = await findVersion(deps.db, documentId, ref);
  return version ? (version.blocks as VersionBlock[]) : null;
}
