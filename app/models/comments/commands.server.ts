import type { Kysely, Transaction } from "kysely";
import type * as Y from "yjs";
import { z } from "zod";
import { anchorPassageNear, createAnchor, DocumentIndex, type StoredAnchor } from "#app/comments/anchoring";
import { applySuggestion, suggestionOriginal } from "#app/comments/suggestions";
import { commentWindowState } from "#app/versions/comment-window";
import { commentFormKey, COMMENT_MAX_LENGTH, OUTCOMES, type CommentCommandResult, type CommentError, type CommentIntent } from "#app/comments/types";
import {
  countUndeletedComments,
  findComment,
  findThread,
  insertComment,
  insertFlag,
  insertThread,
  markCommentDeleted,
  setAgreement,
  setThreadOutcome,
  setThreadStatus,
  updateCommentBody,
} from "#db/repositories/comments";
import { isDocumentArchived } from "#db/repositories/documents";
import { acceptContributionLicence } from "#db/repositories/users";
import { findCurrentVersion } from "#db/repositories/versions";
import type { Database } from "#db/schema";
import type { CommentCache } from "#app/models/comment-cache.server";
import { can, canResolveThread } from "#app/models/authorization.server";
import { changeThreads, type ThreadChangeLog, type ThreadChangeServices } from "./changes.server";
import type { CurrentSession } from "#app/models/sessions.server";
import {
  bodySchema,
  checkboxSchema,
  idSchema,
  offsetSchema,
  positionSchema,
  reasonSchema,
  responseSchema,
  suggestionSchema,
} from "./fields.server";

/** What the comment rules need from the server; tests pass their own. */
export interface CommentDeps extends ThreadChangeServices {
  readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T>;
  /** Changes the live draft as one transaction (services.changeDocument): accepting a suggestion. */
  changeDocument<T>(documentId: string, origin: object, change: (doc: Y.Doc) => T): Promise<T>;
  commentCache: CommentCache;
}

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
  // An archived draft takes nothing more; a report of an abusive comment still reaches the moderators (decision 0033).
  if (command.intent !== "flag" && (await isDocumentArchived(deps.db, documentId))) {
    return fail("archived", command.intent === "create-thread" || command.intent === "reply" ? "body" : null);
  }

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
          anchor,
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
      if (!canResolveThread(actor, thread)) return fail("not-allowed");
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
      const anchor = thread.anchor;
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
