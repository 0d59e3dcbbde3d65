import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LicenceName } from "#app/components/comments/Licence";
import { IncorporatedFeedback } from "#app/components/feedback/IncorporatedFeedback";
import { ThreadSummaryList } from "#app/components/comments/ThreadSummaryList";
import { notFoundDocument, VersionNotFound } from "#app/components/VersionNotFound";
import { ServerRenderedIsland } from "#app/components/server-only";
import { staticDocumentMarkup } from "#app/editor/static-markup.server";
import { formatMeetingDate, formatTimestamp } from "#app/i18n/format";
import { pageTitle } from "#app/i18n/title";
import { Translated, useTranslation } from "#app/i18n/translation";
import { incorporatedByVersion } from "#app/models/feedback.server";
import { loadVersionThreads } from "#app/models/version-threads.server";
import { loadVersionForReading } from "#app/models/versions.server";
import { versionExportPath } from "#app/versions/types";
import { parseVersionNumber } from "#app/input/numbers";
import { findDocumentBySlug } from "#db/repositories/documents";

export const meta: MetaFunction<typeof loader> = ({ data, error, matches }) =>
  data
    ? pageTitle(matches, "version", data.document.title, { number: data.version.number, name: data.version.name })
    : pageTitle(matches, "versionNotFound", notFoundDocument(error)?.title);

/** A frozen version, read-only, at a stable address, with the comments made on it. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const number = parseVersionNumber(params.number);
  const document = await findDocumentBySlug(context.services.db, params.slug ?? "");
  if (!document) throw new Response("Not found", { status: 404 });
  if (number === null) throw data({ document: { slug: document.slug, title: document.title } }, { status: 404 });
  const [loaded, threads, stored] = await Promise.all([
    loadVersionForReading(context.services.db, document, number),
    loadVersionThreads(context.services, document.id, number),
    context.services.commentCache.read(document.id),
  ]);
  if (!loaded) throw data({ document: { slug: document.slug, title: document.title } }, { status: 404 });
  return {
    document: { slug: document.slug, title: document.title, language: document.language },
    version: loaded.facts,
    markup: staticDocumentMarkup(loaded.content),
    threads,
    incorporated: incorporatedByVersion(stored)[loaded.facts.number] ?? [],
    now: new Date().toISOString(),
  };
}

export function ErrorBoundary() {
  const { t } = useTranslation();
  return <VersionNotFound message={t("versions.notFound")} />;
}

export default function Version() {
  const { t, i18n } = useTranslation();
  const { document, version, markup, threads, incorporated, now } = useLoaderData<typeof loader>();
  return (
    <main id="main" className="page version-page">
      {/* On screen a header; printed, the title page. */}
      <header className="version-title">
        <p className="version-title__document" lang={document.language}>
          {document.title}
        </p>
        <dl className="version-title__facts">
          <dt>{t("exports.version")}</dt>
          <dd>{t("versions.versionLabel", { number: version.number, name: version.name })}</dd>
          <dt>{t("exports.frozen")}</dt>
          <dd>{formatTimestamp(i18n.language, version.createdAt)}</dd>
          <dt>{t("exports.workshop")}</dt>
          <dd>
            {version.workshop ? (
              <Link to={`/workshops/${version.workshop.slug}`}>
                <span lang="sv">{version.workshop.title}</span>, {formatMeetingDate(i18n.language, version.workshop.startsAt)}
              </Link>
            ) : (
              t("exports.none")
            )}
          </dd>
          <dt>{t("exports.licence")}</dt>
          <dd>
            <LicenceName licence={version.licence} />
          </dd>
        </dl>
      </header>
      <div className="note version-banner" role="note">
        <p>{t("versions.banner", { number: version.number, name: version.name, date: formatTimestamp(i18n.language, version.createdAt) })}</p>
        <p>
          <Link to={`/d/${document.slug}`}>{t("versions.backToDraft")}</Link> ·{" "}
          <Link to={`/d/${document.slug}/compare?from=${version.number}&to=live`}>{t("versions.compareWithLive")}</Link> ·{" "}
          <Link to={`/d/${document.slug}/versions`}>
            <Translated k="versions.title" values={{ title: <span lang={document.language}>{document.title}</span> }} />
          </Link>
        </p>
        <p>
          {t("exports.title")}: <a href={versionExportPath(document.slug, version.number, "md")}>{t("exports.markdown")}</a> ·{" "}
          <a href={versionExportPath(document.slug, version.number, "html")}>{t("exports.html")}</a> ·{" "}
          <a href={versionExportPath(document.slug, version.number, "docx")} download>
            {t("exports.word")}
          </a>
        </p>
      </div>
      <div lang={document.language}>
        <ServerRenderedIsland markup={markup} />
      </div>
      {/* After the text: the draft's own title is the page's first heading. */}
      <IncorporatedFeedback threads={incorporated} slug={document.slug} language={document.language} headingId="incorporated-feedback" headingLevel="h2" />
      <section className="version-threads" aria-labelledby="version-threads-title">
        <h2 id="version-threads-title">{t("versions.threadsHeading", { count: threads.length })}</h2>
        {threads.length === 0 ? (
          <p className="note">{t("versions.threadsEmpty")}</p>
        ) : (
          <>
            <p className="hint">{t("versions.threadsIntro")}</p>
            <ThreadSummaryList threads={threads} slug={document.slug} language={document.language} now={now} />
          </>
        )}
      </section>
    </main>
  );
}
