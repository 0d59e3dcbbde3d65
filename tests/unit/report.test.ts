import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import type { ResolvedAnchor, StoredAnchor } from "#app/comments/anchoring";
import { createTranslate } from "#app/i18n/i18n";
import { type LocatedThread } from "#app/models/comments/threads.server";
import { reportToAnnotations } from "#app/report/annotations";
import { BOM, reportToCsv } from "#app/report/csv";
import { reportToDocx } from "#app/report/docx";
import { reportToHtml } from "#app/report/html";
import { reportToMarkdown } from "#app/report/markdown";
import { buildReport, type ReportSource } from "#app/report/model";
import type { ReportWording } from "#app/report/wording";
import type { VersionBlock } from "#app/versions/diff";
import type { CommentRecord, ThreadRecord } from "#db/repositories/comments";
import { parseCsv } from "#tests/support/csv";
import { unzip } from "#tests/support/zip";

const sv: ReportWording = { t: createTranslate("sv"), locale: "sv" };
const en: ReportWording = { t: createTranslate("en"), locale: "en" };
const BASE = "https://samrad.example.se";
const schema = JSON.parse(readFileSync(new URL("../fixtures/web-annotation.schema.json", import.meta.url), "utf8")) as object;

// Everything that breaks a file format when it is not escaped, in one comment.
const TRICKY = 'Citat "så här", komma; semikolon\nny rad <script>alert(1)</script> # *inte rubrik* | [länk](x) 🎉';

const blocks: VersionBlock[] = [
  { id: "title", type: "heading", text: "Vägledning", level: 1 },
  { id: "intro", type: "paragraph", text: "Inledande text.", level: null },
  { id: "h-bakgrund", type: "heading", text: "Bakgrund", level: 2 },
  { id: "p-bakgrund", type: "paragraph", text: "Myndigheter ska publicera öppna data.", level: null },
  { id: "h-sub", type: "heading", text: "Undantag", level: 3 },
  { id: "p-sub", type: "paragraph", text: "Inte personuppgifter.", level: null },
  { id: "h-forslag", type: "heading", text: "2. Förslag", level: 2 },
  { id: "p-forslag", type: "paragraph", text: "Vi rekommenderar CC0.", level: null },
];

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 9, minute));

function thread(id: string, fields: Partial<ThreadRecord> = {}): ThreadRecord {
  return {
    id,
    document_id: "doc",
    block_id: "",
    anchor: { blockId: "", blockText: "", passage: null },
    author_id: "u1",
    status: "open",
    status_changed_by: null,
    status_changed_at: null,
    created_at: at(0),
    version_number: null,
    kind: "comment",
    suggested_text: null,
    outcome: null,
    response: null,
    responded_by_name: null,
    responded_at: null,
    incorporated_in: null,
    author_name: "Anna Andersson",
    author_organisation: "Myndigheten för data",
    ...fields,
  };
}

function comment(id: string, threadId: string, fields: Partial<CommentRecord> = {}): CommentRecord {
  return {
    id,
    thread_id: threadId,
    author_id: "u1",
    body: "Bra.",
    position: null,
    created_at: at(1),
    edited_at: null,
    deleted_at: null,
    hidden_at: null,
    hidden_reason: null,
    version_number: null,
    author_name: "Anna Andersson",
    author_organisation: "Myndigheten för data",
    ...fields,
  };
}

const onBlock = (blockId: string): { anchor: StoredAnchor; resolution: ResolvedAnchor; currentText: null } => ({
  anchor: { blockId, blockText: blocks.find((block) => block.id === blockId)?.text ?? "Borttagen text", passage: null },
  resolution: { state: "block", blockId, passageRemoved: false },
  currentText: null,
});
const onPassage = (blockId: string, exact: string, from: number): { anchor: StoredAnchor; resolution: ResolvedAnchor; currentText: string } => ({
  anchor: { blockId, blockText: "", passage: { start: "", end: "", quote: { exact, prefix: "Vi rekommenderar ", suffix: "." } } },
  resolution: { state: "passage", blockId, from, to: from + exact.length, via: "relative" },
  currentText: exact,
});

