import { readEnv } from "../server/env";
import { openDatabaseFromEnv } from "./client";
import { migrateToLatest } from "./migrate";

const USAGE = "Usage: tsx db/cli.ts migrate";

async function migrate(): Promise<string> {
  const env = readEnv();
  const handle = await openDatabaseFromEnv(env);
  try {
    const results = await migrateToLatest(handle.db);
    const applied = results.filter((result) => result.status === "Success").map((result) => result.migrationName);
    const where = handle.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${env.DATA_DIR}`;
    return applied.length > 0
      ? `Migrated ${where}: applied ${applied.join(", ")}`
      : `Database ${where} is already up to date`;
  } finally {
    await handle.close();
  }
}

async function main(command: string | undefined): Promise<void> {
  if (command !== "migrate") {
    process.stderr.write(`${command ? `Unknown command "${command}". ` : ""}${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    process.stdout.write(`${await migrate()}\n`);
  } catch (error) {
    // One line for the operator; migration failures already name the migration and the database's reason.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message}\n`);
    process.exitCode = 1;
  }
}

await main(process.argv[2]);
