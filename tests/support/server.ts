import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startServer, type RunningServer } from "#server/app";
import { readEnv } from "#server/env";
import { createScratchPostgresDatabase, type TestDatabaseKind } from "./database";

export interface TestServer extends RunningServer {
  /** Stops this server and starts a new one on the same storage, as a restart of the process would. */
  restart(): Promise<TestServer>;
  /** Stops the server and deletes its storage (the PGlite folder or the scratch PostgreSQL database). */
  dispose(): Promise<void>;
}

export interface TestServerOptions {
  /** PGlite in a fresh temporary folder (default), or a scratch database on TEST_DATABASE_URL's server. */
  database?: TestDatabaseKind;
  /** A PostgreSQL database another test server uses too (several processes of one deployment); left in place by dispose. */
  sharedDatabaseUrl?: string;
  env?: Record<string, string>;
}

interface Storage {
  dataDir: string;
  databaseUrl: string;
  remove(): Promise<void>;
}

/** The real Samråd server (production build) on 127.0.0.1 and a random port. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "samrad-test-"));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  if (options.sharedDatabaseUrl) return launch(options, { dataDir, databaseUrl: options.sharedDatabaseUrl, remove: removeDataDir });
  if (options.database !== "postgres") return launch(options, { dataDir, databaseUrl: "", remove: removeDataDir });
  const scratch = await createScratchPostgresDatabase();
  return launch(options, {
    dataDir,
    databaseUrl: scratch.url,
    remove: async () => {
      await scratch.drop();
      await removeDataDir();
    },
  });
}

async function launch(options: TestServerOptions, storage: Storage): Promise<TestServer> {
  const env = readEnv({
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: "0",
    DATA_DIR: storage.dataDir,
    DATABASE_URL: storage.databaseUrl,
    LOG_LEVEL: "error",
    ...options.env,
  });
  const server = await startServer(env);
  return {
    ...server,
    async restart() {
      await server.stop();
      return launch(options, storage);
    },
    async dispose() {
      await server.stop();
      await storage.remove();
    },
  };
}
