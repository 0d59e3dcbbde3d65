import { Transform, type TransformCallback } from "node:stream";
import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "~/components/nonce";
import { markupOnce } from "~/components/markup-cache.server";
import { ServerRenderContext } from "~/components/server-only";

const ABORT_DELAY_MS = 5_000;

/** Remix's default Node entry, plus the CSP nonce on every script it renders and the loaders' server-only data. */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  // Crawlers get the whole page at once; browsers get the shell as soon as it is ready.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = new ChunkCoalescer();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <ServerRenderContext.Provider value={{ data: loadContext.serverOnly, markupOnce }}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY_MS} nonce={nonce} />
        </ServerRenderContext.Provider>
      </NonceContext.Provider>,
      {
        nonce,
        onAllReady: waitForAll ? ready : undefined,
        onShellReady: waitForAll ? undefined : ready,
        onShellError: reject,
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors after the shell are rendered by error boundaries; log them, never send them to the reader.
          if (shellRendered) console.error(error instanceof Error ? error.message : error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY_MS);
  });
}

/** Joining stops at this size, so a long page still reaches the browser in pieces as it is rendered. */
const COALESCED_CHUNK_BYTES = 64 * 1024;

/**
 * Joins the many small chunks React writes in one go (about 2 KB each) into a few large ones. Every chunk makes its
 * own trip through the web stream Remix wraps the body in and to the socket, which for a long draft cost more than
 * rendering it. What was written is passed on once React pauses (the next turn of the event loop) or the size is
 * reached, so streaming after the shell still works.
 */
class ChunkCoalescer extends Transform {
  private parts: Buffer[] = [];
  private size = 0;
  private scheduled = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.parts.push(chunk);
    this.size += chunk.length;
    if (this.size >= COALESCED_CHUNK_BYTES) {
      this.pushParts();
    } else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.pushParts();
      });
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.pushParts();
    callback();
  }

  private pushParts(): void {
    if (this.size === 0) return;
    this.push(Buffer.concat(this.parts, this.size));
    this.parts = [];
    this.size = 0;
  }
}
