import { execFileSync } from "node:child_process";

/** Integration tests run the production build of the app, as users get it: build it once per run. */
export default function buildApp(): void {
  if (process.env.SAMRAD_SKIP_BUILD === "1") return;
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  execFileSync("npx", ["remix", "vite:build", "--logLevel", "warn"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
}
