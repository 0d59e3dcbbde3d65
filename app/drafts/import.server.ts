/**
 * A Word (.docx) or Markdown file as a new draft's content, with the report of what could not be kept (decision
 * 0032). Word goes through mammoth, which reads a .docx by its styles into plain HTML; that HTML is parsed into the
 * editor's schema (from-html). A file that cannot be imported is refused with a DraftImportError.
 */
import JSZip from "jszip";
import mammoth from "mammoth";
import { nestingDepth, type ContentNode } from "#app/editor/content";
import { documentSchema, MAX_NESTING_DEPTH } from "#app/editor/extensions";
import { htmlToContent, type HtmlCounts } from "./from-html";
import { markdownToContent } from "./from-markdown";
import { DraftImportError, IMPORT_MAX_BYTES, IMPORT_MAX_UNPACKED_BYTES, type ImportNote, type ImportReport } from "./import-report";
import { INLINE_CODE_STYLE, TITLE_PAGE_STYLE } from "./word-styles";

export interface ImportedDraft {
  content: ContentNode;
  report: ImportReport;
}

/**
 * Word's styles as the draft's blocks: Title is the draft's own title heading (h1, as in every draft), Heading 1–5
 * the levels under it. Quotes of Word and LibreOffice are quotes; the title page of Samråd's own export is left out.
 * Explicit underline is kept (mammoth drops it unless mapped).
 */
const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='Heading 1'] => h2:fresh",
  "p[style-name='Heading 2'] => h3:fresh",
  "p[style-name='Heading 3'] => h4:fresh",
  "p[style-name='Heading 4'] => h5:fresh",
  "p[style-name='Heading 5'] => h6:fresh",
  "p[style-name='Heading 6'] => h6:fresh",
  "p[style-name='Quote'] => blockquote > p:fresh",
  "p[style-name='Intense Quote'] => blockquote > p:fresh",
  "p[style-name='Quotations'] => blockquote > p:fresh",
  "p[style-name='Block Text'] => blockquote > p:fresh",
  "p[style-name='Source Code'] => pre:separator('\\n')",
  `r[style-name='${INLINE_CODE_STYLE}'] => code`,
  `p[style-name='${TITLE_PAGE_STYLE}'] => !`,
  "u => u",
];

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
/** An OLE compound file: what Word writes for a password-protected document, and the old .doc format. */
const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** A paragraph style mammoth does not know; run (character) styles say nothing about structure and are not reported. */
const UNKNOWN_PARAGRAPH_STYLE = /^Unrecognised paragraph style: '(.*)' \(Style ID: (.*)\)$/;
const UNKNOWN_ELEMENT = /^An unrecognised element was ignored/;

export async function importWord(bytes: Uint8Array): Promise<ImportedDraft> {
  checkSize(bytes);
  if (startsWith(bytes, OLE_SIGNATURE)) throw new DraftImportError("encrypted");
  if (!startsWith(bytes, ZIP_SIGNATURE)) throw new DraftImportError("not-a-document");
  const parts = await wordParts(bytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const result = await mammoth.convertToHtml(
    { buffer },
    {
      styleMap: STYLE_MAP,
      // Images are counted and left out: no need to read them.
      convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: "" })),
    },
  );
  const { blocks, counts } = htmlToContent(result.value);
  const unknownStyles = new Set<string>();
  let otherContent = 0;
  for (const { message } of result.messages) {
    const style = UNKNOWN_PARAGRAPH_STYLE.exec(message);
    if (style) unknownStyles.add(style[1] && style[1] !== "null" ? style[1] : (style[2] ?? ""));
    else if (UNKNOWN_ELEMENT.test(message)) otherContent += 1;
  }
  return finish(blocks, counts, { ...parts, otherContent, unknownStyles: [...unknownStyles] });
}

export function importMarkdown(source: string | Uint8Array): ImportedDraft {
  const bytes = typeof source === "string" ? new TextEncoder().encode(source) : source;
  checkSize(bytes);
  const textSource = new TextDecoder().decode(bytes);
  // Binary is not Markdown: a NUL never appears in text.
  if (textSource.includes("\u0000")) throw new DraftImportError("not-a-document");
  const { blocks, counts } = markdownToContent(textSource);
  return finish(blocks, counts, { comments: 0, trackedChanges: 0, otherContent: 0, unknownStyles: [] });
}

