// @ts-check
// The embedded database's own thread (decision 0030): PGlite runs every statement here, off the event loop that
// relays edits. db/pglite-thread.ts is the other end. Plain JavaScript so that Node runs it as it is, under tsx,
// Vitest and the compiled server alike (server/build.mjs bundles it next to build/node/main.js).
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, types } from "@electric-sql/pglite";
import { parseInt8 } from "./parse-int8.js";

/**
 * @typedef {{ dataDir: string; initialData?: ArrayBuffer }} WorkerOptions
 * @typedef {{ type: "query"; id: number; sql: string; parameters: unknown[] } | { type: "close" }} Request
 */

if (parentPort === null) throw new Error("pglite-worker.js runs as a worker thread only");
const port = parentPort;
const options = /** @type {WorkerOptions} */ (workerData);

const pglite = new PGlite(options.dataDir, {
  loadDataDir: options.initialData ? new Blob([options.initialData]) : undefined,
  // PGlite's default returns bigint for values past 2^53 and number below; make it one type, like pg.
  parsers: { [types.INT8]: parseInt8 },
  // initdb writes shared_buffers = 128MB, which PGlite touches in full at start: 130 MB of resident memory for a
  // cache in front of files the operating system caches anyway. 16 MB (2,048 pages) holds the working set of a
  // draft's tables and cost nothing measurable in npm run bench (docs/performance.md).
  startParams: [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"],
});

/**
 * An error as data: structured cloning keeps only an Error's message and stack, and the code relies on PostgreSQL's
 * fields (code, constraint, detail…).
 * @param {unknown} error
 */
function describe(error) {
  if (!(error instanceof Error)) return { message: String(error), fields: {} };
  /** @type {Record<string, string | number | boolean>} */
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") fields[key] = value;
  }
  return { message: error.message, name: error.name, fields };
}

try {
  await pglite.waitReady;
  port.postMessage({ type: "ready" });
} catch (error) {
  port.postMessage({ type: "failed", error: describe(error) });
  port.close();
}

port.on("message", async (/** @type {Request} */ request) => {
  if (request.type === "close") {
    if (!pglite.closed) await pglite.close();
    port.close();
    return;
  }
  try {
    const { rows, affectedRows } = await pglite.query(request.sql, request.parameters, { rowMode: "object" });
    port.postMessage({ type: "result", id: request.id, rows, affectedRows });
  } catch (error) {
    port.postMessage({ type: "error", id: request.id, error: describe(error) });
  }
});
