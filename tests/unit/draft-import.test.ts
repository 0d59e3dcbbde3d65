/**
 * Drafts from Word files made by other tools than Samråd's own export (python-docx and LibreOffice; see
 * tests/fixtures/word/generate.py) and from Markdown, the import report, the files that are refused, and the round trip
 * through the Word export.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { licenceOf } from "#app/comments/licences";
import JSZip from "jszip";
import { DraftImportError, describeImportError, describeImportNote, IMPORT_MAX_BYTES, IMPORT_MAX_UNPACKED_BYTES, type ImportErrorCode } from "#app/drafts/import-report";
import { importDraftFile, importMarkdown, importWord } from "#app/drafts/import.server";
import { versionToDocx } from "#app/drafts/word-export";
import type { ContentNode } from "#app/editor/content";
import { createTranslate } from "#app/i18n/i18n";
import type { VersionExport } from "#app/versions/export";
import { unzip } from "#tests/support/zip";

const fixture = (name: string) => new Uint8Array(readFileSync(`tests/fixtures/word/${name}`));

/** The draft as its blocks' types, levels and text, indented by nesting; marks as [mark:text]. */
function outline(content: ContentNode): string[] {
  const lines: string[] = [];
  const visit = (node: ContentNode, depth: number) => {
    const inline = (node.content ?? []).filter((child) => child.type === "text" || child.type === "hardBreak");
    const text = inline
      .map((child) => (child.type === "hardBreak" ? "⏎" : child.marks ? `[${child.marks.map((mark) => mark.type).join("+")}:${child.text}]` : child.text))
      .join("");
    lines.push(`${"  ".repeat(depth)}${node.type}${node.type === "heading" ? String(node.attrs?.level) : ""}${text ? `: ${text}` : ""}`);
    for (const child of node.content ?? []) if (!inline.includes(child)) visit(child, depth + 1);
  };
  for (const block of content.content ?? []) visit(block, 0);
  return lines;
}

/** The draft without its block ids, which every import makes anew. */
function withoutIds(node: ContentNode): ContentNode {
  const { id: _id, ...attrs } = node.attrs ?? {};
  return {
    ...node,
    ...(node.attrs ? { attrs } : {}),
    ...(node.content ? { content: node.content.map(withoutIds) } : {}),
  };
}

function links(content: ContentNode): string[] {
  const found: string[] = [];
  const visit = (node: ContentNode) => {
    for (const mark of node.marks ?? []) if (mark.type === "link") found.push(`${node.text} -> ${String(mark.attrs?.href)}`);
    node.content?.forEach(visit);
  };
  visit(content);
  return found;
}

function blockIds(content: ContentNode): unknown[] {
  const ids: unknown[] = [];
  const visit = (node: ContentNode) => {
    if (node.attrs && "id" in node.attrs) ids.push(node.attrs.id);
    node.content?.forEach(visit);
  };
  visit(content);
  return ids;
}

const t = createTranslate("en");

async function refusal(attempt: Promise<unknown> | (() => unknown)): Promise<ImportErrorCode | "accepted"> {
  try {
    await (typeof attempt === "function" ? attempt() : attempt);
    return "accepted";
  } catch (error) {
    if (error instanceof DraftImportError) return error.code;
    throw error;
  }
}

const exportOf = (content: ContentNode): VersionExport => ({
  title: "Remissvar",
  language: "sv",
  facts: [
    { label: "Version", value: "Version 1: Remiss" },
    { label: "Licens för bidrag", licence: licenceOf("CC-BY-4.0") },
  ],
  content,
});

