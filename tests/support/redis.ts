import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import type { RedisSettings } from "#server/cluster/redis";

/** Whether tests that need Redis can run: CI sets REDIS_URL when a Redis answers on 127.0.0.1 (.ci/run). */
export const redisUrl: string | undefined = process.env.REDIS_URL || undefined;

/**
 * Settings with a prefix of their own, so that tests (and test runs) sharing the machine's Redis never see each
 * other's keys. `clear` deletes this prefix's keys only: never FLUSHDB on a shared Redis.
 */
export function scratchRedis(url = redisUrl): RedisSettings & { clear(): Promise<void> } {
  if (!url) throw new Error("REDIS_URL is not set; guard the test with describe.runIf(redisUrl)");
  const keyPrefix = `samrad-test-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
  return {
    url,
    keyPrefix,
    async clear() {
      const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${keyPrefix}:*`, "COUNT", 500);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== "0");
      } finally {
        redis.disconnect();
      }
    },
  };
}
