/** `npm run draft -- import FILE` as an operator runs it, on the embedded database in a folder of its own. */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "#db/client";
import { listDocuments } from "#db/repositories/documents";
import { scaledMs } from "#tests/support/time";

// Each run starts tsx on the command's whole import graph (the converters, the schema, the database): 46 s for one
// run on a two-core machine at load 17, so a test of two runs gets more than the project's 30 s.
const TWO_RUNS_MS = scaledMs(240_000);

function draftCommand(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.resolve("node_modules/.bin/tsx"),
      ["server/cli.ts", "draft", ...args],
      { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("importing a draft from the command line", () => {
  let scratch = "";
  let dataDir = "";
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "samrad-draft-import-"));
    dataDir = path.join(scratch, "data");
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it("creates the draft, prints what was not kept and its address, and refuses the same address again", async () => {
    const created = await draftCommand(["import", "tests/fixtures/word/libreoffice-draft.docx", "--slug", "strategi"], dataDir);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    expect(created.stdout).toContain("1 footnote is now text at the end of the draft.");
    expect(created.stdout).toContain('Created the draft "Strategi för digital förvaltning" at /d/strategi');

    const again = await draftCommand(["import", "tests/fixtures/word/python-docx-draft.docx", "--slug", "strategi"], dataDir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("--slug (/d/strategi): Another draft already has this address.");
    expect(again.stderr).toContain("Nothing was created.");

    const handle: DatabaseHandle = await openDatabase({ dataDir });
    try {
      expect((await listDocuments(handle.db)).map((document) => document.slug)).toEqual(["strategi"]);
    } finally {
      await handle.close();
    }
  }, TWO_RUNS_MS);

  it("says why a file is refused", async () => {
    const refused = await draftCommand(["import", "tests/fixtures/word/encrypted.docx"], dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("password-protected or in the old .doc format");
  }, TWO_RUNS_MS / 2);
});
