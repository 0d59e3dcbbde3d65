import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { DocumentIndex } from "#app/comments/anchoring";
import { findDocumentBySlug } from "#db/repositories/documents";
import { findThread } from "#db/repositories/comments";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { blockText, connectClient, findBlock, plainText, waitForDoc, type CollabClient } from "#tests/support/collab-client";
import { testDatabaseKinds } from "#tests/support/database";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const COMMENT_LINK = /#comment-([0-9a-f-]{36})$/;

/** Characters a typist enters one at a time; each typist's own alphabet, so every character says whose it is. */
const ALICE_KEYS = "abcdefghijklmnopqrstuvwxyz";
const BOB_KEYS = "0123456789";

/**
 * An editor typing forward from a place in a block, one character per turn of the event loop, as fast as their
 * client allows. The cursor is a Yjs relative position, as in the editor: it stays after the last character typed,
 * whatever others change meanwhile.
 */
class Typist {
  typed = "";
  private cursor: Y.RelativePosition;

  constructor(
    private readonly client: CollabClient,
    private readonly blockId: string,
    offset: number,
    private readonly keys: string,
  ) {
    this.cursor = Y.createRelativePositionFromTypeIndex(blockText(client.doc, blockId), offset, -1);
  }

  type(): void {
    const text = blockText(this.client.doc, this.blockId);
    const index = Y.createAbsolutePositionFromRelativePosition(this.cursor, this.client.doc)?.index ?? text.length;
    const key = this.keys[this.typed.length % this.keys.length] ?? "x";
    text.insert(index, key, {});
    this.typed += key;
    // After the character just typed, tied to it.
    this.cursor = Y.createRelativePositionFromTypeIndex(text, index + 1, -1);
  }
}

/** A paragraph of the seed draft that is plain text (one text node, no formatting) and long enough to hold a passage. */
function plainParagraph(doc: Y.Doc): { blockId: string; text: string } {
  for (const block of DocumentIndex.of(doc).blocks) {
    const only = block.element.get(0);
    if (block.type !== "paragraph" || block.element.length !== 1 || !(only instanceof Y.XmlText)) continue;
    const delta = only.toDelta() as { attributes?: object }[];
    if (delta.length === 1 && !delta[0]?.attributes && block.text.length > 80) return { blockId: block.id, text: block.text };
  }
  throw new Error("the seed draft has no long plain paragraph");
}

