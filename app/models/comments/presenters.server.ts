import type { CommentView, ThreadView } from "#app/comments/types";
import type { CommentRecord } from "#db/repositories/comments";
import type { CommentPosition } from "#db/schema";
import { can, canResolveThread } from "#app/models/authorization.server";
import type { CurrentSession } from "#app/models/sessions.server";
import { isRemovedThread, type LocatedThread, type StoredThreads } from "./threads.server";

/* What readers see of threads and comments: views made for one viewer, with only what their state allows. */

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
    viewerCanResolve: viewer !== null && canResolveThread(viewer, record),
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
