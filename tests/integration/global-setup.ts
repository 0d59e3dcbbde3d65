import { execFileSync } from "node:child_process";

/** Integration tests run the production build of the app, as users get it: build it once per run. */
export default function buildApp(): void {
  if (process.env.SAMRAD_SKIP_BUILD === "1") return;
  execFileSync("npx", ["remix", "vite:build", "--logLevel", "warn"], { stdio: "inherit" });
}
