/**
 * Several Samråd nodes behind nginx, as docs/operations/nginx.conf deploys them: each node the production build
 * (build/node/main.js) as its own process on its own port, all on one scratch PostgreSQL database and one scratch
 * Redis prefix, and in front of them Debian's nginx, run as this user from a folder of its own with the documented
 * configuration, changed only where it names addresses and files. Used by the load balancer tests and by
 * `npm run bench:cluster`; it imports nothing of Vitest, so the bench can run it too.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createScratchPostgresDatabase } from "./database";
import { nginxConf } from "./nginx-conf";
import { freePort, startServerProcess, type ServerProcess } from "./process";
import { scratchRedis } from "./redis";
import { scaledMs, within } from "./time";

export const NGINX_PATH = "/usr/sbin/nginx";
/** Whether the cluster tests can run here: .ci/run installs Debian's nginx when it is missing. */
export const nginxInstalled = existsSync(NGINX_PATH);

const DOCUMENTED_CONF = path.resolve(import.meta.dirname, "../../docs/operations/nginx.conf");
/** A first start migrates and seeds the database; later nodes and restarts only check it. */
const NODE_READY_MS = scaledMs(60_000);
const NGINX_READY_MS = scaledMs(10_000);
const STOP_GRACE_MS = scaledMs(10_000);

export interface ClusterOptions {
  nodes: number;
  /** On top of each node's environment (REDIS_URL and REDIS_KEY_PREFIX here put the nodes on a Redis of the test's own). */
  env?: Record<string, string>;
  /** The address the nodes reach the scratch database at, given its own: a fault test puts a proxy in between. */
  nodeDatabaseUrl?: (databaseUrl: string) => Promise<string>;
}

/** One request as nginx logged it, with the node that answered (the last one tried, when nginx retried). */
export interface LoggedRequest {
  request: string;
  status: number;
  /** Index of the node, null when no node answered (nginx's own 502, or a refused body). */
  node: number | null;
  /** Every node nginx tried, in order. */
  tried: Array<number | null>;
}

export interface Cluster {
  /** nginx's address: what browsers use. */
  url: string;
  nodeCount: number;
  /** The scratch PostgreSQL database every node uses, for a test to make accounts in or read back. */
  databaseUrl: string;
  /** A node's own address, past nginx. */
  nodeUrl(index: number): string;
  /** The node's process id, to read its memory and CPU from /proc. */
  nodePid(index: number): number;
  /** Whether the node's process runs (it has not exited or been killed). */
  nodeRunning(index: number): boolean;
  /** The node's output so far, for error messages. */
  nodeOutput(index: number): string;
  /** Sends `signal` to the node and waits until its process has exited. */
  kill(index: number, signal?: NodeJS.Signals): Promise<void>;
  /** Starts the node again on its port (stopping it first if it still runs) and waits until it listens. */
  restart(index: number): Promise<void>;
  /** What nginx has logged so far (its access log is written as each request ends). */
  accessLog(): Promise<LoggedRequest[]>;
  /** Stops nginx and every node, drops the database, deletes the Redis keys and the folder. */
  stop(): Promise<void>;
}

interface Node {
  port: number;
  process: ServerProcess | null;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  if (!nginxInstalled) throw new Error(`${NGINX_PATH} is missing: apt-get install nginx-light (.ci/run does)`);
  if (options.nodes < 1) throw new Error("a cluster needs at least one node");
  const directory = await mkdtemp(path.join(os.tmpdir(), "samrad-cluster-"));
  const database = await createScratchPostgresDatabase();
  const redis = scratchRedis();
  let nodeDatabaseUrl = database.url;
  const nginxPort = await freePort();
  const url = `http://127.0.0.1:${nginxPort}`;
  const nodes: Node[] = [];
  for (let index = 0; index < options.nodes; index++) nodes.push({ port: await freePort(), process: null });
  let nginx: ChildProcess | null = null;

