import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { IncomingHttpHeaders } from "node:http";
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import { storedBody } from "./body-limit";
import { writeBody } from "./compression";

export interface RemixHandlerOptions {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: "development" | "production";
  getLoadContext(request: ExpressRequest, response: ExpressResponse): AppLoadContext;
}

/**
 * Remix's Express adapter, except that a POST's body is the one readBodies already read and limited: Remix never
 * reads the socket, so no route can take more than its limit. A Host header no URL can be made of is a 400. Text
 * answers are compressed as they stream (see writeBody), event streams never.
 */
export function remixHandler(options: RemixHandlerOptions): RequestHandler {
  const handle = createRequestHandler(options.build, options.mode);
  return async (request, response, next) => {
    const url = requestUrl(request);
    if (!url) {
      response.status(400).type("text/plain; charset=utf-8").send("Ogiltig Host. Malformed Host header.");
      return;
    }
    try {
      let controller: AbortController | null = new AbortController();
      // Loaders and actions stop once the answer can no longer be sent (the client left before it was finished).
      response.on("finish", () => (controller = null));
      response.on("close", () => controller?.abort());
      const remixRequest = new Request(url, {
        method: request.method,
        headers: fetchHeaders(request.headers),
        signal: controller.signal,
        ...(request.method === "POST" ? { body: Uint8Array.from(storedBody(request)) } : {}),
      });
      await send(request, response, await handle(remixRequest, options.getLoadContext(request, response)));
    } catch (error) {
      next(error);
    }
  };
}

function fetchHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, values] of Object.entries(incoming)) {
    if (values === undefined) continue;
    for (const value of Array.isArray(values) ? values : [values]) headers.append(name, value);
  }
  return headers;
}

async function send(request: ExpressRequest, response: ExpressResponse, answer: Response): Promise<void> {
  response.statusMessage = answer.statusText;
  response.status(answer.status);
  // append keeps every Set-Cookie header apart.
  for (const [name, value] of answer.headers.entries()) response.append(name, value);
  // Event streams must reach the browser before their first event.
  if (/text\/event-stream/i.test(answer.headers.get("Content-Type") ?? "")) response.flushHeaders();
  await writeBody(response, answer.body, request.get("accept-encoding"), request.method);
}

/** The URL as the adapter makes it: the host as "trust proxy" allows, with the port the client asked for. */
function requestUrl(request: ExpressRequest): string | null {
  const port = /:(\d+)$/.exec(request.get("x-forwarded-host") ?? request.get("host") ?? "")?.[1];
  try {
    return new URL(`${request.protocol}://${request.hostname}${port ? `:${port}` : ""}${request.originalUrl}`).href;
  } catch {
    return null;
  }
}
