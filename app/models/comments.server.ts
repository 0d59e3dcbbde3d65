import type { Kysely, Transaction } from "kysely";
import type * as Y from "yjs";
import { z } from "zod";
import { anchorPassageNear, createAnchor, DocumentIndex, resolveAnchor, type ResolvedAnchor, type StoredAnchor } from "~/comments/anchoring";
import { applySuggestion, locateSuggestion, suggestionOriginal } from "~/comments/suggestions";
import { commentWindowState } from "~/versions/comment-window";
import type { VersionBlock } from "~/versions/diff";
import {
  commentFormKey,
  COMMENT_MAX_LENGTH,
  OUTCOMES,
  POSITIONS,
  REASON_MAX_LENGTH,
  type CommentCommandResult,
  type CommentError,
  type CommentIntent,
  type CommentView,
  type ThreadView,
} from "~/comments/types";
import {
  countUndeletedComments,
  decideFlag,
  findComment,
  findOpenFlag,
  findThread,
  insertComment,
  insertFlag,
  insertThread,
  listAgreements,
  listComments,
  listOpenFlags,
  listThreads,
  markCommentDeleted,
  setAgreement,
  setThreadOutcome,
  setThreadStatus,
  updateCommentBody,
  type CommentRecord,
  type ThreadRecord,
} from "#db/repositories/comments";
import { acceptContributionLicence } from "#db/repositories/users";
import { findCurrentVersion, findVersionBlocks, type CurrentVersionRecord } from "#db/repositories/versions";
import type { CommentPosition, Database, JsonObject } from "#db/schema";
import type { CommentCache } from "./comment-cache.server";
import { can } from "./authorization.server";
import { changeThreads, type ThreadChangeLog, type ThreadChangeServices } from "./comments/changes.server";
import type { CurrentSession } from "./sessions.server";

/** What the comment rules need from the server; tests pass their own. */
export interface CommentDeps extends ThreadChangeServices {
  readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T>;
  /** Changes the live draft as one transaction (services.changeDocument): accepting a suggestion. */
  changeDocument<T>(documentId: string, origin: object, change: (doc: Y.Doc) => T): Promise<T>;
  commentCache: CommentCache;
}

// ---- Commands: what the forms on the document page ask for ----

// Browsers send line breaks in text areas as CRLF; counted as one character, as the counter shows them.
const bodySchema = z
  .string()
  .transform((body) => body.replace(/\r\n?/g, "\n").trim())
  .pipe(z.string().min(1, "required").max(COMMENT_MAX_LENGTH, "too-long"));
const reasonSchema = z.string().trim().min(1, "required").max(REASON_MAX_LENGTH, "too-long");
// Closing a thread always says publicly how it was handled: a rejection without a reason is refused.
export const responseSchema = z
  .string()
  .transform((text) => text.replace(/\r\n?/g, "\n").trim())
  .pipe(z.string().min(1, "required").max(COMMENT_MAX_LENGTH, "too-long"));
const suggestionSchema = z
  .string()
  .transform((text) => text.replace(/\r\n?/g, "\n"))
  .pipe(z.string().max(COMMENT_MAX_LENGTH, "too-long"))
  .optional();
const positionSchema = z
  .union([z.enum(POSITIONS), z.literal("")])
  .optional()
  .transform((position) => position || null);
const checkboxSchema = z
  .literal("on")
  .optional()
  .transform((value) => value === "on");
const offsetSchema = z.coerce.number().int().min(0).max(10_000_000);
const idSchema = z.string().min(1).max(64);

const commandSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create-thread"),
    blockId: idSchema,
    // A passage: offsets in the block's text as the browser saw it, and the text, to find it again if it moved.
    from: offsetSchema.optional(),
    to: offsetSchema.optional(),
    exact: z.string().max(COMMENT_MAX_LENGTH).optional(),
    // A suggestion: the text to put in place of the passage (or block); may be empty, to propose deleting it.
    kind: z.enum(["comment", "suggestion"]).optional(),
    suggestion: suggestionSchema,
    body: bodySchema,
    position: positionSchema,
    acceptLicence: checkboxSchema,
  }),
  z.object({ intent: z.literal("reply"), threadId: idSchema, body: bodySchema, position: positionSchema, acceptLicence: checkboxSchema }),
  z.object({ intent: z.literal("edit-comment"), commentId: idSchema, body: bodySchema }),
  z.object({ intent: z.literal("delete-comment"), commentId: idSchema }),
  z.object({ intent: z.literal("resolve"), threadId: idSchema }),
  z.object({ intent: z.literal("reopen"), threadId: idSchema }),
  z.object({ intent: z.literal("agree"), threadId: idSchema }),
  z.object({ intent: z.literal("unagree"), threadId: idSchema }),
  z.object({ intent: z.literal("flag"), commentId: idSchema, reason: reasonSchema }),
  z.object({ intent: z.literal("close"), threadId: idSchema, outcome: z.enum(OUTCOMES), response: responseSchema }),
  z.object({
    intent: z.literal("accept-suggestion"),
    threadId: idSchema,
    response: responseSchema,
    // The proposal as the editor may have edited it; the stored one when absent.
    suggestion: suggestionSchema,
    // After a conflict: the editor confirms applying over the text the passage read when they were shown it.
    confirmConflict: checkboxSchema,
    conflictWith: z
      .string()
      // A whole block's text, which may be far longer than a comment.
      .max(200_000)
      .transform((text) => text.replace(/\r\n?/g, "\n"))
      .optional(),
  }),
]);

export type CommentCommand = z.infer<typeof commandSchema>;