  const nodeEnv = (node: Node): Record<string, string> => ({
    PORT: String(node.port),
    DATABASE_URL: nodeDatabaseUrl,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.keyPrefix,
    // nginx connects from 127.0.0.1; its X-Forwarded-For names the client (docs/operations/nginx.conf).
    TRUST_PROXY: "loopback",
    PUBLIC_URL: url,
    ...options.env,
  });
  const startNode = async (index: number) => {
    const node = nodeAt(nodes, index);
    node.process = startServerProcess(nodeEnv(node));
    await within(node.process.listening, NODE_READY_MS, `node ${index} listening on port ${node.port}`);
  };
  const stopNode = async (index: number, signal: NodeJS.Signals) => {
    const child = nodeAt(nodes, index).process?.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill(signal);
    await within(exited, STOP_GRACE_MS, `node ${index} exiting on ${signal}`);
  };

  const stop = async () => {
    const stopped = await Promise.allSettled([stopNginx(nginx), ...nodes.map((_node, index) => stopNode(index, "SIGTERM"))]);
    for (const node of nodes) if (node.process?.child.exitCode === null) node.process.child.kill("SIGKILL");
    await database.drop();
    await redis.clear();
    await rm(directory, { recursive: true, force: true });
    const failure = stopped.find((result) => result.status === "rejected");
    if (failure) throw failure.reason;
  };

  try {
    if (options.nodeDatabaseUrl) nodeDatabaseUrl = await options.nodeDatabaseUrl(database.url);
    // The first node migrates and seeds the empty database; nodes starting at once would race to seed it.
    await startNode(0);
    await Promise.all(nodes.slice(1).map((_node, offset) => startNode(offset + 1)));
    const conf = nginxConf(await readFile(DOCUMENTED_CONF, "utf8"), { directory, listen: `127.0.0.1:${nginxPort}`, upstreams: nodes.map((node) => `127.0.0.1:${node.port}`) });
    await writeFile(path.join(directory, "nginx.conf"), conf);
    nginx = await startNginx(directory);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }

  return {
    url,
    nodeCount: nodes.length,
    databaseUrl: database.url,
    nodeUrl: (index) => `http://127.0.0.1:${nodeAt(nodes, index).port}`,
    nodePid(index) {
      const pid = nodeAt(nodes, index).process?.child.pid;
      if (pid === undefined) throw new Error(`node ${index} is not running`);
      return pid;
    },
    nodeRunning(index) {
      const child = nodeAt(nodes, index).process?.child;
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    nodeOutput: (index) => nodeAt(nodes, index).process?.stderr() ?? "",
    kill: (index, signal = "SIGKILL") => stopNode(index, signal),
    async restart(index) {
      await stopNode(index, "SIGTERM");
      await startNode(index);
    },
    async accessLog() {
      const text = await readFile(path.join(directory, "access.log"), "utf8").catch(() => "");
      const nodeOf = (address: string) => {
        const index = nodes.findIndex((node) => address === `127.0.0.1:${node.port}`);
        return index < 0 ? null : index;
      };
      return text
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => parseLogLine(line, nodeOf));
    },
    stop,
  };
}

function nodeAt(nodes: Node[], index: number): Node {
  const node = nodes[index];
  if (!node) throw new Error(`no node ${index} in a cluster of ${nodes.length}`);
  return node;
}

/** nginx in the foreground; resolves once its worker runs (it listens from before that). */
async function startNginx(directory: string): Promise<ChildProcess> {
  const child = spawn(NGINX_PATH, ["-p", directory, "-c", path.join(directory, "nginx.conf")], { stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  const started = new Promise<void>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("start worker process")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`nginx exited with ${code}: ${output}`)));
    child.once("error", reject);
  });
  try {
    await within(started, NGINX_READY_MS, "nginx starting");
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return child;
}

async function stopNginx(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  // SIGTERM is nginx's fast shutdown: it does not wait for open websockets and event streams as SIGQUIT would.
  child.kill("SIGTERM");
  await within(exited, STOP_GRACE_MS, "nginx exiting");
}

/** A line of the documented `samrad` log format. */
function parseLogLine(line: string, nodeOf: (address: string) => number | null): LoggedRequest {
  const match = /"([^"]*)" (\d{3}) .* upstream=(\S+(?:, \S+)*) upstream_status=/.exec(line);
  if (!match) throw new Error(`unexpected access log line: ${line}`);
  const [, request = "", status = "", upstreams = ""] = match;
  const tried = upstreams === "-" ? [] : upstreams.split(", ").map(nodeOf);
  return { request, status: Number(status), node: tried.at(-1) ?? null, tried };
}
