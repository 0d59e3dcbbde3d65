/** Caret colours with at least 4.5:1 contrast against white label text. */
export const CARET_COLORS = ["#1f5f99", "#8a2f6b", "#2d6a2e", "#9c3d14", "#5b3f9e", "#00666b", "#7a4e00", "#a1253a"] as const;

/** The same colour for an account on every device and every visit. */
export function caretColorFor(accountId: string): string {
  let hash = 0;
  for (const character of accountId) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return CARET_COLORS[hash % CARET_COLORS.length] ?? CARET_COLORS[0];
}
