import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { WorkshopList } from "#app/components/WorkshopList";
import { useTranslation } from "#app/i18n/translation";
import { getCurrentSession } from "#app/http/auth.server";
import { can } from "#app/models/authorization.server";
import { loadWorkshopList } from "#app/models/workshops.server";
import { pageTitle } from "#app/i18n/title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "workshops");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [list, current] = await Promise.all([loadWorkshopList(context.services.db, new Date()), getCurrentSession(request, context)]);
  return { ...list, canManage: can(current?.role ?? null, "manage-workshops") };
}

export default function Workshops() {
  const { t } = useTranslation();
  const { upcoming, past, canManage } = useLoaderData<typeof loader>();
  return (
    <main id="main" className="page">
      <h1>{t("workshop.listTitle")}</h1>
      {canManage ? (
        <p>
          <Link to="/workshops/new">{t("workshop.newWorkshop")}</Link>
        </p>
      ) : null}
      <section aria-labelledby="upcoming-heading">
        <h2 id="upcoming-heading">{t("workshop.upcoming")}</h2>
        {upcoming.length === 0 ? <p>{t("workshop.noUpcoming")}</p> : <WorkshopList workshops={upcoming} />}
      </section>
      <section aria-labelledby="past-heading">
        <h2 id="past-heading">{t("workshop.past")}</h2>
        {past.length === 0 ? <p>{t("workshop.noPast")}</p> : <WorkshopList workshops={past} />}
      </section>
    </main>
  );
}
