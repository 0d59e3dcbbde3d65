import type { Kysely } from "kysely";
import type * as Y from "yjs";
import { checkContent } from "#app/editor/content";
import { countChangedBlocks, type VersionBlock } from "#app/versions/diff";
import { restoreVersion, type RestoreCounts } from "#app/versions/restore";
import { isDocumentArchived } from "#db/repositories/documents";
import { findCurrentVersion, findVersion, findVersionBlocks } from "#db/repositories/versions";
import type { Database } from "#db/schema";
import { recordAudit } from "./audit.server";
import { can } from "./authorization.server";
import type { CurrentSession } from "./sessions.server";
import { loadVersionContent, versionBlocks } from "./versions.server";

/** What restoring needs from the server; tests pass their own. */
export interface RestoreDeps {
  db: Kysely<Database>;
  readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T>;
  /** Changes the live draft as one transaction (services.changeDocument), which every open editor receives. */
  changeDocument<T>(documentId: string, origin: object, change: (doc: Y.Doc) => T): Promise<T>;
}

export type RestoreError = "not-allowed" | "archived" | "version-not-found" | "version-unreadable";

export type RestoreResult =
  | ({ ok: true; number: number; unchanged: false; layoutOnly: boolean } & RestoreCounts)
  /** The draft read as the version already: nothing was written, nor logged. */
  | { ok: true; number: number; unchanged: true }
  | { ok: false; error: RestoreError };

/**
 * Restores version `number` into the live draft of a document for an editor: one Yjs transaction on the live
 * document, which merges with what others are typing as an accepted suggestion does (decision 0034), then an audit
 * entry. Nothing is frozen first: restoring the version that holds the text of before undoes it.
 */
export async function restoreVersionIntoDraft(
  deps: RestoreDeps,
  actor: CurrentSession,
  documentId: string,
  number: number,
  { ip = null }: { ip?: string | null } = {},
): Promise<RestoreResult> {
  if (!can(actor.role, "edit-draft")) return { ok: false, error: "not-allowed" };
  // An archived draft is read-only for everyone (decision 0033).
  if (await isDocumentArchived(deps.db, documentId)) return { ok: false, error: "archived" };
  const loaded = await loadVersionContent(deps.db, documentId, number);
  if (!loaded) return { ok: false, error: "version-not-found" };
  try {
    checkContent(loaded.content);
  } catch {
    // Only content stored before the schema changed, or nested past the limit, could fail here.
    return { ok: false, error: "version-unreadable" };
  }
  // Every client sees the change as the restore of this version by this editor.
  const origin = { restoredVersion: number, restoredBy: actor.user.id };
  const outcome = await deps.changeDocument(documentId, origin, (doc) => restoreVersion(doc, loaded.content));
  if (!outcome.touched) return { ok: true, number, unchanged: true };
  const { changed, added, removed } = outcome;
  await recordAudit(deps.db, {
    actorUserId: actor.user.id,
    action: "version.restored",
    subject: documentId,
    details: { documentId, version: number, changed, added, removed },
    ip,
  });
  return { ok: true, number, unchanged: false, layoutOnly: changed + added + removed === 0, changed, added, removed };
}

/** What an editor is told before confirming: how far the draft is from the version, and whether it holds text no version keeps. */
export interface RestorePreview {
  /** Paragraphs, headings and code blocks that differ between the live draft and the version. */
  differingBlocks: number;
  /** The live draft differs from the latest version: restoring loses that text unless it is saved as a version first. */
  unsavedChanges: boolean;
}

export async function previewRestore(deps: Pick<RestoreDeps, "db" | "readDocument">, documentId: string, number: number): Promise<RestorePreview | null> {
  const [version, live, latest] = await Promise.all([
    findVersion(deps.db, documentId, number),
    deps.readDocument(documentId, versionBlocks),
    findCurrentVersion(deps.db, documentId),
  ]);
  if (!version) return null;
  const latestBlocks = latest?.number === number ? version.blocks : latest ? await findVersionBlocks(deps.db, latest.id) : [];
  return {
    differingBlocks: countChangedBlocks(version.blocks as VersionBlock[], live),
    unsavedChanges: countChangedBlocks((latestBlocks ?? []) as VersionBlock[], live) > 0,
  };
}