/** Parses and carries out one comment command for the signed-in `actor` on a document. */
export async function runCommentCommand(
  deps: CommentDeps,
  actor: CurrentSession,
  documentId: string,
  fields: Record<string, unknown>,
  at: Date = new Date(),
): Promise<CommentCommandResult> {
  const formKey = commentFormKey(fields);
  type FailedField = Extract<CommentCommandResult, { ok: false }>["field"];
  const fail = (error: CommentError, field: FailedField = null): CommentCommandResult => ({
    ok: false,
    formKey,
    error,
    field,
  });
  const parsed = commandSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0];
    const code = issue?.message === "required" || issue?.message === "too-long" ? issue.message : "invalid";
    return fail(code, field === "body" || field === "reason" || field === "response" || field === "suggestion" ? field : null);
  }
  const command = parsed.data;
  if (!can(actor.role, "comment")) return fail("not-allowed");
  const userId = actor.user.id;

  /** Stores what `write` changes, with the effects of the intent (see changeThreads), and answers with what it wrote. */
  const commit = async (
    write: (trx: Transaction<Database>, changes: ThreadChangeLog) => Promise<{ threadId: string; commentId: string | null }>,
  ): Promise<CommentCommandResult> => {
    const { threadId, commentId } = await changeThreads(deps, { documentId, actorId: userId, at }, async (trx, changes) => {
      const written = await write(trx, changes);
      const told = TOLD[command.intent];
      if (told !== "nobody") changes.thread(written.threadId, told);
      return written;
    });
    return { ok: true, intent: command.intent, threadId, commentId };
  };

  // New comments go to the draft based on the latest version, while that version's comment window is open.
  const writesComment = command.intent === "create-thread" || command.intent === "reply";
  const version = writesComment ? ((await findCurrentVersion(deps.db, documentId)) ?? null) : null;
  const versionNumber = version?.number ?? null;
  if (writesComment) {
    const window = commentWindowState(version && { opensAt: version.comments_open_at, closesAt: version.comments_close_at }, at);
    if (window !== "open") return fail(window === "not-yet-open" ? "comments-not-open" : "comments-closed", "body");
  }

  switch (command.intent) {
    case "create-thread": {
      if (!actor.user.contributionLicenceAcceptedAt && !command.acceptLicence) return fail("must-accept", "acceptLicence");
      const range = command.from !== undefined && command.to !== undefined ? { from: command.from, to: command.to, exact: command.exact ?? "" } : null;
      const anchor = await deps.readDocument(documentId, (doc) =>
        anchorFor(DocumentIndex.of(doc), command.blockId, range, { wholeBlockAsPassage: command.kind === "suggestion" }),
      );
      if (typeof anchor === "string") return fail(anchor);
      return commit(async (trx) => {
        await acceptLicenceIfAsked(trx, actor, command.acceptLicence, at);
        return insertThread(trx, {
          documentId,
          blockId: anchor.blockId,
          anchor: anchor as unknown as JsonObject,
          authorId: userId,
          body: command.body,
          position: command.position,
          versionNumber,
          suggestedText: command.kind === "suggestion" ? (command.suggestion ?? "") : null,
        });
      });
    }
    case "reply": {
      const thread = await findThread(deps.db, command.threadId);
      if (!thread || thread.document_id !== documentId) return fail("thread-not-found");
      if (await isThreadRemoved(deps.db, thread.id)) return fail("thread-removed");
      if (!actor.user.contributionLicenceAcceptedAt && !command.acceptLicence) return fail("must-accept", "acceptLicence");
      return commit(async (trx) => {
        await acceptLicenceIfAsked(trx, actor, command.acceptLicence, at);
        const commentId = await insertComment(trx, {
          threadId: thread.id,
          authorId: userId,
          body: command.body,
          position: command.position,
          versionNumber,
        });
        return { threadId: thread.id, commentId };
      });
    }
    case "edit-comment":
    case "delete-comment": {
      const comment = await findComment(deps.db, command.commentId);
      if (!comment || comment.document_id !== documentId) return fail("comment-not-found");
      if (comment.author_id !== userId) return fail("not-allowed");
      if (comment.deleted_at || comment.hidden_at) return fail("comment-removed");
      return commit(async (trx) => {
        if (command.intent === "edit-comment") await updateCommentBody(trx, comment.id, command.body, at);
        else await markCommentDeleted(trx, comment.id, at);
        return { threadId: comment.thread_id, commentId: comment.id };
      });
    }
    case "resolve":
    case "reopen": {
      const thread = await findThread(deps.db, command.threadId);
      if (!thread || thread.document_id !== documentId) return fail("thread-not-found");
      if (!canResolve(actor, thread)) return fail("not-allowed");
      const clearsOutcome = command.intent === "reopen" && thread.outcome !== null;
      // Editors answered it publicly: only they may take that back.
      if (clearsOutcome && !can(actor.role, "resolve-threads")) return fail("not-allowed");
      return commit(async (trx) => {
        if (clearsOutcome) await setThreadOutcome(trx, thread.id, null, userId, at);
        else await setThreadStatus(trx, thread.id, command.intent === "resolve" ? "resolved" : "open", userId, at);
        return { threadId: thread.id, commentId: null };
      });
    }
    case "close": {
      const thread = await findThread(deps.db, command.threadId);
      if (!thread || thread.document_id !== documentId) return fail("thread-not-found");
      if (!can(actor.role, "resolve-threads")) return fail("not-allowed");
      return commit(async (trx) => {
        await setThreadOutcome(trx, thread.id, { outcome: command.outcome, response: command.response }, userId, at);
        return { threadId: thread.id, commentId: null };
      });
    }
    case "accept-suggestion": {
      const thread = await findThread(deps.db, command.threadId);
      if (!thread || thread.document_id !== documentId) return fail("thread-not-found");
      if (!can(actor.role, "resolve-threads")) return fail("not-allowed");
      if (thread.kind !== "suggestion" || thread.suggested_text === null) return fail("not-a-suggestion");
      // Accepted (or otherwise answered) already: applying it again would change text nobody proposed changing.
      if (thread.status !== "open") return fail("not-open");
      const anchor = thread.anchor as unknown as StoredAnchor;
      const proposal = command.suggestion ?? thread.suggested_text;
      const original = suggestionOriginal(anchor);
      if (command.confirmConflict && command.conflictWith === undefined) return fail("invalid");
      const expected = command.confirmConflict ? (command.conflictWith ?? original) : original;
      // Every client sees this change as coming from the editor who accepted and the member who proposed it.
      const origin = { suggestion: thread.id, acceptedBy: userId, proposedBy: thread.author_id };
      const applied = await deps.changeDocument(documentId, origin, (doc) => applySuggestion(doc, anchor, proposal, expected));
      if (!applied.ok) {
        if (applied.reason !== "conflict") return fail(applied.reason);
        return { ok: false, formKey, error: "conflict", field: "suggestion", conflict: { original, current: applied.current, proposal } };
      }
      return commit(async (trx, changes) => {
        await setThreadOutcome(trx, thread.id, { outcome: "accepted", response: command.response }, userId, at);
        changes.audit({
          action: "suggestion.accepted",
          subject: thread.id,
          details: { documentId, proposedBy: thread.author_id, replaced: applied.replaced, applied: proposal, edited: proposal !== thread.suggested_text },
        });
        return { threadId: thread.id, commentId: null };
      });
    }
    case "agree":
    case "unagree": {
      const thread = await findThread(deps.db, command.threadId);
      if (!thread || thread.document_id !== documentId) return fail("thread-not-found");
      if (thread.author_id === userId) return fail("own-thread");
      if (command.intent === "agree" && (await isThreadRemoved(deps.db, thread.id))) return fail("thread-removed");
      return commit(async (trx) => {
        await setAgreement(trx, thread.id, userId, command.intent === "agree");
        return { threadId: thread.id, commentId: null };
      });
    }
    case "flag": {
      const comment = await findComment(deps.db, command.commentId);
      if (!comment || comment.document_id !== documentId) return fail("comment-not-found");
      if (comment.author_id === userId) return fail("own-comment");
      if (comment.deleted_at || comment.hidden_at) return fail("comment-removed");
      return commit(async (trx) => {
        await insertFlag(trx, { commentId: comment.id, flaggedBy: userId, reason: command.reason });
        return { threadId: comment.thread_id, commentId: comment.id };
      });
    }
  }
}

