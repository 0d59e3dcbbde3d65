import { Link } from "@remix-run/react";
import { useActionData } from "@remix-run/react";
import { useRef } from "react";
import { formatTimestamp } from "#app/i18n/format";
import { useTranslation } from "#app/i18n/translation";
import { composePath, signInPath } from "#app/comments/links";
import type { CommentActionData, CommentError, SelectedPassage, ThreadView } from "#app/comments/types";
import { THREAD_FILTERS, type DocumentPage } from "#app/models/document-page";
import { CommentTextarea } from "./CommentTextarea";
import { Composer, type ComposeTarget } from "./Composer";
import { showsPageAnswer } from "./use-comment-form";
import { FormMessage } from "./FormMessage";
import { ThreadCard, type ThreadContext } from "./ThreadCard";
import { useCardLayout } from "./use-card-layout";
import { useDrawerLayout } from "./use-drawer-layout";
import { useModalDrawer } from "./use-modal-drawer";

interface Props {
  page: DocumentPage;
  enhanced: boolean;
  /** On narrow screens the panel is a drawer; this is whether it is open. */
  open: boolean;
  onToggle: (open: boolean) => void;
  referenceOf: (blockId: string) => string | null;
  selection: SelectedPassage | null;
  composeTarget: ComposeTarget | null;
  onCompose: (target: ComposeTarget) => void;
  onCancelCompose: () => void;
  onPosted: (threadId: string) => void;
  activeThreadId: string | null;
  onShowInText: (thread: ThreadView) => void;
}

