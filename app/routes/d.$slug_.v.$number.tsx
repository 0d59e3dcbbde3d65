import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
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
import { previewRestore, restoreVersionIntoDraft, type RestorePreview, type RestoreResult } from "#app/models/version-restore.server";
import { can } from "#app/models/authorization.server";
import { getCurrentSession, requirePermission } from "#app/http/auth.server";
import { requireDocument } from "#app/http/document.server";
import { versionExportPath } from "#app/versions/types";
import { parseVersionNumber } from "#app/input/numbers";
import { findDocumentBySlug } from "#db/repositories/documents";

export const meta: MetaFunction<typeof loader> = ({ data, error, matches }) =>
  data
    ? pageTitle(matches, "version", data.document.title, { number: data.version.number, name: data.version.name })
    : pageTitle(matches, "versionNotFound", notFoundDocument(error)?.title);

/** A frozen version, read-only, at a stable address, with the comments made on it. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const number = parseVersionNumber(params.number);
  const document = await findDocumentBySlug(context.services.db, params.slug ?? "");
  if (!document) throw new Response("Not found", { status: 404 });
  if (number === null) throw data({ document: { slug: document.slug, title: document.title } }, { status: 404 });
  const current = await getCurrentSession(request, context);
  const canRestore = can(current?.role ?? null, "edit-draft");
  // "?restore" asks the editor to confirm, with what restoring would replace.
  const confirming = canRestore && new URL(request.url).searchParams.has("restore");
  const [loaded, threads, stored, restorePreview] = await Promise.all([
    loadVersionForReading(context.services.db, document, number),
    loadVersionThreads(context.services, document.id, number),
    context.services.commentCache.read(document.id),
    confirming ? previewRestore(context.services, document.id, number) : Promise.resolve(null),
  ]);
  if (!loaded) throw data({ document: { slug: document.slug, title: document.title } }, { status: 404 });
  return {
    canRestore,
    restorePreview,
    document: { slug: document.slug, title: document.title, language: document.language },
    version: loaded.facts,
    markup: staticDocumentMarkup(loaded.content),
    threads,
    incorporated: incorporatedByVersion(stored)[loaded.facts.number] ?? [],
    now: new Date().toISOString(),
  };
}

/** Restores this version into the live draft (editors only). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const current = await requirePermission(request, context, "edit-draft");
  const document = await requireDocument(context, params.slug);
  const number = parseVersionNumber(params.number);
  const result: RestoreResult =
    number === null
      ? { ok: false, error: "version-not-found" }
      : await restoreVersionIntoDraft(context.services, current, document.id, number, { ip: context.clientIp });
  if (result.ok) return result;
  return Response.json(result, { status: result.error === "not-allowed" ? 403 : result.error === "version-not-found" ? 404 : 409 });
}

export function ErrorBoundary() {
  const { t } = useTranslation();
  return <VersionNotFound message={t("versions.notFound")} />;
}

export default function Version() {
  const { t, i18n } = useTranslation();
  const { document, version, markup, threads, incorporated, now, canRestore, restorePreview } = useLoaderData<typeof loader>();
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
      {canRestore ? <RestoreSection slug={document.slug} number={version.number} preview={restorePreview} /> : null}
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

/**
 * Restoring, for editors: a link to the confirmation (which says what the draft would lose), then one button. Works
 * without a script: the confirmation is the page with "?restore", and the result is the action's answer.
 */
function RestoreSection({ slug, number, preview }: { slug: string; number: number; preview: RestorePreview | null }) {
  const { t } = useTranslation();
  const result = useActionData<RestoreResult>();
  const navigation = useNavigation();
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const outcome = useRef<HTMLParagraphElement>(null);
  const versionPath = `/d/${slug}/v/${number}`;
  const confirming = preview !== null && !result;
  // Whoever asked to restore continues at the question, and then at its answer.
  useEffect(() => {
    if (confirming) confirmHeading.current?.focus();
  }, [confirming]);
  useEffect(() => {
    if (result) outcome.current?.focus();
  }, [result]);
  const message = !result
    ? null
    : !result.ok
      ? t(`versions.restore.errors.${result.error}`)
      : result.unchanged
        ? t("versions.restore.unchanged", { number })
        : result.layoutOnly
          ? t("versions.restore.doneLayout", { number })
          : t("versions.restore.done", { number, changed: result.changed, added: result.added, removed: result.removed });
  return (
    <section className="version-restore" aria-labelledby="restore-title">
      <h2 id="restore-title">{t("versions.restore.title")}</h2>
      {message !== null ? (
        <p ref={outcome} tabIndex={-1} role={result?.ok ? "status" : "alert"} className={result?.ok ? "note" : "form-error"}>
          {message} {result?.ok ? <Link to={`/d/${slug}`}>{t("versions.backToDraft")}</Link> : null}
        </p>
      ) : null}
      <p className="hint">{t("versions.restore.intro")}</p>
      {confirming ? (
        <div id="restore-confirm" className="note">
          <h3 ref={confirmHeading} tabIndex={-1}>
            {t("versions.restore.confirmTitle", { number })}
          </h3>
          <p>{t("versions.restore.differing", { count: preview.differingBlocks })}</p>
          {preview.unsavedChanges ? (
            <p>
              {t("versions.restore.unsaved")} <Link to={`/d/${slug}/versions#freeze-title`}>{t("versions.restore.saveFirst")}</Link>
            </p>
          ) : null}
          <Form method="post" action={versionPath} className="form-actions">
            <button type="submit" className="primary" disabled={navigation.state !== "idle"}>
              {t("versions.restore.confirm", { number })}
            </button>
            <Link to={versionPath}>{t("versions.restore.cancel")}</Link>
          </Form>
        </div>
      ) : (
        <p>
          <Link to={`${versionPath}?restore#restore-confirm`}>{t("versions.restore.start")}</Link>
        </p>
      )}
    </section>
  );
}
