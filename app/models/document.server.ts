import type { AppLoadContext } from "@remix-run/node";
import type { ContentNode } from "~/editor/content";
import { caretColorFor } from "~/editor/identity";
import { getCurrentSession } from "./auth.server";
import { can } from "./authorization.server";
import { findDocumentBySlug } from "#db/repositories/documents";

export interface DocumentPage {
  document: { id: string; slug: string; title: string; language: string };
  content: ContentNode;
  /** What the reader may do with the live draft; the collaboration server enforces the same rule. */
  access: { canEdit: boolean; signedIn: boolean };
  /** How the reader's caret is shown to the others; null for those who may not edit. */
  identity: { name: string; color: string } | null;
}

/** The document at a slug with its current content, or null when there is none. */
export async function loadDocumentPage(request: Request, context: AppLoadContext, slug: string): Promise<DocumentPage | null> {
  const { services } = context;
  const document = await findDocumentBySlug(services.db, slug);
  if (!document) return null;
  const [content, current] = await Promise.all([services.readDocumentContent(document.id), getCurrentSession(request, context)]);
  const canEdit = can(current?.role ?? null, "edit-draft");
  const organisation = current?.user.organisation;
  return {
    document: { id: document.id, slug: document.slug, title: document.title, language: document.language },
    content,
    access: { canEdit, signedIn: current !== null },
    identity:
      current && canEdit
        ? { name: organisation ? `${current.user.name} (${organisation})` : current.user.name, color: caretColorFor(current.user.id) }
        : null,
  };
}
