import { Link, useLocation } from "@remix-run/react";
import { useSyncExternalStore } from "react";
import { useTranslation } from "#app/i18n/translation";
import { statusLine } from "#app/editor/connection-status";
import type { CollaborationSession } from "#app/editor/session";

/**
 * Above the draft: the live connection's state, whether the editor's changes are stored, and whose caret the others
 * see. Rendered with the page, before the editor's code arrives, so the text below never moves down when the editor
 * starts. Hidden without JavaScript (see app.css), where there is no connection to speak of.
 */
export function EditorToolbar({ session, identity }: { session: CollaborationSession | null; identity: { name: string; color: string } | null }) {
  const { t } = useTranslation();
  return (
    <div className="editor-toolbar" role="region" aria-label={t("document.toolbar")}>
      {session ? <ConnectionIndicator session={session} /> : <ConnectingIndicator />}
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
 * The connection and, for editors, whether their changes are stored and reach the editors on other servers
 * (statusLine). Subscribes on its own, so that a count changing with every keystroke re-renders this line only.
 */
function ConnectionIndicator({ session }: { session: CollaborationSession }) {
  const { t } = useTranslation();
  const location = useLocation();
  const connection = useSyncExternalStore(session.subscribe, session.connectionState, () => "connecting" as const);
  const save = useSyncExternalStore(session.subscribe, session.saveState, () => "unknown" as const);
  const unsaved = useSyncExternalStore(session.subscribe, session.unsavedCount, () => 0);
  const reachesOthers = useSyncExternalStore(session.subscribe, session.reachesOthers, () => true);
  const { shown, announced } = statusLine({ connection, save, unsaved, reachesOthers }, t);
  return (
    <p
      className={`connection connection--${connection}${save === "waiting" ? " connection--unsaved" : ""}${reachesOthers ? "" : " connection--not-reaching"}`}
      data-state={connection}
      data-save={save}
      data-reaches-others={reachesOthers}
    >
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
