import { createHash } from "node:crypto";
import type * as Y from "yjs";
import { yDocToContent, type ContentNode } from "#app/editor/content";

/**
 * A name for one state of a draft's text: the same content gives the same revision in any process and after a
 * reload from storage. Readers' pages compare the revision their markup shows with the one the event stream
 * announces, and fetch the markup again when they differ (decision 0022).
 */
export function textRevision(content: ContentNode): string {
  return createHash("sha256").update(JSON.stringify(content)).digest("base64url").slice(0, 22);
}

// Worked out once per state of a Y.Doc: every page's stream asks for it when it opens, and ThreadPlaces after edits.
const revisions = new WeakMap<Y.Doc, string | null>();

export function textRevisionOf(doc: Y.Doc): string {
  if (!revisions.has(doc)) doc.on("update", () => revisions.set(doc, null));
  let revision = revisions.get(doc);
  if (!revision) {
    revision = textRevision(yDocToContent(doc));
    revisions.set(doc, revision);
  }
  return revision;
}
