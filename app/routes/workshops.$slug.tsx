import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { WorkshopTime } from "#app/components/WorkshopTime";
import { Translated, useTranslation } from "#app/i18n/translation";
import { getCurrentSession } from "#app/http/auth.server";
import { can } from "#app/models/authorization.server";
import { loadWorkshopPage } from "#app/models/workshops.server";
import { pageTitle } from "#app/i18n/title";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, "workshop", data?.workshop.title);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const [page, current] = await Promise.all([
    loadWorkshopPage(context.services.db, params.slug ?? ""),
    getCurrentSession(request, context),
  ]);
  if (!page) throw new Response("Not found", { status: 404 });
  return { ...page, canManage: can(current?.role ?? null, "manage-workshops") };
}

export default function Workshop() {
  const { t } = useTranslation();
  const { workshop, versions, canManage } = useLoaderData<typeof loader>();
  return (
    <main id="main" className="page">
      <p>
        <Link to="/workshops">{t("workshop.allWorkshops")}</Link>
      </p>
      <h1 lang="sv">{workshop.title}</h1>
      <p>
        <WorkshopTime startsAt={workshop.startsAt} endsAt={workshop.endsAt} />
      </p>
      {canManage ? (
        <p>
          <Link to={`/workshops/${workshop.slug}/edit`}>{t("workshop.edit")}</Link>
        </p>
      ) : null}
      <p lang="sv">{workshop.description}</p>
      {workshop.organisers ? <p className="organisers">{t("home.organisers", { organisers: workshop.organisers })}</p> : null}
      {workshop.meetingUrl ? (
        <p>
          {t("workshop.meetingLink")} <a href={workshop.meetingUrl}>{workshop.meetingUrl}</a>
        </p>
      ) : null}
      <p>
        <a href={`/workshops/${workshop.slug}/calendar.ics`} download>
          {t("workshop.calendar")}
        </a>
      </p>
      <h2>{t("workshop.versions")}</h2>
      {versions.length === 0 ? <p>{t("workshop.noVersions")}</p> : null}
      <ul>
        {versions.map((version) => (
          <li key={`${version.documentSlug}:${version.number}`}>
            <Link to={`/d/${version.documentSlug}/v/${version.number}`}>
              <Translated k="versions.versionLabel" values={{ number: version.number, name: <span lang="sv">{version.name}</span> }} />
            </Link>{" "}
            (<span lang="sv">{version.documentTitle}</span>) ·{" "}
            <Link to={`/d/${version.documentSlug}/compare?from=${version.number}&to=live`}>{t("workshop.changesSince")}</Link> ·{" "}
            <Link to={`/d/${version.documentSlug}/v/${version.number}#version-threads-title`}>
              {t("workshop.commentsOnVersion", { count: version.threadCount })}
            </Link>
          </li>
        ))}
      </ul>
    </main>
  );
}
