import { threadPath } from "#app/comments/links";
import { formatReference } from "#app/comments/references";
import type { CommentView } from "#app/comments/types";
import { useTranslation } from "#app/i18n/translation";
import { firstWords, type ThreadSummary } from "#app/versions/threads";
import { CommentBody } from "./CommentBody";
import { Timestamp } from "./Timestamp";

/** Read-only lists of threads for the pages of the draft's history; each thread is answered on the live draft. */

// Enough of a comment to recognise it in a list of changes.
const FIRST_WORDS_LENGTH = 120;

/** Threads with their place, quote, first comment and number of replies: the comments made on a version. */
export function ThreadSummaryList({
  threads,
  slug,
  language,
  now,
}: {
  threads: readonly ThreadSummary[];
  slug: string;
  /** The draft's language, for the quoted passages. */
  language: string;
  now: string;
}) {
  const { t } = useTranslation();
  return (
    <ol className="thread-list">
      {threads.map((thread) => {
        const titleId = `thread-summary-${thread.id}`;
        return (
          <li key={thread.id}>
            <article className={`thread${thread.status === "resolved" ? " thread--resolved" : ""}`} aria-labelledby={titleId}>
              <header className="thread__header">
                <h3 id={titleId} className="thread__title">
                  {thread.reference
                    ? t("comments.threadOn", { reference: formatReference(thread.reference, t("comments.titleReference")) })
                    : t("versions.threadNotInVersion")}
                </h3>
                <span className="badge">{t(`versions.threadStatus.${thread.status}`)}</span>
              </header>
              {thread.quote?.found ? (
                <blockquote className="thread__quote" lang={language}>
                  {thread.quote.text}
                </blockquote>
              ) : thread.quote ? (
                <div className="thread__quote thread__quote--removed">
                  <p>{t("versions.passageNotInVersion")}</p>
                  <del lang={language}>{thread.quote.text}</del>
                </div>
              ) : null}
              <p className="comment__byline">
                <Author thread={thread} />
                <br />
                <span className="comment__time">
                  <Timestamp instant={thread.firstComment.createdAt} now={now} />
                </span>
                {thread.firstComment.position ? (
                  <span className={`position position--${thread.firstComment.position}`}>
                    {t(`comments.position.${thread.firstComment.position}`)}
                  </span>
                ) : null}
              </p>
              {thread.firstComment.state === "visible" ? (
                <CommentBody text={thread.firstComment.body} />
              ) : (
                <RemovedComment comment={thread.firstComment} />
              )}
              <p className="thread__summary">
                {thread.replies > 0 ? `${t("versions.replies", { count: thread.replies })} · ` : null}
                <a href={threadPath(slug, thread.id)}>{t("versions.showThread")}</a>
              </p>
            </article>
          </li>
        );
      })}
    </ol>
  );
}

/** One line per thread (who, its status, the first words of its first comment): the comments on a changed block. */
export function CompactThreadList({ threads, slug, labelledBy }: { threads: readonly ThreadSummary[]; slug: string; labelledBy: string }) {
  const { t } = useTranslation();
  return (
    <ul className="thread-lines" aria-labelledby={labelledBy}>
      {threads.map((thread) => (
        <li key={thread.id}>
          <Author thread={thread} /> · {t(`versions.threadStatus.${thread.status}`)} ·{" "}
          {thread.firstComment.state === "visible" ? (
            <q>{firstWords(thread.firstComment.body, FIRST_WORDS_LENGTH)}</q>
          ) : (
            <RemovedComment comment={thread.firstComment} inline />
          )}{" "}
          <a href={threadPath(slug, thread.id)}>{t("versions.showThread")}</a>
        </li>
      ))}
    </ul>
  );
}

function Author({ thread }: { thread: ThreadSummary }) {
  return (
    <>
      <strong>{thread.authorName}</strong>
      {thread.authorOrganisation ? <span>, {thread.authorOrganisation}</span> : null}
    </>
  );
}

/** What readers are told instead of a deleted or hidden comment's text. */
function RemovedComment({ comment, inline = false }: { comment: CommentView; inline?: boolean }) {
  const { t } = useTranslation();
  const text = comment.state === "hidden" ? t("comments.hidden", { reason: comment.hiddenReason ?? "" }) : t("comments.removed");
  return inline ? <span className="comment__removed">{text}</span> : <p className="comment__removed">{text}</p>;
}
