import { useActionData } from "@remix-run/react";
import { useRef, useState, type ReactNode } from "react";
import { useTranslation } from "#app/i18n/translation";
import { useAnnounce } from "#app/components/announcer";
import type { Licence } from "#app/comments/licences";
import {
  COMMENT_MAX_LENGTH,
  REASON_MAX_LENGTH,
  SUGGESTION_ERRORS,
  type CommentActionData,
  type CommentView,
  type SuggestionConflict,
  type ThreadView,
} from "#app/comments/types";
import { CommentBody } from "./CommentBody";
import { CommentTextarea } from "./CommentTextarea";
import { PositionField, SuggestionTextarea } from "./Composer";
import { expectFeedback } from "./action-feedback";
import { focusFirst, useFocusAfterThreadAction } from "./focus-after-action";
import { FormMessage, useFailureMessage } from "./FormMessage";
import { LicenceConsent, LicenceNotice } from "./Licence";
import { SuggestionDiff } from "./SuggestionDiff";
import { Timestamp } from "./Timestamp";
import { useCommentForm } from "./use-comment-form";

export interface ThreadContext {
  now: string;
  /** The version the live draft is based on; threads and comments made on an earlier one say which. */
  currentVersion: number | null;
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
        {thread.status === "resolved" ? (
          <span className={thread.outcome ? `badge badge--${thread.outcome}` : "badge"}>
            {thread.outcome ? t(`comments.outcome.${thread.outcome}`) : t("comments.resolvedBadge")}
          </span>
        ) : null}
        {thread.incorporatedIn !== null ? <span className="badge">{t("comments.incorporatedIn", { number: thread.incorporatedIn })}</span> : null}
        {located && onShowInText ? (
          <button type="button" className="link-button" onClick={() => onShowInText(thread)}>
            {t("comments.showInText")}
          </button>
        ) : null}
      </header>
      {thread.versionNumber !== null && thread.versionNumber !== context.currentVersion ? (
        <p className="thread__version">{t("comments.madeOnVersion", { number: thread.versionNumber })}</p>
      ) : null}
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
      {thread.kind === "suggestion" ? <Suggestion thread={thread} /> : null}
      <ol className="thread__comments">
        {thread.comments.map((comment) => (
          <li key={comment.id}>
            <CommentItem comment={comment} context={context} />
          </li>
        ))}
      </ol>
      {thread.response ? (
        <section className="thread__response" aria-label={t("comments.responseLabel")}>
          <p className="thread__response-by">{t("comments.responseBy", { name: thread.response.byName })}</p>
          <CommentBody text={thread.response.text} />
        </section>
      ) : null}
      <ThreadSummary thread={thread} />
      {thread.removed ? <p className="hint">{t("comments.threadRemoved")}</p> : null}
      {thread.kind === "suggestion" && thread.status === "open" && thread.viewerCanAnswer && !thread.removed ? (
        <SuggestionDecision thread={thread} context={context} />
      ) : null}
      <ThreadActions thread={thread} context={context} />
    </article>
  );
}

/** While open, the proposal against what its passage reads now; once handled, the proposal as it was made. */
function Suggestion({ thread }: { thread: ThreadView }) {
  const { t } = useTranslation();
  const proposal = thread.suggestedText ?? "";
  const comparable = thread.status === "open" && thread.currentText !== null;
  const heading = proposal === "" ? "suggestions.deleteHeading" : comparable ? "suggestions.heading" : "suggestions.acceptedHeading";
  return (
    <div className="thread__suggestion">
      <p className="thread__suggestion-label">{t(heading)}</p>
      {comparable ? <SuggestionDiff before={thread.currentText ?? ""} after={proposal} /> : proposal ? <ins>{proposal}</ins> : null}
      {thread.status === "open" && thread.currentText === null ? <p className="hint">{t("suggestions.placeGone")}</p> : null}
    </div>
  );
}

type Failure = Extract<CommentActionData, { ok: false }>;

/** A refusal's message at the field it names (null: the whole form); accepting has messages of its own. */
function useDecisionMessage(failure: Failure | null) {
  const { t } = useTranslation();
  return (field: Failure["field"]): string | null => {
    if (!failure || failure.field !== field) return null;
    const section = SUGGESTION_ERRORS.has(failure.error) ? "suggestions" : "comments";
    return t(`${section}.errors.${failure.error}`, { max: COMMENT_MAX_LENGTH });
  };
}

/**
 * For editors: accept a suggestion (its wording editable first, with a public answer) or reject it with a reason.
 * Behind a disclosure so a list of threads stays short; open whenever one of its forms has something to say.
 */
