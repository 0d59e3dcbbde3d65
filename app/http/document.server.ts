import type { AppLoadContext } from "@remix-run/node";
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
