/**
 * A frozen version as a file: Markdown, or a standalone HTML page that prints as a clean PDF. Both open with a
 * title block (document, version, date, workshop, licence). User text is escaped in both, so no text typed into
 * the draft can change a file's structure or run in a browser.
 */
import type { Licence } from "~/comments/licences";
import type { ContentNode } from "~/editor/content";
import { isSafeLink } from "~/editor/links";

export type ExportFormat = "md" | "html";

export const versionExportPath = (slug: string, number: number, format: ExportFormat) => `/d/${slug}/v/${number}/export.${format}`;

/** Everything a version's file says, already worded and formatted in the document's language. */
export interface VersionExport {
  title: string;
  /** BCP 47 tag of the document's language. */
  language: string;
  /** The facts of the title block in order, e.g. ["Version", "Version 2: Efter workshoppen"]. */
  facts: ExportFact[];
  content: ContentNode;
}

export type ExportFact = { label: string; value: string; licence?: undefined } | { label: string; licence: Licence; value?: undefined };

// ---- Markdown ----

/** CommonMark, readable as plain text. */
export function versionToMarkdown(version: VersionExport): string {
  const facts = version.facts.map((fact) => `- **${escapeMarkdown(fact.label)}:** ${fact.licence ? markdownLicence(fact.licence) : escapeMarkdown(fact.value)}`);
  const blocks = [`# ${escapeMarkdown(version.title)}`, facts.join("\n"), "---", ...markdownBlocks(version.content.content ?? [])];
  return `${blocks.filter((block) => block !== "").join("\n\n")}\n`;
}

function markdownLicence(licence: Licence): string {
  return licence.url ? `[${escapeMarkdown(licence.name)}](${markdownDestination(licence.url)})` : escapeMarkdown(licence.name);
}

function markdownBlocks(nodes: readonly ContentNode[]): string[] {
  return nodes.map(markdownBlock).filter((block) => block !== "");
}

function markdownBlock(node: ContentNode): string {
  switch (node.type) {
    case "heading": {
      const level = Math.min(Math.max(Number(node.attrs?.level) || 1, 1), 6);
      // A Markdown heading is one line: a line break in it becomes a space.
      const content = (node.content ?? []).map((child) => (child.type === "hardBreak" ? { type: "text", text: " " } : child));
      return `${"#".repeat(level)} ${markdownInline(content)}`;
    }
    case "paragraph":
      return markdownInline(node.content ?? []);
    case "bulletList":
      return (node.content ?? []).map((item) => listItem("- ", item)).join("\n");
    case "orderedList": {
      const start = typeof node.attrs?.start === "number" ? node.attrs.start : 1;
      return (node.content ?? []).map((item, index) => listItem(`${start + index}. `, item)).join("\n");
    }
    case "blockquote":
      return markdownBlocks(node.content ?? [])
        .join("\n\n")
        .split("\n")
        .map((line) => (line === "" ? ">" : `> ${line}`))
        .join("\n");
    case "codeBlock": {
      const text = plainText(node);
      // A fence longer than any run of backticks in the code, so the code cannot close it.
      const fence = "`".repeat(Math.max(3, longestRun(text, "`") + 1));
      const language = typeof node.attrs?.language === "string" && /^[\w+-]+$/.test(node.attrs.language) ? node.attrs.language : "";
      return `${fence}${language}\n${text}\n${fence}`;
    }
    case "horizontalRule":
      return "---";
    default:
      return markdownBlocks(node.content ?? []).join("\n\n");
  }
}

/** A list item's blocks, the first after the marker and the rest indented under it. */
function listItem(marker: string, item: ContentNode): string {
  const indent = " ".repeat(marker.length);
  const body = markdownBlocks(item.content ?? []).join("\n\n");
  return marker + body.split("\n").map((line, index) => (index === 0 || line === "" ? line : indent + line)).join("\n");
}

