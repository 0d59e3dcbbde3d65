import { useRef, useState } from "react";
import { useTranslation } from "~/i18n/translation";
import type { Licence } from "~/comments/licences";
import type { CommentView, ThreadView } from "~/comments/types";
import { CommentBody } from "./CommentBody";
import { CommentTextarea } from "./CommentTextarea";
import { PositionField } from "./Composer";
import { FormMessage, useFailureMessage } from "./FormMessage";
import { LicenceConsent, LicenceNotice } from "./Licence";
import { Timestamp } from "./Timestamp";
import { useCommentForm } from "./use-comment-form";

export interface ThreadContext {
  now: string;
  canComment: boolean;
  mustAcceptLicence: boolean;
  licence: Licence;
  enhanced: boolean;
  /** Without JavaScript: the thread whose reply form is open (`?reply=<thread id>`). */
  replyTo: string | null;
}

interface Props {
  thread: ThreadView;
  reference: string | null;
  active: boolean;
  context: ThreadContext;
  /** Scrolls the text to the thread's passage or block and marks it. */
  onShowInText?: (thread: ThreadView) => void;
}

export function ThreadCard({ thread, reference, active, context, onShowInText }: Props) {
  const { t } = useTranslation();
  const titleId = `thread-${thread.id}-title`;
  const { resolution, anchor } = thread;
  const quote = anchor.passage?.quote.exact ?? null;
  const located = resolution.state !== "removed";
  return (
    <article
      id={`thread-${thread.id}`}
      className={["thread", active ? "thread--active" : "", thread.status === "resolved" ? "thread--resolved" : ""].join(" ").trim()}
      aria-labelledby={titleId}
      tabIndex={-1}
      data-thread-id={thread.id}
      data-block-id={located ? resolution.blockId : undefined}
    >
      <header className="thread__header">
        <h3 id={titleId} className="thread__title">
          {reference ? t("comments.threadOn", { reference }) : t("comments.removedTextHeading")}
        </h3>
        {thread.status === "resolved" ? <span className="badge">{t("comments.resolvedBadge")}</span> : null}
        {located && onShowInText ? (
          <button type="button" className="link-button" onClick={() => onShowInText(thread)}>
            {t("comments.showInText")}
          </button>
        ) : null}
      </header>
      {resolution.state === "passage" && quote ? <blockquote className="thread__quote">{quote}</blockquote> : null}
      {(resolution.state === "block" && resolution.passageRemoved) || (resolution.state === "removed" && quote) ? (
        <div className="thread__quote thread__quote--removed">
          <p>{t("comments.passageRemoved")}</p>
          <del>{quote}</del>
        </div>
      ) : null}
      {resolution.state === "removed" && !quote ? (
        <div className="thread__quote thread__quote--removed">
          <del>{anchor.blockText}</del>
        </div>
      ) : null}
      <ol className="thread__comments">
        {thread.comments.map((comment) => (
          <li key={comment.id}>
            <CommentItem comment={comment} context={context} />
          </li>
        ))}
      </ol>
      <ThreadSummary thread={thread} />
      {thread.removed ? <p className="hint">{t("comments.threadRemoved")}</p> : null}
      <ThreadActions thread={thread} context={context} />
    </article>
  );
}

function ThreadSummary({ thread }: { thread: ThreadView }) {
  const { t } = useTranslation();
  const { supports, opposes, neutral } = thread.positions;
  const parts = [
    supports + opposes + neutral > 0 ? t("comments.positionsSummary", { supports, opposes, neutral }) : null,
    thread.agreements > 0 ? t("comments.agreements", { count: thread.agreements }) : null,
  ].filter(Boolean);
  return parts.length > 0 ? <p className="thread__summary">{parts.join(" · ")}</p> : null;
}

