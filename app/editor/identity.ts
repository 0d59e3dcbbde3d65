/** Caret colours with at least 4.5:1 contrast against white label text. */
export const CARET_COLORS = ["#1f5f99", "#8a2f6b", "#2d6a2e", "#9c3d14", "#5b3f9e", "#00666b", "#7a4e00", "#a1253a"] as const;

/** How an editor is shown to the others editing with them: the caret's label and colour. */
export interface CaretIdentity {
  name: string;
  color: string;
}

/** The same colour for an account on every device and every visit. */
export function caretColorFor(accountId: string): string {
  let hash = 0;
  for (const character of accountId) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return CARET_COLORS[hash % CARET_COLORS.length] ?? CARET_COLORS[0];
}

/**
 * "Name (Organisation)" and the account's colour. The page shows it to the editor, and the collaboration server
 * puts it on the editor's presence for everyone else, whatever the browser announced.
 */
export function caretIdentityFor(account: { id: string; name: string; organisation: string }): CaretIdentity {
  return {
    name: account.organisation ? `${account.name} (${account.organisation})` : account.name,
    color: caretColorFor(account.id),
  };
}
