import { createContext, useContext, type ReactNode } from "react";
import type { StaticDraft } from "~/models/document-page";

/**
 * What a route's loader hands to the server's render of its page without sending it to the browser as data
 * (the loader puts it on the load context; entry.server provides it here). Only server-rendered islands read it.
 */
export interface ServerOnlyData {
  staticDraft?: StaticDraft;
}

export const ServerOnlyContext = createContext<ServerOnlyData | null>(null);

/** The server-only data of this render; null in the browser. */
export function useServerOnlyData(): ServerOnlyData | null {
  return useContext(ServerOnlyContext);
}

/**
 * Markup the server renders and the browser keeps as it is. In the browser the element's inner HTML is not React's
 * to hydrate, so the data it was made from need not be sent: the document page renders the whole draft this way
 * and lets the live editor replace it. After a navigation in the browser the island is empty.
 */
export function ServerRenderedIsland({ children, className, islandRef }: { children?: ReactNode; className?: string; islandRef?: React.Ref<HTMLDivElement> }) {
  if (typeof document === "undefined") {
    return (
      <div className={className} ref={islandRef}>
        {children}
      </div>
    );
  }
  return <div className={className} ref={islandRef} dangerouslySetInnerHTML={{ __html: "" }} suppressHydrationWarning />;
}
