import type { LoaderFunctionArgs } from "@remix-run/node";
import { readingViewResponse } from "#app/http/document.server";

/** The reading view's markup and its text's revision, for readers' pages to follow the draft (decision 0022). */
export function loader({ request, params, context }: LoaderFunctionArgs) {
  return readingViewResponse(request, context, params.slug);
}