function ThreadActions({ thread, context }: { thread: ThreadView; context: ThreadContext }) {
  const { t } = useTranslation();
  const agree = useCommentForm(`${thread.agreedByViewer ? "unagree" : "agree"}:${thread.id}`);
  const status = useCommentForm(`${thread.status === "open" ? "resolve" : "reopen"}:${thread.id}`);
  const agreeMessage = useFailureMessage(agree.failure);
  const statusMessage = useFailureMessage(status.failure);
  if (!context.canComment) return null;
  // A removed thread takes no more replies, but a reply being written when it went keeps its box and text.
  if (thread.removed) return <ReplyForm thread={thread} context={context} onlyIfStarted />;
  return (
    <>
      <div className="thread__actions">
        {thread.mine ? null : (
          <agree.fetcher.Form method="post">
            <input type="hidden" name="intent" value={thread.agreedByViewer ? "unagree" : "agree"} />
            <input type="hidden" name="threadId" value={thread.id} />
            <button type="submit" aria-pressed={thread.agreedByViewer} disabled={agree.busy}>
              {t("comments.agree")}
            </button>
          </agree.fetcher.Form>
        )}
        {thread.viewerCanResolve ? (
          <status.fetcher.Form method="post">
            <input type="hidden" name="intent" value={thread.status === "open" ? "resolve" : "reopen"} />
            <input type="hidden" name="threadId" value={thread.id} />
            <button type="submit" disabled={status.busy}>
              {thread.status === "open" ? t("comments.resolve") : t("comments.reopen")}
            </button>
          </status.fetcher.Form>
        ) : null}
      </div>
      <FormMessage message={agreeMessage(null) ?? statusMessage(null)} />
      <ReplyForm thread={thread} context={context} />
    </>
  );
}

