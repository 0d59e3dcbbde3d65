import type { Kysely } from "kysely";
import * as Y from "yjs";
import { writeContentToYDoc } from "#app/editor/content";
import { newBlockId } from "#app/editor/extensions";
import type { Database } from "#db/schema";
import { findDocumentBySlug, insertDocument } from "#db/repositories/documents";
import { appendUpdates } from "#db/repositories/document-state";
import { findWorkshopBySlug, insertWorkshop } from "#db/repositories/workshops";
import { lockUntilCommit } from "#db/locks";
import { buildSeedDraft, SEED_DOCUMENT } from "./draft";
import { SEED_WORKSHOPS } from "./workshops";

/**
 * Gives a new database the autumn 2020 workshops and the PRV/DIGG draft. Idempotent: what exists
 * is left as it is, so a restart never resets a draft people have edited.
 */
export async function seedDatabase(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Nodes started together on a new database would otherwise both find it empty and both insert.
    await lockUntilCommit(trx, "samrad-seed");
    for (const workshop of SEED_WORKSHOPS) {
      if (await findWorkshopBySlug(trx, workshop.slug)) continue;
      await insertWorkshop(trx, {
        slug: workshop.slug,
        title: workshop.title,
        starts_at: workshop.startsAt,
        ends_at: workshop.endsAt,
        description: workshop.description,
        organisers: workshop.organisers,
      });
    }

    if (await findDocumentBySlug(trx, SEED_DOCUMENT.slug)) return;
    const document = await insertDocument(trx, SEED_DOCUMENT);
    const doc = new Y.Doc();
    writeContentToYDoc(buildSeedDraft(newBlockId), doc);
    await appendUpdates(trx, document.id, [Y.encodeStateAsUpdateV2(doc)]);
    doc.destroy();
  });
}
