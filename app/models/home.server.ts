import type { Kysely } from "kysely";
import type { DraftState } from "#app/drafts/types";
import { commentWindowState } from "#app/versions/comment-window";
import type { Database } from "#db/schema";
import { listDocumentsWithActivity, type DocumentListing } from "#db/repositories/documents";
import { listWorkshops } from "#db/repositories/workshops";
import { can, type Role } from "./authorization.server";

export interface HomeDocument {
  slug: string;
  title: string;
  language: string;
  state: DraftState;
  openThreads: number;
  lastActivityAt: string;
}

export interface HomeView {
  /** Newest activity first. */
  documents: HomeDocument[];
  workshops: { slug: string; title: string; startsAt: string; endsAt: string; organisers: string; description: string }[];
  /** Whether the viewer may start a new draft (editors and admins). */
  canCreateDraft: boolean;
}

/** Archived, or whether the latest version's comment window is open now (one not open yet counts as closed). */
export function draftState(document: Pick<DocumentListing, "archived_at" | "comments_open_at" | "comments_close_at">, now: Date): DraftState {
  if (document.archived_at) return "archived";
  const window = { opensAt: document.comments_open_at, closesAt: document.comments_close_at };
  return commentWindowState(window, now) === "open" ? "open" : "closed";
}

export async function loadHome(db: Kysely<Database>, viewerRole: Role | null, now: Date = new Date()): Promise<HomeView> {
  const [documents, workshops] = await Promise.all([listDocumentsWithActivity(db), listWorkshops(db)]);
  return {
    documents: documents.map((document) => ({
      slug: document.slug,
      title: document.title,
      language: document.language,
      state: draftState(document, now),
      openThreads: document.open_threads,
      lastActivityAt: document.last_activity_at.toISOString(),
    })),
    workshops: workshops.map((workshop) => ({
      slug: workshop.slug,
      title: workshop.title,
      startsAt: workshop.starts_at.toISOString(),
      endsAt: workshop.ends_at.toISOString(),
      organisers: workshop.organisers,
      description: workshop.description,
    })),
    canCreateDraft: can(viewerRole, "create-draft"),
  };
}
