import { once } from "node:events";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { blockText, connectClient, paragraphIds, waitForDoc } from "#tests/support/collab-client";
import { startTestServer, type TestServer } from "#tests/support/server";

describe("bad input on the collaboration socket", () => {
  let server: TestServer;
  let documentId: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { MAX_MESSAGE_BYTES: "4096" } });
    const document = await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    documentId = document.id;
  });
  afterAll(() => server?.dispose());

  const statusOfUpgrade = async (path: string, origin?: string): Promise<number> => {
    const socket = new WebSocket(server.url.replace("http", "ws") + path, { origin });
    const [, response] = (await once(socket, "unexpected-response")) as [unknown, { statusCode: number }];
    // ws reports aborting a refused handshake as an error; it is the expected outcome here.
    socket.on("error", () => undefined);
    socket.terminate();
    return response.statusCode;
  };

  it("refuses an unknown or malformed document id with 404 before upgrading", async () => {
    expect(await statusOfUpgrade(`/collab/${randomUUID()}`)).toBe(404);
    expect(await statusOfUpgrade("/collab/not-a-document")).toBe(404);
  });

  it("refuses a connection opened by another site's page (cross-site websocket hijacking)", async () => {
    expect(await statusOfUpgrade(`/collab/${documentId}`, "https://evil.example")).toBe(403);
  });

  it("refuses other websocket paths", async () => {
    expect(await statusOfUpgrade("/somewhere-else")).toBe(404);
  });

  it("closes only the connection that sends garbage or an oversized frame", async () => {
    const { cookie } = await signedInAs(server.services.db, "editor");
    const editor = await connectClient(server.url, documentId, { cookie });
    const observer = await connectClient(server.url, documentId);

    for (const [frame, expectedCode] of [
      [Uint8Array.from([0, 2, 200]), 1007], // an update whose length runs past the frame
      [Uint8Array.from([42]), 1003], // no such message type
      [new Uint8Array(8192), 1009], // over MAX_MESSAGE_BYTES
    ] as const) {
      const rogue = new WebSocket(`${server.url.replace("http", "ws")}/collab/${documentId}`);
      await once(rogue, "open");
      rogue.send(frame);
      const [code] = (await once(rogue, "close")) as [number];
      expect(code).toBe(expectedCode);
    }

    const paragraph = paragraphIds(editor.doc)[0] ?? "";
    blockText(editor.doc, paragraph).insert(0, "Fortfarande igång. ");
    await waitForDoc(observer.doc, () => blockText(observer.doc, paragraph).toString().startsWith("Fortfarande igång. "));
    editor.destroy();
    observer.destroy();
  });
});
