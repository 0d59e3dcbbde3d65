import { writeReadableStreamToWritable } from "@remix-run/node";
import type { RequestHandler, Response as ExpressResponse } from "express";
import { existsSync, readdirSync } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import zlib from "node:zlib";
import { MIN_COMPRESSED_BYTES } from "./compression-settings.mjs";

export type Encoding = "br" | "gzip" | "identity";

/** Brotli 4 compresses about as fast as gzip 6 and smaller: fast enough for every page view. */
const DYNAMIC_BROTLI_QUALITY = 4;

interface Preference {
  coding: string;
  q: number;
}

function parseAcceptEncoding(header: string): Preference[] {
  return header
    .split(",")
    .map((part) => {
      const [coding = "", ...parameters] = part.split(";").map((piece) => piece.trim().toLowerCase());
      const qParameter = parameters.find((parameter) => parameter.startsWith("q="));
      const q = qParameter === undefined ? 1 : Number(qParameter.slice(2));
      return { coding, q: Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0 };
    })
    .filter((preference) => preference.coding !== "");
}

/**
 * The encoding to answer in, by RFC 9110 §12.5.3: the offered encoding with the highest q-value, brotli before gzip
 * when they tie; identity when nothing offered is acceptable (identity is always acceptable unless refused). A
 * request refusing identity too still gets identity: a 406 would leave a reader without the page.
 */
export function negotiateEncoding(acceptEncoding: string | undefined, offered: readonly Encoding[] = ["br", "gzip"]): Encoding {
  if (!acceptEncoding) return "identity";
  const preferences = parseAcceptEncoding(acceptEncoding);
  const wildcard = preferences.find((preference) => preference.coding === "*")?.q;
  const qOf = (coding: string) =>
    preferences.find((preference) => preference.coding === coding || (coding === "gzip" && preference.coding === "x-gzip"))?.q ??
    wildcard ??
    0;
  let best: Encoding = "identity";
  let bestQ = 0;
  for (const coding of (["br", "gzip"] as const).filter((candidate) => offered.includes(candidate))) {
    const q = qOf(coding);
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  if (best === "identity") return "identity";
  // Identity, unless the client names it (or "*") lower than the best encoding, ranks just as high.
  const identityQ = preferences.find((preference) => preference.coding === "identity")?.q ?? wildcard ?? bestQ;
  return identityQ > bestQ ? "identity" : best;
}

/** Text formats, which compress several times over; images, archives and fonts are compressed already. */
export function isCompressibleType(contentType: string | null | undefined): boolean {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "text/event-stream") return false;
  return (
    type.startsWith("text/") ||
    /^application\/(?:json|javascript|xml|xhtml\+xml|manifest\+json|ld\+json|rss\+xml|atom\+xml)$/.test(type) ||
    type.endsWith("+json") ||
    type === "image/svg+xml"
  );
}

/**
 * Serves the `.br` and `.gz` files server/build.mjs wrote next to a file in `root`, as the original (its Content-Type,
 * and the same caching as `express.static` gives it), when the request accepts that encoding; otherwise it passes
 * the request on to `express.static`, which serves the original. The variants are found once at startup: the build
 * does not change under a running server.
 */
export function precompressedStatic(root: string, options: { maxAge: string; immutable?: boolean }): RequestHandler {
  const variants = findVariants(root);
  return (request, response, next) => {
    if (request.method !== "GET" && request.method !== "HEAD") return next();
    const file = safeDecode(request.path);
    const available = file === null ? undefined : variants.get(file);
    if (file === null || !available) return next();
    response.vary("Accept-Encoding");
    const encoding = negotiateEncoding(request.get("accept-encoding"), available);
    if (encoding === "identity") return next();
    const type = response.type(path.extname(file)).get("Content-Type") ?? "application/octet-stream";
    response.sendFile(
      `${file.slice(1)}.${encoding === "br" ? "br" : "gz"}`,
      { root, maxAge: options.maxAge, immutable: options.immutable ?? false, dotfiles: "deny", headers: { "Content-Type": type, "Content-Encoding": encoding } },
      (error) => {
        if (error && !response.headersSent) next(error);
      },
    );
  };
}

