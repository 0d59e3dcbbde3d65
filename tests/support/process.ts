import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

export interface ServerProcess {
  child: ChildProcess;
  /** The server's address once it says it is running; rejects if it exits first. */
  listening: Promise<string>;
  stderr(): string;
}

/**
 * `npm start` as an operator runs it: the compiled server (build/node/main.js, which the tests' global setup builds)
 * in production mode, on 127.0.0.1, with `env` on top of this process's. It serves alone unless `env` names a Redis:
 * with the REDIS_URL CI sets, every run would share the default key prefix, and so its rate limits. It stops at once on
 * SIGTERM (no drain delay) unless `env` sets DRAIN_DELAY_MS: a test that waits on a stop should not wait 5 s for nobody.
 */
export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ["--enable-source-maps", "build/node/main.js"], {
    // CI exports REDIS_URL for the tests that need Redis; a server joins a cluster only when its test says so.
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", LOG_LEVEL: "info", REDIS_URL: "", DRAIN_DELAY_MS: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const listening = new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", () => {
      const match = /running at (http:\/\/\S+)/.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  // Tests that expect a failed start never await this; their rejection is not an error.
  listening.catch(() => undefined);
  return { child, listening, stderr: () => stderr };
}

/** A TCP port nothing listens on now, for a server that must come back on the same address (the same origin) after a restart. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}
