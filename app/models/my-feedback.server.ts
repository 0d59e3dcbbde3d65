import type { BlockReference } from "#app/comments/references";
import type { ThreadView } from "#app/comments/types";
import { firstWords } from "#app/versions/threads";
import { listDocumentsWithThreadsBy } from "#db/repositories/documents";
import type { DocumentRow } from "#db/schema";
import { type CommentDeps } from "./comments/commands.server";
import { toThreadView } from "./comments/presenters.server";
import { isRemovedThread, isViewersThread } from "./comments/threads.server";
import { readingOf } from "./document-reading.server";

// Enough of a passage or a comment to recognise it in the list.
const EXCERPT_LENGTH = 280;

/** One thread the member took part in, and what became of it (status, outcome, response as on the thread itself). */
export interface FeedbackItem extends Pick<ThreadView, "kind" | "suggestedText" | "status" | "outcome" | "response" | "incorporatedIn" | "createdAt"> {
  threadId: string;
  document: { slug: string; title: string; language: string };
  /** Where the thread is in the live draft now ("3.2 ¶2"); null when its text is no longer in it. */
  reference: BlockReference | null;
  /** The passage commented on, or the start of the block for a comment on a whole block. */
  quote: string;
  startedByMember: boolean;
  /** The thread's first comment as anyone sees it: null once deleted or hidden. */
  firstComment: { authorName: string; excerpt: string } | null;
  /** Comments after the first. */
  replies: number;
}

/**
 * Every thread `userId` started or wrote in, across documents, newest first. Each is placed in the live draft as
 * the document page places it, so "where" is where the text is now. Threads whose every comment was deleted are
 * left out, as the page leaves them out.
 */
export async function loadMyFeedback(deps: Pick<CommentDeps, "db" | "readDocument" | "commentCache">, userId: string): Promise<FeedbackItem[]> {
  const documents = await listDocumentsWithThreadsBy(deps.db, userId);
  const perDocument = await Promise.all(documents.map((document) => feedbackOn(deps, document, userId)));
  return perDocument.flat().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

async function feedbackOn(deps: Pick<CommentDeps, "readDocument" | "commentCache">, document: DocumentRow, userId: string): Promise<FeedbackItem[]> {
  const stored = await deps.commentCache.read(document.id);
  const reading = await deps.readDocument(document.id, (doc) => readingOf(doc, stored));
  const items: FeedbackItem[] = [];
  for (const located of reading.located) {
    const { record, anchor, resolution } = located;
    if (!isViewersThread(stored, record, userId) || isRemovedThread(stored, record.id)) continue;
    const view = toThreadView(stored, located, null);
    const first = view.comments[0];
    items.push({
      threadId: record.id,
      document: { slug: document.slug, title: document.title, language: document.language },
      reference: resolution.state === "removed" ? null : (reading.references.get(resolution.blockId) ?? null),
      quote: firstWords(anchor.passage?.quote.exact ?? anchor.blockText, EXCERPT_LENGTH),
      kind: view.kind,
      suggestedText: view.suggestedText,
      status: view.status,
      outcome: view.outcome,
      response: view.response,
      incorporatedIn: view.incorporatedIn,
      startedByMember: record.author_id === userId,
      firstComment: first?.state === "visible" ? { authorName: first.authorName, excerpt: firstWords(first.body, EXCERPT_LENGTH) } : null,
      replies: Math.max(view.comments.length - 1, 0),
      createdAt: view.createdAt,
    });
  }
  return items;
}
