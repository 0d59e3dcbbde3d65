import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import { useEffect, useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { documentExtensions } from "./extensions";
import { loadIdentity, MAX_NAME_LENGTH, saveIdentity, type EditorIdentity } from "./identity";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

interface Props {
  documentId: string;
  /** Language of the draft's text, which may differ from the interface language. */
  language: string;
  /** Called once the live document has synced and replaces the server-rendered text. */
  onLive: (live: boolean) => void;
}

/** The live, co-edited draft. Mounted only in the browser, after the server-rendered text is on screen. */
export function CollaborativeEditor({ documentId, language, onLive }: Props) {
  const { t } = useTranslation();
  const [session] = useState(() => createSession(documentId));
  const [identity, setIdentity] = useState<EditorIdentity>(() =>
    loadIdentity(window.localStorage, (n) => t("document.guestName", { n })),
  );
  const connection = useConnectionState(session.provider);
  const [synced, setSynced] = useState(session.provider.synced);

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

  useEffect(() => {
    const onSync = (isSynced: boolean) => {
      if (isSynced) setSynced(true);
    };
    session.provider.on("sync", onSync);
    return () => {
      session.provider.off("sync", onSync);
    };
  }, [session]);

  useEffect(() => () => session.destroy(), [session]);

  const live = synced && editor !== null;
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

function createSession(documentId: string) {
  const doc = new Y.Doc();
  const protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
  const provider = new WebsocketProvider(`${protocol}//${window.location.host}/collab`, documentId, doc);
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

function useConnectionState(provider: WebsocketProvider): ConnectionState {
  const [state, setState] = useState<ConnectionState>(() =>
    typeof navigator !== "undefined" && !navigator.onLine ? "offline" : "connecting",
  );
  useEffect(() => {
    let everConnected = false;
    const onStatus = ({ status }: { status: "connected" | "connecting" | "disconnected" }) => {
      if (!navigator.onLine) return setState("offline");
      if (status === "connected") {
        everConnected = true;
        setState("connected");
      } else {
        setState(everConnected ? "reconnecting" : "connecting");
      }
    };
    const onOffline = () => setState("offline");
    const onOnline = () => setState(provider.wsconnected ? "connected" : everConnected ? "reconnecting" : "connecting");
    provider.on("status", onStatus);
    window.addEventListener("offline", onOffline);
    window.addEventListener("online", onOnline);
    return () => {
      provider.off("status", onStatus);
      window.removeEventListener("offline", onOffline);
      window.removeEventListener("online", onOnline);
    };
  }, [provider]);
  return state;
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