/** A textblock's text: runs with the same marks are joined, so `**a****b**` never happens. */
function markdownInline(nodes: readonly ContentNode[]): string {
  const runs: ContentNode[] = [];
  for (const node of nodes) {
    const last = runs[runs.length - 1];
    if (node.type === "text" && last?.type === "text" && sameMarks(last, node)) runs[runs.length - 1] = { ...last, text: `${last.text ?? ""}${node.text ?? ""}` };
    else runs.push(node);
  }
  return escapeLineStarts(runs.map((node) => (node.type === "hardBreak" ? "\\\n" : node.type === "text" ? markdownText(node) : "")).join(""));
}

function sameMarks(a: ContentNode, b: ContentNode): boolean {
  return JSON.stringify(a.marks ?? []) === JSON.stringify(b.marks ?? []);
}

function markdownText(node: ContentNode): string {
  const text = node.text ?? "";
  const marks = node.marks ?? [];
  const code = marks.some((mark) => mark.type === "code");
  let rendered = code ? inlineCode(text) : escapeInline(text);
  // Emphasis may not start or end with a space in Markdown: keep the spaces outside the markers.
  const [, leading = "", core = "", trailing = ""] = rendered.match(/^(\s*)([\s\S]*?)(\s*)$/) ?? [];
  rendered = core;
  if (rendered === "") return leading + trailing;
  for (const mark of marks) {
    if (mark.type === "bold") rendered = `**${rendered}**`;
    else if (mark.type === "italic") rendered = `*${rendered}*`;
    else if (mark.type === "strike") rendered = `~~${rendered}~~`;
    else if (mark.type === "link" && isSafeLink(mark.attrs?.href)) rendered = `[${rendered}](${markdownDestination(mark.attrs.href)})`;
  }
  return leading + rendered + trailing;
}

