import { constants } from "node:os";
import { DatabaseUnreachableError } from "#db/client";
import { startServer } from "./app";
import { ConfigurationError, drainDelayMs, readEnv } from "./env";
import { createLogger, formatLogLine } from "#app/log.server";

const log = createLogger("samrad");

async function main(): Promise<void> {
  const env = readEnv();
  const server = await startServer(env);

  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      // Whoever asks twice does not want to wait: what is not stored yet is still in the editors' browsers (decision 0014).
      log.warn(`${signal} received again, exiting at once`);
      process.exit(128 + constants.signals[signal]);
    }
    signalled = true;
    // SIGTERM is how orchestrators and systemd stop a node: the load balancer gets time to stop sending it requests.
    // SIGINT is someone at a terminal, who wants it stopped now.
    const delayMs = signal === "SIGTERM" ? drainDelayMs(env) : 0;
    server.startDraining();
    log.info(`${signal} received, shutting down`, { drainDelayMs: delayMs });
    setTimeout(() => {
      server.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error("shutdown failed", { error: error instanceof Error ? error : String(error) });
          process.exit(1);
        },
      );
    }, delayMs);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  // Only now: whoever waits for this line to stop the process (a supervisor, a test) must find the handlers in place,
  // or the signal's default action would kill it without storing what it holds.
  log.info(`Samråd is running at ${server.url}`, { database: env.DATABASE_URL ? "postgresql" : `pglite:${env.DATA_DIR}` });
}

main().catch((error: unknown) => {
  // Operators get one clear line; the stack is only useful to developers, who can raise LOG_LEVEL.
  const message = `Samråd could not start: ${error instanceof Error ? error.message : String(error)}`;
  // The environment may be what failed to parse, so LOG_FORMAT is read as it is.
  if (process.env.LOG_FORMAT === "json") {
    process.stderr.write(`${formatLogLine({ time: new Date(), level: "error", component: "samrad", message }, "json")}\n`);
  } else {
    process.stderr.write(`${message}\n`);
  }
  if (!(error instanceof ConfigurationError || error instanceof DatabaseUnreachableError) && process.env.LOG_LEVEL === "debug") console.error(error);
  process.exit(1);
});
