import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicBaseUrl } from "#app/http/auth.server";
import { reportResponse } from "#app/http/files.server";

/** The consultation report of the draft, or of one version (?version=n), as a standalone HTML page, made for printing to PDF. */
export function loader({ request, params, context }: LoaderFunctionArgs) {
  const version = new URL(request.url).searchParams.get("version");
  return reportResponse(context.services, publicBaseUrl(request, context.services), params.slug ?? "", "html", version);
}
