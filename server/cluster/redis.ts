import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "#app/log.server";

/** Where the nodes of one deployment meet: the Redis URL and the prefix every key and channel starts with. */
export interface RedisSettings {
  url: string;
  keyPrefix: string;
}

/**
 * A connection to the shared Redis. It reconnects by itself with a capped backoff and queues commands while it
 * is away (ioredis' offline queue), so a restarted Redis costs delay, not errors; callers that must not wait
 * check `status === "ready"` first. Errors are logged once per outage, not once per retry.
 */
export function connectRedis(settings: RedisSettings, log: Logger, options: RedisOptions = {}): Redis {
  const redis = new Redis(settings.url, {
    retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
    maxRetriesPerRequest: null,
    lazyConnect: false,
    ...options,
  });
  let down = false;
  redis.on("error", (error: Error) => {
    if (down) return;
    down = true;
    log.warn("Redis unreachable; retrying", { error });
  });
  redis.on("ready", () => {
    if (!down) return;
    down = false;
    log.info("Redis reachable again");
  });
  return redis;
}

/** The full name of a key or channel of this deployment. */
export function redisKey(settings: RedisSettings, ...parts: string[]): string {
  return [settings.keyPrefix, ...parts].join(":");
}
