import type { ResolvedAnchor, StoredAnchor } from "./anchoring";

/** Shared by the server's comment rules and the page's components (which may not import *.server modules). */

export const COMMENT_MAX_LENGTH = 5000;
export const REASON_MAX_LENGTH = 500;
export const POSITIONS = ["supports", "opposes", "neutral"] as const;
/** How editors close a thread (issue 7), each with a public response. */
export const OUTCOMES = ["accepted", "partly-accepted", "rejected", "answered"] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type Position = (typeof POSITIONS)[number];

/**
 * A passage the reader selected in one block, to comment on: offsets in the block's text, a hard break counting as
 * one character (ProseMirror's offsets in a textblock, as in StaticDocument's Highlight), and the text it reads.
 */
export interface SelectedPassage {
  blockId: string;
  from: number;
  to: number;
  exact: string;
}

/** The rules' refusals, and "network" when the browser could not reach the server at all. */
export type CommentError =
  | "required"
  | "too-long"
  | "invalid"
  | "must-accept"
  | "unknown-block"
  | "passage-changed"
  | "thread-not-found"
  | "thread-removed"
  | "comment-not-found"
  | "comment-removed"
  | "not-allowed"
  | "own-thread"
  | "own-comment"
  | "comments-not-open"
  | "comments-closed"
  // The draft is archived: read-only for everyone.
  | "archived"
  | "network"
  | "control-characters"
  // Accepting a suggestion (messages under suggestions.errors):
  | "conflict"
  | "block-removed"
  | "passage-removed"
  | "mixed-formatting"
  | "not-a-suggestion"
  | "not-open";

/** The refusals of accepting a suggestion, whose messages are in the suggestions section of the catalogues. */
export const SUGGESTION_ERRORS: ReadonlySet<CommentError> = new Set(["conflict", "block-removed", "passage-removed", "mixed-formatting", "not-a-suggestion", "not-open"]);

export type CommentIntent =
  | "create-thread"
  | "reply"
  | "edit-comment"
  | "delete-comment"
  | "resolve"
  | "reopen"
  | "agree"
  | "unagree"
  | "flag"
  | "close"
  | "accept-suggestion";

export type CommentCommandResult =
  | { ok: true; intent: CommentIntent; threadId: string; commentId: string | null }
  | {
      ok: false;
      /** Which form the message belongs to: the UI shows it there and keeps the text typed into it. */
      formKey: string;
      error: CommentError;
      /** The field to show it at; null for a message about the whole form. */
      field: "body" | "reason" | "acceptLicence" | "response" | "suggestion" | null;
      /** With "conflict": the suggestion's passage no longer reads what the proposal was made on. */
      conflict?: SuggestionConflict;
    };

/** What an editor compares before applying a suggestion anyway. */
export interface SuggestionConflict {
  /** The text the suggestion was made on. */
  original: string;
  /** What its passage reads now; confirming applies the proposal only while it still does. */
  current: string;
  /** The text to put there, as the editor last sent it. */
  proposal: string;
}

/** What the document page's action answers: on failure also the text that was sent, to put back in the box. */
export type CommentActionData = CommentCommandResult & {
  values?: { body?: string; reason?: string; blockId?: string; response?: string; suggestion?: string; kind?: string };
};

/**
 * The form a submission came from ("new-thread", "reply:<thread>", "edit-comment:<comment>", …), so an error is
 * shown at the right one even when the submission itself is invalid.
 */
export function commentFormKey(fields: Record<string, unknown>): string {
  const intent = typeof fields.intent === "string" ? fields.intent : "";
  const target = [fields.threadId, fields.commentId].find((value) => typeof value === "string") ?? "";
  return intent === "create-thread" ? "new-thread" : `${intent}:${String(target)}`;
}

export interface CommentView {
  id: string;
  authorName: string;
  authorOrganisation: string;
  /** "" unless visible. */
  body: string;
  state: "visible" | "deleted" | "hidden";
  hiddenReason: string | null;
  position: Position | null;
  createdAt: string;
  editedAt: string | null;
  mine: boolean;
  /** The version the draft was based on when it was written; null before the first version. */
  versionNumber: number | null;
}

export interface ThreadView {
  id: string;
  anchor: StoredAnchor;
  /** Where the anchor is in the document the page shows. */
  resolution: ResolvedAnchor;
  status: "open" | "resolved";
  createdAt: string;
  /** The version the draft was based on when the thread was started; null before the first version. */
  versionNumber: number | null;
  /** A suggestion carries replacement text for its passage, or its whole block. */
  kind: "comment" | "suggestion";
  suggestedText: string | null;
  /** What a suggestion's passage (or block) reads now, to show the proposal against; null for a comment or when it is gone. */
  currentText: string | null;
  /** How editors handled it, with their public response; null while open or when its author resolved it. */
  outcome: Outcome | null;
  response: { text: string; byName: string; at: string } | null;
  /** The first version containing the change it asked for, once accepted and frozen. */
  incorporatedIn: number | null;
  mine: boolean;
  /** Every comment deleted by its author: shown as removed, no replies. */
  removed: boolean;
  comments: CommentView[];
  positions: Record<Position, number>;
  agreements: number;
  agreedByViewer: boolean;
  viewerCanResolve: boolean;
  /** Whether the viewer answers threads for the editors: accepts or rejects suggestions. */
  viewerCanAnswer: boolean;
}

/** Where a thread is, for the live editor's highlights and the margin's badges: every thread the filter selects has one. */
export interface ThreadMarker {
  id: string;
  /** The block the thread shows on; null for a thread on removed text. */
  blockId: string | null;
  /**
   * The anchor of a thread on a passage (null on a whole block), as anchorForResolving trims it: the live editor
   * resolves it in its own copy of the draft by the rule the server uses, after every change.
   */
  anchor: StoredAnchor | null;
}
