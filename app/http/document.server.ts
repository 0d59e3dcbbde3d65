import type { AppLoadContext } from "@remix-run/node";
import { markupOnce } from "#app/components/markup-cache.server";
import { readingView } from "#app/components/document/reading-view";
import { StaticDocument } from "#app/editor/StaticDocument";
import { localeFromRequest } from "#app/i18n/locale.server";
import { translationFor } from "#app/i18n/translation";
import { deserialize } from "#app/models/document-page";
import { loadDocumentPage } from "#app/models/document.server";
import { findDocumentBySlug } from "#db/repositories/documents";
import type { DocumentRow } from "#db/schema";
import { getCurrentSession } from "./auth.server";

/** The document a route's `$slug` names; throws the 404 response when there is none. */
export async function requireDocument(context: AppLoadContext, slug: string | undefined): Promise<DocumentRow> {
  const document = await findDocumentBySlug(context.services.db, slug ?? "");
  if (!document) throw new Response("Not found", { status: 404 });
  return document;
}

/** The document page's loader: its data as the request's viewer and query ask; throws the 404 response for an unknown slug. */
export async function requireDocumentPage(request: Request, context: AppLoadContext, slug: string | undefined): ReturnType<typeof loadDocumentPage> {
  // The session is read while the document is looked up: on a GET the root's loader has usually started it already.
  const [document, current] = await Promise.all([requireDocument(context, slug), getCurrentSession(request, context)]);
  return loadDocumentPage(context.services, document, current, new URL(request.url).searchParams);
}

/**
 * `/d/<slug>/reading`: the reading view's markup as the document page renders it for this request (its filter,
 * language and viewer), with the revision of the text it shows. Readers' pages, which have no editor, fetch it when
 * the text or its threads change and patch their copy with it (decision 0022). Made once per reading, filter and
 * language, and shared with the page's own render (markupOnce, the same key and variant).
 */
export async function readingViewResponse(request: Request, context: AppLoadContext, slug: string | undefined): Promise<Response> {
  const { page, staticDraft } = await requireDocumentPage(request, context, slug);
  const locale = localeFromRequest(request);
  const markup = markupOnce(staticDraft, locale, () =>
    readingView(StaticDocument, {
      draft: staticDraft,
      references: deserialize(page.referencesJson),
      openThreadCounts: deserialize(page.openThreadCountsJson),
      filter: page.filter,
      t: translationFor(locale).t,
    }),
  );
  return Response.json({ revision: page.textRevision, markup }, { headers: { "Cache-Control": "no-store" } });
}