/** In document order, as locateThreads gives them: the opening before section 1, section 1 (with 1.1), section 2, removed text. */
function source(overrides: Partial<ReportSource> = {}): ReportSource {
  const located: LocatedThread[] = [
    { record: thread("t-intro"), ...onBlock("intro") },
    {
      record: thread("t-tricky", {
        outcome: "partly-accepted",
        status: "resolved",
        response: "Vi ändrar delvis; se \"avsnitt 2\".",
        responded_by_name: "Eva Redaktör",
        responded_at: at(30),
        version_number: 1,
      }),
      ...onBlock("p-bakgrund"),
    },
    { record: thread("t-hidden"), ...onBlock("p-bakgrund") },
    { record: thread("t-sub", { author_name: "Bo Berg", author_organisation: "" }), ...onBlock("p-sub") },
    { record: thread("t-suggestion", { kind: "suggestion", suggested_text: "CC BY 4.0" }), ...onPassage("p-forslag", "CC0", 17) },
    { record: thread("t-removed"), anchor: { blockId: "gone", blockText: "Text som ströks.", passage: null }, resolution: { state: "removed" }, currentText: null },
  ];
  const commentsByThread = new Map<string, CommentRecord[]>([
    ["t-intro", [comment("c-intro", "t-intro", { body: "=HYPERLINK(\"http://evil\")" })]],
    [
      "t-tricky",
      [
        comment("c-tricky", "t-tricky", { body: TRICKY, position: "opposes" }),
        comment("c-reply", "t-tricky", { body: "Håller med, men…", author_name: "Carl Cederholm", author_organisation: "Kommunen", created_at: at(5) }),
        comment("c-hidden-reply", "t-tricky", { body: "Otrevligt svar", hidden_at: at(6), hidden_reason: "Regler" }),
        comment("c-deleted-reply", "t-tricky", { body: "Ångrat svar", deleted_at: at(7) }),
      ],
    ],
    ["t-hidden", [comment("c-hidden", "t-hidden", { body: "Dold synpunkt", hidden_at: at(8), hidden_reason: "Regler" })]],
    ["t-sub", [comment("c-sub", "t-sub", { body: "Utan organisation.", author_name: "Bo Berg", author_organisation: "" })]],
    ["t-suggestion", [comment("c-suggestion", "t-suggestion", { body: "Byt licens." })]],
    ["t-removed", [comment("c-removed", "t-removed", { body: "Om struken text." })]],
  ]);
  return {
    title: "Vägledning <om> öppna data",
    slug: "vagledning",
    language: "sv",
    baseUrl: BASE,
    version: null,
    blocks,
    located,
    commentsByThread,
    agreements: new Map([["t-tricky", new Set(["u2", "u3"])]]),
    workshops: new Map([[1, "Workshop i Göteborg"]]),
    titleLabel: "Rubrik",
    generatedAt: at(59),
    ...overrides,
  };
}

