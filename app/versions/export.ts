/**
 * A frozen version as a file: Markdown, or a standalone HTML page that prints as a clean PDF. Both open with a
 * title block (document, version, date, workshop, licence). User text is escaped in both, so no text typed into
 * the draft can change a file's structure or run in a browser.
 *
 * The draft's text is rendered by Tiptap's static renderer from the editor's own extensions, like the reading view
 * (StaticDocument): the HTML is the elements the schema renders, and the Markdown maps each node and mark of it.
 */
import type { DOMOutputSpec, Mark, Node as ProseMirrorNode } from "@tiptap/pm/model";
import { renderJSONContentToString, type MarkProps, type NodeProps, type TiptapStaticRendererOptions } from "@tiptap/static-renderer/json/html-string";
import { renderToElement, type DomOutputSpecToElement } from "@tiptap/static-renderer/pm/html-string";
import type { Licence } from "#app/comments/licences";
import type { ContentNode } from "#app/editor/content";
import { staticExtensions } from "#app/editor/extensions";
import { isSafeLink } from "#app/editor/links";
import { renderableContent } from "#app/editor/renderable";

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
  const blocks = [`# ${escapeMarkdown(version.title)}`, facts.join("\n"), "---", renderDraft(version.content, MARKDOWN)];
  return `${blocks.filter((block) => block !== "").join("\n\n")}\n`;
}

function markdownLicence(licence: Licence): string {
  return licence.url ? `[${escapeMarkdown(licence.name)}](${markdownDestination(licence.url)})` : escapeMarkdown(licence.name);
}

/**
 * Markdown for each node and mark of the schema. A node or mark added to the schema without a mapping here keeps its
 * text (see the element function), and so does one the schema does not know.
 */
const MARKDOWN: DraftFormat = {
  element: () => joined,
  doc: ({ children }) => blocks(children),
  // A code span's text is not escaped: the span shows it as it is.
  text: ({ node }) => (node.marks.some((mark) => mark.type.name === "code") ? inlineCode(node.text ?? "") : escapeInline(node.text ?? "")),
  options: {
    nodeMapping: {
      heading: ({ node, children }) => `${"#".repeat(headingLevel(node))} ${escapeLineStarts(joined(children))}`,
      paragraph: ({ children }) => escapeLineStarts(joined(children)),
      // A Markdown heading is one line: a line break in it becomes a space.
      hardBreak: ({ parent }) => (parent?.type.name === "heading" ? " " : "\\\n"),
      bulletList: ({ children }) => parts(children).map((item) => listItem("- ", item)).join("\n"),
      orderedList: ({ node, children }) => {
        const start = typeof node.attrs.start === "number" ? node.attrs.start : 1;
        return parts(children).map((item, index) => listItem(`${start + index}. `, item)).join("\n");
      },
      listItem: ({ children }) => blocks(children),
      blockquote: ({ children }) =>
        blocks(children)
          .split("\n")
          .map((line) => (line === "" ? ">" : `> ${line}`))
          .join("\n"),
      codeBlock: ({ node }) => {
        const text = node.textBetween(0, node.content.size, "", (leaf) => (leaf.type.name === "hardBreak" ? "\n" : ""));
        // A fence longer than any run of backticks in the code, so the code cannot close it.
        const fence = "`".repeat(Math.max(3, longestRun(text, "`") + 1));
        const language = typeof node.attrs.language === "string" && /^[\w+-]+$/.test(node.attrs.language) ? node.attrs.language : "";
        return `${fence}${language}\n${text}\n${fence}`;
      },
      horizontalRule: () => "---",
    },
    markMapping: {
      bold: emphasis("**"),
      italic: emphasis("*"),
      strike: emphasis("~~"),
      // The text mapping has made the code span; Markdown has no underline.
      code: ({ children }) => joined(children),
      underline: ({ children }) => joined(children),
      link: ({ mark, node, children }) => {
        const href: unknown = mark.attrs.href;
        return isSafeLink(href) ? around(node, "[", `](${markdownDestination(href)})`, children) : joined(children);
      },
    },
    unhandledNode: ({ children }) => blocks(children),
    unhandledMark: ({ children }) => joined(children),
  },
};

/** Blocks, separated by a blank line; empty ones are left out. */
function blocks(children: Children): string {
  return parts(children)
    .filter((block) => block !== "")
    .join("\n\n");
}

/** A list item's blocks, the first after the marker and the rest indented under it. */
function listItem(marker: string, body: string): string {
  const indent = " ".repeat(marker.length);
  return marker + body.split("\n").map((line, index) => (index === 0 || line === "" ? line : indent + line)).join("\n");
}

function headingLevel(node: ProseMirrorNode): number {
  return Math.min(Math.max(Number(node.attrs.level) || 1, 1), 6);
}

