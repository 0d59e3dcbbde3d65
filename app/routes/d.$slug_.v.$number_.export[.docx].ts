import type { LoaderFunctionArgs } from "@remix-run/node";
import { versionExportResponse } from "#app/http/files.server";

/** A version as a Word document. */
export function loader({ params, context }: LoaderFunctionArgs) {
  return versionExportResponse(context.services.db, params.slug ?? "", params.number, "docx");
}