describe("the report model", () => {
  const report = buildReport(source());

  it("groups the threads by level-2 section in the order of the text, with the heading, and text no longer there last", () => {
    expect(report.sections.map((section) => [section.kind, section.number, section.heading])).toEqual([
      ["opening", null, null],
      ["section", "1", "Bakgrund"],
      ["section", "2", "2. Förslag"],
      ["removed", null, null],
    ]);
    expect(report.sections[1]?.threads.map((each) => [each.id, each.reference])).toEqual([
      ["t-tricky", "1 ¶1"],
      ["t-sub", "1.1 ¶1"],
    ]);
    expect(report.sections[3]?.threads[0]).toMatchObject({ reference: null, quote: "Text som ströks.", blockId: null });
  });

  it("leaves out hidden and deleted comments, and a thread whose opening comment is hidden", () => {
    const ids = report.sections.flatMap((section) => section.threads.flatMap((each) => [each.opening.id, ...each.replies.map((reply) => reply.id)]));
    expect(ids).not.toContain("c-hidden");
    expect(ids).not.toContain("c-hidden-reply");
    expect(ids).not.toContain("c-deleted-reply");
    expect(ids).toContain("c-reply");
  });

  it("carries quote, kind, status, response, version, workshop and agreements", () => {
    const tricky = report.sections[1]?.threads[0];
    expect(tricky).toMatchObject({
      quote: "Myndigheter ska publicera öppna data.",
      status: "partly-accepted",
      response: { text: 'Vi ändrar delvis; se "avsnitt 2".', byName: "Eva Redaktör" },
      version: 1,
      workshop: "Workshop i Göteborg",
      agreements: 2,
      url: `${BASE}/d/vagledning?comments=all&show=t-tricky#thread-t-tricky`,
    });
    expect(report.sections[2]?.threads[0]).toMatchObject({ kind: "suggestion", suggestedText: "CC BY 4.0", quote: "CC0", passage: { exact: "CC0" } });
  });

  it("counts threads and replies per organisation and threads per status", () => {
    expect(report.counts).toEqual({
      threads: 5,
      replies: 1,
      byOrganisation: [
        { organisation: "Myndigheten för data", threads: 4, replies: 0 },
        { organisation: "", threads: 1, replies: 0 },
        { organisation: "Kommunen", threads: 0, replies: 1 },
      ],
      byStatus: [
        { status: "open", threads: 4 },
        { status: "resolved", threads: 0 },
        { status: "accepted", threads: 0 },
        { status: "partly-accepted", threads: 1 },
        { status: "rejected", threads: 0 },
        { status: "answered", threads: 0 },
      ],
    });
  });

  it("makes an empty report of a document without threads", () => {
    const empty = buildReport(source({ located: [], blocks: [] }));
    expect(empty.sections).toEqual([]);
    expect(empty.counts.threads).toBe(0);
  });
});

describe("the CSV", () => {
  const report = buildReport(source());

  it("reads back as one row per thread under a header row, tricky text intact", () => {
    const csv = reportToCsv(report, sv);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    const [header, ...rows] = parseCsv(csv.slice(BOM.length), ";");
    expect(header).toEqual([
      "Avsnitt",
      "Hänvisning",
      "Citerad text",
      "Typ",
      "Synpunkt",
      "Föreslagen lydelse",
      "Namn",
      "Organisation",
      "Hållning",
      "Skriven",
      "Version",
      "Workshop",
      "Status",
      "Redaktörernas svar",
      "Svar av",
      "Besvarad",
      "Inarbetad i version",
      "Håller med",
      "Svar i tråden",
      "Länk",
    ]);
    expect(rows.map((row) => row[4])).toEqual(["'=HYPERLINK(\"http://evil\")", TRICKY, "Utan organisation.", "Byt licens.", "Om struken text."]);
    expect(rows[1]).toEqual([
      "1 Bakgrund",
      "1 ¶1",
      "Myndigheter ska publicera öppna data.",
      "Kommentar",
      TRICKY,
      "",
      "Anna Andersson",
      "Myndigheten för data",
      "Emot",
      "2026-11-23 10:01",
      "1",
      "Workshop i Göteborg",
      "Delvis godtagen",
      'Vi ändrar delvis; se "avsnitt 2".',
      "Eva Redaktör",
      "2026-11-23 10:30",
      "",
      "2",
      "Carl Cederholm (Kommunen), 2026-11-23 10:05: Håller med, men…",
      `${BASE}/d/vagledning?comments=all&show=t-tricky#thread-t-tricky`,
    ]);
    expect(rows[3]?.slice(3, 6)).toEqual(["Ändringsförslag", "Byt licens.", "CC BY 4.0"]);
    expect(csv).not.toContain("Dold synpunkt");
    expect(csv).not.toContain("Otrevligt svar");
  });

  it("separates with commas for a document in English", () => {
    const csv = reportToCsv({ ...report, language: "en" }, en);
    const [header, ...rows] = parseCsv(csv.slice(BOM.length), ",");
    expect(header?.[0]).toBe("Section");
    expect(rows[1]?.[4]).toBe(TRICKY);
  });

  it("is a header row alone for an empty report", () => {
    const csv = reportToCsv(buildReport(source({ located: [] })), sv);
    expect(parseCsv(csv.slice(BOM.length), ";")).toHaveLength(1);
  });
});

