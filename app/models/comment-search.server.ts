import { QUERY_TEXT_MAX_LENGTH, type BoardStatus } from "#app/feedback/board";
import type { BlockReference } from "#app/comments/references";
import type { CommentDeps } from "./comments/commands.server";
import { commentSearchText, loadFeedbackBoard, visibleComments } from "./feedback.server";
import { excerpt } from "./thread-reviews.server";

/**
 * The comment search anyone who reads a draft may use (issue 14): the triage board's query (text, section and
 * status) over the same rows, shown as links to the threads and comments on the draft page. The board's rows and
 * search text hold only what every reader sees there: threads whose comments were all deleted are left out, and
 * hidden comments are neither searched nor shown.
 */

/** The board's filters a reader may set here; the others (sort, organisation…) are the editors'. */
const SEARCH_FIELDS = ["q", "section", "status", "page"] as const;

export interface FoundComment {
  id: string;
  authorName: string;
  authorOrganisation: string;
  /** The part of its text around the first match, or its start. */
  excerpt: string;
}

export interface FoundThread {
  id: string;
  kind: "comment" | "suggestion";
  reference: BlockReference | null;
  quote: string;
  status: BoardStatus;
  /** The thread's comments that match the text searched for; without one (or when only the quote matched), its first. */
  comments: FoundComment[];
}

export interface CommentSearch {
  query: { q?: string; section?: string; status?: BoardStatus };
  threads: FoundThread[];
  /** Threads a reader can search at all, and those the query selects. */
  total: number;
  selected: number;
  page: number;
  pages: number;
  /** The draft's sections, for the section filter. */
  sections: { section: string; title: string }[];
}

export type CommentSearchResult = { ok: true; search: CommentSearch } | { ok: false; error: "too-long" };

export async function searchComments(
  deps: Pick<CommentDeps, "db" | "readDocument" | "commentCache">,
  documentId: string,
  params: URLSearchParams,
): Promise<CommentSearchResult> {
  // The board reads an overlong text as no search at all; a reader who typed one is told instead.
  if ((params.get("q") ?? "").trim().length > QUERY_TEXT_MAX_LENGTH) return { ok: false, error: "too-long" };
  const asked = new URLSearchParams();
  for (const field of SEARCH_FIELDS) {
    const value = params.get(field);
    if (value !== null) asked.set(field, value);
  }
  const [board, stored] = await Promise.all([loadFeedbackBoard(deps, documentId, asked), deps.commentCache.read(documentId)]);
  const needle = board.query.q?.toLowerCase();
  const threads = board.rows.map((row): FoundThread => {
    const comments = visibleComments(stored, row.id);
    const matching = needle ? comments.filter((comment) => commentSearchText(comment).some((text) => text.toLowerCase().includes(needle))) : [];
    const shown = matching.length > 0 ? matching : comments.slice(0, 1);
    return {
      id: row.id,
      kind: row.kind,
      reference: row.reference,
      quote: row.quote,
      status: row.status,
      comments: shown.map((comment) => ({
        id: comment.id,
        authorName: comment.author_name,
        authorOrganisation: comment.author_organisation,
        excerpt: excerptAround(comment.body, needle),
      })),
    };
  });
  return {
    ok: true,
    search: {
      query: { q: board.query.q, section: board.query.section, status: board.query.status },
      threads,
      total: board.total,
      selected: board.selected,
      page: board.page,
      pages: board.pages,
      sections: board.overview.map(({ section, title }) => ({ section, title })),
    },
  };
}

/** How much text before a match an excerpt keeps, so the word found is read in its context. */
const CONTEXT_BEFORE = 40;

/** An excerpt that shows where `needle` is in the text: from a little before it, or from the start. */
function excerptAround(text: string, needle: string | undefined): string {
  const at = needle ? text.toLowerCase().indexOf(needle) : -1;
  if (at <= CONTEXT_BEFORE) return excerpt(text);
  // From the first word that starts within the context.
  const space = text.indexOf(" ", at - CONTEXT_BEFORE);
  const start = space >= 0 && space < at ? space + 1 : at - CONTEXT_BEFORE;
  return `…${excerpt(text.slice(start))}`;
}
