import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { RateLimitStore } from "#app/models/rate-limit.server";
import { redisKey, type RedisSettings } from "./redis";

/**
 * Counters in Redis, shared by every node, so that attempts spread over nodes are limited as if on one
 * (decision 0027). While Redis is away (not ready, or a command fails or times out) each node counts in its own
 * memory with the same limits, as a single node does, and goes back to the shared counters once Redis is back.
 */
export function redisRateLimitStore(redis: Redis, settings: RedisSettings): RateLimitStore {
  return (options) =>
    new RateLimiterRedis({
      ...options,
      keyPrefix: redisKey(settings, "rate-limit", options.keyPrefix),
      storeClient: redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
}
