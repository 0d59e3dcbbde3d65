import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importWord } from "#app/drafts/import.server";
import type { ContentNode } from "#app/editor/content";
import { documentSchema } from "#app/editor/extensions";
import { freezeVersion } from "#app/models/versions.server";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { findDocumentBySlug } from "#db/repositories/documents";
import { sessionAs } from "#tests/support/accounts";
import { startTestServer, type TestServer } from "#tests/support/server";
import { unzip } from "#tests/support/zip";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** The draft as the schema reads it, without block ids (an import makes new ones). */
const blocksOf = (content: ContentNode) => JSON.parse(JSON.stringify(documentSchema.nodeFromJSON(content).toJSON()).replace(/"id":"[^"]*"/g, '"id":"…"')) as unknown;

describe("the draft and its versions as Word documents", () => {
  let server: TestServer;
  let documentId = "";

  beforeAll(async () => {
    server = await startTestServer();
    documentId = (await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug))?.id ?? "";
    const frozen = await freezeVersion(server.services, await sessionAs(server.services.db, "editor"), documentId, { name: "Remissversion" });
    expect(frozen.ok).toBe(true);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  /** As a visitor who has not signed in: the exports are as public as the draft. */
  const download = async (path: string) => {
    const response = await fetch(`${server.url}${path}`);
    return { status: response.status, headers: response.headers, body: new Uint8Array(await response.arrayBuffer()) };
  };

  it("downloads the live draft, which Word and the import read as the draft's own blocks", async () => {
    const file = await download(`${DRAFT}/export.docx`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe(DOCX);
    expect(file.headers.get("content-disposition")).toBe(`attachment; filename="${SEED_DOCUMENT.slug}.docx"`);
    expect(file.headers.get("cache-control")).toBe("no-store");
    const document = unzip(file.body).get("word/document.xml") ?? "";
    expect(document).toContain("Arbetsutkast, inte en sparad version");
    expect(document).toContain('<w:pStyle w:val="Heading1"/>');
    const live = await server.services.readDocumentContent(documentId);
    expect(blocksOf((await importWord(file.body)).content)).toEqual(blocksOf(live));
  });

  it("downloads a version with its facts on the title page", async () => {
    const file = await download(`${DRAFT}/v/1/export.docx`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe(DOCX);
    expect(file.headers.get("content-disposition")).toBe(`attachment; filename="${SEED_DOCUMENT.slug}-v1.docx"`);
    const document = unzip(file.body).get("word/document.xml") ?? "";
    expect(document).toContain("Version 1: Remissversion");
    expect(document).toContain("CC BY 4.0");
    const imported = await importWord(file.body);
    expect(imported.content.content?.[0]?.content?.[0]?.text).toBe(SEED_DOCUMENT.title);
  });

  it("links to them beside the other exports", async () => {
    const versions = await (await fetch(`${server.url}${DRAFT}/versions`)).text();
    expect(versions).toContain(`href="${DRAFT}/export.docx"`);
    expect(versions).toContain(`href="${DRAFT}/v/1/export.docx"`);
    expect(await (await fetch(`${server.url}${DRAFT}/v/1`)).text()).toContain(`href="${DRAFT}/v/1/export.docx"`);
  });

  it("answers 404 for a version or document that does not exist", async () => {
    expect((await download(`${DRAFT}/v/99/export.docx`)).status).toBe(404);
    expect((await download(`/d/finns-inte/export.docx`)).status).toBe(404);
    expect((await download(`/d/finns-inte/v/1/export.docx`)).status).toBe(404);
  });
});
