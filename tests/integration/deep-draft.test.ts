/**
 * A draft whose stored state already holds 5,000 nested blockquotes, appended to its log as an older server that
 * checked nothing stored a hostile editor's update (issue 12). Every page and file made from it answers 200 with
 * its text: the reading view, freezing it and the version's page and exports, the compare view, present mode and
 * the consultation report in each format.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { YJS_FRAGMENT } from "#app/editor/extensions";
import { appendUpdates, readDocumentState } from "#db/repositories/document-state";
import { findDocumentBySlug } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { DEEP_TEXT, nestedBlockquotes, updatesOf } from "#tests/support/hostile-updates";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";
import { unzip } from "#tests/support/zip";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const DEEP_BLOCK = "bdjupastycke";

describe("a stored draft nested 5,000 deep", () => {
  let server: TestServer;
  let editor: string;

  beforeAll(async () => {
    server = await startTestServer();
    const { db } = server.services;
    const document = await findDocumentBySlug(db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    // Before anything has read the draft, so that every reader loads it from storage with the deep part in it.
    const { snapshot, updates } = await readDocumentState(db, document.id);
    const doc = new Y.Doc();
    for (const state of [snapshot, ...updates.map((row) => row.update)]) if (state) Y.applyUpdateV2(doc, state);
    const [deep] = updatesOf(doc, () => doc.transact(() => nestedBlockquotes(doc.getXmlFragment(YJS_FRAGMENT), 5_000, DEEP_BLOCK)));
    if (!deep) throw new Error("no update");
    await appendUpdates(db, document.id, [Y.convertUpdateFormatV1ToV2(deep)]);
    editor = (await signedInAs(db, "editor")).cookie;
  });
  afterAll(() => server?.dispose());

  const get = async (path: string) => {
    const response = await fetch(`${server.url}${path}`, { headers: { Cookie: editor } });
    return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
  };

  it("shows the reading view with the deep paragraph in it", async () => {
    const page = await get(DRAFT);
    expect(page.status).toBe(200);
    const html = page.body.toString("utf8");
    expect(html).toContain(DEEP_TEXT);
    expect(html).toContain(`id="${DEEP_BLOCK}"`);
  });

  it("takes a comment on the deep paragraph, freezes a version, and renders, exports and compares it", async () => {
    const { cookie: member } = await signedInAs(server.services.db, "member");
    const comment = await postForm(
      server.url,
      DRAFT,
      { intent: "create-thread", blockId: DEEP_BLOCK, body: "Varför så många citat?", acceptLicence: "on", position: "" },
      member,
    );
    expect(comment.status).toBe(302);
    const frozen = await postForm(server.url, `${DRAFT}/versions`, { name: "Djup version" }, editor);
    expect(frozen.headers.get("location")).toBe(`${DRAFT}/v/1`);

    for (const path of [`${DRAFT}/v/1`, `${DRAFT}/v/1/export.md`, `${DRAFT}/v/1/export.html`]) {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.body.toString("utf8")).toContain(DEEP_TEXT);
    }
    const compare = await get(`${DRAFT}/compare?from=1&to=live`);
    expect(compare.status).toBe(200);
    const { cookie: host } = await signedInAs(server.services.db, "host");
    const present = await fetch(`${server.url}${DRAFT}/present`, { headers: { Cookie: host } });
    expect(present.status).toBe(200);
    expect(await present.text()).toContain(DEEP_TEXT);
  });

  it("reports the comment on the deep paragraph in every format", async () => {
    for (const format of ["md", "html", "csv"]) {
      const response = await get(`${DRAFT}/report.${format}`);
      expect({ format, status: response.status }).toEqual({ format, status: 200 });
      expect(response.body.toString("utf8")).toContain("Varför så många citat?");
    }
    const docx = await get(`${DRAFT}/report.docx`);
    expect(docx.status).toBe(200);
    expect(unzip(docx.body).get("word/document.xml")).toContain("Varför så många citat?");
    const annotations = await get(`${DRAFT}/annotations.jsonld`);
    expect(annotations.status).toBe(200);
    expect(annotations.body.toString("utf8")).toContain(DEEP_TEXT);
  });
});
