import { vi } from "vitest";

/**
 * The unit project runs only tests that need no database, so that `npm run test:unit` stays fast and says what it
 * checks. Loading the database client or a driver there fails the test file at once; a test that needs them belongs
 * in tests/database (or tests/integration).
 */
function refuse(module: string): never {
  throw new Error(`${module} was loaded by a unit test: tests that need a database belong in tests/database`);
}

vi.mock("#db/client", () => refuse("db/client"));
vi.mock("@electric-sql/pglite", () => refuse("PGlite"));
vi.mock("pg", () => refuse("pg"));
