import { Link, useLocation, useNavigate } from "@remix-run/react";
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { formatTimestamp } from "#app/i18n/format";
import { useTranslation } from "#app/i18n/translation";
import { CommentsPanel } from "#app/components/comments/CommentsPanel";
import type { ComposeTarget } from "#app/components/comments/Composer";
import { useHydrated } from "#app/components/use-hydrated";
import { composePath, signInPath } from "#app/comments/links";
import { formatReference } from "#app/comments/references";
import type { SelectedPassage, ThreadView } from "#app/comments/types";
import type { AnnotationInput, AnnotationLabels, AnnotationOptions } from "#app/editor/annotations";
import { ServerRenderedIsland, useServerRender } from "#app/components/server-only";
import { passageOf } from "#app/comments/dom-passage";
import { deserialize, type DocumentPage } from "#app/models/document-page";
import type { CollaborationSession } from "#app/editor/session";
import { Announcer, useAnnounce } from "#app/components/announcer";
import { useCommentActionFeedback } from "#app/components/comments/action-feedback";
import { useReturnFocus } from "#app/components/comments/focus-after-action";
import { keepInView } from "#app/components/comments/use-card-layout";
import { EditorToolbar } from "./EditorToolbar";
import { READING_TEXT_ID, ReadingText } from "./ReadingText";
import { commentOnLabelFor, readingView } from "./reading-view";
import { useCommentEvents } from "./use-comment-events";
import { useLiveReading } from "./use-live-reading";
import { useSkipToComments } from "./use-skip-to-comments";
import { useScrollToComposedBlock } from "./use-scroll-to-composed-block";

// The editor (Tiptap, Yjs, the websocket client) is only needed once the page is interactive, and only by those who
// may edit: readers keep the server's markup and follow the text without it (decision 0022).
const CollaborativeEditor = lazy(() =>
  import("#app/editor/CollaborativeEditor").then((module) => ({
    default: module.CollaborativeEditor,
  })),
);

