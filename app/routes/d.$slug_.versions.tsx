import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field } from "#app/components/Field";
import { ReportLinks } from "#app/components/ReportLinks";
import { IncorporatedFeedback } from "#app/components/feedback/IncorporatedFeedback";
import { formatMeetingDate, formatTimestamp } from "#app/i18n/format";
import { Translated, useTranslation } from "#app/i18n/translation";
import { getCurrentSession, requirePermission } from "#app/http/auth.server";
import { can } from "#app/models/authorization.server";
import { requireDocument } from "#app/http/document.server";
import { readForm } from "#app/models/forms.server";
import { incorporatedByVersion } from "#app/models/feedback.server";
import { countWaitingReviews } from "#app/models/thread-reviews.server";
import { freezeVersion, loadVersionTimeline, type FreezeResult } from "#app/models/versions.server";
import { CHANGE_NOTE_MAX_LENGTH, freezeField, VERSION_NAME_MAX_LENGTH, liveDraftExportPath, versionExportPath, type FreezeError } from "#app/versions/types";
import { listWorkshops } from "#db/repositories/workshops";
import { pageTitle } from "#app/i18n/title";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, "versions", data?.document.title);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const document = await requireDocument(context, params.slug);
  const current = await getCurrentSession(request, context);
  // An archived draft's history is complete (decision 0033): no form to freeze another version.
  const canFreeze = document.archived_at === null && can(current?.role ?? null, "freeze-version");
  const canReview = can(current?.role ?? null, "resolve-threads");
  const [versions, workshops, waitingReviews, stored] = await Promise.all([
    loadVersionTimeline(context.services.db, document.id),
    canFreeze ? listWorkshops(context.services.db) : Promise.resolve([]),
    canReview ? countWaitingReviews(context.services.db, document.id) : Promise.resolve(0),
    context.services.commentCache.read(document.id),
  ]);
  return {
    document: { slug: document.slug, title: document.title, language: document.language },
    versions,
    incorporated: incorporatedByVersion(stored),
    canFreeze,
    canReview,
    waitingReviews,
    workshops: workshops.map((workshop) => ({ id: workshop.id, title: workshop.title, startsAt: workshop.starts_at.toISOString() })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const current = await requirePermission(request, context, "freeze-version");
  const document = await requireDocument(context, params.slug);
  const { fields, refused } = await readForm(request);
  const result: FreezeResult = refused
    ? { ok: false, error: "invalid-input", field: freezeField(refused), code: "control-characters" }
    : await freezeVersion(context.services, current, document.id, fields);
  if (result.ok) return redirect(`/d/${document.slug}/v/${result.version.number}`);
  return Response.json({ ...result, values: fields }, { status: result.error === "not-allowed" ? 403 : 400 });
}

export default function Versions() {
  const { t, i18n } = useTranslation();
  const { document, versions, incorporated, canFreeze, canReview, waitingReviews, workshops } = useLoaderData<typeof loader>();
  const result = useActionData<FreezeError & { values?: Record<string, string> }>();
  const failed = result?.error === "invalid-input" ? result : null;
  const fieldError = (field: string) => (failed?.field === field ? t(`versions.errors.${failed.code}`) : undefined);
  const windowError = (field: string) => (failed?.field === field ? t(`commentWindow.errors.${failed.code}`) : undefined);
  return (
    <main id="main" className="page">
      <p>
        <Link to={`/d/${document.slug}`}>{t("versions.backToDraft")}</Link>
      </p>
      <h1>
        <Translated k="versions.title" values={{ title: <span lang={document.language}>{document.title}</span> }} />
      </h1>
      <p className="lead">{t("versions.intro")}</p>
      <p>
        {t("exports.title")}:{" "}
        <a href={liveDraftExportPath(document.slug)} download>
          {t("exports.liveDraft")}
        </a>
      </p>
      {canReview ? (
        <p className="note">
          <Link to={`/d/${document.slug}/feedback`}>{t("feedback.link")}</Link>
          {waitingReviews > 0 ? (
            <>
              {" · "}
              <Link to={`/d/${document.slug}/review`}>{t("review.link", { count: waitingReviews })}</Link>
            </>
          ) : null}
        </p>
      ) : null}
      <section aria-labelledby="report-title">
        <h2 id="report-title">{t("report.heading")}</h2>
        <p className="hint">{t("report.intro")}</p>
        <ReportLinks slug={document.slug} label={t("report.wholeDocument")} />
      </section>
      {versions.length === 0 ? <p>{t("versions.empty")}</p> : null}
      <ol className="version-list" reversed>
        {versions.map((version) => (
          <li key={version.number}>
            <h2>
              <Link to={`/d/${document.slug}/v/${version.number}`}><Translated k="versions.versionLabel" values={{ number: version.number, name: <span lang={document.language}>{version.name}</span> }} /></Link>
            </h2>
            <p className="hint">
              {formatTimestamp(i18n.language, version.createdAt)} · {t("versions.frozenBy", { name: version.createdByName })}
            </p>
            {version.workshop ? (
              <p>{t("versions.presentedAt", { title: version.workshop.title, date: formatMeetingDate(i18n.language, version.workshop.startsAt) })}</p>
            ) : null}
            {version.changeNote ? <p className="change-note">{version.changeNote}</p> : null}
            <IncorporatedFeedback
              threads={incorporated[version.number] ?? []}
              slug={document.slug}
              language={document.language}
              headingId={`incorporated-${version.number}`}
            />
            <p>
              <Link to={`/d/${document.slug}/compare?from=${version.number}&to=live`}>{t("versions.compareWithLive")}</Link> ·{" "}
              {t("exports.title")}: <a href={versionExportPath(document.slug, version.number, "md")}>{t("exports.markdown")}</a> ·{" "}
              <a href={versionExportPath(document.slug, version.number, "html")}>{t("exports.html")}</a> ·{" "}
              <a href={versionExportPath(document.slug, version.number, "docx")} download>
                {t("exports.word")}
              </a>
            </p>
            <ReportLinks slug={document.slug} version={version.number} label={t("report.forVersion")} />
          </li>
        ))}
      </ol>
      {canFreeze ? (
        <section aria-labelledby="freeze-title">
          <h2 id="freeze-title">{t("versions.freezeTitle")}</h2>
          <Form method="post" className="stacked-form">
            <Field
              label={t("versions.name")}
              name="name"
              hint={t("versions.nameHint")}
              required
              maxLength={VERSION_NAME_MAX_LENGTH}
              defaultValue={failed?.values?.name}
              error={fieldError("name")}
            />
            <div className={fieldError("changeNote") ? "field field--invalid" : "field"}>
              <label htmlFor="change-note">{t("versions.changeNote")}</label>
              {fieldError("changeNote") ? <p className="field-error">{fieldError("changeNote")}</p> : null}
              <textarea id="change-note" name="changeNote" rows={3} maxLength={CHANGE_NOTE_MAX_LENGTH} defaultValue={failed?.values?.changeNote} />
            </div>
            <div className={fieldError("workshopId") ? "field field--invalid" : "field"}>
              <label htmlFor="workshop">{t("versions.workshop")}</label>
              {fieldError("workshopId") ? <p className="field-error">{fieldError("workshopId")}</p> : null}
              <select id="workshop" name="workshopId" defaultValue={failed?.values?.workshopId ?? ""}>
                <option value="">{t("versions.noWorkshop")}</option>
                {workshops.map((workshop) => (
                  <option key={workshop.id} value={workshop.id}>
                    {workshop.title} ({formatMeetingDate(i18n.language, workshop.startsAt)})
                  </option>
                ))}
              </select>
            </div>
            <fieldset className="field-group">
              <legend>{t("commentWindow.legend")}</legend>
              <p className="hint">{t("commentWindow.hint")}</p>
              <div className="field-row">
                <Field label={t("commentWindow.opensDate")} name="commentsOpenDate" type="date" defaultValue={failed?.values?.commentsOpenDate} error={windowError("commentsOpen")} />
                <Field label={t("commentWindow.opensTime")} name="commentsOpenTime" type="time" defaultValue={failed?.values?.commentsOpenTime} />
              </div>
              <div className="field-row">
                <Field label={t("commentWindow.closesDate")} name="commentsCloseDate" type="date" defaultValue={failed?.values?.commentsCloseDate} error={windowError("commentsClose")} />
                <Field label={t("commentWindow.closesTime")} name="commentsCloseTime" type="time" defaultValue={failed?.values?.commentsCloseTime} />
              </div>
            </fieldset>
            <button type="submit" className="primary">
              {t("versions.freeze")}
            </button>
          </Form>
        </section>
      ) : null}
    </main>
  );
}
