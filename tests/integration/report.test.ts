import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocumentIndex } from "#app/comments/anchoring";
import { findDocumentBySlug, insertDocument } from "#db/repositories/documents";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { parseCsv } from "#tests/support/csv";
import { testDatabaseKinds } from "#tests/support/database";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";
import { unzip } from "#tests/support/zip";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const COMMENT_LINK = /#comment-([0-9a-f-]{36})$/;
const BOM = [0xef, 0xbb, 0xbf];
const validateAnnotations = new Ajv2020({ allErrors: true }).compile(
  JSON.parse(readFileSync(new URL("../fixtures/web-annotation.schema.json", import.meta.url), "utf8")) as object,
);

interface Block {
  id: string;
  type: string;
  text: string;
  level: number | null;
}

describe.each(testDatabaseKinds())("the consultation report (%s)", (database) => {
  let server: TestServer;
  let blocks: Block[];
  let member: Awaited<ReturnType<typeof signedInAs>>;
  let otherMember: Awaited<ReturnType<typeof signedInAs>>;
  let editor: Awaited<ReturnType<typeof signedInAs>>;
  // The seeded threads: a comment with a reply on section 2, a suggestion the editors accepted on section 4.
  const TRICKY = 'Otydligt "så kallat" undantag, se 3; 4\nAndra raden <script>alert(1)</script> # 🎉';

  const post = (fields: Record<string, string>, cookie: string) => postForm(server.url, DRAFT, fields, cookie);
  const startThread = async (cookie: string, fields: Record<string, string>) => {
    const response = await post({ intent: "create-thread", acceptLicence: "on", position: "", ...fields }, cookie);
    expect(response.status).toBe(302);
    const commentId = COMMENT_LINK.exec(response.headers.get("location") ?? "")?.[1] ?? "";
    const row = await server.services.db.selectFrom("comments").select("thread_id").where("id", "=", commentId).executeTakeFirstOrThrow();
    return { threadId: row.thread_id, commentId };
  };
  const get = (path: string) => fetch(`${server.url}${path}`);
  /** The first paragraph after the level-2 heading whose text starts with `number` ("2."). */
  const paragraphIn = (number: string) => {
    const heading = blocks.findIndex((block) => block.type === "heading" && block.level === 2 && block.text.startsWith(`${number}.`));
    const paragraph = blocks.slice(heading + 1).find((block) => block.type === "paragraph");
    if (heading < 0 || !paragraph) throw new Error(`the seed has no paragraph in section ${number}`);
    return { heading: blocks[heading] as Block, paragraph };
  };

  beforeAll(async () => {
    server = await startTestServer({ database });
    const document = await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug);
    if (!document) throw new Error("the seeded draft is missing");
    blocks = await server.services.readDocument(document.id, (doc) =>
      DocumentIndex.of(doc).blocks.map((block) => ({
        id: block.id,
        type: block.type,
        text: block.text,
        level: block.type === "heading" ? Number(block.element.getAttribute("level")) : null,
      })),
    );
    member = await signedInAs(server.services.db, "member", "Mats Medlem");
    otherMember = await signedInAs(server.services.db, "member", "Olga Annan");
    editor = await signedInAs(server.services.db, "editor", "Eva Editor");
    await server.services.db.updateTable("users").set({ organisation: "Kommunen" }).where("id", "=", otherMember.userId).execute();

    // Posted in reverse document order: the report puts them in the order of the text.
    const section4 = paragraphIn("4").paragraph;
    const exact = section4.text.slice(0, 30);
    const suggestion = await startThread(otherMember.cookie, {
      blockId: section4.id,
      from: "0",
      to: "30",
      exact,
      kind: "suggestion",
      suggestion: "Ny lydelse, med komma",
      body: "Skriv om inledningen.",
    });
    expect((await post({ intent: "close", threadId: suggestion.threadId, outcome: "accepted", response: "Vi inför förslaget." }, editor.cookie)).status).toBe(302);

    const comment = await startThread(member.cookie, { blockId: paragraphIn("2").paragraph.id, body: TRICKY, position: "supports" });
    expect((await post({ intent: "reply", threadId: comment.threadId, body: "Instämmer.", acceptLicence: "on", position: "" }, otherMember.cookie)).status).toBe(302);

    // A comment a moderator hid: in no export.
    const hidden = await startThread(member.cookie, { blockId: paragraphIn("3").paragraph.id, body: "Olämplig text här" });
    expect((await post({ intent: "flag", commentId: hidden.commentId, reason: "Personangrepp" }, otherMember.cookie)).status).toBe(302);
    const queue = await (await fetch(`${server.url}${DRAFT}/moderation`, { headers: { Cookie: editor.cookie } })).text();
    const flagId = /name="flagId" value="([0-9a-f-]{36})"/.exec(queue)?.[1] ?? "";
    expect((await postForm(server.url, `${DRAFT}/moderation`, { intent: "hide", flagId, reason: "Bryter mot reglerna" }, editor.cookie)).status).toBe(200);
  });
  afterAll(() => server?.dispose());

  it("downloads the CSV as UTF-8 with a byte order mark, one row per thread in the order of the text", async () => {
    const response = await get(`${DRAFT}/report.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${SEED_DOCUMENT.slug}-report.csv"`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual(BOM);
    const [header, ...rows] = parseCsv(new TextDecoder().decode(bytes.subarray(3)), ";");
    expect(header?.slice(0, 5)).toEqual(["Avsnitt", "Hänvisning", "Citerad text", "Typ", "Synpunkt"]);
    const column = (name: string) => header?.indexOf(name) ?? -1;
    const section2 = paragraphIn("2");
    const section4 = paragraphIn("4");
    expect(rows.map((row) => [row[column("Avsnitt")], row[column("Synpunkt")], row[column("Namn")], row[column("Organisation")]])).toEqual([
      [section2.heading.text, TRICKY, "Mats Medlem", "Testmyndigheten"],
      [section4.heading.text, "Skriv om inledningen.", "Olga Annan", "Kommunen"],
    ]);
    const [comment, suggestion] = rows;
    expect(comment?.[column("Citerad text")]).toBe(section2.paragraph.text);
    expect(comment?.[column("Hållning")]).toBe("Stöder");
    expect(comment?.[column("Status")]).toBe("Öppen");
    expect(comment?.[column("Svar i tråden")]).toMatch(/^Olga Annan \(Kommunen\), \d{4}-\d{2}-\d{2} \d{2}:\d{2}: Instämmer\.$/);
    expect(suggestion?.[column("Typ")]).toBe("Ändringsförslag");
    expect(suggestion?.[column("Citerad text")]).toBe(section4.paragraph.text.slice(0, 30));
    expect(suggestion?.[column("Föreslagen lydelse")]).toBe("Ny lydelse, med komma");
    expect(suggestion?.[column("Status")]).toBe("Godtagen");
    expect(suggestion?.[column("Redaktörernas svar")]).toBe("Vi inför förslaget.");
    expect(suggestion?.[column("Svar av")]).toBe("Eva Editor");
    expect(new TextDecoder().decode(bytes)).not.toContain("Olämplig text här");
  });

  it("writes the Markdown with a heading per section in the order of the text, quotes and responses", async () => {
    const response = await get(`${DRAFT}/report.md`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const markdown = await response.text();
    const sections = markdown
      .split("\n")
      .filter((line) => line.startsWith("## "))
      .slice(2);
    expect(sections).toEqual([`## ${paragraphIn("2").heading.text.replace(".", "\\.")}`, `## ${paragraphIn("4").heading.text.replace(".", "\\.")}`]);
    expect(markdown).toContain("| Testmyndigheten | 1 | 0 |");
    expect(markdown).toContain("| Kommunen | 1 | 1 |");
    expect(markdown).toContain("| Godtagen | 1 |");
    expect(markdown).toContain("\\<script\\>");
    expect(markdown).toContain("Vi inför förslaget.");
    expect(markdown).not.toContain("Olämplig text här");
  });

  it("opens the HTML in the browser as a page of its own", async () => {
    const response = await get(`${DRAFT}/report.html`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^inline;/);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("Andra raden &#60;script&#62;");
    expect(html).not.toContain("Olämplig text här");
  });

  it("downloads a Word document holding the threads", async () => {
    const response = await get(`${DRAFT}/report.docx`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(0, 2))).toBe("PK");
    const xml = unzip(bytes).get("word/document.xml") ?? "";
    expect(xml).toContain("Skriv om inledningen.");
    expect(xml).toContain("Vi inför förslaget.");
    expect(xml).not.toContain("Olämplig text här");
  });

  it("exports the threads as Web Annotations that validate against the W3C model's schema", async () => {
    const response = await get(`/d/${SEED_DOCUMENT.slug}/annotations.jsonld`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe('application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"');
    const collection = (await response.json()) as { total: number; first: { items: { motivation: string; target: unknown }[] } };
    expect(validateAnnotations(collection), JSON.stringify(validateAnnotations.errors)).toBe(true);
    // Two threads, the reply and the editors' response.
    expect(collection.total).toBe(4);
    expect(collection.first.items.map((item) => item.motivation)).toEqual(["commenting", "replying", "editing", "replying"]);
    expect(collection.first.items[2]?.target).toMatchObject({ selector: { type: "TextQuoteSelector", exact: paragraphIn("4").paragraph.text.slice(0, 30) } });
    expect(JSON.stringify(collection)).not.toContain("Olämplig text här");
  });

  it("reports the feedback on one version alone, and answers 404 for a version the draft does not have", async () => {
    expect((await postForm(server.url, `${DRAFT}/versions`, { name: "Till remiss" }, editor.cookie)).status).toBe(302);
    await startThread(member.cookie, { blockId: paragraphIn("5").paragraph.id, body: "Synpunkt på version 1." });
    const markdown = await (await get(`${DRAFT}/report.md?version=1`)).text();
    expect(markdown).toContain("Synpunkt på version 1.");
    expect(markdown).not.toContain("Skriv om inledningen.");
    expect(markdown).toContain("Synpunkter på version 1: Till remiss");
    expect((await get(`${DRAFT}/report.csv?version=1`)).headers.get("content-disposition")).toContain(`${SEED_DOCUMENT.slug}-report-v1.csv`);
    expect((await get(`${DRAFT}/report.md?version=7`)).status).toBe(404);
    expect((await get(`${DRAFT}/report.md?version=abc`)).status).toBe(404);
    expect((await get(`/d/no-such-draft/report.csv`)).status).toBe(404);
    // The whole draft's report still has everything.
    expect(await (await get(`${DRAFT}/report.md`)).text()).toContain("Synpunkt på version 1.");
  });

  it("links every format from the versions page", async () => {
    const page = await (await get(`${DRAFT}/versions`)).text();
    for (const path of ["report.docx", "report.csv", "report.html", "report.md", "annotations.jsonld", "report.csv?version=1"]) {
      expect(page).toContain(`href="${DRAFT}/${path}"`);
    }
  });

  it("gives an empty report, not an error, for a document without feedback", async () => {
    await insertDocument(server.services.db, { slug: "tomt-utkast", title: "Tomt utkast", language: "sv" });
    const csv = await get("/d/tomt-utkast/report.csv");
    expect(csv.status).toBe(200);
    expect(parseCsv((await csv.text()).replace(/^\uFEFF/, ""), ";")).toHaveLength(1);
    const markdown = await get("/d/tomt-utkast/report.md");
    expect(markdown.status).toBe(200);
    expect(await markdown.text()).toContain("Det finns inga synpunkter att sammanställa.");
    expect((await get("/d/tomt-utkast/report.html")).status).toBe(200);
    const docx = await get("/d/tomt-utkast/report.docx");
    expect(docx.status).toBe(200);
    expect(unzip(new Uint8Array(await docx.arrayBuffer())).get("word/document.xml")).toContain("Det finns inga synpunkter att sammanställa.");
    const annotations = await get("/d/tomt-utkast/annotations.jsonld");
    expect(annotations.status).toBe(200);
    const collection = (await annotations.json()) as { total: number };
    expect(validateAnnotations(collection), JSON.stringify(validateAnnotations.errors)).toBe(true);
    expect(collection.total).toBe(0);
  });
});
