import type { AppLoadContext } from "@remix-run/node";
import { DocumentIndex } from "~/comments/anchoring";
import { licenceOf } from "~/comments/licences";
import { blockReferences } from "~/comments/references";
import { yDocToContent } from "~/editor/content";
import { caretColorFor } from "~/editor/identity";
import { findDocumentBySlug } from "#db/repositories/documents";
import { getCurrentSession } from "./auth.server";
import { can } from "./authorization.server";
import type { ThreadView } from "~/comments/types";
import { THREAD_FILTERS, type DocumentPage, type ThreadFilter } from "./document-page";
import { buildThreadViews, loadThreads } from "./comments.server";

/** The document at a slug with its current content and comments, or null when there is none. */
export async function loadDocumentPage(request: Request, context: AppLoadContext, slug: string): Promise<DocumentPage | null> {
  const { services } = context;
  const document = await findDocumentBySlug(services.db, slug);
  if (!document) return null;
  const current = await getCurrentSession(request, context);
  const stored = await loadThreads(services.db, document.id, current);
  // One synchronous read: the text, the references and where each thread is all describe the same state.
  const { content, references, threads } = await services.readDocument(document.id, (doc) => {
    const index = DocumentIndex.of(doc);
    const outline = index.blocks.map((block) => ({
      id: block.id,
      headingLevel: block.type === "heading" ? Number(block.element.getAttribute("level")) || 1 : null,
    }));
    return { content: yDocToContent(doc), references: blockReferences(outline), threads: buildThreadViews(stored, index, current) };
  });

  const url = new URL(request.url);
  const filter = parseFilter(url.searchParams.get("comments"), current !== null);
  const openThreadCounts: Record<string, number> = {};
  for (const thread of threads) {
    if (thread.status === "open" && thread.resolution.state !== "removed" && !thread.removed) {
      openThreadCounts[thread.resolution.blockId] = (openThreadCounts[thread.resolution.blockId] ?? 0) + 1;
    }
  }
  const canEdit = can(current?.role ?? null, "edit-draft");
  const canComment = can(current?.role ?? null, "comment");
  const organisation = current?.user.organisation;
  const composeFor = url.searchParams.get("comment");
  return {
    document: { id: document.id, slug: document.slug, title: document.title, language: document.language },
    content,
    access: {
      canEdit,
      signedIn: current !== null,
      canComment,
      canModerate: can(current?.role ?? null, "moderate-comments"),
      mustAcceptLicence: canComment && !current?.user.contributionLicenceAcceptedAt,
    },
    identity:
      current && canEdit
        ? { name: organisation ? `${current.user.name} (${organisation})` : current.user.name, color: caretColorFor(current.user.id) }
        : null,
    licence: licenceOf(document.contribution_licence),
    references: Object.fromEntries(references),
    openThreadCounts,
    filter,
    threads: threads.filter((thread) => matchesFilter(thread, filter)),
    composeFor: canComment && composeFor && references.has(composeFor) ? composeFor : null,
    now: new Date().toISOString(),
  };
}

function parseFilter(value: string | null, signedIn: boolean): ThreadFilter {
  const filter = THREAD_FILTERS.find((candidate) => candidate === value) ?? "open";
  return filter === "mine" && !signedIn ? "open" : filter;
}

function matchesFilter(thread: ThreadView, filter: ThreadFilter): boolean {
  switch (filter) {
    case "open":
      return thread.status === "open";
    case "resolved":
      return thread.status === "resolved";
    case "mine":
      return thread.mine || thread.comments.some((comment) => comment.mine);
    case "all":
      return true;
  }
}
