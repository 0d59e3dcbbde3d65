import type { Kysely } from "kysely";
import type { Database } from "#db/schema";
import { listDocuments } from "#db/repositories/documents";
import { listWorkshops } from "#db/repositories/workshops";

export interface HomeView {
  documents: { slug: string; title: string; language: string }[];
  workshops: { slug: string; title: string; startsAt: string; endsAt: string; organisers: string; description: string }[];
}

export async function loadHome(db: Kysely<Database>): Promise<HomeView> {
  const [documents, workshops] = await Promise.all([listDocuments(db), listWorkshops(db)]);
  return {
    documents: documents.map(({ slug, title, language }) => ({ slug, title, language })),
    workshops: workshops.map((workshop) => ({
      slug: workshop.slug,
      title: workshop.title,
      startsAt: workshop.starts_at.toISOString(),
      endsAt: workshop.ends_at.toISOString(),
      organisers: workshop.organisers,
      description: workshop.description,
    })),
  };
}
