import type { Kysely } from "kysely";
import type { Database } from "#db/schema";
import type { ContentNode } from "~/editor/content";

/**
 * What the server process hands to every loader and action (Remix load context).
 * The server owns these objects, so the Remix build and the collaboration server share
 * one database connection and one view of each open document.
 */
export interface AppServices {
  db: Kysely<Database>;
  /** The current content of a document: the live in-memory state when open, the stored state otherwise. */
  readDocumentContent(documentId: string): Promise<ContentNode>;
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    services: AppServices;
    /** Nonce of this response's Content-Security-Policy, for the inline scripts Remix renders. */
    cspNonce: string;
  }
}