/**
 * Whom each intent tells besides the document's readers: every intent decides here, so a new one cannot forget to.
 * "nobody": not even the readers, as nothing they see changed (a flag is for moderators). An author resolving or
 * reopening their own thread tells no one: the author is a status change's only recipient, and the actor is never told.
 */
const TOLD: Record<CommentIntent, "reply" | "status" | null | "nobody"> = {
  reply: "reply",
  close: "status",
  "accept-suggestion": "status",
  resolve: "status",
  reopen: "status",
  "create-thread": null,
  "edit-comment": null,
  "delete-comment": null,
  agree: null,
  unagree: null,
  flag: "nobody",
};

/** Authors may resolve and reopen their own threads; editors and admins anyone's. */
function canResolve(actor: CurrentSession, thread: { author_id: string }): boolean {
  return thread.author_id === actor.user.id ? can(actor.role, "comment") : can(actor.role, "resolve-threads");
}

async function acceptLicenceIfAsked(db: Transaction<Database>, actor: CurrentSession, accepted: boolean, at: Date): Promise<void> {
  if (accepted && !actor.user.contributionLicenceAcceptedAt) await acceptContributionLicence(db, actor.user.id, at);
}

/** A thread whose every comment its authors deleted is gone: nothing is left to reply or agree to. */
async function isThreadRemoved(db: Kysely<Database>, threadId: string): Promise<boolean> {
  return (await countUndeletedComments(db, threadId)) === 0;
}

/**
 * The anchor for a new thread, from the document as it is now. The browser's offsets may be a moment old:
 * the passage is looked up by its text near them, and refused if it is no longer in the block.
 */
function anchorFor(
  index: DocumentIndex,
  blockId: string,
  range: { from: number; to: number; exact: string } | null,
  { wholeBlockAsPassage }: { wholeBlockAsPassage: boolean },
): StoredAnchor | "unknown-block" | "passage-changed" {
  const block = index.block(blockId);
  if (!block) return "unknown-block";
  // A suggestion for a whole block is held by its text's first and last characters: accepting it then replaces just
  // that text, however long, and what is typed before or after it meanwhile stays.
  if (range === null && wholeBlockAsPassage && block.text !== "") return createAnchor(index, blockId, { from: 0, to: block.text.length }) ?? "unknown-block";
  if (range === null) return createAnchor(index, blockId) ?? "unknown-block";
  if (range.exact.length === 0 || range.to - range.from !== range.exact.length) return "passage-changed";
  return anchorPassageNear(index, blockId, range.exact, range.from) ?? "passage-changed";
}

// ---- Reading: threads as the document page shows them ----

/** Everything stored about a document's threads, the same for every reader; see CommentCache. */
export interface StoredThreads {
  /**
   * The latest version, which the live draft is based on, with its blocks (to count what changed since). Kept with
   * the threads because freezing a version changes how they are shown, and invalidates this cache like a comment does.
   */
  currentVersion: (CurrentVersionRecord & { blocks: VersionBlock[] }) | null;
  threads: ThreadRecord[];
  commentsByThread: Map<string, CommentRecord[]>;
  /** User ids agreeing with each thread. */
  agreements: Map<string, Set<string>>;
}