/** The draft with its comments: the text (live once connected) in one column, the threads beside it. */
export function DocumentPageView({ page }: { page: DocumentPage }) {
  const { document, access, identity, threads, filter } = page;
  const references = useMemo(() => deserialize(page.referencesJson), [page.referencesJson]);
  const openThreadCounts = useMemo(() => deserialize(page.openThreadCountsJson), [page.openThreadCountsJson]);
  const serverRender = useServerRender();
  // Only the browser uses the markers (the live editor, opening a posted thread); the server's markup has its own.
  const markers = useMemo(() => (typeof window === "undefined" ? [] : deserialize(page.markersJson)), [page.markersJson]);
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const hydrated = useHydrated();
  const [live, setLive] = useState(false);
  const onLive = useCallback(() => setLive(true), []);
  const [session, setSession] = useState<CollaborationSession | null>(null);
  const islandRef = useRef<HTMLDivElement>(null);
  // After a navigation in the browser the server's markup is not there: say that the draft is on its way.
  const [islandEmpty, setIslandEmpty] = useState(false);
  useEffect(() => {
    // Whether the server's markup is there can only be seen in the DOM, once mounted.
    setIslandEmpty(islandRef.current?.childElementCount === 0);
  }, []);
  const showIsland = useCallback(() => setIslandEmpty(false), []);
  const [readingUnavailable, setReadingUnavailable] = useState(false);
  const sayReadingUnavailable = useCallback(() => setReadingUnavailable(true), []);
  const readingAnnotations = useMemo(
    () => [i18n.language, filter, page.markersJson, page.openThreadCountsJson],
    [i18n.language, filter, page.markersJson, page.openThreadCountsJson],
  );
  const reading = useLiveReading({
    slug: document.slug,
    filter,
    annotations: readingAnnotations,
    textRevision: page.textRevision,
    island: islandRef,
    enabled: hydrated && !access.canEdit,
    onFilled: showIsland,
    onUnavailable: sayReadingUnavailable,
  });
  useCommentEvents(document.slug, hydrated, access.canEdit ? undefined : reading.onTextChanged);

  // Translated once per page, not once per block: a draft has hundreds of blocks.
  const titleLabel = t("comments.titleReference");
  const referenceOf = useCallback(
    (blockId: string) => {
      const reference = references[blockId];
      return reference ? formatReference(reference, titleLabel) : null;
    },
    [references, titleLabel],
  );
  const commentOnLabel = useMemo(() => commentOnLabelFor(t), [t]);

  const [composeTarget, setComposeTarget] = useState<ComposeTarget | null>(() =>
    page.composeFor
      ? {
          blockId: page.composeFor,
          reference: referenceOf(page.composeFor) ?? "",
          passage: page.composePassage,
        }
      : null,
  );
  const [selection, setSelection] = useState<SelectedPassage | null>(null);
  // Readers select passages in the server's markup; the editor reports its own selection.
  useEffect(() => {
    if (!hydrated || access.canEdit) return;
    const onSelectionChange = () => {
      const current = window.getSelection();
      const island = islandRef.current;
      setSelection(
        current && island && current.anchorNode && current.focusNode
          ? passageOf(island, { node: current.anchorNode, offset: current.anchorOffset }, { node: current.focusNode, offset: current.focusOffset })
          : null,
      );
    };
    window.document.addEventListener("selectionchange", onSelectionChange);
    return () => window.document.removeEventListener("selectionchange", onSelectionChange);
  }, [hydrated, access.canEdit]);
  const [activeThreadId, setActiveThreadId] = useState<string | null>(null);
  // Asked to comment (back from signing in, say), the panel opens with the composer, on narrow screens too.
  const [panelOpen, setPanelOpen] = useState(page.composeFor !== null);
  useScrollToComposedBlock(page.composeFor, live || !islandEmpty);
  const [focusRequest, setFocusRequest] = useState(0);
  const announce = useAnnounce();
  useCommentActionFeedback();
  useSkipToComments(useCallback(() => setPanelOpen(true), []));

  // A thread on another page of the list is opened by loading that page (the address then opens it).
  const openThread = useCallback(
    (threadId: string) => {
      if (!threads.some((thread) => thread.id === threadId)) {
        navigate(`?comments=${filter}&show=${threadId}#thread-${threadId}`, {
          preventScrollReset: true,
        });
        return;
      }
      setActiveThreadId(threadId);
      setPanelOpen(true);
      setFocusRequest((request) => request + 1);
    },
    [threads, filter, navigate],
  );
  // A link to one comment of the thread (#comment-…) brings that comment, not only its card, into view.
  const commentToShow = useRef<string | null>(null);
  useEffect(() => {
    if (focusRequest === 0 || !activeThreadId) return;
    const card = window.document.getElementById(`thread-${activeThreadId}`);
    // Only now, after the cards have their places beside the text: before, the comment was elsewhere in the list.
    const comment = commentToShow.current ? window.document.getElementById(`comment-${commentToShow.current}`) : null;
    commentToShow.current = null;
    card?.focus({ preventScroll: true });
    if (comment) keepInView(comment, "center");
    else if (card) keepInView(card, "nearest");
  }, [focusRequest, activeThreadId]);

  // The box is opened from the margin, the text or the comment button beside a selection (gone once the box opens).
  const composerFocus = useReturnFocus([READING_TEXT_ID, "comments-heading"]);
  const composeFor = useCallback(
    (target: ComposeTarget) => {
      if (!access.signedIn) {
        navigate(signInPath(composePath(document.slug, target.blockId, target.passage)));
        return;
      }
      composerFocus.remember();
      setComposeTarget(target);
      setPanelOpen(true);
    },
    [access.signedIn, document.slug, navigate, composerFocus],
  );

  // A new thread is opened once the page's data has it, which may come a moment after the post succeeded.
  const [postedThreadId, setPostedThreadId] = useState<string | null>(null);
  useEffect(() => {
    if (!postedThreadId || !markers.some((marker) => marker.id === postedThreadId)) return;
    // Waiting for the page's data is what this effect is for.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setPostedThreadId(null);
    openThread(postedThreadId);
  }, [postedThreadId, markers, openThread]);

  // The editor reads its callbacks once; these stay the same and call the latest handlers.
  const handlers = useRef({ composeFor, openThread, markers });
  useEffect(() => {
    handlers.current = { composeFor, openThread, markers };
  });
  const annotationOptions = useMemo<Omit<AnnotationOptions, "doc">>(
    () => ({
      onCommentBlock: (blockId, reference) => handlers.current.composeFor({ blockId, reference, passage: null }),
      onOpenThread: (threadId) => handlers.current.openThread(threadId),
      onOpenBlock: (blockId) => {
        const first = handlers.current.markers.find((marker) => marker.blockId === blockId);
        if (first) handlers.current.openThread(first.id);
      },
    }),
    [],
  );
  // Given with every change of the marks, not once to the editor: a language switch changes them without a reload.
  const annotationLabels = useMemo<AnnotationLabels>(
    () => ({ title: titleLabel, commentOn: commentOnLabel, openThreads: (count) => t("comments.openThreads", { count }) }),
    [t, titleLabel, commentOnLabel],
  );

  // Deep links (#comment-<id>, #thread-<id>) open their thread; one not on this page of the list loads the page
  // that has it, among all threads.
  useEffect(() => {
    const match = /^#(comment|thread)-([0-9a-f-]{36})$/i.exec(location.hash);
    if (!match) return;
    const [, kind, id = ""] = match;
    const thread = threads.find((candidate) =>
      kind === "thread" ? candidate.id === id : candidate.comments.some((comment) => comment.id === id),
    );
    if (thread) {
      commentToShow.current = kind === "comment" ? id : null;
      // The address is outside React: following it is what this effect is for.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      openThread(thread.id);
    } else if (new URLSearchParams(location.search).get("show") !== id) {
      navigate(`${location.pathname}?comments=all&show=${id}${location.hash}`, {
        replace: true,
        preventScrollReset: true,
      });
    }
    // Only when the address changes, not on every live update of the threads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [location.hash, location.search]);

  // Kept apart from the active thread, so choosing a thread does not anchor every passage again.
  const passages = useMemo<AnnotationInput["threads"]>(
    () => markers.flatMap(({ id, anchor }) => (anchor ? [{ id, anchor }] : [])),
    [markers],
  );
  const annotations = useMemo<AnnotationInput>(
    () => ({ threads: passages, counts: openThreadCounts, activeThreadId, labels: annotationLabels }),
    [passages, openThreadCounts, activeThreadId, annotationLabels],
  );
  const showInText = useCallback((thread: ThreadView) => {
    setActiveThreadId(thread.id);
    const { resolution } = thread;
    if (resolution.state === "removed") return;
    const target =
      window.document.querySelector(`.document-column [data-thread-id="${thread.id}"]`) ??
      window.document.querySelector(`.document-column [data-block-id="${resolution.blockId}"]`);
    target?.scrollIntoView({ block: "center" });
  }, []);

  // The server's markup is not React's (see ServerRenderedIsland): its highlights and margin links are handled here.
  const onStaticClick = (event: React.MouseEvent) => {
    const target = event.target instanceof Element ? event.target.closest("[data-thread-id], [data-open-thread], [data-comment-block]") : null;
    if (!target) return;
    const blockId = target.getAttribute("data-comment-block");
    const threadId = target.getAttribute("data-thread-id") ?? target.getAttribute("data-open-thread");
    if (blockId) {
      event.preventDefault();
      composeFor({ blockId, reference: referenceOf(blockId) ?? "", passage: null });
    } else if (threadId) {
      event.preventDefault();
      openThread(threadId);
    }
  };
  const staticDraft = serverRender?.data.staticDraft;
  // Everything else the markup shows follows from the draft object (the same text, comments and filter) but the language.
  // Rendered on the server only (see ServerRenderedIsland); the browser keeps that markup until the editor is live,
  // and readers keep it, patched as the text and its threads change (useLiveReading).
  const staticMarkup =
    serverRender && staticDraft
      ? serverRender.markupOnce(staticDraft, i18n.language, () =>
          readingView(serverRender.StaticDocument, { draft: staticDraft, references, openThreadCounts, filter, t }),
        )
      : null;
  return (
    <main id="main" className={hydrated ? "page document-page has-drawer" : "page document-page"}>
      <Announcer />
      <div className="document-column">
        <p className="document-links">
          {page.basis ? (
            <>
              <span>{t("document.basedOn", { number: page.basis.number, name: page.basis.name })}</span>
              {" · "}
              <Link to={`/d/${document.slug}/compare?from=${page.basis.number}&to=live`}>
                {t("document.changedSince", { count: page.basis.changedBlocks })}
              </Link>
              {" · "}
            </>
          ) : null}
          <Link to={`/d/${document.slug}/versions`}>{t("document.versionsLink")}</Link>
          {" · "}
          <Link to={`/d/${document.slug}/comments`}>{t("commentSearch.link")}</Link>
          {" · "}
          <Link to={`/d/${document.slug}/present?follow`}>{t("document.followPresenter")}</Link>
          {access.canPresent ? (
            <>
              {" · "}
              <Link to={`/d/${document.slug}/present`}>{t("document.present")}</Link>
            </>
          ) : null}
          {access.canManage ? (
            <>
              {" · "}
              <Link to={`/d/${document.slug}/manage`}>{t("drafts.manageLink")}</Link>
            </>
          ) : null}
        </p>
        {document.archivedAt ? (
          <p className="note archived-note" id="read-only-note" role="note">
            {t("drafts.archivedNotice", { date: formatTimestamp(i18n.language, document.archivedAt) })}
          </p>
        ) : access.canEdit ? null : (
          <p className="note" id="read-only-note">
            {access.signedIn ? t("document.readOnlyMember") : t("document.readOnlyVisitor")}{" "}
            {access.signedIn ? null : <Link to={`/sign-in?redirectTo=${encodeURIComponent(location.pathname)}`}>{t("auth.signIn")}</Link>}
          </p>
        )}
        {access.canEdit ? <EditorToolbar session={session} identity={identity} /> : null}
        <ReadingText
          enhanced={hydrated}
          focusable={!(access.canEdit && live)}
          selection={selection}
          canComment={composeTarget === null && (!access.signedIn || access.canComment)}
          referenceOf={referenceOf}
          onCompose={composeFor}
        >
          {hydrated && access.canEdit ? (
            <Suspense fallback={null}>
              <CollaborativeEditor
                key={document.id}
                documentId={document.id}
                language={document.language}
                identity={identity}
                localDraftName={page.localDraftName}
                serverText={islandRef}
                onLive={onLive}
                live={live}
                onSession={setSession}
                annotations={annotations}
                annotationOptions={annotationOptions}
                onSelectPassage={setSelection}
              />
            </Suspense>
          ) : access.canEdit ? (
            <noscript>
              <p className="note">{t("document.readingNote")}</p>
            </noscript>
          ) : null}
          {/* A reader has no live text: also an editor whose role was taken away meanwhile, whose editor then goes. */}
          {live && access.canEdit ? null : (
            // Clicks on highlights open their thread; the keyboard path is the thread list.
            <div lang={document.language} onClick={hydrated ? onStaticClick : undefined}>
              {islandEmpty && readingUnavailable ? (
                <p className="form-error" role="alert" lang={i18n.language}>
                  {t("document.loadFailed")} <a href={`${location.pathname}${location.search}`}>{t("document.reloadPage")}</a>
                </p>
              ) : islandEmpty ? (
                <p className="note" role="status" lang={i18n.language}>
                  {t("document.loading")}
                </p>
              ) : null}
              <ServerRenderedIsland islandRef={islandRef} markup={staticMarkup} />
            </div>
          )}
        </ReadingText>
      </div>
      <CommentsPanel
        page={page}
        enhanced={hydrated}
        open={panelOpen}
        onToggle={setPanelOpen}
        referenceOf={referenceOf}
        selection={selection}
        composeTarget={composeTarget}
        onCompose={composeFor}
        onCancelCompose={() => {
          setComposeTarget(null);
          composerFocus.restore();
        }}
        onPosted={(threadId) => {
          announce(t("announcements.threadPosted"));
          setComposeTarget(null);
          setPostedThreadId(threadId);
        }}
        activeThreadId={activeThreadId}
        onShowInText={showInText}
      />
    </main>
  );
}
