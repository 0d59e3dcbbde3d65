import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import { useEffect, useState, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { documentExtensions } from "./extensions";
import { CollaborationSession, type ConnectionState } from "./session";

interface Props {
  documentId: string;
  /** Language of the draft's text, which may differ from the interface language. */
  language: string;
  /** The editor's caret name and colour; null for readers, whose editor is read-only and who announce no presence. */
  identity: { name: string; color: string } | null;
  /** Called once the live document has synced and replaces the server-rendered text. */
  onLive: (live: boolean) => void;
}

/** The live, co-edited draft. Mounted only in the browser, after the server-rendered text is on screen. */
export function CollaborativeEditor({ documentId, ...props }: Props) {
  const session = useCollaborationSession(documentId);
  return session ? <LiveEditor session={session} {...props} /> : null;
}

/** One session per mounted editor, torn down on unmount (and re-created under StrictMode's remount). */
function useCollaborationSession(documentId: string): CollaborationSession | null {
  const [session, setSession] = useState<CollaborationSession | null>(null);
  useEffect(() => {
    const created = new CollaborationSession(documentId);
    // The session is an external resource: it can only be created once mounted, then handed to render.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSession(created);
    return () => {
      setSession(null);
      created.destroy();
    };
  }, [documentId]);
  return session;
}

function LiveEditor({ session, language, identity, onLive }: Omit<Props, "documentId"> & { session: CollaborationSession }) {
  const { t } = useTranslation();
  const connection = useSyncExternalStore(session.subscribe, session.connectionState, () => "connecting" as const);
  const synced = useSyncExternalStore(session.subscribe, session.isSynced, () => false);

  const editor = useEditor({
    immediatelyRender: false,
    editable: identity !== null,
    extensions: [
      ...documentExtensions(),
      Collaboration.configure({ document: session.doc }),
      ...(identity ? [CollaborationCaret.configure({ provider: session.provider, user: identity })] : []),
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

  // Once synced, the live text stays on screen even while reconnecting: edits made offline are kept and sent later.
  const [hasSynced, setHasSynced] = useState(false);
  if (synced && !hasSynced) setHasSynced(true);
  const live = hasSynced && editor !== null;
  useEffect(() => onLive(live), [live, onLive]);

  return (
    <>
      <div className="editor-toolbar" role="region" aria-label={t("document.toolbar")}>
        <ConnectionIndicator state={connection} />
        {identity ? (
          <p className="hint">
            <span className="caret-swatch" style={{ backgroundColor: identity.color }} aria-hidden="true" />
            {t("document.editingAs", { name: identity.name })}
          </p>
        ) : null}
      </div>
      <div hidden={!live} lang={language}>
        <EditorContent editor={editor} />
      </div>
    </>
  );
}

function ConnectionIndicator({ state }: { state: ConnectionState }) {
  const { t } = useTranslation();
  return (
    <p className={`connection connection--${state}`} role="status" data-state={state}>
      <span className="connection__dot" aria-hidden="true" />
      {t(`document.connection.${state}`)}
    </p>
  );
}