function ReplyForm({ thread, context, onlyIfStarted = false }: { thread: ThreadView; context: ThreadContext; onlyIfStarted?: boolean }) {
  const { t } = useTranslation();
  const formRef = useRef<HTMLFormElement>(null);
  const [open, setOpen] = useState(false);
  const { fetcher, failure, busy } = useCommentForm(`reply:${thread.id}`, () => {
    formRef.current?.reset();
    setOpen(false);
  });
  const message = useFailureMessage(failure);
  const requested = !context.enhanced && context.replyTo === thread.id;
  if (onlyIfStarted && !open && !failure && !requested) return null;
  // The form is behind a button (with JavaScript) or a link that opens it (without), so a long list stays short.
  if (!open && !failure && !requested) {
    return context.enhanced ? (
      <button type="button" className="thread__reply-toggle" onClick={() => setOpen(true)}>
        {t("comments.reply")}
      </button>
    ) : (
      <a className="thread__reply-toggle" href={`?reply=${thread.id}#thread-${thread.id}`}>
        {t("comments.reply")}
      </a>
    );
  }
  return (
    <fetcher.Form method="post" className="stacked-form reply-form" ref={formRef}>
      <input type="hidden" name="intent" value="reply" />
      <input type="hidden" name="enhanced" value={context.enhanced ? "1" : ""} />
      <input type="hidden" name="threadId" value={thread.id} />
      <FormMessage message={message(null)} />
      <CommentTextarea label={t("comments.replyLabel")} defaultValue={failure?.values?.body} error={message("body")} autoFocus={context.enhanced} />
      <PositionField />
      {context.mustAcceptLicence ? (
        <LicenceConsent licence={context.licence} error={message("acceptLicence")} />
      ) : (
        <LicenceNotice licence={context.licence} />
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {t("comments.sendReply")}
        </button>
        {context.enhanced ? (
          <button type="button" onClick={() => setOpen(false)}>
            {t("comments.cancel")}
          </button>
        ) : null}
      </div>
    </fetcher.Form>
  );
}

function CommentItem({ comment, context }: { comment: CommentView; context: ThreadContext }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<"read" | "edit" | "flag">("read");
  const edit = useCommentForm(`edit-comment:${comment.id}`, () => setMode("read"));
  const remove = useCommentForm(`delete-comment:${comment.id}`);
  const flag = useCommentForm(`flag:${comment.id}`, () => setMode("read"));
  const editMessage = useFailureMessage(edit.failure);
  const removeMessage = useFailureMessage(remove.failure);
  const flagMessage = useFailureMessage(flag.failure);
  const flagged = flag.fetcher.data?.ok === true;
  const editing = mode === "edit" || edit.failure !== null;
  const flagging = !flagged && (mode === "flag" || flag.failure !== null);

  return (
    <article id={`comment-${comment.id}`} className="comment" aria-label={comment.authorName}>
      <p className="comment__byline">
        <strong>{comment.authorName}</strong>
        {comment.authorOrganisation ? <span>, {comment.authorOrganisation}</span> : null}
        <br />
        <a href={`#comment-${comment.id}`} className="comment__time">
          <Timestamp instant={comment.createdAt} now={context.now} />
        </a>
        {comment.editedAt ? <span className="comment__edited"> ({t("comments.edited")})</span> : null}
        {comment.position ? <span className={`position position--${comment.position}`}>{t(`comments.position.${comment.position}`)}</span> : null}
      </p>
      {comment.state === "deleted" ? <p className="comment__removed">{t("comments.removed")}</p> : null}
      {comment.state === "hidden" ? <p className="comment__removed">{t("comments.hidden", { reason: comment.hiddenReason ?? "" })}</p> : null}
      {comment.state === "visible" && !editing ? <CommentBody text={comment.body} /> : null}
      {comment.state === "visible" && editing ? (
        <edit.fetcher.Form method="post" className="stacked-form">
          <input type="hidden" name="intent" value="edit-comment" />
          <input type="hidden" name="enhanced" value={context.enhanced ? "1" : ""} />
          <input type="hidden" name="commentId" value={comment.id} />
          <FormMessage message={editMessage(null)} />
          <CommentTextarea
            label={t("comments.editLabel")}
            defaultValue={edit.failure?.values?.body ?? comment.body}
            error={editMessage("body")}
            autoFocus={context.enhanced}
          />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={edit.busy}>
              {t("comments.save")}
            </button>
            <button type="button" onClick={() => setMode("read")}>
              {t("comments.cancel")}
            </button>
          </div>
        </edit.fetcher.Form>
      ) : null}
      {flagged ? (
        <p role="status" className="hint">
          {t("comments.flagged")}
        </p>
      ) : null}
      {flagging ? (
        <flag.fetcher.Form method="post" className="stacked-form">
          <input type="hidden" name="intent" value="flag" />
          <input type="hidden" name="enhanced" value={context.enhanced ? "1" : ""} />
          <input type="hidden" name="commentId" value={comment.id} />
          <FormMessage message={flagMessage(null)} />
          <CommentTextarea
            label={t("comments.flagReason")}
            name="reason"
            max={500}
            defaultValue={flag.failure?.values?.reason}
            error={flagMessage("reason")}
            autoFocus={context.enhanced}
          />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={flag.busy}>
              {t("comments.sendFlag")}
            </button>
            <button type="button" onClick={() => setMode("read")}>
              {t("comments.cancel")}
            </button>
          </div>
        </flag.fetcher.Form>
      ) : null}
      {comment.state === "visible" && context.canComment && mode === "read" && !editing ? (
        <div className="comment__actions">
          {comment.mine ? (
            <>
              {context.enhanced ? (
                <button type="button" className="link-button" onClick={() => setMode("edit")}>
                  {t("comments.edit")}
                </button>
              ) : null}
              <remove.fetcher.Form method="post">
                <input type="hidden" name="intent" value="delete-comment" />
                <input type="hidden" name="enhanced" value={context.enhanced ? "1" : ""} />
                <input type="hidden" name="commentId" value={comment.id} />
                <button type="submit" className="link-button" disabled={remove.busy}>
                  {t("comments.delete")}
                </button>
              </remove.fetcher.Form>
            </>
          ) : flagged || !context.enhanced ? null : (
            <button type="button" className="link-button" onClick={() => setMode("flag")}>
              {t("comments.flag")}
            </button>
          )}
        </div>
      ) : null}
      <FormMessage message={removeMessage(null)} />
    </article>
  );
}
