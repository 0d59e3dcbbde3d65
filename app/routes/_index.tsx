import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "#app/i18n/translation";
import { WorkshopList } from "#app/components/WorkshopList";
import { getCurrentSession } from "#app/http/auth.server";
import { loadHome } from "#app/models/home.server";
import { pageTitle } from "#app/i18n/title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "home");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const current = await getCurrentSession(request, context);
  return loadHome(context.services.db, current?.role ?? null);
}

export default function Home() {
  const { documents, workshops, canCreateDraft } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return (
    <main id="main" className="page">
      <h1>{t("home.title")}</h1>
      <p className="lead">{t("home.intro")}</p>

      <section aria-labelledby="documents-heading">
        <h2 id="documents-heading">{t("home.documents")}</h2>
        {canCreateDraft ? (
          <p>
            <Link to="/drafts/new">{t("drafts.newLink")}</Link>
          </p>
        ) : null}
        {documents.length === 0 ? (
          <p>{t("home.noDocuments")}</p>
        ) : (
          <ul className="document-list">
            {documents.map((document) => (
              <li key={document.slug}>
                <Link to={`/d/${document.slug}`} lang={document.language === locale ? undefined : document.language}>
                  {document.title}
                </Link>{" "}
                <span className="document-state">{`${t(`drafts.state.${document.state}`)} · ${t("drafts.openThreads", { count: document.openThreads })}`}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="workshops-heading">
        <h2 id="workshops-heading">{t("home.workshops")}</h2>
        <p>
          <Link to="/workshops">{t("workshop.allWorkshops")}</Link>
        </p>
        {workshops.length === 0 ? (
          <p>{t("home.noWorkshops")}</p>
        ) : (
          <WorkshopList workshops={workshops} />
        )}
      </section>
    </main>
  );
}