/** A file by its name: .md and .markdown are Markdown, anything else must be a Word document. */
export async function importDraftFile(fileName: string, bytes: Uint8Array): Promise<ImportedDraft> {
  return /\.(md|markdown)$/i.test(fileName) ? importMarkdown(bytes) : importWord(bytes);
}

interface WordParts {
  comments: number;
  trackedChanges: number;
}

/** What mammoth passes over without a word: comments and tracked changes, counted in the file's own XML. */
async function wordParts(bytes: Uint8Array): Promise<WordParts> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    throw new DraftImportError("not-a-document");
  }
  let withinLimit: boolean;
  try {
    withinLimit = await unpacksWithin(zip, IMPORT_MAX_UNPACKED_BYTES);
  } catch {
    // An entry whose data is corrupt, or not what its header says.
    throw new DraftImportError("not-a-document");
  }
  if (!withinLimit) throw new DraftImportError("unpacked-too-large");
  const document = zip.file("word/document.xml");
  if (!document) throw new DraftImportError("not-a-document");
  const documentXml = await document.async("string");
  const commentsXml = (await zip.file("word/comments.xml")?.async("string")) ?? "";
  return {
    comments: count(commentsXml, /<w:comment\b/g),
    // Elements with content: a self-closing one only marks a paragraph's end as inserted or deleted.
    trackedChanges: count(documentXml, /<w:(ins|del|moveFrom|moveTo)\b[^>]*[^/]>/g),
  };
}

/**
 * Whether every entry together unpacks to at most `limit` bytes: a small file can unpack to gigabytes (a zip bomb),
 * and mammoth would unpack it all in memory. The sizes the zip declares are checked first, at no cost; then the
 * entries are unpacked as a stream, counted and dropped, stopping at the limit, since a crafted file can understate
 * them (JSZip notices only once an entry is wholly unpacked).
 */
async function unpacksWithin(zip: JSZip, limit: number): Promise<boolean> {
  const entries = Object.values(zip.files).filter((entry) => !entry.dir);
  let declared = 0;
  for (const entry of entries) {
    // JSZip keeps the declared size on the entry's (untyped) compressed data until the entry is read.
    const size = (entry as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize;
    declared += typeof size === "number" && size >= 0 ? size : Number.POSITIVE_INFINITY;
  }
  if (declared > limit) return false;
  let unpacked = 0;
  for (const entry of entries) {
    unpacked += await unpackedSizeUpTo(entry, limit - unpacked);
    if (unpacked > limit) return false;
  }
  return true;
}

/** The entry's unpacked size, or a number over `budget` as soon as it exceeds it (the rest is not unpacked). */
function unpackedSizeUpTo(entry: JSZip.JSZipObject, budget: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const stream = entry.nodeStream("nodebuffer");
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= budget) return;
      stream.pause();
      resolve(size);
    });
    stream.on("end", () => resolve(size));
    stream.on("error", reject);
  });
}

function finish(
  blocks: ContentNode[],
  counts: HtmlCounts,
  more: WordParts & { otherContent: number; unknownStyles: string[] },
): ImportedDraft {
  if (blocks.length === 0) throw new DraftImportError(counts.images > 0 ? "only-images" : "empty");
  const content: ContentNode = { type: "doc", content: blocks };
  if (nestingDepth(content) > MAX_NESTING_DEPTH) throw new DraftImportError("too-deep");
  // The converters make only what the schema has; a failure here is a bug in them, not a bad file.
  documentSchema.nodeFromJSON(content).check();
  const notes: ImportNote[] = [];
  const counted = { images: counts.images, comments: more.comments, trackedChanges: more.trackedChanges, tables: counts.tables, footnotes: counts.footnotes, linksAsText: counts.linksAsText, otherContent: more.otherContent };
  for (const [kind, number] of Object.entries(counted) as [keyof typeof counted, number][]) {
    if (number > 0) notes.push({ kind, count: number });
  }
  if (more.unknownStyles.length > 0) notes.push({ kind: "unknownStyles", names: more.unknownStyles });
  return { content, report: { notes } };
}

function checkSize(bytes: Uint8Array): void {
  if (bytes.byteLength > IMPORT_MAX_BYTES) throw new DraftImportError("too-large");
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

