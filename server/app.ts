import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import * as Y from "yjs";
import { yDocToContent } from "#app/editor/content";
import { caretIdentityFor } from "#app/editor/identity";
import { documentShape } from "#app/editor/document-shape";
import { createMailer } from "#app/models/mail.server";
import { can } from "#app/models/authorization.server";
import { createAuthRateLimits } from "#app/models/rate-limit.server";
import { parseSessionCookie, readSession, sessionEndsAt } from "#app/models/sessions.server";
import type { AppServices } from "#app/services";
import { openDatabase } from "#db/client";
import { migrateToLatest } from "#db/migrate";
import { documentExists, listArchivedDocumentIds } from "#db/repositories/documents";
import { seedDatabase } from "#app/seed";
import { CommentCache } from "#app/models/comment-cache.server";
import { ThreadPlaces } from "#app/models/thread-places.server";
import { InProcessCommentEvents } from "./comment-events";
import { InProcessPresenterEvents } from "./presenter-events";
import { joinCluster } from "./cluster/cluster";
import { registerClusterMetrics } from "./cluster/cluster-metrics";
import { IdleDocumentCache } from "./collab/idle-documents";
import { createCollabServer, type CollabServer } from "./collab/collab-server";
import { DocumentStore } from "./collab/document-store";
import type { DocumentPersistence } from "./collab/persistence";
import { DocumentStream, type ClusterStatus } from "./cluster/document-stream";
import { databaseOptions, type Env } from "./env";
import { isSameOrigin } from "./csrf";
import { createHttpApp } from "./http";
import { localOrigins } from "./local-origins";
import { createOperations } from "./operations";
import { createLogger, setLogFormat, setLogLevel } from "#app/log.server";
import { DRAFT_SOURCE_MAX_BYTES } from "#app/drafts/types";

const log = createLogger("server");

export interface RunningServer {
  url: string;
  port: number;
  /** The objects loaders use; tests read the database through them. */
  services: AppServices;
  /** Open documents and connections, and what the collaboration server refused. */
  collabStats(): ReturnType<CollabServer["stats"]>;
  /** From now on /readyz answers 503 ("draining") while everything else is still served; stop() follows. */
  startDraining(): void;
  /** With REDIS_URL: whether Redis is reachable and this process's updates reach the others and storage in time. */
  clusterStatus(): ClusterStatus | null;
  /** Graceful stop: no new connections, every pending write flushed, sockets closed with 1001. */
  stop(): Promise<void>;
}

