/**
 * The little Markdown the team's own pages in docs/ are written in (the accessibility statement): headings,
 * paragraphs, bulleted and numbered lists, links and bold. Parsed to a plain tree that components render as
 * React elements, so no HTML string is ever put into the page. Anything else reads as the text it is.
 */

export type Inline = { kind: "text"; text: string } | { kind: "strong"; text: string } | { kind: "link"; text: string; href: string };

export type Block =
  | { kind: "heading"; level: 1 | 2 | 3 | 4; content: Inline[] }
  | { kind: "paragraph"; content: Inline[] }
  | { kind: "list"; ordered: boolean; items: Inline[][] };

const HEADING = /^(#{1,4})\s+(.*)$/;
const BULLET = /^[-*]\s+(.*)$/;
const NUMBERED = /^\d+[.)]\s+(.*)$/;
/** Links the pages may lead to: the web, mail, telephone and this site's own paths. */
const SAFE_HREF = /^(https:\/\/|http:\/\/|mailto:|tel:|\/(?!\/))/i;

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ kind: "paragraph", content: parseInline(paragraph.join(" ")) });
    if (list) blocks.push({ kind: "list", ordered: list.ordered, items: list.items.map(parseInline) });
    paragraph = [];
    list = null;
  };
  for (const raw of source.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trim();
    const heading = HEADING.exec(line);
    const item = BULLET.exec(line) ?? NUMBERED.exec(line);
    if (line === "") flush();
    else if (heading) {
      flush();
      blocks.push({ kind: "heading", level: (heading[1]?.length ?? 1) as 1 | 2 | 3 | 4, content: parseInline(heading[2] ?? "") });
    } else if (item) {
      const ordered = NUMBERED.test(line);
      if (paragraph.length > 0 || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push(item[1] ?? "");
    } else if (list && raw.startsWith(" ")) {
      // An indented line continues the list item above it.
      list.items[list.items.length - 1] += ` ${line}`;
    } else {
      if (list) flush();
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

const INLINE = /\[([^\]]+)\]\(([^)\s]+)\)|\*\*([^*]+)\*\*/g;

export function parseInline(text: string): Inline[] {
  const content: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const at = match.index ?? 0;
    if (at > last) content.push({ kind: "text", text: text.slice(last, at) });
    const [whole, label, href, strong] = match;
    if (strong !== undefined) content.push({ kind: "strong", text: strong });
    else if (label !== undefined && href !== undefined && SAFE_HREF.test(href)) content.push({ kind: "link", text: label, href });
    else content.push({ kind: "text", text: label ?? whole });
    last = at + whole.length;
  }
  if (last < text.length) content.push({ kind: "text", text: text.slice(last) });
  return content;
}