export async function loadStoredThreads(db: Kysely<Database>, documentId: string): Promise<StoredThreads> {
  const [threads, comments, agreements, version] = await Promise.all([
    listThreads(db, documentId),
    listComments(db, documentId),
    listAgreements(db, documentId),
    findCurrentVersion(db, documentId),
  ]);
  const currentVersion = version ? { ...version, blocks: ((await findVersionBlocks(db, version.id)) ?? []) as VersionBlock[] } : null;
  const commentsByThread = new Map<string, CommentRecord[]>();
  for (const comment of comments) {
    const list = commentsByThread.get(comment.thread_id);
    if (list) list.push(comment);
    else commentsByThread.set(comment.thread_id, [comment]);
  }
  return { currentVersion, threads, commentsByThread, agreements };
}

/** A thread and where its anchor is in the document being shown. */
export interface LocatedThread {
  record: ThreadRecord;
  anchor: StoredAnchor;
  resolution: ResolvedAnchor;
  /** What a suggestion's passage reads now (see locateSuggestion); null for a comment, or when it is gone. */
  currentText: string | null;
}

/**
 * Every thread resolved against `index` (the state the page renders), in document order: by block, then by
 * place in the block; threads on removed text last.
 */
export function locateThreads(stored: StoredThreads, index: DocumentIndex): LocatedThread[] {
  const blockOrder = new Map(index.blocks.map((block, position) => [block.id, position]));
  const located = stored.threads.map((record) => {
    const anchor = record.anchor as unknown as StoredAnchor;
    const resolution = resolveAnchor(index, anchor);
    const place = record.kind === "suggestion" ? locateSuggestion(index, anchor) : null;
    const currentText = place?.state === "found" ? place.current : null;
    const key: [number, number] =
      resolution.state === "removed"
        ? [Number.MAX_SAFE_INTEGER, 0]
        : [blockOrder.get(resolution.blockId) ?? Number.MAX_SAFE_INTEGER, resolution.state === "passage" ? resolution.from : -1];
    return { located: { record, anchor, resolution, currentText }, key };
  });
  return located.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1]).map(({ located: thread }) => thread);
}

/** How many open threads each block has: the count beside it on the page (threads on removed text count nowhere). */
export function openThreadCounts(stored: StoredThreads, located: readonly LocatedThread[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { record, resolution } of located) {
    if (record.status === "open" && resolution.state !== "removed" && !isRemovedThread(stored, record.id)) {
      counts[resolution.blockId] = (counts[resolution.blockId] ?? 0) + 1;
    }
  }
  return counts;
}

/** Every comment of the thread deleted by its author: nothing is left to show or answer. */
export function isRemovedThread(stored: StoredThreads, threadId: string): boolean {
  const comments = stored.commentsByThread.get(threadId) ?? [];
  return comments.length > 0 && comments.every((comment) => comment.deleted_at !== null);
}

/** Whether the viewer started or wrote in the thread (the "mine" filter). */
export function isViewersThread(stored: StoredThreads, thread: ThreadRecord, viewerId: string): boolean {
  return thread.author_id === viewerId || (stored.commentsByThread.get(thread.id) ?? []).some((comment) => comment.author_id === viewerId);
}

/** The full view of one thread, with its comments, for `viewer`. */
export function toThreadView(stored: StoredThreads, thread: LocatedThread, viewer: CurrentSession | null): ThreadView {
  const { record } = thread;
  const comments = (stored.commentsByThread.get(record.id) ?? []).map((comment) => toCommentView(comment, viewer));
  const positions: Record<CommentPosition, number> = { supports: 0, opposes: 0, neutral: 0 };
  for (const comment of comments) if (comment.position && comment.state === "visible") positions[comment.position] += 1;
  const agreements = stored.agreements.get(record.id);
  return {
    id: record.id,
    anchor: thread.anchor,
    resolution: thread.resolution,
    status: record.status,
    createdAt: record.created_at.toISOString(),
    versionNumber: record.version_number,
    kind: record.kind,
    suggestedText: record.suggested_text,
    currentText: thread.currentText,
    outcome: record.outcome,
    response:
      record.response !== null && record.responded_at
        ? { text: record.response, byName: record.responded_by_name ?? "", at: record.responded_at.toISOString() }
        : null,
    incorporatedIn: record.incorporated_in,
    mine: viewer?.user.id === record.author_id,
    removed: isRemovedThread(stored, record.id),
    comments,
    positions,
    agreements: agreements?.size ?? 0,
    agreedByViewer: viewer !== null && (agreements?.has(viewer.user.id) ?? false),
    viewerCanResolve: viewer !== null && canResolve(viewer, record),
    viewerCanAnswer: viewer !== null && can(viewer.role, "resolve-threads"),
  };
}

