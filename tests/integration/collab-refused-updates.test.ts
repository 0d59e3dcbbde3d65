/**
 * Issue 12, item 7: an editor's update that breaks the draft's schema, nests deeper than the limit or would make Yjs
 * give up halfway is refused whole (1007). The room's document then equals what is stored, which a restart shows,
 * and the other editors neither saw any of it nor lost their connection.
 */
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { YJS_FRAGMENT } from "#app/editor/extensions";
import { appendUpdates, readDocumentState } from "#db/repositories/document-state";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { encodeSyncStep2, encodeSyncUpdate } from "#server/collab/protocol";
import { signedInAs } from "#tests/support/accounts";
import { blockText, connectClient, paragraphIds, waitForDoc, type CollabClient } from "#tests/support/collab-client";
import { encodeDeletion, nestedBlockquotes, updatesOf } from "#tests/support/hostile-updates";
import { startTestServer, type TestServer } from "#tests/support/server";

/** A Y.Doc's snapshot (its structs and deletions), which equals another's exactly when both hold the same state. */
const snapshotOf = (doc: Y.Doc): Uint8Array => Y.encodeSnapshot(Y.snapshot(doc));
const sameState = (a: Uint8Array, b: Uint8Array): boolean => Y.equalSnapshots(Y.decodeSnapshot(a), Y.decodeSnapshot(b));

describe("updates the collaboration server refuses", () => {
  let server: TestServer;
  let documentId: string;
  let cookie: string;
  let honest: CollabClient;
  /** The top of 5,000 nested quotes an older server stored, before this one refused such nesting. */
  let storedQuotes: Y.ID;

  beforeAll(async () => {
    server = await startTestServer();
    const { db } = server.services;
    const document = await findDocumentBySlug(db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    documentId = document.id;
    const { snapshot, updates } = await readDocumentState(db, documentId);
    const doc = new Y.Doc();
    for (const state of [snapshot, ...updates.map((row) => row.update)]) if (state) Y.applyUpdateV2(doc, state);
    const [deep] = updatesOf(doc, () => doc.transact(() => nestedBlockquotes(doc.getXmlFragment(YJS_FRAGMENT), 5_000)));
    const quotes = doc.getXmlFragment(YJS_FRAGMENT).get(0);
    if (!deep || !(quotes instanceof Y.XmlElement) || !quotes._item) throw new Error("no quotes");
    storedQuotes = quotes._item.id;
    await appendUpdates(db, documentId, [Y.convertUpdateFormatV1ToV2(deep)]);
    cookie = (await signedInAs(db, "editor")).cookie;
    honest = await connectClient(server.url, documentId, { cookie });
  });
  afterAll(async () => {
    honest?.destroy();
    await server?.dispose();
  });

  const roomState = () => server.services.readDocument(documentId, snapshotOf);

  /** Sends one frame as an editor on a socket of its own, and resolves with the close code. */
  async function closeCodeAfter(frame: Uint8Array): Promise<number> {
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/collab/${documentId}`, { headers: { Cookie: cookie } });
    await once(socket, "open");
    socket.send(frame);
    const [code] = (await once(socket, "close")) as [number];
    return code;
  }

  /** A change to a copy of the room's document, as an editor's client would send it. */
  async function editorUpdate(change: (fragment: Y.XmlFragment) => void): Promise<Uint8Array> {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(honest.doc));
    const [update] = updatesOf(copy, () => copy.transact(() => change(copy.getXmlFragment(YJS_FRAGMENT))));
    if (!update) throw new Error("no update");
    return update;
  }

  it("refuses them whole with 1007, and the others keep editing and never see any of it", async () => {
    const before = await roomState();
    const paragraph = paragraphIds(honest.doc)[0] ?? "";
    const refusals = [
      encodeSyncUpdate(
        await editorUpdate((fragment) => {
          fragment.insert(1, [new Y.XmlElement("paragraph")]);
          fragment.insert(2, [new Y.XmlElement("marquee")]);
        }),
      ),
      encodeSyncStep2(await editorUpdate((fragment) => nestedBlockquotes(fragment, 5_000))),
      encodeSyncUpdate(await editorUpdate((fragment) => nestedBlockquotes(fragment, 101))),
      // Deleting the stored quotes made Yjs overflow midway through its recursive delete: half of it stayed.
      encodeSyncUpdate(encodeDeletion(storedQuotes)),
    ];
    for (const frame of refusals) expect(await closeCodeAfter(frame)).toBe(1007);

    expect(sameState(await roomState(), before)).toBe(true);
    expect(sameState(snapshotOf(honest.doc), before)).toBe(true);
    blockText(honest.doc, paragraph).insert(0, "Fortfarande igång. ");
    const observer = await connectClient(server.url, documentId);
    await waitForDoc(observer.doc, () => blockText(observer.doc, paragraph).toString().startsWith("Fortfarande igång. "));
    expect(sameState(snapshotOf(observer.doc), snapshotOf(honest.doc))).toBe(true);
    observer.destroy();
  });

  it("leaves the room's document equal to the stored one", async () => {
    const room = await roomState();
    honest.destroy();
    // Stopping writes everything out; the restarted server reads the draft from storage alone.
    server = await server.restart();
    expect(sameState(await roomState(), room)).toBe(true);
    honest = await connectClient(server.url, documentId, { cookie });
    expect(sameState(snapshotOf(honest.doc), room)).toBe(true);
  });
});
