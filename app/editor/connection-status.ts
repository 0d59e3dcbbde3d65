import type { Translate } from "#app/i18n/i18n";
import type { ConnectionState, SaveState } from "./session";

export interface EditorStatus {
  connection: ConnectionState;
  save: SaveState;
  /** Changes of this browser's the server has not stored. */
  unsaved: number;
  /** Whether the server says the changes it accepts reach the editors on the other servers (always for one alone). */
  reachesOthers: boolean;
}

export interface StatusLine {
  /** On the toolbar. */
  shown: string;
  /** To screen readers, which hear of changes that matter (connection lost, changes held back, back to normal), not of every save. */
  announced: string;
}

/**
 * What the editor's status line says. A lost connection comes first, then changes waiting to be saved, then changes
 * that are saved but may not reach editors on other servers: each says more about the editor's work than the next.
 */
export function statusLine(status: EditorStatus, t: Translate): StatusLine {
  const waiting = status.save === "waiting" ? t("document.connection.waiting", { count: status.unsaved }) : null;
  if (status.connection !== "connected") {
    const connection = t(`document.connection.${status.connection}`);
    return { shown: waiting === null ? connection : `${connection} · ${waiting}`, announced: connection };
  }
  if (waiting !== null) return { shown: waiting, announced: t("document.connection.notSaved") };
  if (!status.reachesOthers) {
    const notReaching = t("document.connection.notReachingOthers");
    return { shown: notReaching, announced: notReaching };
  }
  const connected = t("document.connection.connected");
  if (status.save === "unknown") return { shown: connected, announced: connected };
  return { shown: t(`document.connection.${status.save}`), announced: connected };
}
