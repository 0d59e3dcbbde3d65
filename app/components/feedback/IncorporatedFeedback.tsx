import { Link } from "@remix-run/react";
import { useTranslation } from "#app/i18n/translation";
import type { IncorporatedThread } from "#app/feedback/types";

/**
 * "Incorporated feedback: N threads", beside a version's change note: the threads accepted since the previous
 * version, each linked to where it is discussed on the live draft.
 */
export function IncorporatedFeedback({
  threads,
  slug,
  language,
  headingId,
  headingLevel: Heading = "h3",
}: {
  threads: readonly IncorporatedThread[];
  slug: string;
  language: string;
  headingId: string;
  headingLevel?: "h2" | "h3";
}) {
  const { t } = useTranslation();
  if (threads.length === 0) return null;
  return (
    <section className="incorporated" aria-labelledby={headingId}>
      <Heading id={headingId}>{t("feedback.incorporated.heading", { count: threads.length })}</Heading>
      <ul>
        {threads.map((thread) => (
          <li key={thread.id}>
            <Link to={`/d/${slug}?comments=all&show=${thread.id}#thread-${thread.id}`}>
              <q lang={language}>{thread.quote}</q>
            </Link>{" "}
            – {[thread.authorName, thread.authorOrganisation].filter(Boolean).join(", ")}{" "}
            <span className={`badge badge--${thread.outcome}`}>{t(`feedback.statuses.${thread.outcome}`)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
