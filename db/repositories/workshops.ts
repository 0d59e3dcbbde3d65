import type { DbExecutor } from "#db/executor";
import type { NewWorkshop, UpdateWorkshop, WorkshopRow } from "#db/schema";
import { isUuid } from "./documents";

/** In programme order: earliest first. */
export async function listWorkshops(db: DbExecutor): Promise<WorkshopRow[]> {
  return db.selectFrom("workshops").selectAll().orderBy("starts_at").orderBy("slug").execute();
}

export async function insertWorkshop(db: DbExecutor, workshop: NewWorkshop): Promise<WorkshopRow> {
  return db
    .insertInto("workshops")
    .values(workshop)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findWorkshopBySlug(db: DbExecutor, slug: string): Promise<WorkshopRow | undefined> {
  return db.selectFrom("workshops").selectAll().where("slug", "=", slug).executeTakeFirst();
}

/** undefined for an unknown id, including one that is not a uuid at all. */
export async function findWorkshopById(db: DbExecutor, id: string): Promise<WorkshopRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom("workshops").selectAll().where("id", "=", id).executeTakeFirst();
}

/** undefined when another workshop already has the slug: the caller picks another one. */
export async function insertWorkshopWithFreeSlug(db: DbExecutor, workshop: NewWorkshop): Promise<WorkshopRow | undefined> {
  return db
    .insertInto("workshops")
    .values(workshop)
    .onConflict((conflict) => conflict.column("slug").doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** The slug is the workshop's address and never changes. */
export async function updateWorkshopById(
  db: DbExecutor,
  id: string,
  changes: Omit<UpdateWorkshop, "id" | "slug" | "created_at">,
): Promise<WorkshopRow> {
  return db.updateTable("workshops").set(changes).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
}
