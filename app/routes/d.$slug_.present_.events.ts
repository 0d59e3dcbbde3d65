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
    let open = true;
    let moved = false;
    const unsubscribe = bus.subscribe(
      document.id,
      (position) => {
        moved = true;
        send(PRESENTER_MOVED, position);
      },
      close,
    );
    // A move that arrives while the current position is read is newer than it.
    bus.current(document.id).then(
      (current) => {
        if (current && open && !moved) send(PRESENTER_MOVED, current);
      },
      () => {},
    );
    return () => {
      open = false;
      unsubscribe();
    };
  });
}
