import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDocument } from "#app/http/document.server";
import { eventStreamResponse } from "#app/http/event-stream.server";
import { textRevisionOf } from "#app/models/text-revision.server";

/**
 * Server-sent events for a document page: one `thread-changed` event per change to its comments, or to a thread's
 * place made by an edit (see ThreadPlaces). Events carry ids only, so anyone who may read the page may listen; what
 * they then load is checked as usual. A page that shows the server's markup of the draft instead of the live editor
 * asks for `?text`: it also gets the text's revision when the stream opens and after each burst of edits
 * (`text-changed`, decision 0022).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const document = await requireDocument(context, params.slug);
  const { commentEvents, threadPlaces, readDocument } = context.services;
  const followsText = new URL(request.url).searchParams.has("text");
  return eventStreamResponse(request, (send, close) => {
    let open = true;
    const unsubscribe = commentEvents.subscribe(
      document.id,
      (event) => {
        if (event.type !== "text-changed" || followsText) send(event.type, event);
      },
      close,
    );
    const unwatch = threadPlaces.watch(document.id);
    if (followsText) {
      // What changed between the page's render and this stream's start is fetched at once.
      readDocument(document.id, textRevisionOf).then(
        (revision) => {
          if (open) send("text-changed", { type: "text-changed", revision });
        },
        () => {},
      );
    }
    return () => {
      open = false;
      unwatch();
      unsubscribe();
    };
  });
}
