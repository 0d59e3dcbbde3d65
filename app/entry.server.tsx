import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "#app/components/nonce";
import { preloadLinks } from "#app/http/preload-links.server";
import { ChunkCoalescer } from "#app/components/chunk-coalescer.server";
import { markupOnce } from "#app/components/markup-cache.server";
import { ServerRenderContext } from "#app/components/server-only";
import { StaticDocument } from "#app/editor/StaticDocument";

const ABORT_DELAY_MS = 5_000;

/**
 * Remix's default Node entry, plus the CSP nonce on every script it renders, the loaders' server-only data, and a
 * Link header that starts the page's scripts loading before its HTML has arrived.
 */
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
      responseHeaders.set("Link", preloadLinks(remixContext));
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <ServerRenderContext.Provider value={{ data: loadContext.serverOnly, markupOnce, StaticDocument }}>
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
