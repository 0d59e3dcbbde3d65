import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDocument } from "#app/http/document.server";
import { eventStreamResponse } from "#app/http/event-stream.server";
import { PRESENTER_MOVED } from "#app/present/events";

/**
 * Server-sent events for the participants following a presenter: a `presenter-moved` event with the section the
 * host shows, first the current one (when someone presents) and then each move. The draft is public, and so is
 * where its presenter is: anyone who may read the document may listen.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const document = await requireDocument(context, params.slug);
  const bus = context.services.presenterEvents;
  return eventStreamResponse(request, (send, close) => {
    const unsubscribe = bus.subscribe(document.id, (position) => send(PRESENTER_MOVED, position), close);
    const current = bus.current(document.id);
    if (current) send(PRESENTER_MOVED, current);
    return unsubscribe;
  });
}