function SuggestionDecision({ thread, context }: { thread: ThreadView; context: ThreadContext }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const focus = useFocusAfterThreadAction(thread.id);
  const accept = useCommentForm(`accept-suggestion:${thread.id}`);
  const reject = useCommentForm(`close:${thread.id}`);
  // Answered, the suggestion leaves the open threads, and these forms the page.
  const feedbackOn = (formKey: string, message: string) => () => {
    focus.remember();
    expectFeedback(formKey, () => {
      announce(message);
      focus.restore();
    });
  };
  return (
    <details className="thread__decision" open={accept.failure !== null || reject.failure !== null ? true : undefined}>
      <summary>{t("suggestions.handle")}</summary>
      <AcceptSuggestionForm
        thread={thread}
        context={context}
        form={accept}
        onSubmit={feedbackOn(`accept-suggestion:${thread.id}`, t("announcements.suggestionAccepted"))}
      />
      <RejectSuggestionForm
        thread={thread}
        context={context}
        form={reject}
        onSubmit={feedbackOn(`close:${thread.id}`, t("announcements.suggestionRejected"))}
      />
    </details>
  );
}

interface DecisionFormProps {
  thread: ThreadView;
  context: ThreadContext;
  form: ReturnType<typeof useCommentForm>;
  onSubmit: () => void;
}

function AcceptSuggestionForm({ thread, context, form, onSubmit }: DecisionFormProps) {
  const { t } = useTranslation();
  const { fetcher, failure, busy } = form;
  const message = useDecisionMessage(failure);
  const conflict: SuggestionConflict | undefined = failure?.conflict;
  const proposal = conflict?.proposal ?? failure?.values?.suggestion ?? thread.suggestedText ?? "";
  return (
    <fetcher.Form method="post" className="stacked-form" onSubmit={onSubmit}>
      <input type="hidden" name="intent" value="accept-suggestion" />
      <input type="hidden" name="enhanced" value={context.enhanced ? "1" : ""} />
      <input type="hidden" name="threadId" value={thread.id} />
      <FormMessage message={message(null)} />
      {conflict ? <ConflictDetails conflict={conflict} /> : null}
      <SuggestionTextarea
        // A new conflict brings the text the editor last sent back into the box.
        key={conflict?.current ?? ""}
        label={t("suggestions.proposalLabel")}
        hint={t("suggestions.proposalHint")}
        defaultValue={proposal}
        error={message("suggestion")}
      />
      <CommentTextarea
        label={t("suggestions.responseLabel")}
        name="response"
        defaultValue={failure?.values?.response ?? t("suggestions.acceptResponse")}
        error={message("response")}
      />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {conflict ? t("suggestions.applyAnyway") : t("suggestions.accept")}
        </button>
      </div>
    </fetcher.Form>
  );
}

/** What the editor compares before applying anyway; confirming sends the current text back as the one they saw. */
function ConflictDetails({ conflict }: { conflict: SuggestionConflict }) {
  const { t } = useTranslation();
  return (
    <section className="note" aria-label={t("suggestions.conflictHeading")}>
      <p>
        <strong>{t("suggestions.conflictHeading")}</strong>
      </p>
      <p>{t("suggestions.conflictIntro")}</p>
      <p className="thread__suggestion-label">{t("suggestions.conflictOriginal")}</p>
      <blockquote className="thread__quote">{conflict.original}</blockquote>
      <p className="thread__suggestion-label">{t("suggestions.conflictCurrent")}</p>
      <SuggestionDiff before={conflict.original} after={conflict.current} />
      <input type="hidden" name="confirmConflict" value="on" />
      <input type="hidden" name="conflictWith" value={conflict.current} />
    </section>
  );
}

