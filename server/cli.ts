import { existsSync } from "node:fs";
import { readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { describeImportError, describeImportNote, IMPORT_MAX_BYTES } from "#app/drafts/import-report";
import { createTranslate, DEFAULT_LOCALE, type Translate } from "#app/i18n/i18n";
import { createUserFromCli, type CliUserField } from "#app/models/accounts/cli.server";
import type { DraftField, DraftFieldErrors } from "#app/drafts/types";
import { importDraft } from "#app/models/drafts.server";
import { type FieldErrors } from "#app/models/accounts/fields.server";
import { ROLES } from "#app/models/authorization.server";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "#app/models/passwords.server";
import { databaseOptions, readEnv } from "./env";
import { archivePGliteDataDir, openDatabase } from "#db/client";
import { listDocuments } from "#db/repositories/documents";
import { migrateToLatest } from "#db/migrate";

const USER_CREATE = `tsx server/cli.ts user create --email E --name N [--organisation O] --role ${ROLES.join("|")} (password from SAMRAD_PASSWORD or standard input, never the command line)`;
const USER_USAGE = `Usage: ${USER_CREATE}`;
const EXPORT_DATA = "tsx server/cli.ts export-data FILE [--force] (the PGlite folder DATA_DIR as one file; stop the server first)";
const IMPORT_DATA = "tsx server/cli.ts import-data FILE [--force] (into DATA_DIR, which must be empty; --force moves a non-empty one aside)";
const DRAFT_IMPORT = 'tsx server/cli.ts draft import FILE.docx|FILE.md [--title "…"] [--slug …] [--language sv|en|…]';
const USAGE = `Usage: tsx server/cli.ts migrate | ${USER_CREATE} | ${EXPORT_DATA} | ${IMPORT_DATA} | ${DRAFT_IMPORT}`;

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

/** The one FILE argument and --force of export-data and import-data. */
function fileArguments(args: string[], usage: string): { file: string; force: boolean } {
  try {
    const { values, positionals } = parseArgs({ args, options: { force: { type: "boolean" } }, strict: true, allowPositionals: true });
    const [file, ...extra] = positionals;
    if (file === undefined || extra.length > 0) throw new Error("Name one file");
    return { file, force: values.force === true };
  } catch (error) {
    throw new CommandError(`${error instanceof Error ? error.message : String(error)}. Usage: ${usage}`, 2);
  }
}

/** The embedded database is a folder; PostgreSQL has its own tools, which also work while Samråd runs. */
function embeddedDataDir(): string {
  const env = readEnv();
  if (env.DATABASE_URL) {
    throw new CommandError("DATABASE_URL is set: back up and restore PostgreSQL with pg_dump and pg_restore (docs/operations.md).", 2);
  }
  return env.DATA_DIR;
}

async function exportData(args: string[]): Promise<string> {
  const { file, force } = fileArguments(args, EXPORT_DATA);
  const dataDir = embeddedDataDir();
  // PGlite keeps this file while a process has the folder open, and two processes on one folder corrupt it.
  if (existsSync(path.join(dataDir, "postmaster.pid")) && !force) {
    throw new CommandError(`${dataDir} is in use (postmaster.pid): stop the server first, or pass --force if it crashed.`, 1);
  }
  if (existsSync(file) && !force) throw new CommandError(`${file} exists; pass --force to replace it.`, 1);
  const archive = await archivePGliteDataDir(dataDir);
  // Written aside and renamed, so that a failed export never leaves half a file under the name asked for.
  const partial = `${file}.partial`;
  await writeFile(partial, new Uint8Array(await archive.arrayBuffer()));
  await rename(partial, file);
  return `Exported PGlite in ${dataDir} to ${file} (${archive.size} bytes)`;
}

async function importData(args: string[]): Promise<string> {
  const { file, force } = fileArguments(args, IMPORT_DATA);
  const dataDir = embeddedDataDir();
  const archive = new Blob([new Uint8Array(await readFile(file))]);
  let movedAside = "";
  if (existsSync(dataDir) && (await readdir(dataDir)).length > 0) {
    if (!force) throw new CommandError(`${dataDir} is not empty; pass --force to move it aside and import into a new one.`, 1);
    if (existsSync(path.join(dataDir, "postmaster.pid"))) {
      throw new CommandError(`${dataDir} is in use (postmaster.pid): stop the server first.`, 1);
    }
    // Kept, not deleted: an import over the wrong folder must be undoable.
    const aside = `${path.resolve(dataDir)}.before-import-${new Date().toISOString().replaceAll(":", "-")}`;
    await rename(dataDir, aside);
    movedAside = `; the previous folder is now ${aside}`;
  }
  const handle = await openDatabase({ dataDir, pgliteInitialData: archive });
  try {
    // An archive from an older release is brought up to this one's schema now rather than at the server's start.
    await migrateToLatest(handle.db);
    const documents = await listDocuments(handle.db);
    return `Imported ${file} into PGlite in ${dataDir} (${documents.length} document${documents.length === 1 ? "" : "s"})${movedAside}`;
  } finally {
    await handle.close();
  }
}

const draftImportArguments = z.object({
  file: z.string().min(1),
  title: z.string().optional(),
  slug: z.string().optional(),
  language: z.string().default(DEFAULT_LOCALE),
});

/** A new draft from a Word or Markdown file: prints what the import could not keep, and the draft's address. */
async function draft(args: string[]): Promise<string> {
  const [subcommand, ...rest] = args;
  if (subcommand !== "import") throw new CommandError(`${subcommand ? `Unknown draft command "${subcommand}". ` : ""}Usage: ${DRAFT_IMPORT}`, 2);
  let input: z.infer<typeof draftImportArguments>;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { title: { type: "string" }, slug: { type: "string" }, language: { type: "string" } },
      strict: true,
      allowPositionals: true,
    });
    const [file, ...extra] = positionals;
    if (extra.length > 0) throw new Error("Name one file");
    input = draftImportArguments.parse({ file, ...values });
  } catch (error) {
    const message = error instanceof z.ZodError ? "Name the file to import" : error instanceof Error ? error.message : String(error);
    throw new CommandError(`${message}. Usage: ${DRAFT_IMPORT}`, 2);
  }
  const t = createTranslate("en");
  // Refused before it is read: the limit is there so that a huge file is never held in memory.
  const size = await stat(input.file).then(
    (stats) => stats.size,
    () => null,
  );
  if (size === null) throw new CommandError(`${input.file}: no such file.`, 1);
  if (size > IMPORT_MAX_BYTES) throw new CommandError(`${input.file}: ${describeImportError("too-large", t)}`, 1);
  const bytes = new Uint8Array(await readFile(input.file));

  const handle = await openDatabase(databaseOptions(readEnv()));
  try {
    await migrateToLatest(handle.db);
    const result = await importDraft(handle.db, { fileName: input.file, bytes, title: input.title, slug: input.slug, language: input.language });
    if (!result.ok && result.error === "import") throw new CommandError(`${input.file}: ${describeImportError(result.code, t)}`, 1);
    const notes = result.report.notes.map((note) => `- ${describeImportNote(note, t)}`);
    const report = notes.length > 0 ? `Not kept as it was:\n${notes.join("\n")}` : "Everything in the file was kept.";
    if (!result.ok) throw new CommandError(`${describeDraftFieldErrors(result, t)}\nNothing was created.\n${report}`, 1);
    return `${report}\nCreated the draft "${result.document.title}" at /d/${result.document.slug}`;
  } finally {
    await handle.close();
  }
}

