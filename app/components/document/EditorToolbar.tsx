import { useTranslation } from "~/i18n/translation";
import type { ConnectionState } from "~/editor/session";

/**
 * Above the draft: the live connection's state and whose caret the others see. Rendered with the page, before the
 * editor's code arrives, so the text below never moves down when the editor starts. Hidden without JavaScript (see
 * app.css), where there is no connection to speak of.
 */
export function EditorToolbar({ connection, identity }: { connection: ConnectionState; identity: { name: string; color: string } | null }) {
  const { t } = useTranslation();
  return (
    <div className="editor-toolbar" role="region" aria-label={t("document.toolbar")}>
      <p className={`connection connection--${connection}`} role="status" data-state={connection}>
        <span className="connection__dot" aria-hidden="true" />
        {t(`document.connection.${connection}`)}
      </p>
      {identity ? (
        <p className="hint">
          <span className="caret-swatch" style={{ backgroundColor: identity.color }} aria-hidden="true" />
          {t("document.editingAs", { name: identity.name })}
        </p>
      ) : null}
    </div>
  );
}
