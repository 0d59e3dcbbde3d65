import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { blockText, connectClient, paragraphIds, plainText, waitForDoc, type CollabClient } from "#tests/support/collab-client";
import { startTestServer, type TestServer } from "#tests/support/server";
import { eventually } from "#tests/support/wait";

describe("who may change the draft, enforced on the collaboration socket", () => {
  let server: TestServer;
  let documentId: string;
  const clients: CollabClient[] = [];

  beforeEach(async () => {
    server = await startTestServer();
    const document = await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    documentId = document.id;
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server.dispose();
  });

  const connect = async (cookie?: string) => {
    const client = await connectClient(server.url, documentId, { cookie });
    clients.push(client);
    return client;
  };
  /** The whole draft as the server holds it (live state when open), as text to compare. */
  const storedDraft = async () => JSON.stringify(await server.services.readDocumentContent(documentId));
  const droppedAtLeast = (count: number) =>
    eventually(() => expect(server.collabStats().droppedReadOnlyUpdates).toBeGreaterThanOrEqual(count));

  it("drops a member's updates and offline changes, applies an editor's, and follows a demotion at once", async () => {
    const editor = await signedInAs(server.services.db, "editor", "Eva Editor");
    const member = await signedInAs(server.services.db, "member", "Mats Medlem");
    const { cookie: adminCookie } = await signedInAs(server.services.db, "admin", "Ada Admin");
    const editorClient = await connect(editor.cookie);
    const memberClient = await connect(member.cookie);
    const paragraph = paragraphIds(editorClient.doc)[1] ?? "";
    const before = await storedDraft();

    // An update message from a member.
    blockText(memberClient.doc, paragraph).insert(0, "MEDLEMMENS ÄNDRING ");
    await droppedAtLeast(1);
    // Changes a member made while offline arrive as sync step 2 when it connects.
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(editorClient.doc));
    blockText(offline, paragraph).insert(0, "OFFLINE-ÄNDRING ");
    const late = await connectClient(server.url, documentId, { cookie: member.cookie });
    clients.push(late);
    Y.applyUpdate(late.doc, Y.encodeStateAsUpdate(offline));
    await droppedAtLeast(2);
    expect(await storedDraft()).toBe(before);

    // The editor's change lands and reaches the member.
    blockText(editorClient.doc, paragraph).insert(0, "Redaktörens ändring. ");
    await waitForDoc(memberClient.doc, () => plainText(memberClient.doc, paragraph).includes("Redaktörens ändring."));
    expect(plainText(editorClient.doc, paragraph)).not.toContain("MEDLEMMENS");
    expect(await storedDraft()).toContain("Redaktörens ändring.");
    expect(await storedDraft()).not.toContain("MEDLEMMENS");

    // An admin demotes the editor; the open connection becomes read-only without a reconnect.
    const demoted = await fetch(`${server.url}/admin/accounts`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: adminCookie, Origin: server.url },
      body: new URLSearchParams({ intent: "change-role", userId: editor.userId, role: "member" }),
    });
    expect(demoted.status).toBe(200);
    const droppedBefore = server.collabStats().droppedReadOnlyUpdates;
    blockText(editorClient.doc, paragraph).insert(0, "EFTER DEGRADERINGEN ");
    await droppedAtLeast(droppedBefore + 1);
    expect(await storedDraft()).not.toContain("EFTER DEGRADERINGEN");
  });

  it("gives a signed-out session cookie nothing more than a visitor has", async () => {
    const editor = await signedInAs(server.services.db, "editor", "Sam Session");
    const signOut = await fetch(`${server.url}/sign-out`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: editor.cookie, Origin: server.url },
    });
    expect(signOut.status).toBe(302);

    const page = await (await fetch(`${server.url}/d/${SEED_DOCUMENT.slug}`, { headers: { Cookie: editor.cookie } })).text();
    expect(page).toContain("Logga in");
    expect(page).not.toContain("Inloggad som");

    const client = await connect(editor.cookie);
    const paragraph = paragraphIds(client.doc)[0] ?? "";
    blockText(client.doc, paragraph).insert(0, "UTLOGGAD ");
    await droppedAtLeast(1);
    expect(await storedDraft()).not.toContain("UTLOGGAD");
  });
});