function RejectSuggestionForm({ thread, context, form, onSubmit }: DecisionFormProps) {
  const { t } = useTranslation();
  const { fetcher, failure, busy } = form;
  const message = useDecisionMessage(failure);
  return (
    <fetcher.Form method="post" className="stacked-form" onSubmit={onSubmit}>
      <input type="hidden" name="intent" value="close" />
      <input type="hidden" name="outcome" value="rejected" />
      <input type="hidden" name="enhanced" value={context.enhanced ? "1" : ""} />
      <input type="hidden" name="threadId" value={thread.id} />
      <FormMessage message={message(null)} />
      <CommentTextarea label={t("suggestions.rejectReasonLabel")} name="response" defaultValue={failure?.values?.response} error={message("response")} />
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          {t("suggestions.reject")}
        </button>
      </div>
    </fetcher.Form>
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
  if (!context.canComment) return null;
  // A removed thread takes no more replies, but a reply being written when it went keeps its box and text.
  if (thread.removed) return <ReplyForm thread={thread} context={context} onlyIfStarted />;
  return (
    <>
      <div className="thread__actions">
        {thread.mine ? null : <ThreadIntentForm thread={thread} context={context} intent={thread.agreedByViewer ? "unagree" : "agree"} />}
        {thread.viewerCanResolve ? (
          <ThreadIntentForm thread={thread} context={context} intent={thread.status === "open" ? "resolve" : "reopen"} />
        ) : null}
      </div>
      <ReplyForm thread={thread} context={context} />
    </>
  );
}

type ThreadIntent = "agree" | "unagree" | "resolve" | "reopen";

const INTENT_LABELS: Record<ThreadIntent, string> = {
  agree: "comments.agree",
  unagree: "comments.agree",
  resolve: "comments.resolve",
  reopen: "comments.reopen",
};

const INTENT_ANNOUNCEMENTS: Record<ThreadIntent, string> = {
  agree: "announcements.agreed",
  unagree: "announcements.unagreed",
  resolve: "announcements.resolved",
  reopen: "announcements.reopened",
};

/**
 * +1 and its withdrawal, resolve and reopen: one button each, posting the intent for the thread. Until the page
 * runs JavaScript it is a plain form (a page lists many threads, and a fetcher each costs render time); the page's
 * action then answers, and a refusal is said at the top of the comments.
 */
function ThreadIntentForm({ thread, context, intent }: { thread: ThreadView; context: ThreadContext; intent: ThreadIntent }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const focus = useFocusAfterThreadAction(thread.id);
  const fields = (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="threadId" value={thread.id} />
    </>
  );
  const pressed = intent === "agree" || intent === "unagree" ? intent === "unagree" : undefined;
  if (!context.enhanced) {
    return (
      <form method="post">
        {fields}
        <button type="submit" aria-pressed={pressed}>
          {t(INTENT_LABELS[intent])}
        </button>
      </form>
    );
  }
  return (
    <FetcherIntentForm
      formKey={`${intent}:${thread.id}`}
      fields={fields}
      label={t(INTENT_LABELS[intent])}
      pressed={pressed}
      onSubmit={() => {
        focus.remember();
        // Resolving or reopening may take the thread, and this form, out of the list shown.
        expectFeedback(`${intent}:${thread.id}`, () => {
          announce(t(INTENT_ANNOUNCEMENTS[intent]));
          // +1 keeps its button where it was, pressed or not.
          if (pressed === undefined || document.activeElement === document.body) focus.restore();
        });
      }}
    />
  );
}

interface FetcherIntentFormProps {
  formKey: string;
  fields: ReactNode;
  label: string;
  pressed?: boolean;
  buttonClassName?: string;
  onSubmit?: () => void;
  onDone?: () => void;
}

function FetcherIntentForm({ formKey, fields, label, pressed, buttonClassName, onSubmit, onDone }: FetcherIntentFormProps) {
  const { fetcher, failure, busy } = useCommentForm(formKey, onDone);
  const message = useFailureMessage(failure);
  return (
    <fetcher.Form method="post" onSubmit={onSubmit}>
      <input type="hidden" name="enhanced" value="1" />
      {fields}
      <button type="submit" className={buttonClassName} aria-pressed={pressed} disabled={busy}>
        {label}
      </button>
      <FormMessage message={message(null)} />
    </fetcher.Form>
  );
}

function ReplyForm({ thread, context, onlyIfStarted = false }: { thread: ThreadView; context: ThreadContext; onlyIfStarted?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const pageResult = useActionData<CommentActionData>();
  const refused = pageResult?.ok === false && pageResult.formKey === `reply:${thread.id}`;
  const requested = !context.enhanced && context.replyTo === thread.id;
  if (open || refused || requested) return <ReplyFormBody thread={thread} context={context} onClose={() => setOpen(false)} />;
  if (onlyIfStarted) return null;
  // The form is behind a button (with JavaScript) or a link that opens it (without), so a long list stays short.
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

function ReplyFormBody({ thread, context, onClose }: { thread: ThreadView; context: ThreadContext; onClose: () => void }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const formRef = useRef<HTMLFormElement>(null);
  const { fetcher, failure, busy } = useCommentForm(`reply:${thread.id}`, (result) => {
    formRef.current?.reset();
    onClose();
    announce(t("announcements.replyPosted"));
    focusFirst([...(result.commentId ? [`comment-${result.commentId}`] : []), `thread-${thread.id}`]);
  });
  const message = useFailureMessage(failure);
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
          <button
            type="button"
            onClick={() => {
              onClose();
              focusFirst([`thread-${thread.id}`]);
            }}
          >
            {t("comments.cancel")}
          </button>
        ) : null}
      </div>
    </fetcher.Form>
  );
}

