import * as Y from "yjs";
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import { documentSchema, YJS_FRAGMENT } from "./extensions";

/** ProseMirror JSON as Tiptap stores it. */
export interface ContentNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: ContentNode[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  text?: string;
}

/** The draft held by a Y.Doc, as ProseMirror JSON. */
export function yDocToContent(doc: Y.Doc): ContentNode {
  return yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(YJS_FRAGMENT)) as ContentNode;
}

/** Writes ProseMirror JSON into an empty Y.Doc's draft fragment (used by seeding and tests). */
export function writeContentToYDoc(content: ContentNode, doc: Y.Doc): void {
  // Validate against the shared schema first: a malformed seed must fail loudly, not store garbage.
  documentSchema.nodeFromJSON(content).check();
  prosemirrorJSONToYXmlFragment(documentSchema, content, doc.getXmlFragment(YJS_FRAGMENT));
}