/** The form's field messages, each named by the option that sets it. */
function describeDraftFieldErrors({ fieldErrors, title, slug }: { fieldErrors: DraftFieldErrors; title: string; slug: string }, t: Translate): string {
  const options: Record<DraftField, string> = {
    title: "--title",
    slug: "--slug",
    language: "--language",
    contributionLicence: "the contribution licence",
    source: "the file",
    file: "the file",
  };
  const lines = Object.entries(fieldErrors).map(([field, code]) => {
    const named = field === "slug" ? ` (/d/${slug})` : field === "title" ? ` ("${title}")` : "";
    return `${options[field as DraftField]}${named}: ${t(`drafts.errors.${code}`)}`;
  });
  return lines.length > 0 ? lines.join("\n") : "The draft could not be created.";
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
    else if (command === "export-data") process.stdout.write(`${await exportData(args)}\n`);
    else if (command === "import-data") process.stdout.write(`${await importData(args)}\n`);
    else if (command === "draft") process.stdout.write(`${await draft(args)}\n`);
    else throw new CommandError(`${command ? `Unknown command "${command}". ` : ""}${USAGE}`, 2);
  } catch (error) {
    // One line for the operator; migration failures already name the migration and the database's reason.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message}\n`);
    process.exitCode = error instanceof CommandError ? error.exitCode : 1;
  }
}

await main(process.argv.slice(2));
