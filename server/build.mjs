// Builds what `npm start` runs: the Remix app (build/client, build/server) and the Node server compiled to
// build/node/main.js. With --if-stale it builds only when the sources differ from those of the last build, so a
// second start goes straight to serving. Plain JavaScript: it must run before anything is compiled.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { MIN_COMPRESSED_BYTES } from "./compression-settings.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const at = (...parts) => path.join(root, ...parts);

/** Everything a build reads besides node_modules, whose contents package-lock.json and patches/ pin. */
const INPUTS = ["app", "server", "db", "public", "patches", "package.json", "package-lock.json", "tsconfig.json", "vite.config.ts", "remix.config.js", "docs/accessibility-statement.sv.md", "docs/accessibility-statement.en.md"];
/** Not in build/server, which Vite empties whenever the Remix app alone is rebuilt (`npx remix vite:build`). */
const SERVER_ENTRY = "build/node/main.js";
/** The embedded database's worker thread (decision 0030), next to the server, where db/pglite-thread.ts looks for it. */
const PGLITE_WORKER = "build/node/pglite-worker.js";
const OUTPUTS = ["build/client", "build/server/index.js", SERVER_ENTRY, PGLITE_WORKER];
const STAMP = "build/.sources-hash";
/** Text files; the rest of build/client (images, fonts) is compressed already. */
const PRECOMPRESSED = /\.(js|css|svg|json|html|txt)$/;

/** One hash of the sources' paths and contents: unlike modification times, it survives a fresh clone or checkout. */
function sourcesHash() {
  const files = INPUTS.flatMap((input) => {
    if (!existsSync(at(input))) return [];
    if (!statSync(at(input)).isDirectory()) return [input];
    return readdirSync(at(input), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(root, path.join(entry.parentPath ?? entry.path, entry.name)));
  });
  const hash = createHash("sha256");
  for (const file of files.sort()) hash.update(`${file}\0`).update(readFileSync(at(file))).update("\0");
  return hash.digest("hex");
}

function isCurrent(hash) {
  return OUTPUTS.every((output) => existsSync(at(output))) && existsSync(at(STAMP)) && readFileSync(at(STAMP), "utf8").trim() === hash;
}

/**
 * Writes a brotli (highest quality) and a gzip copy next to each text file of build/client, which the server sends
 * to browsers that accept them (decision 0021): compressed once here, not on every request.
 */
async function precompress() {
  const brotli = promisify(zlib.brotliCompress);
  const gzip = promisify(zlib.gzip);
  const files = readdirSync(at("build/client"), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && PRECOMPRESSED.test(entry.name))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
  await Promise.all(
    files.map(async (file) => {
      const content = readFileSync(file);
      if (content.length < MIN_COMPRESSED_BYTES) return;
      const [br, gz] = await Promise.all([
        brotli(content, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length } }),
        gzip(content, { level: zlib.constants.Z_BEST_COMPRESSION }),
      ]);
      writeFileSync(`${file}.br`, br);
      writeFileSync(`${file}.gz`, gz);
    }),
  );
}

async function build() {
  const require = createRequire(import.meta.url);
  // Vitest or a shell may have set NODE_ENV=test or development, which would bundle React's development build.
  const remix = spawnSync(process.execPath, [require.resolve("@remix-run/dev/dist/cli.js"), "vite:build", "--logLevel", "warn"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (remix.status !== 0) throw new Error(`the Remix build failed (exit ${remix.status ?? remix.signal})`);
  await precompress();

  // Imported here, not at the top: a start with a current build needs no devDependency.
  const esbuild = await import("esbuild");
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: [
      { in: "server/main.ts", out: path.basename(SERVER_ENTRY, ".js") },
      { in: "db/pglite-worker.js", out: path.basename(PGLITE_WORKER, ".js") },
    ],
    outdir: path.dirname(SERVER_ENTRY),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Our own code (#app/, #db/, #server/ through tsconfig.json's paths) is compiled in; packages load from node_modules.
    packages: "external",
    tsconfig: "tsconfig.json",
    sourcemap: true,
    logLevel: "warning",
  });
}

const ifStale = process.argv.includes("--if-stale");
const hash = sourcesHash();
if (ifStale && isCurrent(hash)) {
  process.stdout.write("The build is current.\n");
} else {
  const started = Date.now();
  const why = !ifStale ? "Building." : existsSync(at(STAMP)) ? "The sources changed since the last build: building." : "No finished build: building.";
  process.stdout.write(`${why}\n`);
  // Gone until the build succeeds, so a build stopped halfway is not taken for a current one.
  rmSync(at(STAMP), { force: true });
  try {
    await build();
  } catch (error) {
    process.stderr.write(`Samråd could not be built: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  writeFileSync(at(STAMP), `${hash}\n`);
  process.stdout.write(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
}