function emphasis(marker: string): (props: MarkProps<Mark, Children, ProseMirrorNode>) => string {
  return ({ node, children }) => around(node, marker, marker, children);
}

/**
 * Marked text between `open` and `close`. Emphasis may not start or end with a space in Markdown: the spaces stay
 * outside. Marks on a hard break are left out.
 */
function around(node: ProseMirrorNode, open: string, close: string, children: Children): string {
  const text = joined(children);
  if (!node.isText) return text;
  const [, leading = "", core = "", trailing = ""] = text.match(/^(\s*)([\s\S]*?)(\s*)$/) ?? [];
  return core === "" ? text : `${leading}${open}${core}${close}${trailing}`;
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
    main: renderDraft(version.content, HTML),
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

/**
 * The elements the schema renders, as they stand in a file: one block a line, void elements in HTML's syntax, and
 * without block ids, which address blocks in the live draft. Links are kept only to web and mail addresses.
 */
const HTML: DraftFormat = {
  element: htmlElement,
  doc: ({ children }) => joined(children),
  text: ({ node }) => escapeHtml(node.text ?? ""),
  options: {
    markMapping: {
      link: ({ mark, children }) => {
        const href: unknown = mark.attrs.href;
        return isSafeLink(href) ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">${joined(children)}</a>` : joined(children);
      },
    },
    unhandledNode: ({ children }) => joined(children),
    unhandledMark: ({ children }) => joined(children),
  },
};

/** Elements whose content is blocks: their first child starts a line. */
const BLOCK_CONTAINERS = new Set(["ul", "ol", "blockquote"]);
const BLOCK_ELEMENTS = new Set([...BLOCK_CONTAINERS, "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "hr"]);
const VOID_ELEMENTS = new Set(["br", "hr"]);
const BLOCK_ID_ATTRIBUTES = new Set(["id", "data-block-id"]);

/** An element of a node's or mark's renderHTML (ProseMirror's DOMOutputSpec) as HTML, its hole filled with `children`. */
function htmlElement(spec: DOMOutputSpec): (children?: Children) => string {
  if (typeof spec === "string") return () => escapeHtml(spec);
  if (!isSpecArray(spec)) throw new Error("A node or mark renders a DOM node: give it a mapping in the HTML export");
  const [tag, ...rest] = spec;
  const first: unknown = rest[0];
  const attributes = isAttributes(first) ? first : {};
  const content = isAttributes(first) ? rest.slice(1) : rest;
  const open = `<${tag}${htmlAttributes(attributes)}>`;
  const after = BLOCK_ELEMENTS.has(tag) ? "\n" : "";
  if (VOID_ELEMENTS.has(tag)) return () => open + after;
  const start = BLOCK_CONTAINERS.has(tag) ? "\n" : "";
  return (children) => {
    const inner = content.map((part: DOMOutputSpec | 0) => (part === 0 ? joined(children) : htmlElement(part)(children))).join("");
    return `${open}${start}${inner}</${tag}>${after}`;
  };
}

function isSpecArray(spec: DOMOutputSpec): spec is readonly [string, ...DOMOutputSpec[]] {
  return Array.isArray(spec);
}

function isAttributes(part: unknown): part is Record<string, unknown> {
  return typeof part === "object" && part !== null && !Array.isArray(part);
}

function htmlAttributes(attributes: Record<string, unknown>): string {
  return Object.entries(attributes)
    .filter(([name, value]) => value !== null && value !== undefined && value !== false && !BLOCK_ID_ATTRIBUTES.has(name))
    .map(([name, value]) => ` ${name}="${escapeHtml(String(value))}"`)
    .join("");
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

// ---- Rendering the draft ----

type Children = string | string[] | undefined;

/** How a file writes the draft: the static renderer's mappings, and how it writes an element of the schema. */
interface DraftFormat {
  element: DomOutputSpecToElement<string>;
  doc: (props: NodeProps<ProseMirrorNode, Children>) => string;
  text: (props: NodeProps<ProseMirrorNode, Children>) => string;
  options: Partial<TiptapStaticRendererOptions<string, Mark, ProseMirrorNode>>;
}

/** The draft in a file's format, by Tiptap's static renderer from the editor's extensions. */
function renderDraft(content: ContentNode, format: DraftFormat): string {
  return renderToElement<string>({
    renderer: renderJSONContentToString<Mark, ProseMirrorNode>,
    domOutputSpecToElement: format.element,
    mapDefinedTypes: { doc: format.doc, text: format.text },
    content: renderableContent(content),
    extensions: staticExtensions,
    options: format.options,
  });
}

function parts(children: Children): string[] {
  return children === undefined ? [] : typeof children === "string" ? [children] : children;
}

function joined(children?: Children): string {
  return parts(children).join("");
}
