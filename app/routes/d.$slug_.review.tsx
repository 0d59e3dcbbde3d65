import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CommentBody } from "#app/components/comments/CommentBody";
import { Timestamp } from "#app/components/comments/Timestamp";
import { threadPath } from "#app/comments/links";
import { formatReference } from "#app/comments/references";
import { useTranslation } from "#app/i18n/translation";
import { requirePermission } from "#app/http/auth.server";
import { requireDocument } from "#app/http/document.server";
import { readForm } from "#app/models/forms.server";
import { loadReviewList, markReviewed, type ReviewItem, type ReviewResult } from "#app/models/thread-reviews.server";
import { pageTitle } from "#app/i18n/title";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, "review", data?.document.title);

/** `/d/<slug>/review`: threads whose text changed or went when a version was frozen, for editors to check. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "resolve-threads");
  const document = await requireDocument(context, params.slug);
  return {
    document: { slug: document.slug, title: document.title, language: document.language },
    groups: await loadReviewList(context.services, document.id),
    now: new Date().toISOString(),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const current = await requirePermission(request, context, "resolve-threads");
  const document = await requireDocument(context, params.slug);
  const { fields, refused } = await readForm(request);
  const result: ReviewResult = refused ? { ok: false, error: "invalid" } : await markReviewed(context.services, current, document.id, fields);
  return Response.json(result, { status: result.ok ? 200 : result.error === "not-allowed" ? 403 : 400 });
}

export default function Review() {
  const { t } = useTranslation();
  const { document, groups, now } = useLoaderData<typeof loader>();
  const result = useActionData<ReviewResult>();
  const waiting = groups.reduce((count, group) => count + group.items.filter((item) => !item.reviewed).length, 0);
  return (
    <main id="main" className="page">
      <p>
        <Link to={`/d/${document.slug}/versions`}>{t("review.backToVersions")}</Link> · <Link to={`/d/${document.slug}/feedback`}>{t("feedback.link")}</Link>
      </p>
      <h1>{t("review.title")}</h1>
      <p className="lead">{t("review.intro")}</p>
      {result ? (
        <p role={result.ok ? "status" : "alert"} className={result.ok ? "note" : "form-error"}>
          {result.ok ? t("review.done") : t(`review.errors.${result.error}`)}
        </p>
      ) : null}
      {waiting === 0 ? <p>{t("review.empty")}</p> : null}
      {groups.map((group) => {
        const open = group.items.filter((item) => !item.reviewed);
        const done = group.items.filter((item) => item.reviewed);
        return (
          <section key={group.versionNumber} aria-labelledby={`review-v${group.versionNumber}`}>
            <h2 id={`review-v${group.versionNumber}`}>{t("review.atVersion", { number: group.versionNumber })}</h2>
            <ol className="thread-list">
              {open.map((item) => (
                <ReviewCard key={item.threadId} item={item} versionNumber={group.versionNumber} slug={document.slug} language={document.language} now={now} />
              ))}
            </ol>
            {done.length > 0 ? (
              <details>
                <summary>
                  {t("review.reviewedHeading")} ({done.length})
                </summary>
                <ol className="thread-list">
                  {done.map((item) => (
                    <ReviewCard key={item.threadId} item={item} versionNumber={group.versionNumber} slug={document.slug} language={document.language} now={now} />
                  ))}
                </ol>
              </details>
            ) : null}
          </section>
        );
      })}
    </main>
  );
}

function ReviewCard({ item, versionNumber, slug, language, now }: { item: ReviewItem; versionNumber: number; slug: string; language: string; now: string }) {
  const { t } = useTranslation();
  const titleId = `review-${versionNumber}-${item.threadId}`;
  return (
    <li>
      <article className="thread" aria-labelledby={titleId}>
        <h3 id={titleId} className="thread__title">
          <span className={`badge badge--${item.outcome}`}>{t(`review.outcome.${item.outcome}`)}</span>{" "}
          {item.referenceNow ? t("review.now", { reference: formatReference(item.referenceNow, t("comments.titleReference")) }) : t("review.gone")}
        </h3>
        <blockquote lang={language}>
          <p>{item.quote}</p>
        </blockquote>
        {item.firstComment ? (
          <>
            <p className="thread__summary">{t("review.firstComment", { name: [item.firstComment.authorName, item.firstComment.authorOrganisation].filter(Boolean).join(", ") })}</p>
            <CommentBody text={item.firstComment.excerpt} />
          </>
        ) : null}
        <p>
          <Link to={threadPath(slug, item.threadId)}>{t("review.open")}</Link>
        </p>
        {item.reviewed ? (
          <p className="hint">
            {t("review.reviewedBy", { name: item.reviewed.byName })} · <Timestamp instant={item.reviewed.at} now={now} />
          </p>
        ) : (
          <Form method="post">
            <input type="hidden" name="threadId" value={item.threadId} />
            <input type="hidden" name="versionNumber" value={versionNumber} />
            <button type="submit">{t("review.markReviewed")}</button>
          </Form>
        )}
      </article>
    </li>
  );
}
