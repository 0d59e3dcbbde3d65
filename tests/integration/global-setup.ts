import { execFileSync } from "node:child_process";

/**
 * Integration tests run the production build of the app, as users get it: built once per run, and only when the
 * sources changed since the last build (the check `npm start` makes), so a rerun starts at once.
 */
export default function buildApp(): void {
  if (process.env.SAMRAD_SKIP_BUILD === "1") return;
  execFileSync(process.execPath, ["server/build.mjs", "--if-stale"], { stdio: "inherit" });
}