describe("a Word file made with python-docx", () => {
  it("keeps the headings by level, the paragraphs, bold, italic, links, nested lists and the quote", async () => {
    const { content } = await importWord(fixture("python-docx-draft.docx"));
    expect(outline(content)).toEqual([
      "heading1: Remissvar om öppna data",
      "heading2: Bakgrund",
      "paragraph: Myndigheten ska göra [bold:data] tillgängliga [italic:utan dröjsmål]. Läs mer hos [link:DIGG].",
      "heading3: Förslag",
      "paragraph: Förslagen i korthet:",
      "bulletList",
      "  listItem",
      "    paragraph: Öppna data som standard",
      "    bulletList",
      "      listItem",
      "        paragraph: Gäller statliga myndigheter",
      "        bulletList",
      "          listItem",
      "            paragraph: Även kommuner på sikt",
      "  listItem",
      "    paragraph: Avgiftsfri vidareanvändning",
      "heading4: Genomförande",
      "orderedList",
      "  listItem",
      "    paragraph: Inventera datamängder",
      "    orderedList",
      "      listItem",
      "        paragraph: Prioritera efter nytta",
      "  listItem",
      "    paragraph: Publicera i portalen",
      "blockquote",
      "  paragraph: Den som vill veta mer kan fråga.",
      "paragraph: Myndighet | Datamängder",
      "paragraph: Lantmäteriet | 12",
      "paragraph: Ett stycke med en kommentar.",
      "paragraph: Ett stycke med spårade ändringar: inlagd text",
      "paragraph: En egen styckeformatering.",
    ]);
    expect(links(content)).toEqual(["DIGG -> https://www.digg.se/"]);
  });

  it("reports what it could not keep: the image, the comment, the tracked changes, the table and the unknown style", async () => {
    const { report } = await importWord(fixture("python-docx-draft.docx"));
    expect(report.notes.map((note) => describeImportNote(note, t))).toEqual([
      "1 image was left out: drafts cannot show images.",
      "1 comment in the file was left out.",
      "The file had 2 tracked changes: the text is imported as if all had been accepted.",
      "1 table became plain paragraphs, one per row, as drafts have no tables.",
      "An unknown paragraph style became plain paragraphs: Sammanfattning.",
    ]);
  });

  it("gives every block a fresh id of its own", async () => {
    const first = blockIds((await importWord(fixture("python-docx-draft.docx"))).content);
    const second = blockIds((await importWord(fixture("python-docx-draft.docx"))).content);
    expect(first.every((id) => typeof id === "string" && /^b[0-9a-z]{10}$/.test(id))).toBe(true);
    expect(new Set([...first, ...second]).size).toBe(first.length + second.length);
  });
});

describe("a Word file made with LibreOffice", () => {
  it("keeps Writer's headings, nested lists, bold, italic, the link and the quote, and puts the footnote at the end", async () => {
    const { content, report } = await importWord(fixture("libreoffice-draft.docx"));
    expect(outline(content)).toEqual([
      "heading1: Strategi för digital förvaltning",
      "heading2: Inledning",
      "paragraph: Regeringen vill [bold:stärka] den [italic:digitala] förvaltningen[1]. Mer på [link:regeringen.se].",
      "heading3: Mål",
      "bulletList",
      "  listItem",
      "    paragraph: Enklare tjänster",
      "    bulletList",
      "      listItem",
      "        paragraph: För privatpersoner",
      "      listItem",
      "        paragraph: För företag",
      "  listItem",
      "    paragraph: Säkrare drift",
      "heading4: Steg",
      "orderedList",
      "  listItem",
      "    paragraph: Kartlägg",
      "    orderedList",
      "      listItem",
      "        paragraph: Tjänster",
      "  listItem",
      "    paragraph: Genomför",
      "blockquote",
      "  paragraph: Förvaltningen ska vara digital först.",
      "orderedList",
      "  listItem",
      "    paragraph: Se prop. 2025/26:1.",
    ]);
    expect(links(content)).toEqual(["regeringen.se -> https://www.regeringen.se/"]);
    expect(report.notes.map((note) => describeImportNote(note, t))).toEqual(["1 footnote is now text at the end of the draft."]);
  });
});

/** Writes `size` as the entry's unpacked size in the zip's central directory, as a crafted file would. */
function understateSize(zip: Uint8Array, name: string, size: number): void {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const encodedName = new TextEncoder().encode(name);
  for (let offset = 0; offset + 46 < zip.byteLength; offset += 1) {
    // A central directory header: its signature, then the name's length at 28 and the name at 46.
    if (view.getUint32(offset, true) !== 0x02014b50 || view.getUint16(offset + 28, true) !== encodedName.length) continue;
    if (!encodedName.every((byte, index) => zip[offset + 46 + index] === byte)) continue;
    view.setUint32(offset + 24, size, true);
    return;
  }
  throw new Error(`no central directory entry for ${name}`);
}

