import { describe, expect, it } from "vitest";

// The guard in tests/support/no-database.ts is what keeps this project free of database tests; a Vitest upgrade
// that stopped it working would let them creep back in unnoticed.
const refused = { cause: { message: expect.stringContaining("belong in tests/database") } };

describe("the unit project", () => {
  it.each(["#db/client", "@electric-sql/pglite", "pg"])("refuses to load %s", async (module) => {
    await expect(import(/* @vite-ignore */ module)).rejects.toMatchObject(refused);
  });

  it("refuses the test support that opens databases", async () => {
    await expect(import("#tests/support/database")).rejects.toMatchObject(refused);
  });
});
