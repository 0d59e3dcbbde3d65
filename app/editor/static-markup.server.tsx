import { renderToStaticMarkup } from "react-dom/server";
import type { ContentNode } from "./content";
import { StaticDocument } from "./StaticDocument";

/**
 * The reading view of content as HTML, for pages that show a draft but never edit it (a frozen version): the browser
 * gets the markup and does not load the renderer and the schema to make it again.
 */
export function staticDocumentMarkup(content: ContentNode): string {
  return renderToStaticMarkup(<StaticDocument content={content} />);
}