function inlineCode(text: string): string {
  const fence = "`".repeat(longestRun(text, "`") + 1);
  const padding = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${padding}${text}${padding}${fence}`;
}

/** A link address as Markdown takes it: characters that would end or break it percent-encoded. */
function markdownDestination(href: string): string {
  return href.replace(/[\s()<>\\]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/**
 * Text that Markdown shows as it is: inline syntax escaped everywhere, and what would start a block (a heading,
 * list, quote, rule) escaped at the start of a line.
 */
export function escapeMarkdown(text: string): string {
  return escapeLineStarts(escapeInline(text));
}

function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]{}<>|~&!]/g, "\\$&");
}

/** Leading spaces go (Markdown drops them, or makes four of them a code block). */
function escapeLineStarts(text: string): string {
  return text
    .split("\n")
    .map((line) =>
      line
        .replace(/^\s+/, "")
        .replace(/^([#+=-])/, "\\$1")
        .replace(/^(\d+)([.)])/, "$1\\$2"),
    )
    .join("\n");
}

function plainText(node: ContentNode): string {
  if (node.type === "text") return node.text ?? "";
  if (node.type === "hardBreak") return "\n";
  return (node.content ?? []).map(plainText).join("");
}

function longestRun(text: string, character: string): number {
  let longest = 0;
  let current = 0;
  for (const each of text) {
    current = each === character ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}

// ---- HTML ----

/** Small, print-first: the title block is the first page; link addresses are printed after the links. */
const STYLESHEET = `
body { font: 1.05rem/1.6 Georgia, "Times New Roman", serif; color: #1b1b1f; background: #fff; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3, h4, h5, h6, .title-block dt { font-family: system-ui, sans-serif; line-height: 1.25; }
h1, h2, h3, h4, h5, h6 { break-after: avoid; }
p, li, blockquote { orphans: 3; widows: 3; }
pre { white-space: pre-wrap; background: #f1f0ea; padding: 0.5rem; break-inside: avoid; }
blockquote { border-left: 4px solid #4a4a55; margin-left: 0; padding-left: 1rem; }
a { color: #1f5f99; }
.title-block { border-bottom: 2px solid #1b1b1f; margin-bottom: 2rem; }
.title-block dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
.title-block dt { font-weight: 600; }
.title-block dd { margin: 0; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #8a8a95; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
td.count { text-align: right; }
@media print {
  body { margin: 0; max-width: none; color: #000; }
  a { color: #000; }
  .title-block { break-after: page; border: 0; padding-top: 30vh; }
  .title-block h1 { font-size: 2.2rem; }
  main a[href]::after { content: " (" attr(href) ")"; font-size: 0.85em; word-break: break-all; }
}`;

/** A standalone page: no scripts, no outside resources, every text escaped. */
export function versionToHtml(version: VersionExport): string {
  const facts = version.facts
    .map((fact) => `<dt>${escapeHtml(fact.label)}</dt><dd>${fact.licence ? htmlLicence(fact.licence) : escapeHtml(fact.value)}</dd>`)
    .join("\n");
  return standaloneHtml({
    language: version.language,
    title: version.title,
    header: `<h1>${escapeHtml(version.title)}</h1>\n<dl>\n${facts}\n</dl>`,
    main: htmlChildren(version.content),
  });
}

/** The response header for a standalone page: it may style itself, and nothing else. */
export const STANDALONE_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/**
 * The page every HTML export is: the print-first stylesheet, a title block and the main text. `title` is text;
 * `header` and `main` are markup whose every user text the caller has escaped.
 */
export function standaloneHtml(page: { language: string; title: string; header: string; main: string }): string {
  return `<!doctype html>
<html lang="${escapeHtml(page.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${STYLESHEET}</style>
</head>
<body>
<header class="title-block">
${page.header}
</header>
<main>
${page.main}
</main>
</body>
</html>
`;
}

function htmlLicence(licence: Licence): string {
  return licence.url ? `<a href="${escapeHtml(licence.url)}" rel="license">${escapeHtml(licence.name)}</a>` : escapeHtml(licence.name);
}

function htmlChildren(node: ContentNode): string {
  return (node.content ?? []).map(htmlNode).join("");
}

function htmlNode(node: ContentNode): string {
  const children = htmlChildren(node);
  switch (node.type) {
    case "heading": {
      const level = Math.min(Math.max(Number(node.attrs?.level) || 1, 1), 6);
      return `<h${level}>${children}</h${level}>\n`;
    }
    case "paragraph":
      return `<p>${children}</p>\n`;
    case "bulletList":
      return `<ul>\n${children}</ul>\n`;
    case "orderedList": {
      const start = typeof node.attrs?.start === "number" && node.attrs.start !== 1 ? ` start="${node.attrs.start}"` : "";
      return `<ol${start}>\n${children}</ol>\n`;
    }
    case "listItem":
      return `<li>${children}</li>\n`;
    case "blockquote":
      return `<blockquote>\n${children}</blockquote>\n`;
    case "codeBlock":
      return `<pre><code>${children}</code></pre>\n`;
    case "horizontalRule":
      return "<hr>\n";
    case "hardBreak":
      return "<br>";
    case "text":
      return htmlText(node);
    default:
      return children;
  }
}

/** The same marks, in the same order, as the reading view (StaticDocument). */
function htmlText(node: ContentNode): string {
  let rendered = escapeHtml(node.text ?? "");
  for (const mark of node.marks ?? []) {
    if (mark.type === "bold") rendered = `<strong>${rendered}</strong>`;
    else if (mark.type === "italic") rendered = `<em>${rendered}</em>`;
    else if (mark.type === "strike") rendered = `<s>${rendered}</s>`;
    else if (mark.type === "underline") rendered = `<u>${rendered}</u>`;
    else if (mark.type === "code") rendered = `<code>${rendered}</code>`;
    else if (mark.type === "link" && isSafeLink(mark.attrs?.href)) rendered = `<a href="${escapeHtml(mark.attrs.href)}" rel="noopener noreferrer nofollow">${rendered}</a>`;
  }
  return rendered;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
