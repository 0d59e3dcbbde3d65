import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { openDatabase } from "#db/client";
import { findDocumentBySlug } from "#db/repositories/documents";
import { TEST_PASSWORD } from "#tests/support/accounts";
import { blockText, connectClient, paragraphIds, waitForDoc } from "#tests/support/collab-client";
import { startServerProcess, type ServerProcess } from "#tests/support/process";

const children: ChildProcess[] = [];
const folders: string[] = [];

function startProcess(env: Record<string, string>): ServerProcess {
  const started = startServerProcess(env);
  children.push(started.child);
  return started;
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "samrad-process-"));
  folders.push(dir);
  return dir;
}

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("the server process", () => {
  it("says in one line, naming DATABASE_URL, when the database cannot be reached", async () => {
    const { child, stderr } = startProcess({ PORT: "0", DATABASE_URL: "postgres://samrad@127.0.0.1:9/samrad" });
    const [code] = (await once(child, "exit")) as [number];
    expect(code).toBe(1);
    const lines = stderr().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("DATABASE_URL");
    expect(lines[0]).not.toMatch(/\n\s+at /);
  });

  it("says which setting is wrong when the configuration is malformed", async () => {
    const { child, stderr } = startProcess({ PORT: "not-a-port" });
    const [code] = (await once(child, "exit")) as [number];
    expect(code).toBe(1);
    expect(stderr().trim().split("\n")).toEqual([expect.stringContaining("PORT")]);
  });

  it("writes every edit before it exits on SIGTERM", async () => {
    const dataDir = await tempDir();
    const first = startProcess({ PORT: "0", DATA_DIR: dataDir });
    const url = await first.listening;

    const page = await (await fetch(`${url}/d/${SEED_DOCUMENT.slug}`)).text();
    const documentId = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(page)?.[0];
    expect(documentId).toBeTruthy();
    // The first account of an install becomes its administrator, who may edit.
    const signUp = await fetch(`${url}/sign-up`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: url },
      body: new URLSearchParams({
        name: "Första Administratören",
        email: "admin@example.test",
        organisation: "PRV",
        password: TEST_PASSWORD,
        acceptContributionLicence: "on",
      }),
    });
    expect(signUp.status).toBe(302);
    const cookie = (signUp.headers.get("set-cookie") ?? "").split(";")[0];
    const client = await connectClient(url, documentId ?? "", { cookie });
    const observer = await connectClient(url, documentId ?? "");
    const paragraph = paragraphIds(client.doc)[0] ?? "";
    blockText(client.doc, paragraph).insert(0, "Sista ändringen före nedstängning. ");
    // Once another client has the edit, the server holds it in memory (whether it is on disk yet is the question).
    await waitForDoc(observer.doc, () => blockText(observer.doc, paragraph).toString().startsWith("Sista ändringen"));
    observer.destroy();
    const closed = new Promise<number>((resolve) => client.provider.ws?.addEventListener("close", (event) => resolve(event.code)));
    first.child.kill("SIGTERM");
    const [code] = (await once(first.child, "exit")) as [number];
    expect(code).toBe(0);
    expect(await closed).toBe(1001);
    client.destroy();

    const database = await openDatabase({ dataDir });
    const document = await findDocumentBySlug(database.db, SEED_DOCUMENT.slug);
    await database.close();
    expect(document?.id).toBe(documentId);

    const second = startProcess({ PORT: "0", DATA_DIR: dataDir });
    const secondUrl = await second.listening;
    const html = await (await fetch(`${secondUrl}/d/${SEED_DOCUMENT.slug}`)).text();
    expect(html).toContain("Sista ändringen före nedstängning. ");
    second.child.kill("SIGTERM");
    await once(second.child, "exit");
  });
});