describe("the Markdown", () => {
  const markdown = reportToMarkdown(buildReport(source()), sv);

  it("has a heading per section in the order of the text, and one per thread under it", () => {
    const headings = markdown.split("\n").filter((line) => /^#{1,3} /.test(line));
    expect(headings).toEqual([
      "# Remissammanställning: Vägledning \\<om\\> öppna data",
      "## Per organisation",
      "## Per status",
      "## Inledning",
      "### ¶1 – Anna Andersson (Myndigheten för data)",
      "## 1 Bakgrund",
      "### 1 ¶1 – Anna Andersson (Myndigheten för data)",
      // Rendered "1.1": escaped like any text that could start an ordered list.
      "### 1\\.1 ¶1 – Bo Berg",
      // Numbered by its author already: not numbered twice.
      "## 2\\. Förslag",
      "### 2 ¶1 – Anna Andersson (Myndigheten för data)",
      "## Text som inte längre finns i utkastet",
      "### Anna Andersson (Myndigheten för data)",
    ]);
  });

  it("quotes the text as a block quote, escapes what people typed, and keeps their line breaks and emoji", () => {
    expect(markdown).toContain("> Myndigheter ska publicera öppna data.");
    expect(markdown).toContain("ny rad \\<script\\>alert(1)\\</script\\> # \\*inte rubrik\\* \\| \\[länk\\](x) 🎉");
    expect(markdown).toContain('Citat "så här", komma; semikolon\\\nny rad');
    expect(markdown).not.toContain("<script>");
    expect(markdown).toContain("| Ingen organisation angiven | 1 | 0 |");
    expect(markdown).toContain("| Delvis godtagen | 1 |");
    expect(markdown).toContain("**Föreslagen lydelse:**\n\n> CC BY 4.0");
    expect(markdown).not.toContain("Dold synpunkt");
  });

  it("says there is no feedback in an empty report", () => {
    expect(reportToMarkdown(buildReport(source({ located: [] })), sv)).toContain("Det finns inga synpunkter att sammanställa.");
  });
});

describe("the HTML", () => {
  const html = reportToHtml(buildReport(source()), sv);

  it("is a standalone page with every text escaped", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<html lang="sv">');
    expect(html).not.toContain("<script>");
    expect(html).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
    expect(html).toContain("ny rad");
    expect(html).toContain("🎉");
    expect(html).toContain("Vägledning &#60;om&#62; öppna data");
  });

  it("has the sections in the order of the text and the counts as tables", () => {
    const headings = [...html.matchAll(/<h2[^>]*>([^<]*)<\/h2>/g)].map((match) => match[1]);
    expect(headings).toEqual(["Per organisation", "Per status", "Inledning", "1 Bakgrund", "2. Förslag", "Text som inte längre finns i utkastet"]);
    expect(html).toContain('<tr><th scope="row">Kommunen</th><td class="count">0</td><td class="count">1</td></tr>');
  });
});

describe("the Word document", () => {
  it("is a zip whose document holds the headings, the quotes and the escaped text", async () => {
    const docx = await reportToDocx(buildReport(source()), sv);
    expect(Buffer.from(docx.subarray(0, 2)).toString("latin1")).toBe("PK");
    const files = unzip(docx);
    const xml = files.get("word/document.xml") ?? "";
    expect(xml).toContain("1 Bakgrund");
    expect(xml).toContain('<w:pStyle w:val="Heading1"/>');
    expect(xml).toContain('<w:pStyle w:val="Quote"/>');
    expect(xml).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(xml).toContain("🎉");
    expect(xml).not.toContain("Dold synpunkt");
  });

  it("is a readable document for an empty report too", async () => {
    const files = unzip(await reportToDocx(buildReport(source({ located: [] })), sv));
    expect(files.get("word/document.xml")).toContain("Det finns inga synpunkter att sammanställa.");
  });
});