describe.each(testDatabaseKinds())("accepting suggestions into the live draft (%s)", (database) => {
  let server: TestServer;
  let documentId: string;
  let member: Awaited<ReturnType<typeof signedInAs>>;
  let editors: Awaited<ReturnType<typeof signedInAs>>[];
  const clients: CollabClient[] = [];

  beforeAll(async () => {
    server = await startTestServer({ database });
    documentId = (await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug))?.id ?? "";
    member = await signedInAs(server.services.db, "member", "Mats Medlem");
    editors = [
      await signedInAs(server.services.db, "editor", "Alice Redaktör"),
      await signedInAs(server.services.db, "editor", "Bob Redaktör"),
      await signedInAs(server.services.db, "editor", "Eva Redaktör"),
    ];
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });
  afterAll(() => server?.dispose());

  const post = (fields: Record<string, string>, cookie: string) => postForm(server.url, DRAFT, fields, cookie);
  const connect = async (cookie: string) => {
    const client = await connectClient(server.url, documentId, { cookie });
    clients.push(client);
    return client;
  };
  const liveText = (blockId: string) => server.services.readDocument(documentId, (doc) => plainText(doc, blockId));

  /** A member's suggestion on `exact`, the words at `from` in the block; returns the thread id. */
  const suggest = async (blockId: string, from: number, exact: string, suggestion: string) => {
    const response = await post(
      {
        intent: "create-thread",
        acceptLicence: "on",
        position: "",
        blockId,
        from: String(from),
        to: String(from + exact.length),
        exact,
        kind: "suggestion",
        suggestion,
        body: "Tydligare så här.",
      },
      member.cookie,
    );
    expect(response.status).toBe(302);
    const commentId = COMMENT_LINK.exec(response.headers.get("location") ?? "")?.[1] ?? "";
    const row = await server.services.db.selectFrom("comments").select("thread_id").where("id", "=", commentId).executeTakeFirstOrThrow();
    return row.thread_id;
  };

  /** A passage of whole words in the middle of the paragraph. */
  const passageOf = (text: string) => {
    const from = text.indexOf(" ", 30) + 1;
    const to = text.indexOf(" ", from + 15);
    return { from, exact: text.slice(from, to) };
  };

  it("applies a suggestion while two editors type in its block: all converge and no typed character is lost", async () => {
    const [alice, bob, eva] = await Promise.all(editors.map((editor) => connect(editor.cookie)));
    if (!alice || !bob || !eva) throw new Error("clients missing");
    const { blockId, text: original } = plainParagraph(alice.doc);
    const { from, exact } = passageOf(original);
    const to = from + exact.length;
    const proposal = "FÖRESLAGEN NY LYDELSE";
    const threadId = await suggest(blockId, from, exact, proposal);

    // Alice types a word before the passage and Bob a word after it. (Right at its edge, typed text and the new text
    // would be concurrent inserts at one place, which Yjs orders by client: see tests/unit/suggestions.test.ts.)
    const aliceAt = from - 5;
    const bobAt = to + 5;
    const typists = [new Typist(alice, blockId, aliceAt, ALICE_KEYS), new Typist(bob, blockId, bobAt, BOB_KEYS)];
    let accepted = false;
    let keystrokesAfter = 0;
    const typing = (async () => {
      while (!accepted || keystrokesAfter++ < 20) {
        for (const typist of typists) typist.type();
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    // Both are well under way when the editor accepts, and keep typing while the request is in flight and after.
    await waitForDoc(eva.doc, () => plainText(eva.doc, blockId).includes("abcdefghij") && plainText(eva.doc, blockId).includes("0123456789"));
    const typedCount = () => typists.reduce((sum, typist) => sum + typist.typed.length, 0);
    const typedWhenSent = typedCount();
    const response = await post({ intent: "accept-suggestion", threadId, response: "Vi inför förslaget." }, editors[2]?.cookie ?? "");
    expect(typedCount()).toBeGreaterThan(typedWhenSent);
    accepted = true;
    await typing;
    expect(response.status).toBe(302);

    const [aliceTyped, bobTyped] = typists.map((typist) => typist.typed);
    const complete = (doc: Y.Doc) => {
      const text = plainText(doc, blockId);
      return text.includes(aliceTyped ?? "") && text.includes(bobTyped ?? "") && text.includes(proposal);
    };
    await Promise.all([alice, bob, eva].map((client) => waitForDoc(client.doc, () => complete(client.doc))));
    const converged = plainText(eva.doc, blockId);
    expect(plainText(alice.doc, blockId)).toBe(converged);
    expect(plainText(bob.doc, blockId)).toBe(converged);
    expect(await liveText(blockId)).toBe(converged);

    // Character by character: each typist's characters where and in the order they were typed, the proposal in
    // place of the passage, and every other character of the paragraph as it was.
    expect(aliceTyped?.length).toBeGreaterThan(20);
    expect(bobTyped?.length).toBeGreaterThan(20);
    expect(converged).toBe(
      original.slice(0, aliceAt) +
        aliceTyped +
        original.slice(aliceAt, from) +
        proposal +
        original.slice(to, bobAt) +
        bobTyped +
        original.slice(bobAt),
    );

    expect(await findThread(server.services.db, threadId)).toMatchObject({
      status: "resolved",
      outcome: "accepted",
      response: "Vi inför förslaget.",
      responded_by_name: "Eva Redaktör",
    });
    const audit = await server.services.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "suggestion.accepted")
      .where("subject", "=", threadId)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_user_id: editors[2]?.userId, details: expect.objectContaining({ proposedBy: member.userId, replaced: exact }) });
  });

  it("reports a suggestion on text an editor has changed since as a conflict, and applies it only once confirmed", async () => {
    const alice = await connect(editors[0]?.cookie ?? "");
    const { blockId, text: original } = plainParagraph(alice.doc);
    const { from, exact } = passageOf(original);
    const threadId = await suggest(blockId, from, exact, "den nya lydelsen");
    // An editor changes a word inside the passage after the suggestion was made.
    const middle = from + exact.indexOf(" ") + 1;
    blockText(alice.doc, blockId).insert(middle, "ÄNDRAT ", {});
    const current = exact.slice(0, middle - from) + "ÄNDRAT " + exact.slice(middle - from);
    await expect.poll(() => liveText(blockId)).toContain(current);

    const conflict = await post({ intent: "accept-suggestion", threadId, response: "Infört." }, editors[2]?.cookie ?? "");
    expect(conflict.status).toBe(400);
    // The editor is shown what changed and the proposal, in a form that confirms against the text they saw.
    const page = await conflict.text();
    expect(page).toContain("Texten har ändrats sedan förslaget lämnades");
    expect(page).toMatch(/<details class="thread__decision" open="">/);
    expect(page).toMatch(/<ins><span class="visually-hidden">Tillagt:(<!-- -->)? <\/span>ÄNDRAT <span class="visually-hidden"> (<!-- -->)?\(slut på tillägget\)<\/span><\/ins>/);
    expect(page).toContain('name="confirmConflict" value="on"');
    expect(page).toMatch(/name="conflictWith" value="[^"]*ÄNDRAT/);
    expect(page).toContain("den nya lydelsen");
    expect(await liveText(blockId)).toContain(current);
    expect(await findThread(server.services.db, threadId)).toMatchObject({ status: "open", outcome: null });

    // The editor adjusts the proposal and confirms it against the text they were shown.
    const confirmed = await post(
      { intent: "accept-suggestion", threadId, response: "Infört.", suggestion: "den bekräftade lydelsen", confirmConflict: "on", conflictWith: current },
      editors[2]?.cookie ?? "",
    );
    expect(confirmed.status).toBe(302);
    const after = await liveText(blockId);
    expect(after).toBe(original.slice(0, from) + "den bekräftade lydelsen" + original.slice(from + exact.length));
    await waitForDoc(alice.doc, () => plainText(alice.doc, blockId) === after);
    expect(await findThread(server.services.db, threadId)).toMatchObject({ status: "resolved", outcome: "accepted" });
  });

  it("refuses what it cannot do: a deleted block keeps the thread open, members may not accept, a rejection needs a reason", async () => {
    const alice = await connect(editors[0]?.cookie ?? "");
    const { blockId, text } = plainParagraph(alice.doc);
    const { from, exact } = passageOf(text);
    const threadId = await suggest(blockId, from, exact, "annan lydelse");

    const byMember = await post({ intent: "accept-suggestion", threadId, response: "Jag godtar." }, member.cookie);
    expect(byMember.status).toBe(403);
    const unexplained = await post({ intent: "close", threadId, outcome: "rejected", response: " " }, editors[2]?.cookie ?? "");
    expect(unexplained.status).toBe(400);
    expect(await unexplained.text()).toMatch(/field-error[^>]*>Skriv något först\./);
    expect(await findThread(server.services.db, threadId)).toMatchObject({ status: "open", outcome: null });

    const block = findBlock(alice.doc, blockId);
    const parent = block.parent as Y.XmlElement | Y.XmlFragment;
    parent.delete(parent.toArray().indexOf(block), 1);
    await expect.poll(() => server.services.readDocument(documentId, (doc) => DocumentIndex.of(doc).block(blockId) === undefined)).toBe(true);

    const gone = await post({ intent: "accept-suggestion", threadId, response: "Infört." }, editors[2]?.cookie ?? "");
    expect(gone.status).toBe(400);
    expect(await gone.text()).toContain("Stycket som förslaget gäller har tagits bort");
    expect(await findThread(server.services.db, threadId)).toMatchObject({ status: "open", outcome: null });

    const rejected = await post({ intent: "close", threadId, outcome: "rejected", response: "Stycket är struket." }, editors[2]?.cookie ?? "");
    expect(rejected.status).toBe(302);
    expect(await findThread(server.services.db, threadId)).toMatchObject({ status: "resolved", outcome: "rejected" });
  });
});
