/**
 * Nodes started together on a new database (issue 15's rolling start) each seed it: they must not both find it
 * empty and both insert, which made one of them exit on a unique violation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDatabase } from "#app/seed";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { SEED_WORKSHOPS } from "#app/seed/workshops";
import { openDatabase, type DatabaseHandle } from "#db/client";
import { migrateToLatest } from "#db/migrate";
import { createScratchPostgresDatabase } from "#tests/support/database";

describe.runIf(process.env.TEST_DATABASE_URL)("seeding one PostgreSQL database from several nodes at once", () => {
  let scratch: Awaited<ReturnType<typeof createScratchPostgresDatabase>>;
  const nodes: DatabaseHandle[] = [];
  let first: DatabaseHandle;
  beforeAll(async () => {
    scratch = await createScratchPostgresDatabase();
    for (let node = 0; node < 3; node++) nodes.push(await openDatabase({ databaseUrl: scratch.url, dataDir: "unused" }));
    [first] = nodes as [DatabaseHandle];
    await migrateToLatest(first.db);
  });
  afterAll(async () => {
    for (const node of nodes) await node.close();
    await scratch?.drop();
  });

  it("gives the database one draft and one of each workshop, and every node starts", async () => {
    await Promise.all(nodes.map((node) => seedDatabase(node.db)));
    const documents = await first.db.selectFrom("documents").select("slug").where("slug", "=", SEED_DOCUMENT.slug).execute();
    expect(documents).toHaveLength(1);
    const workshops = await first.db.selectFrom("workshops").select("slug").execute();
    expect(workshops.map((workshop) => workshop.slug).sort()).toEqual(SEED_WORKSHOPS.map((workshop) => workshop.slug).sort());
  });
});
