import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import type { ContentNode } from "./content";
import { documentSchema } from "./extensions";

/**
 * The draft as a node of the shared schema, for Tiptap's static renderer, which would otherwise build the schema from
 * the extensions again on every call. Content with a node or mark type the schema does not know (stored before the
 * server checked updates) stays JSON: the renderer then hands those to its unhandledNode and unhandledMark.
 */
export function renderableContent(content: ContentNode): ProseMirrorNode | ContentNode {
  const stack = [content];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (!(node.type in documentSchema.nodes) || node.marks?.some((mark) => !(mark.type in documentSchema.marks))) return content;
    if (node.content) stack.push(...node.content);
  }
  return documentSchema.nodeFromJSON(content);
}