/** The threads of the draft in document order, their filters, and the box for a new comment. */
export function CommentsPanel(props: Props) {
  const { page, enhanced, open, onToggle, referenceOf, selection, composeTarget, activeThreadId } = props;
  const { t, i18n } = useTranslation();
  const { access, threads, filter, document } = page;
  const context: ThreadContext = {
    now: page.now,
    currentVersion: page.basis?.number ?? null,
    canComment: access.canComment,
    mustAcceptLicence: access.mustAcceptLicence,
    licence: page.licence,
    enhanced,
    replyTo: page.replyTo,
  };
  const located = threads.filter((thread) => thread.resolution.state !== "removed");
  const onRemovedText = threads.filter((thread) => thread.resolution.state === "removed");
  const selectionReference = selection ? referenceOf(selection.blockId) : null;
  // A new comment the server refused (without JavaScript) is shown again with its text, even if its block is gone.
  const pageResult = useActionData<CommentActionData>();
  const refusedBlockId = pageResult && !pageResult.ok && pageResult.formKey === "new-thread" ? pageResult.values?.blockId : undefined;
  // A refusal the page's action answered, said here: its form shows only what its own fetcher got, or is gone.
  const answered =
    pageResult && !pageResult.ok && (!showsPageAnswer(pageResult.formKey) || pageResult.error === "thread-not-found") ? pageResult : null;
  const composing: ComposeTarget | null =
    composeTarget ??
    (refusedBlockId
      ? {
          blockId: refusedBlockId,
          reference: referenceOf(refusedBlockId) ?? "",
          passage: null,
        }
      : null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  // On narrow screens the panel is a modal drawer; on wide ones a column whose cards sit beside their text.
  const narrow = useDrawerLayout();
  const drawer = enhanced && narrow;
  const cards = enhanced && !drawer;
  const closeDrawer = useModalDrawer({ drawer, open, panel: panelRef, heading: headingRef, toggle: toggleRef, onClose: () => onToggle(false) });
  // The text is behind the drawer: showing a passage closes it.
  const showInText = (thread: ThreadView) => {
    if (drawer && open) closeDrawer({ keepScroll: true });
    props.onShowInText(thread);
  };
  useCardLayout({
    enabled: cards,
    panel: panelRef,
    list: listRef,
    activeThreadId,
    composingBlockId: composing && access.canComment ? composing.blockId : null,
    threadsKey: located.map((thread) => thread.id).join(),
  });

  return (
    <>
      {enhanced ? (
        <button
          type="button"
          className="comments-toggle"
          ref={toggleRef}
          aria-expanded={open}
          aria-controls="comments"
          onClick={() => (open ? closeDrawer() : onToggle(true))}
        >
          {t("comments.showPanel", { count: page.page.total })}
        </button>
      ) : null}
      <aside
        id="comments"
        ref={panelRef}
        className={["comments-panel", open ? "comments-panel--open" : "", cards ? "comments-panel--cards" : ""].join(" ").trim()}
        aria-labelledby="comments-heading"
        {...(drawer ? { role: "dialog", "aria-modal": true } : {})}
      >
        <div className="comments-panel__header">
          <h2 id="comments-heading" ref={headingRef} tabIndex={-1}>
            {t("comments.heading")}
          </h2>
          {enhanced ? (
            <button type="button" className="comments-panel__close" onClick={() => closeDrawer()}>
              {t("comments.closePanel")}
            </button>
          ) : null}
        </div>
        {access.canModerate ? (
          <p>
            <Link to={`/d/${document.slug}/moderation`}>{t("comments.moderationLink")}</Link>
          </p>
        ) : null}
        <nav aria-label={t("comments.filterLabel")} className="thread-filters">
          <ul>
            {THREAD_FILTERS.filter((candidate) => candidate !== "mine" || access.signedIn).map((candidate) => (
              <li key={candidate}>
                <Link to={`?comments=${candidate}`} preventScrollReset replace aria-current={candidate === filter ? "page" : undefined}>
                  {t(`comments.filters.${candidate}`)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <p className="comments-panel__search"><Link to={`/d/${document.slug}/comments`}>{t("commentSearch.link")}</Link></p>
        {answered ? <RefusedSubmission error={answered.error} text={answered.values?.body ?? answered.values?.reason ?? ""} /> : null}
        {selection && selectionReference !== null && !composeTarget ? (
          <button
            type="button"
            className="primary comment-selection"
            onClick={() =>
              props.onCompose({
                blockId: selection.blockId,
                reference: selectionReference,
                passage: selection,
              })
            }
          >
            {t("comments.commentOnSelection", {
              reference: selectionReference,
            })}
          </button>
        ) : null}
        {document.archivedAt ? (
          <p className="note" role="note">
            {t("drafts.archivedComments")}
          </p>
        ) : !access.signedIn ? (
          <p className="hint">
            <Link to={signInPath(page.composeRequest ? composePath(document.slug, page.composeRequest, page.composePassage) : `/d/${document.slug}`)}>
              {t("comments.signInToComment")}
            </Link>
          </p>
        ) : page.commentWindow.state !== "open" && page.basis ? (
          <p className="note" role="note">
            {page.commentWindow.state === "not-yet-open"
              ? t("commentWindow.notYetOpen", { number: page.basis.number, date: formatTimestamp(i18n.language, page.commentWindow.opensAt ?? page.now) })
              : t("commentWindow.closed", { number: page.basis.number, date: formatTimestamp(i18n.language, page.commentWindow.closesAt ?? page.now) })}
          </p>
        ) : !access.canComment ? (
          <p className="hint">{t("comments.membersOnly")}</p>
        ) : page.commentWindow.closesAt ? (
          <p className="hint">{t("commentWindow.openUntil", { date: formatTimestamp(i18n.language, page.commentWindow.closesAt) })}</p>
        ) : null}
        {composing && access.canComment ? (
          <Composer
            key={`${composing.blockId}:${composing.passage?.from ?? ""}:${composing.passage?.to ?? ""}`}
            target={composing}
            licence={page.licence}
            mustAcceptLicence={access.mustAcceptLicence}
            enhanced={enhanced}
            onCancel={enhanced ? props.onCancelCompose : undefined}
            onPosted={props.onPosted}
          />
        ) : null}
        <p className="hint">
          {page.page.total === 0
            ? t(`comments.empty.${filter}`)
            : t("comments.pages.range", { first: page.page.first, last: page.page.last, total: page.page.total })}
        </p>
        <ol className={cards ? "thread-list thread-list--cards" : "thread-list"} ref={listRef}>
          {located.map((thread) => (
            <li key={thread.id}>
              <ThreadCard
                thread={thread}
                reference={thread.resolution.state === "removed" ? null : referenceOf(thread.resolution.blockId)}
                active={thread.id === activeThreadId}
                context={context}
                onShowInText={enhanced ? showInText : undefined}
              />
            </li>
          ))}
        </ol>
        {onRemovedText.length > 0 ? (
          <section aria-labelledby="removed-text-heading" className="removed-text">
            <h3 id="removed-text-heading">{t("comments.removedTextHeading")}</h3>
            <p className="hint">{t("comments.removedTextIntro")}</p>
            <ol className="thread-list">
              {onRemovedText.map((thread) => (
                <li key={thread.id}>
                  <ThreadCard thread={thread} reference={null} active={thread.id === activeThreadId} context={context} />
                </li>
              ))}
            </ol>
          </section>
        ) : null}
        {page.page.count > 1 ? <ThreadPages page={page} /> : null}
      </aside>
    </>
  );
}

/** A refused submission shown away from its form; any text it carried stays available to copy. */
function RefusedSubmission({ error, text }: { error: CommentError; text: string }) {
  const { t } = useTranslation();
  return (
    <div className="refused-submission">
      <FormMessage message={t(`comments.errors.${error}`)} />
      {text ? <CommentTextarea label={t("comments.yourText")} defaultValue={text} /> : null}
    </div>
  );
}

/** Links to the pages of threads before and after this one (they work without JavaScript). */
function ThreadPages({ page }: { page: DocumentPage }) {
  const { t } = useTranslation();
  const { number, count } = page.page;
  const link = (to: number) => `?comments=${page.filter}&page=${to}`;
  return (
    <nav className="thread-pages" aria-label={t("comments.pages.label")}>
      {count > 1 ? (
        <ul>
          <li>
            {number > 1 ? (
              <Link to={link(number - 1)} preventScrollReset>
                {t("comments.pages.previous")}
              </Link>
            ) : null}
          </li>
          <li>
            {number < count ? (
              <Link to={link(number + 1)} preventScrollReset>
                {t("comments.pages.next")}
              </Link>
            ) : null}
          </li>
        </ul>
      ) : null}
    </nav>
  );
}