function CommentItem({ comment, context }: { comment: CommentView; context: ThreadContext }) {
  const { t } = useTranslation();
  // Forms (and their fetchers) exist only while in use: a page lists many comments.
  const [mode, setMode] = useState<"read" | "edit" | "flag" | "flagged">("read");
  const visible = comment.state === "visible";
  return (
    // Focusable from script: actions on the comment (editing it, reporting it, a reply posted) end here.
    <article id={`comment-${comment.id}`} className="comment" aria-label={comment.authorName} tabIndex={-1}>
      <p className="comment__byline">
        <strong>{comment.authorName}</strong>
        {comment.authorOrganisation ? <span>, {comment.authorOrganisation}</span> : null}
        <br />
        <a href={`#comment-${comment.id}`} className="comment__time">
          <Timestamp instant={comment.createdAt} now={context.now} />
        </a>
        {comment.editedAt ? <span className="comment__edited"> ({t("comments.edited")})</span> : null}
        {comment.versionNumber !== null ? <span className="comment__version"> · {t("comments.onVersion", { number: comment.versionNumber })}</span> : null}
        {comment.position ? <span className={`position position--${comment.position}`}>{t(`comments.position.${comment.position}`)}</span> : null}
      </p>
      {comment.state === "deleted" ? <p className="comment__removed">{t("comments.removed")}</p> : null}
      {comment.state === "hidden" ? <p className="comment__removed">{t("comments.hidden", { reason: comment.hiddenReason ?? "" })}</p> : null}
      {visible && mode === "edit" ? (
        <CommentTextForm comment={comment} context={context} intent="edit-comment" onClose={() => setMode("read")} />
      ) : visible ? (
        <CommentBody text={comment.body} />
      ) : null}
      {mode === "flag" ? (
        <CommentTextForm comment={comment} context={context} intent="flag" onClose={(flagged) => setMode(flagged ? "flagged" : "read")} />
      ) : null}
      {mode === "flagged" ? <p className="hint">{t("comments.flagged")}</p> : null}
      {visible && context.canComment && mode === "read" ? (
        <div className="comment__actions">
          {comment.mine && context.enhanced ? (
            <button type="button" className="link-button" onClick={() => setMode("edit")}>
              {t("comments.edit")}
            </button>
          ) : null}
          {comment.mine ? <DeleteCommentForm comment={comment} context={context} /> : null}
          {!comment.mine && context.enhanced ? (
            <button type="button" className="link-button" onClick={() => setMode("flag")}>
              {t("comments.flag")}
            </button>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

/** What editing a comment and reporting it each ask for: one text, sent with the comment's id. */
const COMMENT_TEXT_FORMS = {
  "edit-comment": {
    field: "body",
    label: "comments.editLabel",
    submit: "comments.save",
    announcement: "announcements.commentSaved",
    max: COMMENT_MAX_LENGTH,
  },
  flag: { field: "reason", label: "comments.flagReason", submit: "comments.sendFlag", announcement: "comments.flagged", max: REASON_MAX_LENGTH },
} as const;

function CommentTextForm({
  comment,
  context,
  intent,
  onClose,
}: {
  comment: CommentView;
  context: ThreadContext;
  intent: keyof typeof COMMENT_TEXT_FORMS;
  onClose: (done: boolean) => void;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const form = COMMENT_TEXT_FORMS[intent];
  const close = (done: boolean) => {
    onClose(done);
    focusFirst([`comment-${comment.id}`]);
  };
  const { fetcher, failure, busy } = useCommentForm(`${intent}:${comment.id}`, () => {
    close(true);
    announce(t(form.announcement));
  });
  const message = useFailureMessage(failure);
  const typed = failure?.values?.[form.field];
  return (
    <fetcher.Form method="post" className="stacked-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="enhanced" value={context.enhanced ? "1" : ""} />
      <input type="hidden" name="commentId" value={comment.id} />
      <FormMessage message={message(null)} />
      <CommentTextarea
        label={t(form.label)}
        name={form.field}
        max={form.max}
        defaultValue={typed ?? (intent === "edit-comment" ? comment.body : undefined)}
        error={message(form.field)}
        autoFocus
      />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {t(form.submit)}
        </button>
        <button type="button" onClick={() => close(false)}>
          {t("comments.cancel")}
        </button>
      </div>
    </fetcher.Form>
  );
}

/** Deleting works without JavaScript too, as a plain form like ThreadIntentForm. */
function DeleteCommentForm({ comment, context }: { comment: CommentView; context: ThreadContext }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const fields = (
    <>
      <input type="hidden" name="intent" value="delete-comment" />
      <input type="hidden" name="commentId" value={comment.id} />
    </>
  );
  if (!context.enhanced) {
    return (
      <form method="post">
        {fields}
        <button type="submit" className="link-button">
          {t("comments.delete")}
        </button>
      </form>
    );
  }
  return (
    <FetcherIntentForm
      formKey={`delete-comment:${comment.id}`}
      fields={fields}
      label={t("comments.delete")}
      buttonClassName="link-button"
      onDone={() => {
        announce(t("announcements.commentDeleted"));
        focusFirst([`comment-${comment.id}`]);
      }}
    />
  );
}
