import type { IncomingMessage } from "node:http";
import type { RequestHandler, Response } from "express";

/**
 * How large a request body may be. Forms are text and a comment is at most 5,000 characters, so `defaultBytes`
 * (MAX_BODY_BYTES, 1 MiB unless set) is far more than any form needs; a route that takes uploads gets its own,
 * larger limit by a line in `larger`.
 */
export interface BodyLimits {
  defaultBytes: number;
  larger?: readonly { path: RegExp; maxBytes: number }[];
}

export function bodyLimitFor(path: string, limits: BodyLimits): number {
  return limits.larger?.find((entry) => entry.path.test(path))?.maxBytes ?? limits.defaultBytes;
}

const bodies = new WeakMap<IncomingMessage, Buffer>();

/** The body readBodies stored for the request; empty for a request without one. */
export function storedBody(request: IncomingMessage): Buffer {
  return bodies.get(request) ?? Buffer.alloc(0);
}

/**
 * Reads the body of every POST before Remix sees the request, counting bytes as they arrive, so a body over its
 * limit is refused with 413 after at most that many bytes, whether or not it declared a Content-Length (chunked
 * bodies do not). Remix then reads the stored body (storedBody), never the socket.
 */
export function readBodies(limits: BodyLimits): RequestHandler {
  return (request, response, next) => {
    if (request.method !== "POST") return next();
    const limit = bodyLimitFor(request.path, limits);
    const declared = Number(request.get("content-length") ?? Number.NaN);
    if (declared > limit) return tooLarge(response, limit);

    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (outcome: () => void) => {
      if (done) return;
      done = true;
      request.off("data", onData).off("end", onEnd).off("error", onError);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) return finish(() => tooLarge(response, limit));
      chunks.push(chunk);
    };
    const onEnd = () =>
      finish(() => {
        bodies.set(request, Buffer.concat(chunks, received));
        next();
      });
    // A client that hangs up mid-body gets no answer; there is nobody to send it to.
    const onError = () => finish(() => request.destroy());
    request.on("data", onData).on("end", onEnd).on("error", onError);
  };
}

function tooLarge(response: Response, limit: number): void {
  const size = formatBytes(limit);
  // The rest of the body is discarded as it arrives, not kept, and the connection closes once the answer is sent.
  response.setHeader("Connection", "close");
  response.status(413).type("text/plain; charset=utf-8").send(`Förfrågan är för stor: högst ${size}. The request is too large: at most ${size}.`);
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}
