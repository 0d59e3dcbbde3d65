import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { openDatabase } from "#db/client";
import { findDocumentBySlug } from "#db/repositories/documents";
import { signedInAs } from "#tests/support/accounts";
import { blockText, paragraphIds, plainText } from "#tests/support/collab-client";
import { storedDocument } from "#tests/support/database";
import { postForm } from "#tests/support/http";
import { startTestServer } from "#tests/support/server";

const EDIT = "Exporterad ändring. ";
const COMMENT = "En kommentar som följer med exporten.";

/** The command as an operator runs it (npm run db:export / db:import), by default on the embedded database in dataDir. */
function cli(args: string[], dataDir: string, env: Record<string, string> = { DATABASE_URL: "" }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.resolve("node_modules/.bin/tsx"),
      ["server/cli.ts", ...args],
      { env: { ...process.env, DATA_DIR: dataDir, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("exporting and importing the embedded database", () => {
  let scratch = "";
  let original = "";
  let archive = "";
  let documentId = "";
  let paragraph = "";

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "samrad-export-"));
    original = path.join(scratch, "data");
    archive = path.join(scratch, "samrad.tar.gz");
    const server = await startTestServer({ env: { DATA_DIR: original } });
    try {
      documentId = (await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug))?.id ?? "";
      paragraph = await server.services.readDocument(documentId, (doc) => paragraphIds(doc)[0] ?? "");
      await server.services.changeDocument(documentId, {}, (doc) => blockText(doc, paragraph).insert(0, EDIT));
      const member = await signedInAs(server.services.db, "member");
      const fields = { intent: "create-thread", acceptLicence: "on", position: "", blockId: paragraph, body: COMMENT };
      expect((await postForm(server.url, `/d/${SEED_DOCUMENT.slug}`, fields, member.cookie)).status).toBe(302);

      // Two processes on one PGlite folder corrupt it: the export refuses while the server has it open.
      const whileRunning = await cli(["export-data", archive], original);
      expect(whileRunning.code).toBe(1);
      expect(whileRunning.stderr).toContain("stop the server first");
    } finally {
      await server.dispose();
    }
    const exported = await cli(["export-data", archive], original);
    expect(exported).toMatchObject({ code: 0, stdout: expect.stringContaining(`to ${archive}`) });
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it("restores the draft with its edits and comments into a new folder", async () => {
    const restored = path.join(scratch, "restored");
    expect(await cli(["import-data", archive], restored)).toMatchObject({ code: 0, stdout: expect.stringContaining("(1 document)") });

    const database = await openDatabase({ dataDir: restored });
    try {
      expect(plainText(await storedDocument(database.db, documentId), paragraph).startsWith(EDIT)).toBe(true);
      const comments = await database.db.selectFrom("comments").select("body").execute();
      expect(comments.map(({ body }) => body)).toContain(COMMENT);
    } finally {
      await database.close();
    }
  });

  it("replaces neither an archive nor a folder without --force, and keeps the folder it replaces", async () => {
    expect((await cli(["export-data", archive], original)).stderr).toContain("pass --force");
    const refused = await cli(["import-data", archive], original);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("not empty");

    expect((await cli(["import-data", archive, "--force"], original)).code).toBe(0);
    const aside = (await readdir(scratch)).filter((name) => name.startsWith("data.before-import-"));
    expect(aside).toHaveLength(1);
    expect(existsSync(path.join(scratch, aside[0] ?? "", "PG_VERSION"))).toBe(true);
  });

  it("points to pg_dump when DATABASE_URL is set", async () => {
    const result = await cli(["export-data", path.join(scratch, "never-written.tar.gz")], original, {
      DATABASE_URL: "postgres://postgres@127.0.0.1:9/none",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("pg_dump");
  });
});
