import { Link, useLocation, useNavigate } from "@remix-run/react";
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "#app/i18n/translation";
import { CommentsPanel } from "#app/components/comments/CommentsPanel";
import type { ComposeTarget } from "#app/components/comments/Composer";
import { useHydrated } from "#app/components/use-hydrated";
import { composePath, signInPath } from "#app/comments/links";
import { formatReference } from "#app/comments/references";
import type { ThreadView } from "#app/comments/types";
import type { AnnotationInput, AnnotationLabels, AnnotationOptions } from "#app/editor/annotations";
import type { SelectedPassage } from "#app/editor/CollaborativeEditor";
import { ServerRenderedIsland, useServerRender } from "#app/components/server-only";
import type { StaticAnnotations } from "#app/editor/StaticDocument";
import { deserialize, type DocumentPage, type StaticDraft } from "#app/models/document-page";
import type { CollaborationSession } from "#app/editor/session";
import { EditorToolbar } from "./EditorToolbar";
import { useCommentEvents } from "./use-comment-events";
import { useScrollToComposedBlock } from "./use-scroll-to-composed-block";
import { useThreadsFollowText } from "./use-threads-follow-text";

// The editor (Tiptap, Yjs, the websocket client) is only needed once the page is interactive.
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
  useCommentEvents(document.slug, hydrated);
  useThreadsFollowText(hydrated);

  // Translated once per page, not once per block: a draft has hundreds of blocks.
  const titleLabel = t("comments.titleReference");
  const referenceOf = useCallback(
    (blockId: string) => {
      const reference = references[blockId];
      return reference ? formatReference(reference, titleLabel) : null;
    },
    [references, titleLabel],
  );
  const commentOnLabel = useMemo(() => {
    const [before, after = ""] = t("comments.commentOn", { reference: "\u0000" }).split("\u0000");
    return (reference: string) => `${before}${reference}${after}`;
  }, [t]);

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
  const [activeThreadId, setActiveThreadId] = useState<string | null>(null);
  // Asked to comment (back from signing in, say), the panel opens with the composer, on narrow screens too.
  const [panelOpen, setPanelOpen] = useState(page.composeFor !== null);
  useScrollToComposedBlock(page.composeFor, live);
  const [focusRequest, setFocusRequest] = useState(0);

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
  useEffect(() => {
    if (focusRequest === 0 || !activeThreadId) return;
    const card = window.document.getElementById(`thread-${activeThreadId}`);
    card?.scrollIntoView({ block: "nearest" });
    card?.focus({ preventScroll: true });
  }, [focusRequest, activeThreadId]);

  const composeFor = useCallback(
    (target: ComposeTarget) => {
      if (!access.signedIn) {
        navigate(signInPath(composePath(document.slug, target.blockId, target.passage)));
        return;
      }
      setComposeTarget(target);
      setPanelOpen(true);
    },
    [access.signedIn, document.slug, navigate],
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
      // The address is outside React: following it is what this effect is for.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      openThread(thread.id);
      if (kind === "comment") window.document.getElementById(`comment-${id}`)?.scrollIntoView({ block: "center" });
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
  // Rendered on the server only (see ServerRenderedIsland); the browser keeps that markup until the editor is live.
  const staticAnnotations = (draft: StaticDraft): StaticAnnotations => ({
    highlights: draft.highlights,
    margin: (blockId) => {
      const reference = referenceOf(blockId);
      if (reference === null) return null;
      const count = openThreadCounts[blockId] ?? 0;
      const firstThread = count > 0 ? draft.firstThreads[blockId] : undefined;
      return (
        <span className="block-margin">
          {/* For visitors too: the panel then says how to sign in and come back to this paragraph. */}
          <a className="block-ref" href={`?comment=${blockId}#new-comment`} data-comment-block={blockId} aria-label={commentOnLabel(reference)}>
            {reference}
          </a>
          {firstThread ? (
            <a
              className="block-count"
              href={`?comments=${filter}&show=${firstThread}#thread-${firstThread}`}
              data-open-thread={firstThread}
              aria-label={t("comments.openThreads", { count })}
            >
              {count}
            </a>
          ) : null}
        </span>
      );
    },
  });

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
  const staticMarkup =
    serverRender && staticDraft
      ? serverRender.markupOnce(staticDraft, i18n.language, () => (
          <serverRender.StaticDocument content={staticDraft.content} annotations={staticAnnotations(staticDraft)} />
        ))
      : null;
  // After a navigation in the browser the server's markup is not there: say that the draft is on its way.
  const islandRef = useRef<HTMLDivElement>(null);
  const [islandEmpty, setIslandEmpty] = useState(false);
  useEffect(() => {
    // Whether the server's markup is there can only be seen in the DOM, once mounted.
    setIslandEmpty(islandRef.current?.childElementCount === 0);
  }, []);

  return (
    <main id="main" className={hydrated ? "page document-page has-drawer" : "page document-page"}>
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
          <Link to={`/d/${document.slug}/present?follow`}>{t("document.followPresenter")}</Link>
          {access.canPresent ? (
            <>
              {" · "}
              <Link to={`/d/${document.slug}/present`}>{t("document.present")}</Link>
            </>
          ) : null}
        </p>
        {access.canEdit ? null : (
          <p className="note" id="read-only-note">
            {access.signedIn ? t("document.readOnlyMember") : t("document.readOnlyVisitor")}{" "}
            {access.signedIn ? null : <Link to={`/sign-in?redirectTo=${encodeURIComponent(location.pathname)}`}>{t("auth.signIn")}</Link>}
          </p>
        )}
        <EditorToolbar session={session} identity={identity} />
        {hydrated ? (
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
        {live ? null : (
          // Clicks on highlights open their thread; the keyboard path is the thread list.
          <div lang={document.language} onClick={hydrated ? onStaticClick : undefined}>
            {islandEmpty ? (
              <p className="note" role="status">
                {t("document.loading")}
              </p>
            ) : null}
            <ServerRenderedIsland islandRef={islandRef} markup={staticMarkup} />
          </div>
        )}
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
        onCancelCompose={() => setComposeTarget(null)}
        onPosted={(threadId) => {
          setComposeTarget(null);
          setPostedThreadId(threadId);
        }}
        activeThreadId={activeThreadId}
        onShowInText={showInText}
      />
    </main>
  );
}
