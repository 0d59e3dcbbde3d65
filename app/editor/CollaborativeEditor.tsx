import Collaboration from "@tiptap/extension-collaboration";
import { EditorContent, useEditor } from "@tiptap/react";
import type { Editor } from "@tiptap/core";
import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type RefObject } from "react";
import type { SelectedPassage } from "#app/comments/types";
import { useTranslation } from "#app/i18n/translation";
import { Carets } from "./carets";
import { CommentAnnotations, setAnnotations, type AnnotationInput, type AnnotationOptions } from "./annotations";
import { documentExtensions } from "./extensions";
import { CollaborationSession } from "./session";
import { readingPlace, restoreReadingPlace, type ReadingPlace } from "./takeover";

interface Props {
  documentId: string;
  /** Language of the draft's text, which may differ from the interface language. */
  language: string;
  /** The editor's caret name and colour; null for readers, whose editor is read-only and who announce no presence. */
  identity: { name: string; color: string } | null;
  /**
   * The server's copy of the text, shown until the editor takes over: the reader's place in it (scroll position,
   * deep link, selection, focus) is carried over to the live text.
   */
  serverText: RefObject<HTMLElement | null>;
  /** The IndexedDB database that keeps this editor's unsaved changes in the browser; null for readers. */
  localDraftName: string | null;
  /**
   * Called once the live document has synced and its text is laid out, still hidden: the page then removes the
   * server's copy and sets `live`, in the same frame.
   */
  onLive: () => void;
  /** Whether the page shows the live text in place of the server's copy. */
  live: boolean;
  /** The live session while there is one, for the page's toolbar to show its connection and saves. */
  onSession: (session: CollaborationSession | null) => void;
  /** Comment marks on the text; the callbacks must be stable (they are read once, when the editor is made). */
  annotations: AnnotationInput;
  annotationOptions: Omit<AnnotationOptions, "doc">;
  /** The passage selected in the text (within one block), or null; for "comment on the selected text". */
  onSelectPassage: (passage: SelectedPassage | null) => void;
}

/** The live, co-edited draft. Mounted only in the browser, after the server-rendered text is on screen. */
export function CollaborativeEditor({ documentId, localDraftName, ...props }: Props) {
  const session = useCollaborationSession(documentId, localDraftName);
  return session ? <LiveEditor session={session} {...props} /> : null;
}

/** One session per mounted editor, torn down on unmount (and re-created under StrictMode's remount). */
function useCollaborationSession(documentId: string, localDraftName: string | null): CollaborationSession | null {
  const [session, setSession] = useState<CollaborationSession | null>(null);
  useEffect(() => {
    const created = new CollaborationSession(documentId, localDraftName);
    // The session is an external resource: it can only be created once mounted, then handed to render.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSession(created);
    return () => {
      setSession(null);
      created.destroy();
    };
  }, [documentId, localDraftName]);
  return session;
}

function LiveEditor({ session, onSession, ...editorProps }: Omit<Props, "documentId" | "localDraftName"> & { session: CollaborationSession }) {
  useEffect(() => {
    onSession(session);
    return () => onSession(null);
  }, [session, onSession]);
  const synced = useSyncExternalStore(session.subscribe, session.isSynced, () => false);
  // The editor is made only once the document has arrived: made on an empty one, it would add an empty paragraph
  // of its own before the draft. Once synced, the live text stays even while reconnecting; offline edits are kept.
  const [hasSynced, setHasSynced] = useState(false);
  if (synced && !hasSynced) setHasSynced(true);
  return hasSynced ? <SyncedEditor session={session} {...editorProps} /> : null;
}

function SyncedEditor({
  session,
  language,
  identity,
  serverText,
  onLive,
  live,
  annotations,
  annotationOptions,
  onSelectPassage,
}: Omit<Props, "documentId" | "localDraftName" | "onSession"> & { session: CollaborationSession }) {
  const { t } = useTranslation();
  const editor = useEditor({
    immediatelyRender: false,
    // Its base styles are in app.css, where they apply to the server's copy of the text as well.
    injectCSS: false,
    editable: identity !== null,
    extensions: [
      ...documentExtensions(),
      Collaboration.configure({ document: session.doc }),
      CommentAnnotations.configure({ ...annotationOptions, doc: session.doc }),
      ...(identity ? [Carets.configure({ provider: session.provider, user: identity })] : []),
    ],
    editorProps: {
      attributes: {
        class: "document-text",
        "aria-label": t("document.editorLabel"),
        "aria-multiline": "true",
        "aria-readonly": identity ? "false" : "true",
        ...(identity ? {} : { "aria-describedby": "read-only-note" }),
        role: "textbox",
      },
    },
  });

  // Layout effects, all run before the browser paints: the takeover happens within one frame, with the margins
  // already drawn, so the reader never sees the text move, doubled or half-annotated.
  useLayoutEffect(() => {
    if (editor && !editor.isDestroyed) setAnnotations(editor.view, annotations);
  }, [editor, annotations]);
  const place = useRef<ReadingPlace | null>(null);
  useLayoutEffect(() => {
    if (!editor || live) return;
    // Measured while the server's copy is still laid out and the live text is hidden beside it.
    place.current = serverText.current ? readingPlace(serverText.current) : null;
    onLive();
  }, [editor, live, onLive, serverText]);
  useLayoutEffect(() => {
    if (!editor || editor.isDestroyed || !live || !place.current) return;
    restoreReadingPlace(place.current, editor.view);
    place.current = null;
  }, [editor, live]);
  useEffect(() => {
    if (!editor) return;
    const onSelectionChange = () => onSelectPassage(selectedPassage(editor));
    document.addEventListener("selectionchange", onSelectionChange);
    return () => document.removeEventListener("selectionchange", onSelectionChange);
  }, [editor, onSelectPassage]);

  return (
    <div hidden={!live} lang={language}>
      <EditorContent editor={editor} />
    </div>
  );
}

/**
 * The browser's selection as a passage of one block, or null when it is empty, outside the text or spans blocks.
 * Read from the DOM, not the editor's state: a read-only editor does not track the selection itself.
 */
function selectedPassage(editor: Editor): SelectedPassage | null {
  const selection = window.getSelection();
  const { view } = editor;
  if (!selection || selection.isCollapsed || !selection.anchorNode || !selection.focusNode) return null;
  if (!view.dom.contains(selection.anchorNode) || !view.dom.contains(selection.focusNode)) return null;
  let anchor: number;
  let focus: number;
  try {
    anchor = view.posAtDOM(selection.anchorNode, selection.anchorOffset);
    focus = view.posAtDOM(selection.focusNode, selection.focusOffset);
  } catch {
    return null;
  }
  const from = Math.min(anchor, focus);
  const to = Math.max(anchor, focus);
  const { doc } = view.state;
  const $from = doc.resolve(from);
  const $to = doc.resolve(to);
  const blockId: unknown = $from.parent.attrs.id;
  if ($from.parent !== $to.parent || !$from.parent.isTextblock || typeof blockId !== "string" || from === to) return null;
  const start = $from.start();
  return { blockId, from: from - start, to: to - start, exact: doc.textBetween(from, to, "\n", "\n") };
}
