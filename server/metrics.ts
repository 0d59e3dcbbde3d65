import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import { matchRoutes } from "@remix-run/react";
import type { Request as ExpressRequest, RequestHandler } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { RoomStats } from "./collab/room";
import type { StoreStats } from "./collab/document-store";
import { ALLOWED_METHODS } from "./request-guards";

/** What the metrics read when they are scraped; nothing is counted for them on the way. */
export interface MetricsSources {
  collab(): RoomStats;
  store(): StoreStats;
  draining(): boolean;
}

export interface Metrics {
  /**
   * Every metric of this server. Other parts (the cluster code) add theirs with `gaugeFrom`/`counterFrom` on it,
   * reading their own state at scrape time, so /metrics shows them with nothing else to wire.
   */
  registry: Registry;
  /** Times every request that passes it, labelled by method, route pattern (see labelRoute) and status class. */
  observeRequests: RequestHandler;
}

/** A gauge whose value is read from `read` at each scrape. */
export function gaugeFrom(registry: Registry, name: string, help: string, read: () => number): Gauge {
  return new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

/** A counter whose total is read from `read` at each scrape: `read` must only ever grow. */
export function counterFrom(registry: Registry, name: string, help: string, read: () => number): Counter {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const KNOWN_METHODS = new Set<string>(ALLOWED_METHODS);

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requestDuration = new Histogram({
    name: "samrad_http_request_duration_seconds",
    help: "Time from a request's arrival to the end of its answer, by method, route pattern and status class (event streams are not timed)",
    labelNames: ["method", "route", "status"] as const,
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const observeRequests: RequestHandler = (request, response, next) => {
    const end = requestDuration.startTimer();
    response.once("finish", () => {
      // An event stream's time is how long a reader kept the page open, which would drown the requests' times.
      if (/text\/event-stream/i.test(String(response.getHeader("Content-Type") ?? ""))) return;
      end({
        method: KNOWN_METHODS.has(request.method) ? request.method : "other",
        route: routeLabelOf(response.locals),
        status: `${Math.floor(response.statusCode / 100)}xx`,
      });
    });
    next();
  };

  const collab = sources.collab;
  gaugeFrom(registry, "samrad_collab_connections", "Open collaboration websockets", () => collab().connections);
  gaugeFrom(registry, "samrad_collab_rooms", "Documents open in memory (rooms)", () => collab().rooms);
  gaugeFrom(registry, "samrad_collab_presence_entries", "Presence (awareness) states and remembered removals held, over all rooms", () => collab().presenceEntries);
  counterFrom(registry, "samrad_collab_updates_received_total", "Document updates received from connections, changing or not", () => collab().updatesReceived);
  counterFrom(registry, "samrad_collab_document_changes_total", "Changes applied to documents (each is stored)", () => collab().documentChanges);
  counterFrom(registry, "samrad_collab_updates_sent_total", "Update messages sent to connections (one per connection per broadcast)", () => collab().updatesSent);
  counterFrom(registry, "samrad_collab_dropped_read_only_updates_total", "Document changes from read-only connections, not applied", () => collab().droppedReadOnlyUpdates);
  counterFrom(registry, "samrad_collab_dropped_awareness_updates_total", "Awareness messages with a refused entry", () => collab().droppedAwarenessUpdates);
  counterFrom(registry, "samrad_collab_dropped_requests_total", "Sync and query messages beyond a connection's rate, not answered", () => collab().droppedRequests);

  const store = sources.store;
  gaugeFrom(registry, "samrad_store_unstored_updates", "Document updates in memory not yet in the database", () => store().unstoredUpdates);
  gaugeFrom(registry, "samrad_store_oldest_unstored_age_seconds", "How long the oldest update not yet in the database has waited (0 when none)", () => store().oldestUnstoredAgeMs / 1000);
  counterFrom(registry, "samrad_store_updates_stored_total", "Document updates written to the database", () => store().storedUpdates);
  gaugeFrom(registry, "samrad_store_write_failing", "1 while writes of document updates fail (they stay queued and are retried)", () => (store().failing ? 1 : 0));

  gaugeFrom(registry, "samrad_draining", "1 once the process was told to stop and is draining", () => (sources.draining() ? 1 : 0));

  return { registry, observeRequests };
}

const ROUTE_LABEL = "samradRoute";

/** Names the route a request goes to for the metrics; the last one on its way counts. */
export function labelRoute(label: string | ((request: ExpressRequest) => string)): RequestHandler {
  return (request, response, next) => {
    response.locals[ROUTE_LABEL] = typeof label === "string" ? label : label(request);
    next();
  };
}

function routeLabelOf(locals: Record<string, unknown>): string {
  const label = locals[ROUTE_LABEL];
  return typeof label === "string" ? label : "other";
}

/**
 * The pattern of the Remix route a path goes to ("/d/:slug/comments"), so that metrics have a label per route, not per
 * address: one per document or token would grow without bound.
 */
export function remixRoutePattern(routes: ServerBuild["routes"]): (request: ExpressRequest) => string {
  const tree = routeTree(routes, undefined);
  return (request) => {
    const matches = matchRoutes(tree, request.path) ?? [];
    const segments = matches.map((match) => match.route.path).filter((path): path is string => path !== undefined && path !== "");
    return matches.length === 0 ? "unmatched" : `/${segments.join("/")}`;
  };
}

type RouteObject = Parameters<typeof matchRoutes>[0][number];

function routeTree(routes: ServerBuild["routes"], parentId: string | undefined): RouteObject[] {
  return Object.values(routes)
    .filter((route) => route !== undefined && route.parentId === parentId)
    .map((route): RouteObject =>
      route.index
        ? { id: route.id, index: true, path: route.path, caseSensitive: route.caseSensitive }
        : { id: route.id, path: route.path, caseSensitive: route.caseSensitive, children: routeTree(routes, route.id) },
    );
}

export interface MetricsAccess {
  /** Requests bearing this token (Authorization: Bearer …) are served. */
  token: string | undefined;
  /** Connections from this machine are served without a token. */
  allowLoopback: boolean;
}

/**
 * Whether a request may read /metrics. Loopback is judged by the connection's own address, never by forwarded headers,
 * which any client can write.
 */
export function mayReadMetrics(request: IncomingMessage, access: MetricsAccess): boolean {
  if (access.token !== undefined && bearerMatches(request.headers.authorization, access.token)) return true;
  return access.allowLoopback && isLoopback(request.socket.remoteAddress);
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (\S+)$/i.exec(header ?? "")?.[1];
  if (presented === undefined) return false;
  // Digests have one length, so the comparison takes the same time whatever was presented.
  return timingSafeEqual(sha256(presented), sha256(token));
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  return address === "::1" || v4.startsWith("127.");
}
