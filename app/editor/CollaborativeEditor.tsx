import Collaboration from "@tiptap/extension-collaboration";
import { EditorContent, useEditor } from "@tiptap/react";
import type { Editor } from "@tiptap/core";
import { useEffect, useState, useSyncExternalStore } from "react";
import { useTranslation } from "~/i18n/translation";
import { Carets } from "./carets";
import { CommentAnnotations, setAnnotations, type AnnotationInput, type AnnotationOptions } from "./annotations";
import { documentExtensions } from "./extensions";
import { CollaborationSession } from "./session";

interface Props {
  documentId: string;
  /** Language of the draft's text, which may differ from the interface language. */
  language: string;
  /** The editor's caret name and colour; null for readers, whose editor is read-only and who announce no presence. */
  identity: { name: string; color: string } | null;
  /** The IndexedDB database that keeps this editor's unsaved changes in the browser; null for readers. */
  localDraftName: string | null;
  /** Called once the live document has synced and replaces the server-rendered text. */
  onLive: (live: boolean) => void;
  /** Comment marks on the text; the callbacks must be stable (they are read once, when the editor is made). */
  annotations: AnnotationInput;
  annotationOptions: Omit<AnnotationOptions, "doc">;
  /** The passage selected in the text (within one block), or null; for "comment on the selected text". */
  onSelectPassage: (passage: SelectedPassage | null) => void;
}

export interface SelectedPassage {
  blockId: string;
  from: number;
  to: number;
  exact: string;
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

function LiveEditor({ session, onLive, ...editorProps }: Omit<Props, "documentId" | "localDraftName"> & { session: CollaborationSession }) {
  const { t } = useTranslation();
  const synced = useSyncExternalStore(session.subscribe, session.isSynced, () => false);
  // The editor is made only once the document has arrived: made on an empty one, it would add an empty paragraph
  // of its own before the draft. Once synced, the live text stays even while reconnecting; offline edits are kept.
  const [hasSynced, setHasSynced] = useState(false);
  if (synced && !hasSynced) setHasSynced(true);
  const { identity } = editorProps;

  return (
    <>
      <div className="editor-toolbar" role="region" aria-label={t("document.toolbar")}>
        <ConnectionIndicator session={session} />
        {identity ? (
          <p className="hint">
            <span className="caret-swatch" style={{ backgroundColor: identity.color }} aria-hidden="true" />
            {t("document.editingAs", { name: identity.name })}
          </p>
        ) : null}
      </div>
      {hasSynced ? <SyncedEditor session={session} onLive={onLive} {...editorProps} /> : null}
    </>
  );
}

function SyncedEditor({
  session,
  language,
  identity,
  onLive,
  annotations,
  annotationOptions,
  onSelectPassage,
}: Omit<Props, "documentId" | "localDraftName"> & { session: CollaborationSession }) {
  const { t } = useTranslation();
  const editor = useEditor({
    immediatelyRender: false,
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

  const live = editor !== null;
  useEffect(() => onLive(live), [live, onLive]);
  useEffect(() => {
    if (editor && !editor.isDestroyed) setAnnotations(editor.view, annotations);
  }, [editor, annotations]);
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
 * The connection and, for editors, whether their changes are stored. Subscribes on its own, so that a count changing
 * with every keystroke re-renders this line only. Screen readers are told of changes that matter (connection lost,
 * changes waiting, back to normal), not of every save while someone types.
 */
function ConnectionIndicator({ session }: { session: CollaborationSession }) {
  const { t } = useTranslation();
  const connection = useSyncExternalStore(session.subscribe, session.connectionState, () => "connecting" as const);
  const save = useSyncExternalStore(session.subscribe, session.saveState, () => "unknown" as const);
  const count = useSyncExternalStore(session.subscribe, session.unsavedCount, () => 0);
  const waiting = save === "waiting" ? t("document.connection.waiting", { count }) : null;
  let shown: string;
  let announced: string;
  if (connection !== "connected") {
    shown = waiting === null ? t(`document.connection.${connection}`) : `${t(`document.connection.${connection}`)} · ${waiting}`;
    announced = t(`document.connection.${connection}`);
  } else if (save === "unknown") {
    shown = announced = t("document.connection.connected");
  } else {
    shown = waiting ?? t(`document.connection.${save}`);
    announced = save === "waiting" ? t("document.connection.notSaved") : t("document.connection.connected");
  }
  return (
    <p className={`connection connection--${connection}${save === "waiting" ? " connection--unsaved" : ""}`} data-state={connection} data-save={save}>
      <span className="connection__dot" aria-hidden="true" />
      <span>{shown}</span>
      <span className="visually-hidden" role="status">
        {announced}
      </span>
    </p>
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