describe("the Web Annotation export", () => {
  const ajv = new Ajv2020({ allErrors: true });
  const validate = ajv.compile(schema);
  const collectionUrl = `${BASE}/d/vagledning/annotations.jsonld`;
  const exported = JSON.parse(JSON.stringify(reportToAnnotations(buildReport(source()), sv, collectionUrl))) as {
    total: number;
    first: { items: Record<string, unknown>[] };
  };

  it("validates against the JSON Schema of the W3C model", () => {
    expect(validate(exported), JSON.stringify(validate.errors)).toBe(true);
    const empty = JSON.parse(JSON.stringify(reportToAnnotations(buildReport(source({ located: [] })), sv, collectionUrl))) as unknown;
    expect(validate(empty), JSON.stringify(validate.errors)).toBe(true);
  });

  it("makes threads annotations on the text, and replies and responses annotations on the thread", () => {
    const items = exported.first.items;
    const byId = new Map(items.map((item) => [item.id, item]));
    const suggestion = byId.get(`${BASE}/d/vagledning?comments=all&show=t-suggestion#thread-t-suggestion`);
    expect(suggestion).toMatchObject({
      motivation: "editing",
      body: [
        { type: "TextualBody", value: "Byt licens.", purpose: "commenting" },
        { type: "TextualBody", value: "CC BY 4.0", purpose: "editing" },
      ],
      target: {
        type: "SpecificResource",
        source: `${BASE}/d/vagledning`,
        selector: { type: "TextQuoteSelector", exact: "CC0", prefix: "Vi rekommenderar ", suffix: "." },
      },
    });
    const tricky = byId.get(`${BASE}/d/vagledning?comments=all&show=t-tricky#thread-t-tricky`);
    expect(tricky).toMatchObject({
      motivation: "commenting",
      creator: { type: "Person", name: "Anna Andersson (Myndigheten för data)" },
      target: { selector: [{ type: "FragmentSelector", value: "p-bakgrund" }, { type: "TextQuoteSelector", exact: "Myndigheter ska publicera öppna data." }] },
    });
    const replies = items.filter((item) => item.motivation === "replying");
    expect(replies.map((item) => item.target)).toEqual([tricky?.id, tricky?.id]);
    expect(replies.map((item) => (item.body as { value: string }[])[0]?.value)).toEqual(['Vi ändrar delvis; se "avsnitt 2".', "Håller med, men…"]);
    expect(JSON.stringify(exported)).not.toContain("Dold synpunkt");
    expect(exported.total).toBe(items.length);
  });

  it("fails the schema when what the model requires is wrong or missing", () => {
    const item = exported.first.items[0] ?? {};
    const withItem = (changed: Record<string, unknown>) => ({ ...exported, first: { ...exported.first, items: [changed] }, total: 1 });
    expect(validate(withItem({ ...item, type: "Comment" }))).toBe(false);
    expect(validate(withItem({ ...item, target: undefined }))).toBe(false);
    expect(validate(withItem({ ...item, id: "not an iri" }))).toBe(false);
    expect(validate(withItem({ ...item, motivation: "liking" }))).toBe(false);
    expect(validate(withItem({ ...item, body: [{ type: "TextualBody" }] }))).toBe(false);
    expect(validate(withItem({ ...item, target: { source: BASE, selector: { type: "TextQuoteSelector", exact: "" } } }))).toBe(false);
    expect(validate({ ...exported, "@context": "http://example.org/other.jsonld" })).toBe(false);
    expect(validate({ ...exported, first: undefined })).toBe(false);
  });
});
