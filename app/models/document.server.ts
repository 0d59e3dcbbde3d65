import { DocumentIndex } from "#app/comments/anchoring";
import { licenceOf } from "#app/comments/licences";
import { caretIdentityFor } from "#app/editor/identity";
import type { AppServices } from "#app/services";
import type { DocumentRow } from "#db/schema";
import { can } from "./authorization.server";
import { composePassage } from "./compose-request.server";
import { toThreadView } from "./comments/presenters.server";
import { isViewersThread, type LocatedThread, type StoredThreads } from "./comments/threads.server";
import { readingOf, selectThreads } from "./document-reading.server";
import { commentWindowState } from "#app/versions/comment-window";
import { THREAD_FILTERS, THREADS_PER_PAGE, type DocumentPage, type StaticDraft, type ThreadFilter } from "./document-page";
import type { CurrentSession } from "./sessions.server";

export type DocumentPageServices = Pick<AppServices, "readDocument" | "commentCache">;

/**
 * A document's page as `current` sees it (null for a visitor), with its current content and the comments the page's
 * query `params` asks for (filter, list page, the comment to show or answer): the page's data, and the draft as the
 * server renders it (not sent as data; see StaticDraft).
 */
export async function loadDocumentPage(
  services: DocumentPageServices,
  document: Pick<DocumentRow, "id" | "slug" | "title" | "language" | "contribution_licence" | "archived_at">,
  current: CurrentSession | null,
  params: URLSearchParams,
): Promise<{ page: DocumentPage; staticDraft: StaticDraft }> {
  const stored = await services.commentCache.read(document.id);
  const reading = await services.readDocument(document.id, (doc) => readingOf(doc, stored));

  const filter = parseFilter(params.get("comments"), current !== null);
  const { selected, markersJson, staticDraft } = selectThreads(reading, filter, (thread) => matchesFilter(stored, thread, filter, current));
  const listPage = pageOf(selected, params, stored);
  const { references } = reading;
  // An archived draft is read-only for everyone (decision 0033); the collaboration server refuses edits to it too.
  const archived = document.archived_at !== null;
  const canEdit = !archived && can(current?.role ?? null, "edit-draft");
  const version = stored.currentVersion;
  const window = version && { opensAt: version.comments_open_at, closesAt: version.comments_close_at };
  const windowState = commentWindowState(window, new Date());
  // Outside the window no one may write: the forms go, and the panel says when comments are taken.
  const canComment = !archived && can(current?.role ?? null, "comment") && windowState === "open";
  const requested = params.get("comment");
  const composeRequest = requested !== null && references.has(requested) ? requested : null;
  // Only a request for a passage reads the text again: the reading keeps no block's text.
  const passage =
    composeRequest !== null && params.has("from")
      ? await services.readDocument(document.id, (doc) => composePassage(DocumentIndex.of(doc), composeRequest, params))
      : null;
  const page: DocumentPage = {
    document: {
      id: document.id,
      slug: document.slug,
      title: document.title,
      language: document.language,
      archivedAt: document.archived_at?.toISOString() ?? null,
    },
    access: {
      canEdit,
      signedIn: current !== null,
      canComment,
      canModerate: can(current?.role ?? null, "moderate-comments"),
      canPresent: can(current?.role ?? null, "manage-workshops"),
      canManage: can(current?.role ?? null, "manage-drafts"),
      mustAcceptLicence: canComment && !current?.user.contributionLicenceAcceptedAt,
    },
    identity: current && canEdit ? caretIdentityFor(current.user) : null,
    localDraftName: current && canEdit ? `samrad-draft:${document.id}:${current.user.id}` : null,
    licence: licenceOf(document.contribution_licence),
    textRevision: reading.textRevision,
    referencesJson: reading.referencesJson,
    openThreadCountsJson: reading.openThreadCountsJson,
    filter,
    basis: version ? { number: version.number, name: version.name, changedBlocks: reading.changedSinceVersion } : null,
    commentWindow: {
      state: windowState,
      opensAt: window?.opensAt?.toISOString() ?? null,
      closesAt: window?.closesAt?.toISOString() ?? null,
    },
    markersJson,
    threads: selected.slice(listPage.first - 1, listPage.last).map((thread) => toThreadView(stored, thread, current)),
    page: listPage,
    composeFor: canComment ? composeRequest : null,
    composeRequest,
    composePassage: passage,
    replyTo: canComment ? params.get("reply") : null,
    now: new Date().toISOString(),
  };
  return { page, staticDraft };
}

function parseFilter(value: string | null, signedIn: boolean): ThreadFilter {
  const filter = THREAD_FILTERS.find((candidate) => candidate === value) ?? "open";
  return filter === "mine" && !signedIn ? "open" : filter;
}

function matchesFilter(stored: StoredThreads, { record }: LocatedThread, filter: ThreadFilter, viewer: CurrentSession | null): boolean {
  switch (filter) {
    case "open":
      return record.status === "open";
    case "resolved":
      return record.status === "resolved";
    case "mine":
      return viewer !== null && isViewersThread(stored, record, viewer.user.id);
    case "all":
      return true;
  }
}

/**
 * The page of the list to show: `?show=<thread or comment id>` asks for the page holding that thread (a link to
 * a comment), else `?page=<n>`; out-of-range numbers give the nearest page.
 */
function pageOf(selected: LocatedThread[], params: URLSearchParams, stored: StoredThreads): DocumentPage["page"] {
  const total = selected.length;
  const count = Math.max(1, Math.ceil(total / THREADS_PER_PAGE));
  const show = params.get("show") ?? params.get("reply");
  const shown = show
    ? selected.findIndex(
        ({ record }) => record.id === show || (stored.commentsByThread.get(record.id) ?? []).some((comment) => comment.id === show),
      )
    : -1;
  const requested = shown >= 0 ? Math.floor(shown / THREADS_PER_PAGE) + 1 : Number.parseInt(params.get("page") ?? "1", 10);
  const number = Math.min(count, Math.max(1, Number.isFinite(requested) ? requested : 1));
  const first = (number - 1) * THREADS_PER_PAGE + 1;
  return {
    number,
    count,
    first: Math.min(first, total),
    last: Math.min(number * THREADS_PER_PAGE, total),
    total,
  };
}