/** One comment as `viewer` may see it: the body, position and reason only as far as its state allows. */
export function toCommentView(comment: CommentRecord, viewer: CurrentSession | null): CommentView {
  const state = comment.deleted_at ? "deleted" : comment.hidden_at ? "hidden" : "visible";
  return {
    id: comment.id,
    authorName: comment.author_name,
    authorOrganisation: comment.author_organisation,
    body: state === "visible" ? comment.body : "",
    state,
    hiddenReason: state === "hidden" ? comment.hidden_reason : null,
    position: state === "visible" ? comment.position : null,
    createdAt: comment.created_at.toISOString(),
    editedAt: comment.edited_at?.toISOString() ?? null,
    mine: viewer?.user.id === comment.author_id,
    versionNumber: comment.version_number,
  };
}

// ---- Moderation ----

export interface FlagView {
  id: string;
  reason: string;
  createdAt: string;
  flaggedByName: string;
  commentId: string;
  commentBody: string;
  commentAuthorName: string;
  threadId: string;
}

export async function loadModerationQueue(db: Kysely<Database>, documentId: string): Promise<FlagView[]> {
  const flags = await listOpenFlags(db, documentId);
  return flags.map((flag) => ({
    id: flag.id,
    reason: flag.reason,
    createdAt: flag.created_at.toISOString(),
    flaggedByName: flag.flagged_by_name,
    commentId: flag.comment_id,
    commentBody: flag.comment_body,
    commentAuthorName: flag.comment_author_name,
    threadId: flag.thread_id,
  }));
}

const moderationSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("hide"), flagId: idSchema, reason: reasonSchema }),
  z.object({ intent: z.literal("dismiss"), flagId: idSchema }),
]);

export type ModerationResult = { ok: true } | { ok: false; flagId: string; error: "required" | "too-long" | "invalid" | "flag-not-found" | "not-allowed" };

/** Hides a flagged comment with a reason that stays in its thread, or dismisses the flag. Editors and admins only. */
export async function moderate(
  deps: CommentDeps,
  actor: CurrentSession,
  documentId: string,
  fields: Record<string, unknown>,
  context: { ip?: string | null; at?: Date } = {},
): Promise<ModerationResult> {
  const flagId = typeof fields.flagId === "string" ? fields.flagId : "";
  if (!can(actor.role, "moderate-comments")) return { ok: false, flagId, error: "not-allowed" };
  const parsed = moderationSchema.safeParse(fields);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message;
    return { ok: false, flagId, error: message === "required" || message === "too-long" ? message : "invalid" };
  }
  const command = parsed.data;
  const flag = await findOpenFlag(deps.db, command.flagId);
  if (!flag || flag.document_id !== documentId) return { ok: false, flagId, error: "flag-not-found" };
  const at = context.at ?? new Date();
  await changeThreads(deps, { documentId, actorId: actor.user.id, ip: context.ip, at }, async (trx, changes) => {
    await decideFlag(trx, {
      flagId: flag.id,
      commentId: flag.comment_id,
      outcome: command.intent === "hide" ? "hidden" : "dismissed",
      by: actor.user.id,
      at,
      hiddenReason: command.intent === "hide" ? command.reason : undefined,
    });
    changes.audit({
      action: command.intent === "hide" ? "comment.hidden" : "flag.dismissed",
      subject: flag.comment_id,
      details: command.intent === "hide" ? { reason: command.reason, flag: flag.id } : { flag: flag.id },
    });
    // A dismissed flag changes nothing readers see.
    if (command.intent === "hide") changes.thread(flag.thread_id);
  });
  return { ok: true };
}
