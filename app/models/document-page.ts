import type { Licence } from "#app/comments/licences";
import type { BlockReference } from "#app/comments/references";
import type { ThreadMarker, ThreadView } from "#app/comments/types";
import type { ContentNode } from "#app/editor/content";
import type { CommentWindowState } from "#app/versions/comment-window";
import type { Highlight } from "#app/editor/StaticDocument";

/** What the document page's loader gives its components (kept apart from the server module they may not import). */

/** JSON text of a T, made by `serialize`; the type says what `deserialize` gives back. */
export type Serialized<T> = string & { readonly __serialized: T };

export function serialize<T>(value: T): Serialized<T> {
  return JSON.stringify(value) as Serialized<T>;
}

export function deserialize<T>(json: Serialized<T>): T {
  return JSON.parse(json) as T;
}

/** Threads listed in full per page: a long consultation has hundreds, and the page must stay fast. */
export const THREADS_PER_PAGE = 25;

export const THREAD_FILTERS = ["open", "resolved", "mine", "all"] as const;
export type ThreadFilter = (typeof THREAD_FILTERS)[number];

export interface DocumentPage {
  /** `archivedAt`: when an admin archived it (ISO time); it is then read-only for everyone. */
  document: { id: string; slug: string; title: string; language: string; archivedAt: string | null };
  /** What the reader may do with the live draft; the collaboration server enforces the same rule. */
  access: {
    canEdit: boolean;
    signedIn: boolean;
    canComment: boolean;
    canModerate: boolean;
    canPresent: boolean;
    /** Admins archive and delete drafts at /d/<slug>/manage. */
    canManage: boolean;
    mustAcceptLicence: boolean;
  };
  /** How the reader's caret is shown to the others; null for those who may not edit. */
  identity: { name: string; color: string } | null;
  /**
   * The IndexedDB database in which an editor's browser keeps their unsaved changes to this draft: one per document
   * and account, so that on a shared computer one person's unsent text never opens in another's session. Null for
   * readers, whose browsers keep nothing.
   */
  localDraftName: string | null;
  /** The licence comments on this document are published under. */
  licence: Licence;
  /** The revision of the text the server's markup of the draft shows (readers' pages follow it; decision 0022). */
  textRevision: string;
  /** "3.2 ¶2" for every commentable block, by block id (as one JSON string, like the markers). */
  referencesJson: Serialized<Record<string, BlockReference>>;
  /** Open threads per block id (the margin's badges), as one JSON string. */
  openThreadCountsJson: Serialized<Record<string, number>>;
  filter: ThreadFilter;
  /** The version the live draft is based on, and how many blocks changed since it was frozen; null before the first. */
  basis: { number: number; name: string; changedBlocks: number } | null;
  /** Whether new comments are taken now: the window of the version the draft is based on (ISO instants). */
  commentWindow: { state: CommentWindowState; opensAt: string | null; closesAt: string | null };
  /**
   * Every thread the filter selects, in document order: highlights, badges, and which page a thread is on. Sent as
   * one JSON string: the page's data is otherwise encoded value by value, and a thousand threads are thousands of
   * values.
   */
  markersJson: Serialized<ThreadMarker[]>;
  /** The threads of the current page of the list, in full. */
  threads: ThreadView[];
  /** 1-based; THREADS_PER_PAGE threads a page. */
  page: { number: number; count: number; first: number; last: number; total: number };
  /** Block the new-comment form is open for (`?comment=<block id>`, the no-JavaScript path), if it exists. */
  composeFor: string | null;
  /** The block a visitor asked to comment on (`?comment=<block id>`), to come back to after signing in. */
  composeRequest: string | null;
  /** The passage of that block asked for (`&from=<n>&to=<n>`), checked against its text; null for the whole block. */
  composePassage: { from: number; to: number; exact: string } | null;
  /** Thread whose reply form is open (`?reply=<thread id>`, the no-JavaScript path). */
  replyTo: string | null;
  /** The server's clock when the page was made, so relative times render the same on server and client. */
  now: string;
}


/**
 * The draft as the server renders it for the first paint and for readers without JavaScript. It is not sent as data:
 * the browser keeps the server's markup until the live editor replaces it (see ServerRenderedIsland), so the page
 * carries the draft once instead of twice.
 */
export interface StaticDraft {
  content: ContentNode;
  /** Highlighted passages per block id. */
  highlights: Record<string, Highlight[]>;
  /** The first selected thread on each block that has one, which the block's badge links to. */
  firstThreads: Record<string, string>;
}
