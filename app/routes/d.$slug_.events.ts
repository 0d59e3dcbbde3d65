import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDocument } from "#app/http/document.server";
import { eventStreamResponse } from "#app/http/event-stream.server";

/**
 * Server-sent events for a document page: one `thread-changed` event per change to its comments, or to a thread's
 * place made by an edit (see ThreadPlaces). Events carry ids only, so anyone who may read the page may listen; what
 * they then load is checked as usual.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const document = await requireDocument(context, params.slug);
  const { commentEvents, threadPlaces } = context.services;
  return eventStreamResponse(request, (send, close) => {
    const unsubscribe = commentEvents.subscribe(document.id, (event) => send(event.type, event), close);
    const unwatch = threadPlaces.watch(document.id);
    return () => {
      unwatch();
      unsubscribe();
    };
  });
}
