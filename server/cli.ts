import { parseArgs } from "node:util";
import { createUserFromCli, type CliUserField } from "#app/models/accounts/cli.server";
import { type FieldErrors } from "#app/models/accounts/fields.server";
import { ROLES } from "#app/models/authorization.server";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "#app/models/passwords.server";
import { databaseOptions, readEnv } from "./env";
import { openDatabase } from "#db/client";
import { migrateToLatest } from "#db/migrate";

const USER_CREATE = `tsx server/cli.ts user create --email E --name N [--organisation O] --role ${ROLES.join("|")} (password from SAMRAD_PASSWORD or standard input, never the command line)`;
const USER_USAGE = `Usage: ${USER_CREATE}`;
const USAGE = `Usage: tsx server/cli.ts migrate | ${USER_CREATE}`;

/** A problem to report to the operator as one line, with the exit code to end with. */
class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

async function migrate(): Promise<string> {
  const env = readEnv();
  const handle = await openDatabase(databaseOptions(env));
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

async function user(args: string[]): Promise<string> {
  const [subcommand, ...rest] = args;
  if (subcommand !== "create") {
    throw new CommandError(`${subcommand ? `Unknown user command "${subcommand}". ` : ""}${USER_USAGE}`, 2);
  }
  let values: { email?: string; name?: string; organisation?: string; role?: string };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        email: { type: "string" },
        name: { type: "string" },
        organisation: { type: "string" },
        role: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CommandError(`${error instanceof Error ? error.message : String(error)}. ${USER_USAGE}`, 2);
  }
  const { email, name, organisation, role } = values;
  if (email === undefined || name === undefined || role === undefined) {
    throw new CommandError(`--email, --name and --role are required. ${USER_USAGE}`, 2);
  }

  const password = await readPassword();
  const env = readEnv();
  const handle = await openDatabase(databaseOptions(env));
  try {
    // The command may well be the first thing run against a new database.
    await migrateToLatest(handle.db);
    const result = await createUserFromCli(handle.db, { email, name, organisation, password, role });
    if (!result.ok) {
      throw new CommandError(
        result.error === "email-taken"
          ? `An account with the email ${email} already exists.`
          : `Invalid input: ${describeFieldErrors(result.fieldErrors)}`,
        1,
      );
    }
    return `Created ${result.role} account ${result.user.email} (${result.user.id})`;
  } finally {
    await handle.close();
  }
}

/** SAMRAD_PASSWORD, else standard input: typed without echo at a terminal, or piped (first line). */
async function readPassword(): Promise<string> {
  const fromEnv = process.env.SAMRAD_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const password = process.stdin.isTTY ? await promptHidden("Password: ") : await readFirstLine(process.stdin);
  if (password === "") throw new CommandError("No password given: set SAMRAD_PASSWORD or pass it on standard input.", 2);
  return password;
}

async function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += String(chunk);
  return text.split(/\r?\n/)[0] ?? "";
}

function promptHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let typed = "";
    const finish = (outcome: () => void) => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write("\n");
      outcome();
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === "\r" || character === "\n") return finish(() => resolve(typed));
        if (character === "\u0003") return finish(() => reject(new CommandError("Cancelled.", 130)));
        if (character === "\u007f" || character === "\b") typed = [...typed].slice(0, -1).join("");
        else typed += character;
      }
    };
    input.on("data", onData);
  });
}

function describeFieldErrors(errors: FieldErrors<CliUserField>): string {
  return Object.entries(errors)
    .map(([field, code]) => {
      if (field === "role") return `--role must be one of ${ROLES.join(", ")}`;
      if (field === "password" && code === "too-short") return `the password must have at least ${PASSWORD_MIN_LENGTH} characters`;
      if (field === "password" && code === "too-long") return `the password may have at most ${PASSWORD_MAX_LENGTH} characters`;
      if (code === "invalid-email") return `--${field} is not an email address`;
      if (code === "required") return `--${field} must not be empty`;
      if (code === "too-long") return `--${field} is too long`;
      return `--${field} is invalid`;
    })
    .join("; ");
}

async function main([command, ...args]: string[]): Promise<void> {
  try {
    if (command === "migrate") process.stdout.write(`${await migrate()}\n`);
    else if (command === "user") process.stdout.write(`${await user(args)}\n`);
    else throw new CommandError(`${command ? `Unknown command "${command}". ` : ""}${USAGE}`, 2);
  } catch (error) {
    // One line for the operator; migration failures already name the migration and the database's reason.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message}\n`);
    process.exitCode = error instanceof CommandError ? error.exitCode : 1;
  }
}

await main(process.argv.slice(2));
