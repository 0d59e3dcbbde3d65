import type { ContentNode } from "~/editor/content";
import type { AppServices } from "~/services";
import { findDocumentBySlug } from "#db/repositories/documents";

export interface DocumentPage {
  document: { id: string; slug: string; title: string; language: string };
  content: ContentNode;
}

/** The document at a slug with its current content, or null when there is none. */
export async function loadDocumentPage(services: AppServices, slug: string): Promise<DocumentPage | null> {
  const document = await findDocumentBySlug(services.db, slug);
  if (!document) return null;
  const content = await services.readDocumentContent(document.id);
  return {
    document: { id: document.id, slug: document.slug, title: document.title, language: document.language },
    content,
  };
}