describe("files that are not imported", () => {
  it("refuses what is not a Word document, a password-protected file, an empty one and one of only images", async () => {
    expect(await refusal(importWord(fixture("not-a-document.docx")))).toBe("not-a-document");
    expect(await refusal(importWord(fixture("not-docx.zip")))).toBe("not-a-document");
    expect(await refusal(importWord(fixture("encrypted.docx")))).toBe("encrypted");
    expect(await refusal(importWord(fixture("images-only.docx")))).toBe("only-images");
    expect(await refusal(() => importMarkdown("\n\n   \n"))).toBe("empty");
    expect(await refusal(() => importMarkdown("![bild](bild.png)"))).toBe("only-images");
    expect(await refusal(importDraftFile("bild.md", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00])))).toBe("not-a-document");
    expect(await refusal(() => importMarkdown(`${">".repeat(150)} djupt`))).toBe("too-deep");
  });

  it("refuses a file over the limit before reading it, and says what the limit is", async () => {
    const large = new Uint8Array(IMPORT_MAX_BYTES + 1);
    large.set([0x50, 0x4b, 0x03, 0x04]);
    expect(await refusal(importWord(large))).toBe("too-large");
    expect(await refusal(() => importMarkdown("a".repeat(IMPORT_MAX_BYTES + 1)))).toBe("too-large");
    expect(t("draftImport.errors.too-large", { limit: "10 MB" })).toContain("10 MB");
  });

  it("refuses a small Word file that unpacks to more than the limit (a zip bomb) before converting it", async () => {
    const zip = await JSZip.loadAsync(fixture("python-docx-draft.docx"));
    // Zeros pack to almost nothing: the file stays far below the upload limit.
    zip.file("word/media/padding.bin", new Uint8Array(IMPORT_MAX_UNPACKED_BYTES + 1));
    const bomb = await zip.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level: 9 } });
    expect(bomb.byteLength).toBeLessThan(IMPORT_MAX_BYTES / 10);
    expect(await refusal(importWord(bomb))).toBe("unpacked-too-large");
    expect(describeImportError("unpacked-too-large", t)).toContain("50 MB");
  });

  it("refuses a zip bomb whose directory understates the unpacked size, without unpacking all of it", async () => {
    const zip = await JSZip.loadAsync(fixture("python-docx-draft.docx"));
    zip.file("word/media/padding.bin", new Uint8Array(IMPORT_MAX_UNPACKED_BYTES + 1));
    const bomb = await zip.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level: 9 } });
    understateSize(bomb, "word/media/padding.bin", 1000);
    expect(await refusal(importWord(bomb))).toBe("unpacked-too-large");
  });
});

describe("a Markdown file", () => {
  it("keeps headings, paragraphs, marks, links, nested lists, quotes and code, and flattens a table", () => {
    const { content, report } = importMarkdown(
      [
        "# Remissvar",
        "Ett **fett** och *kursivt* ord, ~~struket~~ och `kod`, med [en länk](https://www.digg.se/) och [en relativ](/sida).",
        "- Ett\n  1. Första\n  2. Andra\n- Två",
        "> Citat",
        "| Myndighet | Antal |\n|---|---|\n| DIGG | 3 |",
        "<script>alert(1)</script>",
        "```\nkod\n```",
      ].join("\n\n"),
    );
    expect(outline(content)).toEqual([
      "heading1: Remissvar",
      "paragraph: Ett [bold:fett] och [italic:kursivt] ord, [strike:struket] och [code:kod], med [link:en länk] och en relativ.",
      "bulletList",
      "  listItem",
      "    paragraph: Ett",
      "    orderedList",
      "      listItem",
      "        paragraph: Första",
      "      listItem",
      "        paragraph: Andra",
      "  listItem",
      "    paragraph: Två",
      "blockquote",
      "  paragraph: Citat",
      "paragraph: Myndighet | Antal",
      "paragraph: DIGG | 3",
      // Raw HTML is the text it is, never markup.
      "paragraph: <script>alert(1)</script>",
      "codeBlock: kod",
    ]);
    expect(report.notes.map((note) => describeImportNote(note, t))).toEqual([
      "1 table became plain paragraphs, one per row, as drafts have no tables.",
      "1 link that did not lead to a web or email address became plain text.",
    ]);
  });
});

describe("the Word export", () => {
  it("writes Word's heading styles, nested numbering, hyperlinks and the title page", async () => {
    const { content } = await importWord(fixture("python-docx-draft.docx"));
    const files = unzip(await versionToDocx(exportOf(content)));
    const document = files.get("word/document.xml") ?? "";
    for (const style of ["Title", "Heading1", "Heading2", "Heading3", "Quote", "SamradTitlePage"]) expect(document).toContain(`<w:pStyle w:val="${style}"/>`);
    expect(document).toMatch(/<w:ilvl w:val="2"\/>/);
    expect(document).toContain("<w:hyperlink");
    expect(document).toContain("Version 1: Remiss");
    expect(document).toContain("CC BY 4.0");
    expect(files.get("word/_rels/document.xml.rels")).toContain('Target="https://www.digg.se/"');
  });

  it("gives the same blocks when a file it wrote is imported again", async () => {
    for (const name of ["python-docx-draft.docx", "libreoffice-draft.docx"]) {
      const imported = await importWord(fixture(name));
      const again = await importWord(await versionToDocx(exportOf(imported.content)));
      expect(withoutIds(again.content)).toEqual(withoutIds(imported.content));
      // The title page is Samråd's own, not part of the draft: nothing to report about it.
      expect(again.report.notes).toEqual([]);
    }
    const markdown = importMarkdown("# Titel\n\nText med `kod`, **fet** och en [länk](mailto:a@b.se).\n\n- a\n  - b\n\n> c\n>\n> d\n\n```\nrad 1\nrad 2\n```\n");
    const again = await importWord(await versionToDocx(exportOf(markdown.content)));
    expect(withoutIds(again.content)).toEqual(withoutIds(markdown.content));
  });
});
