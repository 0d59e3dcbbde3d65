/** Proxies and browsers drop a silent stream; a comment line now and then keeps it open. */
const KEEP_ALIVE_MS = 25_000;

/** Sends one server-sent event: its type, and its data as JSON. */
export type SendEvent = (type: string, data: unknown) => void;

/**
 * A server-sent events response. `subscribe` starts sending (it may send at once) and returns how to stop; it is
 * also handed `close`, for a source that ends (the server stopping). The stream ends when the client goes away.
 */
export function eventStreamResponse(request: Request, subscribe: (send: SendEvent, close: () => void) => () => void): Response {
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => controller.enqueue(encoder.encode(text));
      // Tells the browser how long to wait before reconnecting, and flushes the headers at once.
      write("retry: 2000\n\n");
      const keepAlive = setInterval(() => write(": keep-alive\n\n"), KEEP_ALIVE_MS);
      const unsubscribe = subscribe(
        (type, data) => write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`),
        () => stop(),
      );
      stop = () => {
        clearInterval(keepAlive);
        unsubscribe();
        request.signal.removeEventListener("abort", stop);
        try {
          controller.close();
        } catch {
          // Already closed by the client going away.
        }
      };
      request.signal.addEventListener("abort", stop);
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" },
  });
}
