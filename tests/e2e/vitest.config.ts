import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";
import { scaledMs, WAIT_MS } from "#tests/support/time";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    name: "e2e",
    root: ".",
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/integration/global-setup.ts"],
    testTimeout: scaledMs(60_000),
    hookTimeout: scaledMs(120_000),
    expect: { poll: { timeout: WAIT_MS } },
    fileParallelism: false,
  },
});
