import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicBaseUrl } from "#app/http/auth.server";
import { workshopCalendar } from "#app/models/workshops.server";
import { findWorkshopBySlug } from "#db/repositories/workshops";

/** The workshop as a calendar file, for "add to my calendar". */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const workshop = await findWorkshopBySlug(context.services.db, params.slug ?? "");
  if (!workshop) throw new Response("Not found", { status: 404 });
  const pageUrl = `${publicBaseUrl(request, context.services)}/workshops/${workshop.slug}`;
  return new Response(workshopCalendar(workshop, pageUrl), {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="${workshop.slug}.ics"`,
    },
  });
}
