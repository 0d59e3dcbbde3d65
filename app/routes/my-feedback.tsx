import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CommentBody } from "#app/components/comments/CommentBody";
import { Timestamp } from "#app/components/comments/Timestamp";
import { threadPath } from "#app/comments/links";
import { formatReference } from "#app/comments/references";
import { useTranslation } from "#app/i18n/translation";
import { requirePermission } from "#app/http/auth.server";
import { loadMyFeedback, type FeedbackItem } from "#app/models/my-feedback.server";
import { pageTitle } from "#app/i18n/title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "myFeedback");

/** `/my-feedback`: every thread the signed-in member started or wrote in, and what happened to it. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const current = await requirePermission(request, context, "read");
  return { items: await loadMyFeedback(context.services, current.user.id), now: new Date().toISOString() };
}

export default function MyFeedback() {
  const { t } = useTranslation();
  const { items, now } = useLoaderData<typeof loader>();
  return (
    <main id="main" className="page">
      <h1>{t("myFeedback.title")}</h1>
      <p className="lead">{t("myFeedback.intro")}</p>
      {items.length === 0 ? (
        <p>{t("myFeedback.empty")}</p>
      ) : (
        <ol className="thread-list">
          {items.map((item) => (
            <FeedbackCard key={item.threadId} item={item} now={now} />
          ))}
        </ol>
      )}
    </main>
  );
}

function FeedbackCard({ item, now }: { item: FeedbackItem; now: string }) {
  const { t } = useTranslation();
  const titleId = `feedback-${item.threadId}`;
  const where = item.reference ? formatReference(item.reference, t("comments.titleReference")) : t("myFeedback.onRemovedText");
  return (
    <li>
      <article className={`thread${item.status === "resolved" ? " thread--resolved" : ""}`} aria-labelledby={titleId}>
        <header className="thread__header">
          <h2 id={titleId} className="thread__title">
            <span lang={item.document.language}>{item.document.title}</span> – {where}
          </h2>
          <span className="badge">{t(`myFeedback.kind.${item.kind}`)}</span>
        </header>
        <p className="thread__summary">
          {t(item.startedByMember ? "myFeedback.startedByYou" : "myFeedback.wroteInIt")} · <Timestamp instant={item.createdAt} now={now} />
        </p>
        <blockquote className={`thread__quote${item.reference ? "" : " thread__quote--removed"}`} lang={item.document.language}>
          {item.reference ? item.quote : <del>{item.quote}</del>}
        </blockquote>
        {item.kind === "suggestion" ? (
          <div className="thread__suggestion">
            <p className="thread__suggestion-label">{item.suggestedText ? t("comments.suggestionHeading") : t("comments.suggestionDelete")}</p>
            {item.suggestedText ? <ins lang={item.document.language}>{item.suggestedText}</ins> : null}
          </div>
        ) : null}
        {item.firstComment ? (
          <>
            <p className="comment__byline">{t("myFeedback.firstComment", { name: item.firstComment.authorName })}</p>
            <CommentBody text={item.firstComment.excerpt} />
          </>
        ) : null}
        <p>
          {t("myFeedback.statusLabel")}:{" "}
          <strong className={item.outcome ? `badge badge--${item.outcome}` : "badge"}>
            {item.outcome ? t(`comments.outcome.${item.outcome}`) : t(`myFeedback.status.${item.status}`)}
          </strong>
          {item.incorporatedIn !== null ? <span className="badge">{t("comments.incorporatedIn", { number: item.incorporatedIn })}</span> : null}
        </p>
        {item.response ? (
          <section className="thread__response" aria-label={t("comments.responseLabel")}>
            <p className="thread__response-by">{t("comments.responseBy", { name: item.response.byName })}</p>
            <CommentBody text={item.response.text} />
          </section>
        ) : item.status === "open" ? (
          <p className="thread__summary">{t("myFeedback.noResponseYet")}</p>
        ) : null}
        <p className="thread__summary">
          {item.replies > 0 ? `${t("myFeedback.replies", { count: item.replies })} · ` : null}
          <Link to={threadPath(item.document.slug, item.threadId)}>{t("myFeedback.openThread")}</Link>
        </p>
      </article>
    </li>
  );
}
