import type { Logger } from "#app/log.server";
import type { CommentCache } from "#app/models/comment-cache.server";
import type { RateLimitStore } from "#app/models/rate-limit.server";
import type { LiveDocuments } from "#app/models/drafts.server";
import type { LiveSessions } from "#app/models/sessions.server";
import type { ThreadPlaces } from "#app/models/thread-places.server";
import type { IdleDocumentCache } from "#server/collab/idle-documents";
import type { InProcessCommentEvents } from "#server/comment-events";
import type { InProcessPresenterEvents } from "#server/presenter-events";
import type { ClusterMessage } from "./cluster-messages";
import { RedisNodeChannel, type NodeChannel, type NodeChannelCounts } from "./node-channel";
import { redisPresenterPositions, SharedCommentEvents, SharedPresenterEvents } from "./redis-events";
import { redisRateLimitStore } from "./redis-rate-limits";
import type { RedisSettings } from "./redis";

/** How long a starting node waits for Redis before it serves alone (it joins the others once Redis answers). */
const WAIT_FOR_REDIS_MS = 3_000;

/** What the other nodes' messages change on this node. */
export interface ClusterReceivers {
  commentCache: Pick<CommentCache, "invalidate" | "clear">;
  idleDocuments: Pick<IdleDocumentCache, "forget" | "forgetAll">;
  threadPlaces: Pick<ThreadPlaces, "changed" | "changedAll">;
  /** This node's own sockets. */
  liveSessions: LiveSessions;
  /** This node's own rooms. */
  liveDocuments: LiveDocuments;
}

/** This node's part in a deployment of several nodes on one database and one Redis (decision 0027). */
export interface Cluster {
  commentEvents: SharedCommentEvents;
  presenterEvents: SharedPresenterEvents;
  rateLimitStore: RateLimitStore;
  /** Tells the other nodes, once `written` resolves, that a change to the document's text is in the database. */
  documentStored(documentId: string, written: Promise<unknown>): void;
  /** `local` on this node, and the same on every other node. */
  shareLiveSessions(local: LiveSessions): LiveSessions;
  /** `local` on this node, and the same on every other node. */
  shareLiveDocuments(local: LiveDocuments): LiveDocuments;
  /** Where the other nodes' messages take effect; until this is called they are not needed (nothing is cached yet). */
  receive(receivers: ClusterReceivers): void;
  /** Messages between the nodes since this one started, for metrics. */
  eventCounts(): NodeChannelCounts;
  /** After the store's last writes: announces them, then disconnects. */
  close(): Promise<void>;
}

/** Connects this node to the others through Redis; without Redis for WAIT_FOR_REDIS_MS it serves alone until Redis answers. */
export async function joinCluster(settings: RedisSettings, log: Logger): Promise<Cluster> {
  const channel = new RedisNodeChannel(settings, log);
  await channel.open(WAIT_FOR_REDIS_MS);
  const commentEvents = new SharedCommentEvents(channel);
  const presenterEvents = new SharedPresenterEvents(channel, redisPresenterPositions(channel.commands, settings));
  return {
    commentEvents,
    presenterEvents,
    rateLimitStore: redisRateLimitStore(channel.commands, settings),
    documentStored: storedAnnouncer(channel),
    shareLiveSessions: (local) => shareLiveSessions(channel, local),
    shareLiveDocuments: (local) => ({
      accessChanged(documentId, access) {
        local.accessChanged(documentId, access);
        channel.send({ kind: "document-access", documentId, readOnly: access.readOnly });
      },
    }),
    receive(receivers) {
      const local = { ...receivers, commentEvents: commentEvents.local, presenterEvents: presenterEvents.local };
      channel.receive((message) => applyClusterMessage(message, local));
      channel.onResubscribed(() => catchUp(local));
    },
    eventCounts: () => ({ ...channel.counts }),
    async close() {
      // The last writes' announcements go out a turn after the writes.
      await new Promise((resolve) => setImmediate(resolve));
      await channel.close();
    },
  };
}

/** Does on this node what another node's message says happened there. */
export function applyClusterMessage(
  message: ClusterMessage,
  on: ClusterReceivers & { commentEvents: Pick<InProcessCommentEvents, "publish">; presenterEvents: Pick<InProcessPresenterEvents, "publish"> },
): void {
  switch (message.kind) {
    case "comment":
      // Before the pages hear of it: what they then load must include the change.
      on.commentCache.invalidate(message.documentId);
      on.commentEvents.publish(message.documentId, message.event);
      return;
    case "presenter":
      on.presenterEvents.publish(message.documentId, message.position);
      return;
    case "document-stored":
      on.idleDocuments.forget(message.documentId);
      on.threadPlaces.changed(message.documentId);
      return;
    case "sessions-ended":
      on.liveSessions.ended(message.sessionIds);
      return;
    case "rights-changed":
      on.liveSessions.rightsChanged(message.userId, message.rights);
      return;
    case "document-access":
      on.liveDocuments.accessChanged(message.documentId, { readOnly: message.readOnly });
      return;
  }
}

/** After messages may have been missed: nothing cached can be trusted, and open pages may have missed edits. */
export function catchUp(on: Pick<ClusterReceivers, "commentCache" | "idleDocuments" | "threadPlaces">): void {
  on.commentCache.clear();
  on.idleDocuments.forgetAll();
  on.threadPlaces.changedAll();
}

/**
 * One message per document for all the writes that finish in the same turn of the event loop: the store writes a
 * burst of edits at once, and every update of it resolves then.
 */
export function storedAnnouncer(channel: NodeChannel): (documentId: string, written: Promise<unknown>) => void {
  const stored = new Set<string>();
  const announce = () => {
    for (const documentId of stored) channel.send({ kind: "document-stored", documentId });
    stored.clear();
  };
  return (documentId, written) => {
    written.then(
      () => {
        if (stored.size === 0) setImmediate(announce);
        stored.add(documentId);
      },
      // The write's failure is the store's and the room's to report; nothing was stored to announce.
      () => {},
    );
  };
}

function shareLiveSessions(channel: NodeChannel, local: LiveSessions): LiveSessions {
  return {
    ended(sessionIds) {
      local.ended(sessionIds);
      channel.send({ kind: "sessions-ended", sessionIds: [...sessionIds] });
    },
    rightsChanged(userId, rights) {
      local.rightsChanged(userId, rights);
      channel.send({ kind: "rights-changed", userId, rights });
    },
  };
}
