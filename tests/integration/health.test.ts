import { afterEach, describe, expect, it } from "vitest";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { createScratchPostgresDatabase } from "#tests/support/database";
import { startDatabaseProxy, type DatabaseProxy } from "#tests/support/database-proxy";
import { freePort } from "#tests/support/process";
import { redisUrl, scratchRedis } from "#tests/support/redis";
import { startTestServer, type TestServer } from "#tests/support/server";
import { eventually } from "#tests/support/wait";

const cleanUps: Array<() => Promise<void>> = [];

async function start(env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startTestServer({ env });
  cleanUps.push(() => server.dispose());
  return server;
}

async function readiness(server: TestServer): Promise<{ status: number; body: unknown; cacheControl: string | null }> {
  const response = await fetch(`${server.url}/readyz`);
  return { status: response.status, body: await response.json(), cacheControl: response.headers.get("cache-control") };
}

afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

describe("health and readiness", () => {
  it("answers /healthz and, once the database answers, /readyz, uncached and without a session", async () => {
    const server = await start();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get("cache-control")).toBe("no-store");
    expect(await health.json()).toEqual({ status: "up" });
    expect(health.headers.get("set-cookie")).toBeNull();

    expect(await readiness(server)).toEqual({
      status: 200,
      body: { status: "ready", probes: { database: "ok" } },
      cacheControl: "no-store",
    });
  });

  it("answers /readyz with 503 naming Redis when REDIS_URL is set and Redis does not answer, while /healthz stays 200", async () => {
    const server = await start({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    expect(await readiness(server)).toMatchObject({
      status: 503,
      body: { status: "unavailable", failing: ["redis"], probes: { database: "ok", redis: "failed" } },
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  describe.runIf(redisUrl)("with Redis", () => {
    it("is ready once Redis answers PING", async () => {
      const redis = scratchRedis();
      cleanUps.push(() => redis.clear());
      const server = await start({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.keyPrefix });
      // The probe's own connection is opened with the server; it may not be up for the very first check.
      await eventually(async () =>
        expect(await readiness(server)).toMatchObject({ status: 200, body: { probes: { database: "ok", redis: "ok" } } }),
      );
    });
  });

  describe.runIf(process.env.TEST_DATABASE_URL)("on PostgreSQL", () => {
    it("answers /readyz with 503 naming the database while it is away, and 200 again when it is back", async () => {
      const scratch = await createScratchPostgresDatabase();
      cleanUps.push(() => scratch.drop());
      const proxy: DatabaseProxy = await startDatabaseProxy(scratch.url);
      cleanUps.push(() => proxy.close());
      const server = await start({ DATABASE_URL: proxy.url });
      expect((await readiness(server)).status).toBe(200);

      proxy.cut();
      await eventually(async () =>
        expect(await readiness(server)).toMatchObject({ status: 503, body: { status: "unavailable", failing: ["database"] } }),
      );
      proxy.restore();
      await eventually(async () => expect((await readiness(server)).status).toBe(200));
    });
  });

  it("answers /readyz with 503 while draining and still serves pages, closing each connection after its answer", async () => {
    const server = await start();
    server.startDraining();
    expect(await readiness(server)).toMatchObject({ status: 503, body: { status: "draining" } });
    const page = await fetch(`${server.url}/d/${SEED_DOCUMENT.slug}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("connection")).toBe("close");
    await page.text();
  });
});
