import { Link, useLocation } from "@remix-run/react";
import { useSyncExternalStore } from "react";
import { useTranslation } from "#app/i18n/translation";
import type { CollaborationSession, ConnectionState } from "#app/editor/session";

/**
 * Above the draft: the live connection's state, whether the editor's changes are stored, and whose caret the others
 * see. Only editors hear of saving: readers are told the text is live, as nothing of theirs is saved. Rendered with the page, before the editor's code arrives, so the text below never moves down when the editor
 * starts. Hidden without JavaScript (see app.css), where there is no connection to speak of.
 */
export function EditorToolbar({ session, identity }: { session: CollaborationSession | null; identity: { name: string; color: string } | null }) {
  const { t } = useTranslation();
  return (
    <div className="editor-toolbar" role="region" aria-label={t("document.toolbar")}>
      {session === null ? (
        <ConnectingIndicator />
      ) : identity ? (
        <ConnectionIndicator session={session} />
      ) : (
        <ReaderConnectionIndicator session={session} />
      )}
      {identity ? (
        <p className="hint">
          <span className="caret-swatch" style={{ backgroundColor: identity.color }} aria-hidden="true" />
          {t("document.editingAs", { name: identity.name })}
        </p>
      ) : null}
    </div>
  );
}

/** Until the editor's code has started its session. */
function ConnectingIndicator() {
  const { t } = useTranslation();
  return (
    <p className="connection connection--connecting" data-state="connecting">
      <span className="connection__dot" aria-hidden="true" />
      <span>{t("document.connection.connecting")}</span>
      <span className="visually-hidden" role="status">
        {t("document.connection.connecting")}
      </span>
    </p>
  );
}

/**
 * The connection as a reader (who may not edit) sees it: whether the text shown follows the others' changes. Only
 * editors are told about saving, since only their changes are saved.
 */
const READER_STATUS = {
  connecting: "connecting",
  connected: "live",
  reconnecting: "reconnecting",
  offline: "offlineReading",
  // A reader's session ending changes nothing they see but that the text stops following: as a lost connection.
  ended: "reconnecting",
} as const satisfies Record<ConnectionState, string>;

function ReaderConnectionIndicator({ session }: { session: CollaborationSession }) {
  const { t } = useTranslation();
  const connection = useSyncExternalStore(session.subscribe, session.connectionState, () => "connecting" as const);
  const shown = t(`document.connection.${READER_STATUS[connection]}`);
  return (
    <p className={`connection connection--${connection}`} data-state={connection}>
      <span className="connection__dot" aria-hidden="true" />
      <span>{shown}</span>
      <span className="visually-hidden" role="status">
        {shown}
      </span>
    </p>
  );
}

/**
 * The connection and, for editors, whether their changes are stored. Subscribes on its own, so that a count changing
 * with every keystroke re-renders this line only. Screen readers are told of changes that matter (connection lost,
 * changes waiting, back to normal), not of every save while someone types.
 */
function ConnectionIndicator({ session }: { session: CollaborationSession }) {
  const { t } = useTranslation();
  const location = useLocation();
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
      {connection === "ended" ? (
        <>
          {" "}
          <Link to={`/sign-in?redirectTo=${encodeURIComponent(location.pathname)}`}>{t("document.connection.signInAgain")}</Link>
        </>
      ) : null}
      <span className="visually-hidden" role="status">
        {announced}
      </span>
    </p>
  );
}
