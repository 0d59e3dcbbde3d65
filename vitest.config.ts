import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";
import { scaledMs, WAIT_MS } from "./tests/support/time";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    expect: { poll: { timeout: WAIT_MS } },
    // Only the unit project uses threads; database and integration tests keep a process of their own per file, two
    // files at a time even on two cores (Vitest's default there is one): most of their time is spent waiting on
    // servers, sockets and timers, not computing.
    poolOptions: { threads: { isolate: false }, forks: { maxForks: 2 } },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/support/no-database.ts"],
          // Pure tests share nothing a file could leave behind but timers and mocks, which each restores: they run in
          // one module graph (the threads pool, not isolated, below) instead of loading Tiptap and Yjs again per file.
          pool: "threads",
          testTimeout: scaledMs(10_000),
          hookTimeout: scaledMs(10_000),
        },
      },
      {
        extends: true,
        // Creating a database (PGlite, migrations, seed) takes seconds, in hooks and in the tests that make their own;
        // on a loaded machine one test of an account file took 30 to 60 s (PGlite's WASM and argon2 share the CPU).
        test: {
          name: "database",
          include: ["tests/database/**/*.test.ts"],
          environment: "node",
          testTimeout: scaledMs(30_000),
          hookTimeout: scaledMs(60_000),
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/integration/global-setup.ts"],
          testTimeout: scaledMs(30_000),
          hookTimeout: scaledMs(120_000),
        },
      },
    ],
  },
});
