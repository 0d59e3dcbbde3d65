import type { LoaderFunctionArgs } from "@remix-run/node";
import { liveDraftExportResponse } from "#app/http/files.server";

/** The live draft as a Word document. */
export function loader({ params, context }: LoaderFunctionArgs) {
  return liveDraftExportResponse(context.services, params.slug ?? "");
}
