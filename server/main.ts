import { DatabaseUnreachableError } from "#db/client";
import { startServer } from "./app";
import { ConfigurationError, readEnv } from "./env";
import { createLogger } from "#app/log.server";

const log = createLogger("samrad");

async function main(): Promise<void> {
  const env = readEnv();
  const server = await startServer(env);
  log.info(`Samråd is running at ${server.url}`, { database: env.DATABASE_URL ? "postgresql" : `pglite:${env.DATA_DIR}` });

  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    log.info(`${signal} received, shutting down`);
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error("shutdown failed", { error: error instanceof Error ? error : String(error) });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

main().catch((error: unknown) => {
  // Operators get one clear line; the stack is only useful to developers, who can raise LOG_LEVEL.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Samråd could not start: ${message}\n`);
  if (!(error instanceof ConfigurationError || error instanceof DatabaseUnreachableError) && process.env.LOG_LEVEL === "debug") console.error(error);
  process.exit(1);
});
