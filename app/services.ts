import type { Kysely } from "kysely";
import type * as Y from "yjs";
import type { CommentEventBus } from "#app/comments/events";
import type { ServerOnlyData } from "#app/components/server-only";
import type { PresenterBus } from "#app/present/events";
import type { CommentCache } from "#app/models/comment-cache.server";
import type { ThreadPlaces } from "#app/models/thread-places.server";
import type { Database } from "#db/schema";
import type { ContentNode } from "#app/editor/content";
import type { Mailer } from "#app/models/mail.server";
import type { AuthRateLimits } from "#app/models/rate-limit.server";
import type { LiveSessions } from "#app/models/sessions.server";
import type { LiveDocuments } from "#app/models/drafts.server";

/**
 * What the server process hands to every loader and action (Remix load context).
 * The server owns these objects, so the Remix build and the collaboration server share
 * one database connection and one view of each open document.
 */
export interface AppServices {
  db: Kysely<Database>;
  /** The current content of a document: the live in-memory state when open, the stored state otherwise. */
  readDocumentContent(documentId: string): Promise<ContentNode>;
  /**
   * Calls `read` with the document's current Y.Doc (live when open, else loaded from storage) and returns its
   * result. `read` must be synchronous and must not change the doc or keep it: it may be unloaded afterwards.
   */
  readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T>;
  /**
   * Runs `change` on the document's live Y.Doc as one transaction with `origin` (loading it when nobody has it open)
   * and returns its result; the change reaches every open editor and storage like an editor's own. `change` must be
   * synchronous and must not keep the doc.
   */
  changeDocument<T>(documentId: string, origin: object, change: (doc: Y.Doc) => T): Promise<T>;
  /** Tells the open pages of a document that its comments changed. */
  commentEvents: CommentEventBus;
  /** Carries a presenting host's position to the participants following them. */
  presenterEvents: PresenterBus;
  /** Documents' stored threads between requests; changeThreads (models/comments/changes.server.ts) invalidates it on every change. */
  commentCache: CommentCache;
  /** Announces threads that edits moved (to removed text, to another block, to "changed") while pages listen. */
  threadPlaces: Pick<ThreadPlaces, "watch">;
  mailer: Mailer;
  rateLimits: AuthRateLimits;
  /** PUBLIC_URL without a trailing slash: the origin for links in mail, when the operator set it. */
  publicUrl: string | undefined;
  /**
   * The origins of this server's own addresses (localhost, the addresses it listens on). Without PUBLIC_URL, links in
   * mail are built only for requests made to one of these: any other Host header is the client's choice.
   */
  localOrigins: ReadonlySet<string>;
  /** Whether cookies get the Secure attribute (the site is served over HTTPS). */
  secureCookies: boolean;
  /** The open collaboration sockets of each session: the account commands close or downgrade them at once. */
  liveSessions: LiveSessions;
  /** The open collaboration rooms of each document: archiving makes them read-only at once, on every node. */
  liveDocuments: LiveDocuments;
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    services: AppServices;
    /** Nonce of this response's Content-Security-Policy, for the inline scripts Remix renders. */
    cspNonce: string;
    /** The client's address as the HTTP server sees it (behind a proxy: as TRUST_PROXY allows), for rate limits and the audit log. */
    clientIp: string;
    /** What the loaders of this request hand to the server render without sending it as data (one object per request). */
    serverOnly: ServerOnlyData;
  }
}
