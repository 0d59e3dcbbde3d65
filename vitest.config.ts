import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    projects: [
      {
        extends: true,
        // Creating a database (PGlite, migrations, seed) takes seconds on a busy 2-core machine, in hooks and in the
        // tests that make their own.
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node", hookTimeout: 60_000, testTimeout: 20_000 },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/integration/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
