import { afterEach, describe, expect, it } from "vitest";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { blockText, connectClient, paragraphIds, plainText, waitForDoc, type CollabClient } from "#tests/support/collab-client";
import { signedInAs } from "#tests/support/accounts";
import { testDatabaseKinds } from "#tests/support/database";
import { startTestServer, type TestServer } from "#tests/support/server";

describe.each(testDatabaseKinds())("co-editing the draft on %s", (database) => {
  let server: TestServer | undefined;
  const clients: CollabClient[] = [];
  const connect = async (documentId: string, cookie?: string) => {
    if (!server) throw new Error("server not started");
    const client = await connectClient(server.url, documentId, { cookie });
    clients.push(client);
    return client;
  };

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server?.dispose();
    server = undefined;
  });

  it("converges concurrent edits of one paragraph, serves them to late joiners and keeps them across a restart", async () => {
    server = await startTestServer({ database });
    const document = await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");

    const alice = await connect(document.id, (await signedInAs(server.services.db, "editor", "Alice")).cookie);
    const bob = await connect(document.id, (await signedInAs(server.services.db, "editor", "Bob")).cookie);
    const paragraphId = paragraphIds(alice.doc)[2];
    if (!paragraphId) throw new Error("the draft has too few paragraphs");
    const original = plainText(alice.doc, paragraphId);

    // Both type into the same paragraph at the same time, without waiting for each other.
    const aliceWords = ["Alice1 ", "Alice2 ", "Alice3 "];
    const bobWords = [" Bob1", " Bob2", " Bob3"];
    for (let i = 0; i < 3; i++) {
      blockText(alice.doc, paragraphId).insert(0, aliceWords[i] ?? "");
      const bobText = blockText(bob.doc, paragraphId);
      bobText.insert(bobText.length, bobWords[i] ?? "");
    }

    const containsAll = (text: string) => [...aliceWords, ...bobWords].every((word) => text.includes(word.trim()));
    await waitForDoc(alice.doc, () => containsAll(plainText(alice.doc, paragraphId)));
    await waitForDoc(bob.doc, () => containsAll(plainText(bob.doc, paragraphId)));
    const converged = plainText(alice.doc, paragraphId);
    expect(plainText(bob.doc, paragraphId)).toBe(converged);
    expect(converged).toBe("Alice3 Alice2 Alice1 " + original + " Bob1 Bob2 Bob3");

    const carol = await connect(document.id);
    expect(plainText(carol.doc, paragraphId)).toBe(converged);

    for (const client of clients.splice(0)) client.destroy();
    server = await server.restart();
    const dave = await connect(document.id);
    expect(plainText(dave.doc, paragraphId)).toBe(converged);

    const html = await (await fetch(`${server.url}/d/${SEED_DOCUMENT.slug}`)).text();
    expect(html).toContain("Alice3 Alice2 Alice1 ");
  });
});
