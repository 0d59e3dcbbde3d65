import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { openRawClient } from "#tests/support/collab-client";
import { startServerProcess, type ServerProcess } from "#tests/support/process";
import { scaledMs } from "#tests/support/time";
import { eventually } from "#tests/support/wait";

const children: ChildProcess[] = [];
const folders: string[] = [];

async function startProcess(env: Record<string, string>): Promise<ServerProcess & { url: string }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "samrad-drain-"));
  folders.push(dataDir);
  const started = startServerProcess({ PORT: "0", DATA_DIR: dataDir, ...env });
  children.push(started.child);
  return { ...started, url: await started.listening };
}

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("draining on SIGTERM", () => {
  it("stops being ready at once, keeps serving for DRAIN_DELAY_MS, then closes sockets with 1001 and exits 0", async () => {
    // Long enough for the requests below on a busy machine; the test waits for the exit, not for the time.
    const server = await startProcess({ DRAIN_DELAY_MS: String(scaledMs(5_000)) });
    const page = await (await fetch(`${server.url}/d/${SEED_DOCUMENT.slug}`)).text();
    const documentId = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(page)?.[0] ?? "";
    const reader = await openRawClient(`${server.url.replace(/^http/, "ws")}/collab/${documentId}`);
    const exited = once(server.child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;

    server.child.kill("SIGTERM");
    await eventually(() => expect(server.stderr()).toContain("SIGTERM received"));
    const readiness = await fetch(`${server.url}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toEqual({ status: "draining" });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const during = await fetch(`${server.url}/d/${SEED_DOCUMENT.slug}`);
    expect(during.status).toBe(200);
    expect(await during.text()).toContain(documentId);

    // y-websocket clients reconnect on 1001, through the load balancer to a node that is ready.
    expect(await reader.closed).toMatchObject({ code: 1001 });
    expect(await exited).toEqual([0, null]);
  });

  it("exits at once on a second signal while draining", async () => {
    const server = await startProcess({ DRAIN_DELAY_MS: "600000" });
    const exited = once(server.child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
    server.child.kill("SIGTERM");
    await eventually(() => expect(server.stderr()).toContain("SIGTERM received"));
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);

    server.child.kill("SIGINT");
    expect(await exited).toEqual([130, null]);
    expect(server.stderr()).toContain("SIGINT received again, exiting at once");
  });
});
