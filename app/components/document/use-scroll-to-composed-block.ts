import { useEffect, useRef } from "react";

/**
 * Brings the paragraph the composer is open for into view once, as soon as it is on the page: at once when the
 * server's copy of the draft is there (a page load), else when the text has come (a page reached by a navigation in
 * the browser, such as the way back from signing in: the live editor for editors, the fetched reading view for
 * readers). `textShown` changes when it has.
 */
export function useScrollToComposedBlock(blockId: string | null, textShown: boolean): void {
  const done = useRef(false);
  useEffect(() => {
    if (done.current || blockId === null) return;
    const block = window.document.querySelector(`.document-column [id="${CSS.escape(blockId)}"]`);
    if (!block) return;
    done.current = true;
    block.scrollIntoView({ block: "center" });
  }, [blockId, textShown]);
}