/** Composes Samråd in order: database → collaboration → HTTP (Remix) → listen. */
export async function startServer(env: Env): Promise<RunningServer> {
  setLogLevel(env.LOG_LEVEL);
  setLogFormat(env.LOG_FORMAT);
  const database = await openDatabase(databaseOptions(env));
  try {
    await migrateToLatest(database.db);
    await seedDatabase(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }

  // With REDIS_URL, nodes on one database share events, cache invalidations and rate limits (decision 0027).
  const cluster = env.REDIS_URL ? await joinCluster({ url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX }, createLogger("cluster")) : null;
  const store = new DocumentStore({ db: database.db, compactAfterUpdates: env.COMPACT_AFTER_UPDATES, log: createLogger("store") });
  const idleDocuments = new IdleDocumentCache();
  const commentEvents = cluster?.commentEvents ?? new InProcessCommentEvents();
  const commentCache = new CommentCache(database.db);
  const threadLog = createLogger("thread-places");
  const threadPlaces = new ThreadPlaces({
    readThreads: (documentId) => commentCache.read(documentId),
    readDocument,
    // Every node works out the places for its own pages, from the changes the others announce.
    commentEvents: cluster?.commentEvents.local ?? commentEvents,
    onError: (documentId, error) =>
      threadLog.error("could not compare thread places", { documentId, error: error instanceof Error ? error : String(error) }),
  });
  const documentChanged = (documentId: string) => {
    idleDocuments.forget(documentId);
    threadPlaces.changed(documentId);
  };
  // With several processes (REDIS_URL) every room of a document is one document, shared through Redis (decision 0026).
  const documentStream = env.REDIS_URL
    ? new DocumentStream({
        redis: { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX },
        store,
        log: createLogger("cluster"),
        onRemoteChange: documentChanged,
      })
    : null;
  const storage: DocumentPersistence = documentStream?.persistence ?? store;
  const collab = createCollabServer({
    // Every change to a document passes through append: the copy kept for readers is forgotten there.
    persistence: {
      load: (documentId) => storage.load(documentId),
      append: (documentId, update) => {
        documentChanged(documentId);
        const written = storage.append(documentId, update);
        cluster?.documentStored(documentId, written);
        return written;
      },
      flush: (documentId) => storage.flush(documentId),
    },
    sharing: documentStream ?? undefined,
    documentShape,
    documentExists: (id) => documentExists(database.db, id),
    maxMessageBytes: env.MAX_MESSAGE_BYTES,
    unloadGraceMs: env.UNLOAD_GRACE_MS,
    log: createLogger("collab"),
    authorize: async (request) => {
      // Browsers apply no CORS to websocket upgrades: without this, any site could open the draft with a visitor's cookies.
      const origin = request.headers.origin;
      if (origin !== undefined && !isSameOrigin(origin, request.headers.host)) return { ok: false, status: 403 };
      const token = parseSessionCookie(request.headers.cookie);
      const current = token ? await readSession(database.db, token) : null;
      // The draft is public: visitors follow it live, read-only, like members; only editors' changes are applied.
      if (!current) return { ok: true, readOnly: true, principal: null, session: null, identity: null };
      return {
        ok: true,
        readOnly: !can(current.role, "edit-draft"),
        principal: current.user.id,
        session: { id: current.session.id, endsAt: sessionEndsAt(current.session).getTime() },
        identity: caretIdentityFor(current.user),
      };
    },
  });

  async function readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T> {
    const live = collab.openDocument(documentId);
    if (live) return read(live);
    // Other processes change documents this one does not have open; the copy kept here is good until they do.
    if (documentStream && (await documentStream.changedElsewhere(documentId))) idleDocuments.forget(documentId);
    const doc = await idleDocuments.read(documentId, () => storage.load(documentId));
    // Loading may have taken long enough for someone to open the document: theirs is the newer state.
    return read(collab.openDocument(documentId) ?? doc);
  }

  const presenterEvents = cluster?.presenterEvents ?? new InProcessPresenterEvents();
  const liveSessions: AppServices["liveSessions"] = {
    ended: (sessionIds) => collab.endSessions(sessionIds),
    rightsChanged: (userId, rights) => collab.setAccess(userId, rights),
  };
  const liveDocuments: AppServices["liveDocuments"] = {
    accessChanged: (documentId, access) => collab.setDocumentReadOnly(documentId, access.readOnly),
  };
  // Archiving tells the rooms from then on (liveDocuments); the ones archived before this process started, here.
  for (const documentId of await listArchivedDocumentIds(database.db)) collab.setDocumentReadOnly(documentId, true);
  cluster?.receive({ commentCache, idleDocuments, threadPlaces, liveSessions, liveDocuments });
  // Filled once the server listens and its port is known; until then no request arrives.
  const ownOrigins = new Set<string>();
  const mailer = createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, db: database.db, log: createLogger("mail") });
  const services: AppServices = {
    db: database.db,
    mailer,
    rateLimits: createAuthRateLimits({ store: cluster?.rateLimitStore }),
    publicUrl: env.PUBLIC_URL ? new URL(env.PUBLIC_URL).origin : undefined,
    localOrigins: ownOrigins,
    secureCookies: env.PUBLIC_URL?.startsWith("https:") ?? false,
    liveSessions: cluster?.shareLiveSessions(liveSessions) ?? liveSessions,
    liveDocuments: cluster?.shareLiveDocuments(liveDocuments) ?? liveDocuments,
    readDocumentContent: (documentId) => readDocument(documentId, yDocToContent),
    readDocument,
    changeDocument: (documentId, origin, change) => collab.changeDocument(documentId, origin, change),
    commentEvents,
    presenterEvents,
    commentCache,
    threadPlaces,
  };

  const operations = createOperations({ env, db: database.db, collabStats: () => collab.stats(), storeStats: () => store.stats() });
  if (cluster && documentStream) {
    registerClusterMetrics(operations.metrics.registry, { documents: () => documentStream.clusterStatus(), events: () => cluster.eventCounts() });
  }
  const httpServer = http.createServer();
  const { app, close: closeApp } = await createHttpApp({
    operations,
    mode: env.NODE_ENV,
    services,
    httpServer,
    trustProxy: env.TRUST_PROXY,
    bodyLimits: {
      defaultBytes: env.MAX_BODY_BYTES,
      // A new draft may start from a Word or Markdown file; the form's other fields need little room besides it.
      // Single fetch posts a script's submission to /drafts/new.data.
      larger: [{ path: /^\/drafts\/new(?:\.data)?$/, maxBytes: Math.max(env.MAX_BODY_BYTES, DRAFT_SOURCE_MAX_BYTES + 64 * 1024) }],
    },
  });
  httpServer.on("request", app);
  httpServer.on("upgrade", (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (collab.handleUpgrade(request, socket, head)) return;
    // In development Vite's HMR socket owns other paths; in production nothing else upgrades.
    if (env.NODE_ENV !== "development") refuseUpgrade(socket);
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(env.PORT, env.HOST, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST}:${port}`;
  for (const origin of localOrigins(env.HOST, port)) ownOrigins.add(origin);
  if (!services.publicUrl) {
    log.warn(
      `PUBLIC_URL is not set: password reset links are mailed only to people who ask at ${[...ownOrigins].join(", ")}; set PUBLIC_URL to the address people use`,
    );
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      operations.readiness.startDraining();
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // Open event streams would otherwise keep the HTTP server from closing.
      threadPlaces.close();
      commentEvents.close();
      presenterEvents.close();
      await collab.shutdown();
      await documentStream?.close();
      await store.close();
      await cluster?.close();
      httpServer.closeIdleConnections();
      await closed;
      await closeApp();
      mailer.close();
      await operations.close();
      await database.close();
      log.info("stopped");
    })();
    return stopping;
  };

  return {
    url,
    port,
    services,
    collabStats: () => collab.stats(),
    startDraining: () => operations.readiness.startDraining(),
    clusterStatus: () => documentStream?.clusterStatus() ?? null,
    stop,
  };
}

function refuseUpgrade(socket: Duplex): void {
  socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
}
