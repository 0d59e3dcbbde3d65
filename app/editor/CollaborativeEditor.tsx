import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import { useEffect, useId, useState, useSyncExternalStore, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { documentExtensions } from "./extensions";
import { loadIdentity, MAX_NAME_LENGTH, saveIdentity, type EditorIdentity } from "./identity";
import { CollaborationSession, type ConnectionState } from "./session";

interface Props {
  documentId: string;
  /** Language of the draft's text, which may differ from the interface language. */
  language: string;
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

function LiveEditor({ session, language, onLive }: Omit<Props, "documentId"> & { session: CollaborationSession }) {
  const { t } = useTranslation();
  const [identity, setIdentity] = useState<EditorIdentity>(() =>
    loadIdentity(window.localStorage, (n) => t("document.guestName", { n })),
  );
  const connection = useSyncExternalStore(session.subscribe, session.connectionState, () => "connecting" as const);
  const synced = useSyncExternalStore(session.subscribe, session.isSynced, () => false);

  const editor = useEditor({
    immediatelyRender: false,
    extensions: [
      ...documentExtensions(),
      Collaboration.configure({ document: session.doc }),
      CollaborationCaret.configure({ provider: session.provider, user: identity }),
    ],
    editorProps: {
      attributes: {
        class: "document-text",
        "aria-label": t("document.editorLabel"),
        "aria-multiline": "true",
        role: "textbox",
      },
    },
  });

  // Once synced, the live text stays on screen even while reconnecting: edits made offline are kept and sent later.
  const [hasSynced, setHasSynced] = useState(false);
  if (synced && !hasSynced) setHasSynced(true);
  const live = hasSynced && editor !== null;
  useEffect(() => onLive(live), [live, onLive]);
  const rename = (name: string) => {
    const next = { ...identity, name };
    saveIdentity(window.localStorage, next);
    setIdentity(next);
    editor?.commands.updateUser(next);
  };

  return (
    <>
      <div className="editor-toolbar" role="region" aria-label={t("document.toolbar")}>
        <ConnectionIndicator state={connection} />
        <DisplayNameForm identity={identity} onRename={rename} />
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

function DisplayNameForm({ identity, onRename }: { identity: EditorIdentity; onRename: (name: string) => void }) {
  const { t } = useTranslation();
  const inputId = useId();
  const hintId = useId();
  const [draft, setDraft] = useState(identity.name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = draft.trim();
    if (name) onRename(name);
  };
  return (
    <form className="display-name" onSubmit={submit}>
      <label htmlFor={inputId}>{t("document.displayName")}</label>
      <input
        id={inputId}
        name="displayName"
        value={draft}
        maxLength={MAX_NAME_LENGTH}
        required
        autoComplete="name"
        aria-describedby={hintId}
        onChange={(event) => setDraft(event.target.value)}
      />
      <button type="submit">{t("document.saveName")}</button>
      <span id={hintId} className="hint">
        <span className="caret-swatch" style={{ backgroundColor: identity.color }} aria-hidden="true" />
        {t("document.editingAs", { name: identity.name })} {t("document.displayNameHint")}
      </span>
    </form>
  );
}
