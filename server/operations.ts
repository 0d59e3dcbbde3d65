import express, { type RequestHandler, type Response } from "express";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema";
import { createLogger } from "#app/log.server";
import { connectRedis } from "./cluster/redis";
import type { StoreStats } from "./collab/document-store";
import type { RoomStats } from "./collab/room";
import type { Env } from "./env";
import { databaseProbe, Readiness, redisProbe, type ReadinessProbe } from "./health";
import { createMetrics, mayReadMetrics, type Metrics } from "./metrics";

export interface OperationsOptions {
  env: Pick<Env, "REDIS_URL" | "REDIS_KEY_PREFIX" | "METRICS_TOKEN" | "METRICS_ALLOW_LOOPBACK">;
  db: Kysely<Database>;
  collabStats(): RoomStats;
  storeStats(): StoreStats;
}

/** What operators and load balancers ask of a running process: is it up, should it get requests, how is it doing. */
export interface Operations {
  /** /healthz, /readyz and /metrics; mounted before everything else, so no session, CSRF check or limit applies. */
  routes: RequestHandler;
  metrics: Metrics;
  readiness: Readiness;
  /** Closes the probes' own connections. */
  close(): Promise<void>;
}

export function createOperations(options: OperationsOptions): Operations {
  const log = createLogger("operations");
  const probes: ReadinessProbe[] = [databaseProbe(options.db)];
  const { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix } = options.env;
  // Without the offline queue a PING while Redis is away fails at once instead of waiting for it to come back.
  const redis = redisUrl ? connectRedis({ url: redisUrl, keyPrefix }, log, { enableOfflineQueue: false }) : null;
  if (redis) probes.push(redisProbe(redis));
  const readiness = new Readiness(probes, log);
  const metrics = createMetrics({
    collab: options.collabStats,
    store: options.storeStats,
    draining: () => readiness.draining,
  });
  const access = { token: options.env.METRICS_TOKEN, allowLoopback: options.env.METRICS_ALLOW_LOOPBACK };

  const routes = express.Router();
  routes.use((_request, response, next) => {
    // Keep-alive connections would bring the client back to this process; closed, they go through the load balancer again.
    if (readiness.draining) response.setHeader("Connection", "close");
    next();
  });
  routes.get("/healthz", (_request, response) => {
    uncached(response).json({ status: "up" });
  });
  routes.get("/readyz", (_request, response) => {
    void readiness.check().then((report) => uncached(response).status(report.status === "ready" ? 200 : 503).json(report));
  });
  routes.get("/metrics", (request, response) => {
    // Not found rather than forbidden: the public cannot tell that there is anything here.
    if (!mayReadMetrics(request, access)) return void uncached(response).status(404).type("text/plain; charset=utf-8").send("Not found");
    void metrics.registry.metrics().then(
      (text) => uncached(response).setHeader("Content-Type", metrics.registry.contentType).end(text),
      (error: unknown) => {
        log.error("could not collect metrics", { error: error instanceof Error ? error : String(error) });
        uncached(response).status(500).end();
      },
    );
  });

  return {
    routes,
    metrics,
    readiness,
    async close() {
      redis?.disconnect();
    },
  };
}

function uncached(response: Response): Response {
  return response.setHeader("Cache-Control", "no-store");
}
