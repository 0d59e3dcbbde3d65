import { getSchema, type Extensions } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import UniqueID from "@tiptap/extension-unique-id";

/** Node types that carry a stable block id, rendered as the element id so `/d/<slug>#<id>` links to them. */
export const BLOCK_TYPES = ["heading", "paragraph", "listItem", "blockquote", "codeBlock"] as const;

/** Name of the Yjs XML fragment holding the draft (Tiptap's Collaboration default). */
export const YJS_FRAGMENT = "default";

/**
 * How many elements deep the draft may nest (a top-level paragraph is 1, a paragraph in a list item in a list is 3).
 * Real drafts stay far below it (lists nested 50 levels deep fit); what goes beyond it is refused by the
 * collaboration server, and content stored deeper before that rule is flattened when it is read, so that no
 * recursive renderer (React's, the exports', Yjs's own) can run out of stack on it.
 */
export const MAX_NESTING_DEPTH = 100;

/** A short, URL- and HTML-id-safe block id ("b" + 10 base-36 characters). */
export function newBlockId(): string {
  const bytes = new Uint8Array(10);
  crypto.getRandomValues(bytes);
  return "b" + Array.from(bytes, (byte) => (byte % 36).toString(36)).join("");
}

const BlockId = UniqueID.extend({
  addGlobalAttributes() {
    const attributeName = this.options.attributeName;
    return [
      {
        types: [...BLOCK_TYPES],
        attributes: {
          [attributeName]: {
            default: null,
            parseHTML: (element: HTMLElement) => element.getAttribute("id") ?? element.getAttribute("data-id"),
            renderHTML: (attributes: Record<string, unknown>) => {
              const id = attributes[attributeName];
              return typeof id === "string" && id ? { id, "data-block-id": id } : {};
            },
          },
        },
      },
    ];
  },
}).configure({ attributeName: "id", types: [...BLOCK_TYPES], generateID: newBlockId });

/**
 * The document schema's extensions, shared by the browser editor and the server
 * (seeding, rendering stored Yjs content), so the two cannot drift apart.
 * Undo/redo is left to the collaboration extension in the browser.
 */
export function documentExtensions(): Extensions {
  return [
    StarterKit.configure({
      undoRedo: false,
      link: { openOnClick: false, autolink: true, protocols: ["http", "https", "mailto"] },
    }),
    BlockId,
  ];
}

/**
 * One instance of the extensions for everything that reads the schema without an editor: the schema itself and the
 * static renderings of the draft (the reading view, the version files), so that these follow the editor's schema.
 */
export const staticExtensions = documentExtensions();

export const documentSchema = getSchema(staticExtensions);
