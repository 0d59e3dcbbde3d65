import { useSyncExternalStore } from "react";

/** The widths at which app.css shows the comments as a drawer over the text instead of a column beside it. */
export const DRAWER_LAYOUT = "(max-width: 64rem)";

const subscribe = (onChange: () => void) => {
  const query = window.matchMedia(DRAWER_LAYOUT);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
};

/** Whether the screen is narrow enough for the drawer; false on the server and while hydrating. */
export function useDrawerLayout(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(DRAWER_LAYOUT).matches,
    () => false,
  );
}
