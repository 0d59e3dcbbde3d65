import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import type { RedisSettings } from "#server/cluster/redis";
import { freePort } from "./process";

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

/**
 * A redis-server of the test's own, on a free port with its data in a temporary folder, for tests that stop and
 * restart Redis: never the shared one. `restart` starts it again on the same port, empty.
 */
export async function startOwnRedis(): Promise<{ url: string; stop(): Promise<void>; restart(): Promise<void>; dispose(): Promise<void> }> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), "samrad-redis-"));
  let child: ChildProcess | null = null;
  const start = async () => {
    const started = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = started;
    let output = "";
    await new Promise<void>((resolve, reject) => {
      started.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ready to accept connections")) resolve();
      });
      started.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    });
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    // As a crash: no goodbye to the clients.
    running.kill("SIGKILL");
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    restart: start,
    async dispose() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
