/**
 * A version's comment window: comments on the draft based on it are taken from `opensAt` to `closesAt`, either
 * of which may be open-ended. Shared by the comment rules (which refuse outside it) and the page (which says so).
 */
export interface CommentWindow {
  opensAt: Date | null;
  closesAt: Date | null;
}

export type CommentWindowState = "open" | "not-yet-open" | "closed";

export function commentWindowState(window: CommentWindow | null, now: Date): CommentWindowState {
  if (window?.opensAt && now < window.opensAt) return "not-yet-open";
  if (window?.closesAt && now >= window.closesAt) return "closed";
  return "open";
}
