import type { LoaderFunctionArgs } from "@remix-run/node";
import type { CommentEvent } from "~/comments/events";
import { requireDocument } from "~/models/document.server";

/** Proxies and browsers drop a silent stream; a comment line now and then keeps it open. */
const KEEP_ALIVE_MS = 25_000;

/**
 * Server-sent events for a document page: one `thread-changed` event per change to its comments. Events carry
 * ids only, so anyone who may read the page may listen; what they then load is checked as usual.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const document = await requireDocument(context, params.slug);
  const bus = context.services.commentEvents;
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      const keepAlive = setInterval(() => send(": keep-alive\n\n"), KEEP_ALIVE_MS);
      const unsubscribe = bus.subscribe(
        document.id,
        (event: CommentEvent) => send(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
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
      // Tells the browser how long to wait before reconnecting, and flushes the headers at once.
      send("retry: 2000\n\n");
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" },
  });
}
