import type { AppLoadContext } from "@remix-run/node";
import { licenceOf } from "#app/comments/licences";
import { caretIdentityFor } from "#app/editor/identity";
import { findDocumentBySlug } from "#db/repositories/documents";
import type { DocumentRow } from "#db/schema";
import { getCurrentSession } from "./auth.server";
import { can } from "./authorization.server";
import { toThreadView } from "./comments/presenters.server";
import { isViewersThread, type LocatedThread, type StoredThreads } from "./comments/threads.server";
import { readingOf, selectThreads } from "./document-reading.server";
import { commentWindowState } from "#app/versions/comment-window";
import { THREAD_FILTERS, THREADS_PER_PAGE, type DocumentPage, type StaticDraft, type ThreadFilter } from "./document-page";
import type { CurrentSession } from "./sessions.server";

/**
 * The document at a slug with its current content and comments, or null when there is none: the page's data, and
 * the draft as the server renders it (not sent as data; see StaticDraft).
 */
export async function loadDocumentPage(
  request: Request,
  context: AppLoadContext,
  slug: string,
): Promise<{ page: DocumentPage; staticDraft: StaticDraft } | null> {
  const { services } = context;
  const document = await findDocumentBySlug(services.db, slug);
  if (!document) return null;
  const [current, stored] = await Promise.all([getCurrentSession(request, context), services.commentCache.read(document.id)]);
  const reading = await services.readDocument(document.id, (doc) => readingOf(doc, stored));

  const url = new URL(request.url);
  const filter = parseFilter(url.searchParams.get("comments"), current !== null);
  const { selected, markersJson, staticDraft } = selectThreads(reading, filter, (thread) => matchesFilter(stored, thread, filter, current));
  const listPage = pageOf(selected, url.searchParams, stored);
  const { references } = reading;
  const canEdit = can(current?.role ?? null, "edit-draft");
  const version = stored.currentVersion;
  const window = version && { opensAt: version.comments_open_at, closesAt: version.comments_close_at };
  const windowState = commentWindowState(window, new Date());
  // Outside the window no one may write: the forms go, and the panel says when comments are taken.
  const canComment = can(current?.role ?? null, "comment") && windowState === "open";
  const composeFor = url.searchParams.get("comment");
  const page: DocumentPage = {
    document: {
      id: document.id,
      slug: document.slug,
      title: document.title,
      language: document.language,
    },
    access: {
      canEdit,
      signedIn: current !== null,
      canComment,
      canModerate: can(current?.role ?? null, "moderate-comments"),
      canPresent: can(current?.role ?? null, "manage-workshops"),
      mustAcceptLicence: canComment && !current?.user.contributionLicenceAcceptedAt,
    },
    identity: current && canEdit ? caretIdentityFor(current.user) : null,
    localDraftName: current && canEdit ? `samrad-draft:${document.id}:${current.user.id}` : null,
    licence: licenceOf(document.contribution_licence),
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
    composeFor: canComment && composeFor && references.has(composeFor) ? composeFor : null,
    composeRequest: composeFor && references.has(composeFor) ? composeFor : null,
    replyTo: canComment ? url.searchParams.get("reply") : null,
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

/** The document a route's `$slug` names; throws the 404 response when there is none. */
export async function requireDocument(context: AppLoadContext, slug: string | undefined): Promise<DocumentRow> {
  const document = await findDocumentBySlug(context.services.db, slug ?? "");
  if (!document) throw new Response("Not found", { status: 404 });
  return document;
}