function safeDecode(urlPath: string): string | null {
  try {
    return decodeURIComponent(urlPath);
  } catch {
    return null;
  }
}

/** Each precompressed file's URL path ("/assets/x.js") with the encodings it has on disk. */
function findVariants(root: string): Map<string, Encoding[]> {
  const variants = new Map<string, Encoding[]>();
  if (!existsSync(root)) return variants;
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const encoding: Encoding | null = entry.name.endsWith(".br") ? "br" : entry.name.endsWith(".gz") ? "gzip" : null;
    if (!encoding) continue;
    const full = path.join(entry.parentPath, entry.name.replace(/\.(br|gz)$/, ""));
    const urlPath = `/${path.relative(root, full).split(path.sep).join("/")}`;
    variants.set(urlPath, [...(variants.get(urlPath) ?? []), encoding]);
  }
  return variants;
}

/**
 * Writes a web stream body to the response, compressed in the negotiated encoding when it is worth it: a text
 * format, not an event stream (whose events must leave at once), not encoded already, and over
 * MIN_COMPRESSED_BYTES. The decision waits for the first kilobyte of the body, not for all of it, so a page still
 * streams; each chunk is flushed through the compressor as it comes (the page's chunks are coalesced upstream).
 */
export async function writeBody(response: ExpressResponse, body: ReadableStream<Uint8Array> | null, acceptEncoding: string | undefined, method: string): Promise<void> {
  const contentType = response.get("Content-Type");
  const compressible = isCompressibleType(contentType) && !response.get("Content-Encoding");
  if (compressible) response.vary("Accept-Encoding");
  const encoding = negotiateEncoding(acceptEncoding);
  if (!body || method === "HEAD" || !compressible || encoding === "identity" || response.statusCode === 204 || response.statusCode === 304) {
    return body ? writeReadableStreamToWritable(body, response) : void response.end();
  }
  const declaredLength = Number(response.get("Content-Length"));
  if (Number.isFinite(declaredLength) && declaredLength > 0 && declaredLength < MIN_COMPRESSED_BYTES) return writeReadableStreamToWritable(body, response);

  const reader = body.getReader();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < MIN_COMPRESSED_BYTES) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    head.push(value);
    headBytes += value.byteLength;
  }
  if (ended && headBytes < MIN_COMPRESSED_BYTES) {
    response.end(Buffer.concat(head));
    return;
  }

  response.removeHeader("Content-Length");
  response.setHeader("Content-Encoding", encoding);
  const compressor =
    encoding === "br"
      ? zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: DYNAMIC_BROTLI_QUALITY } })
      : zlib.createGzip();
  const flushMode = encoding === "br" ? zlib.constants.BROTLI_OPERATION_FLUSH : zlib.constants.Z_SYNC_FLUSH;
  compressor.pipe(response);
  // A reader who leaves stops the compressor and the page's rendering; nothing is left waiting for a "drain".
  const gone = new AbortController();
  response.on("close", () => {
    if (response.writableFinished) return;
    gone.abort();
    compressor.destroy();
    void reader.cancel().catch(() => {});
  });
  const write = async (chunk: Uint8Array) => {
    if (!compressor.write(chunk)) await once(compressor, "drain", { signal: gone.signal });
    compressor.flush(flushMode);
  };
  try {
    for (const chunk of head) await write(chunk);
    while (!ended && !gone.signal.aborted) {
      const { done, value } = await reader.read();
      if (done) break;
      await write(value);
    }
    compressor.end();
  } catch (error) {
    if (gone.signal.aborted) return;
    compressor.destroy();
    response.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}
