import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { blockText, connectClient, paragraphIds, plainText, type CollabClient } from "#tests/support/collab-client";
import { testDatabaseKinds } from "#tests/support/database";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";
import { eventually } from "#tests/support/wait";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const COMMENT_LINK = /#comment-([0-9a-f-]{36})$/;

describe.each(testDatabaseKinds())("comments across versions (%s)", (database) => {
  let server: TestServer;
  let documentId: string;
  let editorClient: CollabClient;
  let editor: Awaited<ReturnType<typeof signedInAs>>;
  let member: Awaited<ReturnType<typeof signedInAs>>;

  beforeAll(async () => {
    server = await startTestServer({ database });
    documentId = (await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug))?.id ?? "";
    editor = await signedInAs(server.services.db, "editor", "Eva Editor");
    member = await signedInAs(server.services.db, "member", "Mats Medlem");
    editorClient = await connectClient(server.url, documentId, { cookie: editor.cookie });
  });
  afterAll(async () => {
    editorClient?.destroy();
    await server?.dispose();
  });

  /** The page as rendered, without the data the scripts take over (which repeats the comments). */
  const page = async (path: string) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(200);
    return (await response.text()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "");
  };
  const freeze = async (name: string) => {
    const response = await postForm(server.url, `${DRAFT}/versions`, { name }, editor.cookie);
    expect(response.status).toBe(302);
  };
  const comment = async (fields: Record<string, string>) => {
    const response = await postForm(
      server.url,
      DRAFT,
      { intent: "create-thread", acceptLicence: "on", position: "", ...fields },
      member.cookie,
    );
    expect(response.status).toBe(302);
    const commentId = COMMENT_LINK.exec(response.headers.get("location") ?? "")?.[1] ?? "";
    return server.services.db
      .selectFrom("comments")
      .innerJoin("comment_threads", "comment_threads.id", "comments.thread_id")
      .select(["comment_threads.id", "comment_threads.version_number"])
      .where("comments.id", "=", commentId)
      .executeTakeFirstOrThrow();
  };
  const occurrences = (html: string, text: string) => html.split(text).length - 1;
  const threadLink = (threadId: string) => `href="${DRAFT}?comments=all&amp;show=${threadId}#thread-${threadId}"`;

  it("shows a comment on the version it was made on, and under the change it led to", async () => {
    await freeze("Version 0.1");
    const [, , , changed = "", , unchanged = ""] = paragraphIds(editorClient.doc);
    const passage = plainText(editorClient.doc, changed).slice(0, 24);
    const onChanged = await comment({
      blockId: changed,
      from: "0",
      to: String(passage.length),
      exact: passage,
      body: "Stycket behöver skrivas om",
    });
    const onUnchanged = await comment({ blockId: unchanged, body: "Det här stycket är bra som det är" });
    expect(onChanged.version_number).toBe(1);
    expect(onUnchanged.version_number).toBe(1);

    blockText(editorClient.doc, changed).insert(0, "Omskrivet efter synpunkten. ");
    await eventually(async () =>
      expect(await server.services.readDocument(documentId, (doc) => plainText(doc, changed))).toContain("Omskrivet"),
    );
    await freeze("Version 0.2");

    const v1 = await page(`${DRAFT}/v/1`);
    expect(v1).toContain("Kommentarer på den här versionen (2)");
    expect(v1).toContain("Stycket behöver skrivas om");
    expect(v1).toContain("Det här stycket är bra som det är");
    expect(v1).toContain("Mats Medlem");
    expect(v1).toContain(`<blockquote class="thread__quote" lang="sv">${escapeText(passage)}</blockquote>`);
    expect(v1).toContain(threadLink(onChanged.id));
    // In the order of the text.
    expect(v1.indexOf("Stycket behöver skrivas om")).toBeLessThan(v1.indexOf("Det här stycket är bra som det är"));

    const v2 = await page(`${DRAFT}/v/2`);
    expect(v2).toContain("Kommentarer på den här versionen (0)");
    expect(v2).toContain("Inga kommentarer gjordes på den här versionen.");
    expect(v2).not.toContain("Stycket behöver skrivas om");

    for (const view of ["", "&view=side-by-side"]) {
      const compare = await page(`${DRAFT}/compare?from=1&to=2${view}`);
      expect(compare.match(/class="change change--/g)).toHaveLength(1);
      expect(compare).toContain("1 kommentar fanns på den här texten i version 1:");
      expect(occurrences(compare, "Stycket behöver skrivas om")).toBe(1);
      expect(compare).toContain(threadLink(onChanged.id));
      expect(compare).not.toContain("Det här stycket är bra som det är");
      const change = compare.slice(compare.indexOf('id="change-1"'), compare.indexOf("</li>", compare.indexOf('id="change-1"')));
      expect(change).toContain("Stycket behöver skrivas om");
    }
  });

  it("lists under a change only the comments that existed when the newer text was frozen", async () => {
    const [, , , changed = ""] = paragraphIds(editorClient.doc);
    const later = await comment({ blockId: changed, body: "Bättre nu, tack" });
    expect(later.version_number).toBe(2);

    expect(await page(`${DRAFT}/v/2`)).toContain("Bättre nu, tack");
    expect(await page(`${DRAFT}/compare?from=1&to=2`)).not.toContain("Bättre nu, tack");
    const sinceV1 = await page(`${DRAFT}/compare?from=1&to=live`);
    expect(sinceV1).toContain("2 kommentarer fanns på den här texten i version 1:");
    expect(sinceV1).toContain("Bättre nu, tack");
  });

  it("says so on a version's page when a comment made on it is about text written after it was frozen", async () => {
    const [, , , , , , , paragraph = ""] = paragraphIds(editorClient.doc);
    const written = "Skrivet efter version 2";
    const text = blockText(editorClient.doc, paragraph);
    text.insert(text.length, ` ${written}.`);
    await eventually(async () =>
      expect(await server.services.readDocument(documentId, (doc) => plainText(doc, paragraph))).toContain(written),
    );
    const from = plainText(editorClient.doc, paragraph).indexOf(written);
    await comment({
      blockId: paragraph,
      from: String(from),
      to: String(from + written.length),
      exact: written,
      body: "Om den nya meningen",
    });

    const v2 = await page(`${DRAFT}/v/2`);
    expect(v2).toContain("Om den nya meningen");
    expect(v2).toContain(`<p>Texten som kommenterades finns inte i den här versionen:</p><del lang="sv">${written}</del>`);
  });
});

/** Text as React writes it into HTML. */
function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
}
