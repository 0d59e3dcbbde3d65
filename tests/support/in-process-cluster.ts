import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startServer, type RunningServer } from "#server/app";
import { readEnv } from "#server/env";
import { createScratchPostgresDatabase } from "./database";

export interface TestCluster {
  /** Starts one more node of the deployment (one after the other: they migrate and seed the same database). */
  startNode(): Promise<RunningServer>;
  /** Stops every node and drops the database. */
  dispose(): Promise<void>;
}

/**
 * Several Samråd servers in this process, as the nodes of one deployment: one scratch PostgreSQL database on
 * TEST_DATABASE_URL and one Redis, under the key prefix given (scratchRedis()).
 */
export async function startTestCluster(redis: { url: string; keyPrefix: string }): Promise<TestCluster> {
  const database = await createScratchPostgresDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "samrad-cluster-"));
  const nodes: RunningServer[] = [];
  return {
    async startNode() {
      const node = await startServer(
        readEnv({
          NODE_ENV: "production",
          HOST: "127.0.0.1",
          PORT: "0",
          DATA_DIR: dataDir,
          DATABASE_URL: database.url,
          REDIS_URL: redis.url,
          REDIS_KEY_PREFIX: redis.keyPrefix,
          LOG_LEVEL: "error",
        }),
      );
      nodes.push(node);
      return node;
    },
    async dispose() {
      await Promise.all(nodes.map((node) => node.stop()));
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
