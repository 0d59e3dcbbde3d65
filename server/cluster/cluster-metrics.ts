import type { Registry } from "prom-client";
import { counterFrom, gaugeFrom } from "#server/metrics";
import type { ClusterStatus } from "./document-stream";
import type { NodeChannelCounts } from "./node-channel";

/** Where the cluster's figures are read at each scrape. */
export interface ClusterMetricsSources {
  documents(): ClusterStatus;
  events(): NodeChannelCounts;
}

/** The figures of this node's part in a deployment of several (REDIS_URL; decisions 0026, 0027) on /metrics. */
export function registerClusterMetrics(registry: Registry, sources: ClusterMetricsSources): void {
  const status = sources.documents;
  const counts = () => status().metrics;
  const documents = () => status().documents;
  gaugeFrom(registry, "samrad_cluster_redis_reachable", "1 while Redis answers this node's document connections, 0 while it is away", () =>
    status().redisReachable ? 1 : 0,
  );
  gaugeFrom(
    registry,
    "samrad_cluster_documents_not_reaching_others",
    "Open documents whose editors here are told that their changes may not reach the other nodes yet",
    () => documents().filter((document) => !document.reachesOthers).length,
  );
  gaugeFrom(
    registry,
    "samrad_cluster_delivery_lag_seconds",
    "Age of the last update from another node when it arrived here (time from its entry in the stream to its reading)",
    () => counts().lastDeliveryLagMs / 1000,
  );
  gaugeFrom(registry, "samrad_cluster_delivery_lag_max_seconds", "The largest delivery lag of an update from another node since this node started", () =>
    counts().maxDeliveryLagMs / 1000,
  );
  counterFrom(registry, "samrad_cluster_updates_published_total", "Document updates this node put into the documents' streams", () => counts().updatesShared);
  counterFrom(registry, "samrad_cluster_updates_received_total", "Document updates from other nodes applied here", () => counts().updatesReceived);
  gaugeFrom(registry, "samrad_cluster_lease_documents", "Documents whose stream this node writes to the database now (holds the lease)", () =>
    documents().filter((document) => document.holdsLease).length,
  );
  gaugeFrom(registry, "samrad_cluster_unshared_updates", "Updates accepted here not yet in their stream (Redis away)", () =>
    documents().reduce((sum, document) => sum + document.waitingToShare, 0),
  );
  gaugeFrom(registry, "samrad_cluster_unstored_updates", "Updates accepted here not yet known stored in the database through the stream", () =>
    documents().reduce((sum, document) => sum + document.waitingForStorage, 0),
  );
  gaugeFrom(
    registry,
    "samrad_cluster_persistence_lag_seconds",
    "How long the oldest update accepted here has waited to be known stored (0 when none): the stream's persistence lag",
    () => Math.max(0, ...documents().map((document) => document.oldestWaitingMs)) / 1000,
  );
  counterFrom(registry, "samrad_cluster_stream_entries_stored_total", "Stream updates this node wrote to the database as lease holder", () => counts().entriesStored);
  counterFrom(registry, "samrad_cluster_direct_writes_total", "Updates written to the database directly because the stream did not store them in time", () =>
    counts().directWrites,
  );
  counterFrom(registry, "samrad_cluster_gap_reloads_total", "Times a document was read from the database again after stream entries were missed", () =>
    counts().gapReloads,
  );
  counterFrom(registry, "samrad_cluster_leases_taken_total", "Documents' leases this node took", () => counts().leasesTaken);
  counterFrom(registry, "samrad_cluster_presence_messages_sent_total", "Presence messages published to the other nodes", () => counts().presenceMessagesSent);
  counterFrom(registry, "samrad_cluster_presence_messages_received_total", "Presence messages received from the other nodes", () => counts().presenceMessagesReceived);
  counterFrom(registry, "samrad_cluster_events_published_total", "Events (comments, presenter, stored documents, sessions) Redis took from this node", () =>
    sources.events().published,
  );
  counterFrom(registry, "samrad_cluster_events_received_total", "Events from other nodes handled here", () => sources.events().received);
  counterFrom(registry, "samrad_cluster_events_lost_total", "Events for the other nodes lost (dropped while Redis was away, or refused)", () => sources.events().lost);
}
