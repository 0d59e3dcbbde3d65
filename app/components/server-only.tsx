import { createContext, useContext, type ReactElement } from "react";
import type { StaticDocument } from "#app/editor/StaticDocument";
import type { StaticDraft } from "#app/models/document-page";

/**
 * What a route's loader hands to the server's render of its page without sending it to the browser as data
 * (the loader puts it on the load context; entry.server provides it here). Only server-rendered islands read it.
 */
export interface ServerOnlyData {
  staticDraft?: StaticDraft;
}

/** The server's side of a render: the loaders' server-only data, and markup kept between requests. */
export interface ServerRender {
  data: ServerOnlyData;
  /**
   * The static markup of `render()`, made once per `key` object and `variant` and kept as long as the key is: a
   * loader that hands every reader the same object (a StaticDraft, until the draft or its comments change) gets
   * the markup rendered once instead of once per page view.
   */
  markupOnce(key: object, variant: string, render: () => ReactElement): string;
  /**
   * The reading view of a draft, for islands: handed over by the server's entry so that a page which renders the
   * draft only on the server does not load the renderer and the schema in the browser.
   */
  StaticDocument: typeof StaticDocument;
}

export const ServerRenderContext = createContext<ServerRender | null>(null);

/** The server's side of this render; null in the browser. */
export function useServerRender(): ServerRender | null {
  return useContext(ServerRenderContext);
}

/**
 * Markup the server renders and the browser keeps as it is. In the browser the element's inner HTML is not React's
 * to hydrate, so the data it was made from need not be sent: the document page renders the whole draft this way
 * and lets the live editor replace it (after a navigation in the browser that island is empty until then). A frozen
 * version's page sends the markup itself as data, so the browser needs no renderer for it.
 */
export function ServerRenderedIsland({ markup, islandRef }: { markup: string | null; islandRef?: React.Ref<HTMLDivElement> }) {
  return <div ref={islandRef} dangerouslySetInnerHTML={{ __html: markup ?? "" }} suppressHydrationWarning />;
}
