/**
 * How readers' pages follow the text without the editor (decision 0022): the event stream names the text's revision
 * when it opens and after each burst of edits, and `/d/<slug>/reading` gives the reading view of that revision.
 */
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newBlockId, YJS_FRAGMENT } from "#app/editor/extensions";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { findDocumentBySlug } from "#db/repositories/documents";
import { openStream } from "#tests/support/event-stream";
import { startTestServer, type TestServer } from "#tests/support/server";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;

/** The revisions the stream's `text-changed` events named so far, in order. */
function revisionsIn(received: string): string[] {
  return [...received.matchAll(/event: text-changed\ndata: (.*)\n/g)].map((match) => (JSON.parse(match[1] ?? "{}") as { revision: string }).revision);
}

async function reading(url: string): Promise<{ revision: string; markup: string }> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  return (await response.json()) as { revision: string; markup: string };
}

describe("the reading view for readers' pages", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.dispose());

  it("names the text's revision on the stream and gives the markup of that revision, with margins, after an edit", async () => {
    const before = await reading(`${server.url}${DRAFT}/reading`);
    expect(before.markup).toContain(SEED_DOCUMENT.title);
    expect(before.markup).toContain('class="block-margin"');
    // The page renders the same markup, from the same revision.
    const page = await (await fetch(`${server.url}${DRAFT}`)).text();
    expect(page).toContain(before.markup);

    const stream = await openStream(`${server.url}${DRAFT}/events?text`);
    await stream.waitFor("event: text-changed");
    expect(revisionsIn(stream.received())).toEqual([before.revision]);

    const documentId = (await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug))?.id ?? "";
    const id = newBlockId();
    await server.services.changeDocument(documentId, {}, (doc) => {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.setAttribute("id", id);
      paragraph.insert(0, [new Y.XmlText("Ett stycke som en redaktör just skrev.")]);
      doc.getXmlFragment(YJS_FRAGMENT).insert(2, [paragraph]);
    });
    await stream.waitUntil((received) => revisionsIn(received).length >= 2, "the edit's revision");
    const [, changed] = revisionsIn(stream.received());
    expect(changed).not.toBe(before.revision);

    const after = await reading(`${server.url}${DRAFT}/reading`);
    expect(after.revision).toBe(changed);
    expect(after.markup).toContain(`id="${id}"`);
    expect(after.markup).toContain("Ett stycke som en redaktör just skrev.");
    stream.close();
  });
});
