/**
 * The draft as a Word document (the `docx` package), for an editor to open in Word or LibreOffice and publish: a
 * title page with the facts of the export, then the text in Word's own styles (Title for the draft's h1, Heading 1–5
 * below it, Word lists that nest, Quote for quotes), so that Word's navigation pane shows the outline and the import
 * reads the file back into the same blocks (decision 0032).
 */
import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  SectionType,
  TextRun,
  type ILevelsOptions,
  type INumberingOptions,
  type ParagraphChild,
} from "docx";
import type { ContentNode } from "#app/editor/content";
import { isSafeLink } from "#app/editor/links";
import { wordText as clean } from "#app/report/docx";
import type { VersionExport } from "#app/versions/export";
import { CODE_STYLE, CODE_STYLE_ID, INLINE_CODE_STYLE, INLINE_CODE_STYLE_ID, QUOTE_STYLE, TITLE_PAGE_STYLE, TITLE_PAGE_STYLE_ID } from "./word-styles";

/** The draft's heading levels in Word: h1 is the draft's title (Word's Title), h2 Word's Heading 1, and so on. */
const HEADING_OF_LEVEL = [HeadingLevel.TITLE, HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5];

const BULLETS = "bullets";
const NUMBERS = "numbers";
/** Word's lists have nine levels; a list nested deeper stays at the ninth. */
const LIST_LEVELS = 9;
const BULLET_CHARACTERS = ["•", "◦", "▪"];
const INDENT_STEP = 360;

type MarkSet = NonNullable<ContentNode["marks"]>;

/** A file: the title page (in a style of its own), and the draft from a new page on. */
export async function versionToDocx(version: VersionExport): Promise<Uint8Array<ArrayBuffer>> {
  const writer = new DraftWriter();
  const body = writer.blocks(version.content.content ?? [], { quote: false, listLevel: -1 });
  const titlePage = [
    new Paragraph({ style: TITLE_PAGE_STYLE_ID, children: [new TextRun({ text: clean(version.title), bold: true, size: 48 })], spacing: { before: 2400, after: 480 } }),
    ...version.facts.map(
      (fact) =>
        new Paragraph({
          style: TITLE_PAGE_STYLE_ID,
          children: [
            new TextRun({ text: `${clean(fact.label)}: `, bold: true }),
            ...(fact.licence
              ? [new TextRun(clean(fact.licence.name)), ...(fact.licence.url ? [new TextRun(` (${fact.licence.url})`)] : [])]
              : [new TextRun(clean(fact.value))]),
          ],
        }),
    ),
  ];
  const document = new Document({
    title: version.title,
    creator: "Samråd",
    styles: {
      default: { document: { run: { language: { value: version.language } } } },
      paragraphStyles: [
        { id: TITLE_PAGE_STYLE_ID, name: TITLE_PAGE_STYLE, basedOn: "Normal", next: "Normal", paragraph: { alignment: AlignmentType.LEFT, spacing: { after: 120 } } },
        {
          id: QUOTE_STYLE,
          name: QUOTE_STYLE,
          basedOn: "Normal",
          next: "Normal",
          quickFormat: true,
          run: { italics: true },
          paragraph: { indent: { left: 567 }, border: { left: { style: "single", size: 12, color: "4A4A55", space: 8 } } },
        },
        { id: CODE_STYLE_ID, name: CODE_STYLE, basedOn: "Normal", next: "Normal", run: { font: "Courier New" }, paragraph: { spacing: { after: 0 } } },
      ],
      characterStyles: [{ id: INLINE_CODE_STYLE_ID, name: INLINE_CODE_STYLE, basedOn: "DefaultParagraphFont", run: { font: "Courier New" } }],
    },
    numbering: { config: [listDefinition(BULLETS, "bullet"), listDefinition(NUMBERS, "number")] },
    sections: [{ children: titlePage }, { properties: { type: SectionType.NEXT_PAGE }, children: body }],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

interface Place {
  /** Inside a quote: its paragraphs take the Quote style. */
  quote: boolean;
  /** The level of the list the blocks are in, -1 outside lists. */
  listLevel: number;
  list?: { reference: string; instance: number };
}

class DraftWriter {
  /** Each list is numbered on its own: a new instance per list that is not inside another. */
  private nextInstance = 1;

  blocks(nodes: readonly ContentNode[], place: Place): Paragraph[] {
    return nodes.flatMap((node) => this.block(node, place));
  }

  private block(node: ContentNode, place: Place): Paragraph[] {
    switch (node.type) {
      case "heading": {
        const level = Math.min(Math.max(Number(node.attrs?.level) || 1, 1), HEADING_OF_LEVEL.length);
        return [new Paragraph({ heading: HEADING_OF_LEVEL[level - 1], children: inline(node.content ?? []) })];
      }
      case "paragraph":
        return [this.paragraph(inline(node.content ?? []), place)];
      case "blockquote":
        return this.blocks(node.content ?? [], { ...place, quote: true });
      case "bulletList":
      case "orderedList": {
        const reference = node.type === "bulletList" ? BULLETS : NUMBERS;
        const level = Math.min(place.listLevel + 1, LIST_LEVELS - 1);
        // A list inside a list of the same kind is a level of it; one of the other kind is a list of its own.
        const instance = place.list?.reference === reference ? place.list.instance : this.nextInstance++;
        const list = { reference, instance };
        return (node.content ?? []).flatMap((item) => this.listItem(item, { ...place, listLevel: level, list }));
      }
      case "codeBlock":
        return codeLines(node).map((line) => new Paragraph({ style: CODE_STYLE_ID, children: [new TextRun(clean(line))] }));
      case "horizontalRule":
        return [new Paragraph({ border: { bottom: { style: "single", size: 6, color: "8A8A95", space: 1 } }, children: [] })];
      default:
        // A node the schema has gained without a mapping here keeps its text.
        return node.content?.some((child) => child.type === "text") ? [this.paragraph(inline(node.content), place)] : this.blocks(node.content ?? [], place);
    }
  }

  /** The item's first paragraph carries the number or bullet; its other blocks follow, indented under it. */
  private listItem(item: ContentNode, place: Place): Paragraph[] {
    const [first, ...rest] = item.content ?? [];
    const list = place.list;
    const numbered =
      first?.type === "paragraph" && list
        ? [new Paragraph({ children: inline(first.content ?? []), numbering: { reference: list.reference, level: place.listLevel, instance: list.instance }, ...(place.quote ? { style: QUOTE_STYLE } : {}) })]
        : this.blocks(first ? [first] : [], place);
    return [...numbered, ...this.blocks(rest, place)];
  }

  private paragraph(children: ParagraphChild[], place: Place): Paragraph {
    if (place.quote) return new Paragraph({ style: QUOTE_STYLE, children });
    if (place.listLevel >= 0) return new Paragraph({ children, indent: { left: INDENT_STEP * 2 * (place.listLevel + 1) } });
    return new Paragraph({ children });
  }
}

function listDefinition(reference: string, kind: "bullet" | "number"): INumberingOptions["config"][number] {
  const levels: ILevelsOptions[] = Array.from({ length: LIST_LEVELS }, (_, level) => ({
    level,
    format: kind === "bullet" ? LevelFormat.BULLET : LevelFormat.DECIMAL,
    text: kind === "bullet" ? (BULLET_CHARACTERS[level % BULLET_CHARACTERS.length] ?? "•") : `%${level + 1}.`,
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: INDENT_STEP * 2 * (level + 1), hanging: INDENT_STEP } } },
  }));
  return { reference, levels };
}

/** Text with its marks as runs; a link's runs inside a hyperlink. */
function inline(nodes: readonly ContentNode[]): ParagraphChild[] {
  const children: (TextRun | LinkRuns)[] = [];
  for (const node of nodes) {
    if (node.type === "hardBreak") {
      children.push(new TextRun({ break: 1 }));
      continue;
    }
    if (node.type !== "text" || !node.text) continue;
    const marks = node.marks ?? [];
    const run = textRun(clean(node.text), marks);
    const href = marks.find((mark) => mark.type === "link")?.attrs?.href;
    const previous = children[children.length - 1];
    if (isSafeLink(href)) {
      // Runs of one link with different marks are one hyperlink in Word.
      if (previous instanceof LinkRuns && previous.href === href) previous.runs.push(run);
      else children.push(new LinkRuns(href, [run]));
    } else {
      children.push(run);
    }
  }
  return children.map((child) => (child instanceof LinkRuns ? new ExternalHyperlink({ link: child.href, children: child.runs }) : child));
}

/** The runs of one link while they are collected. */
class LinkRuns {
  constructor(
    readonly href: string,
    readonly runs: TextRun[],
  ) {}
}

function textRun(text: string, marks: MarkSet): TextRun {
  const has = (type: string) => marks.some((mark) => mark.type === type);
  return new TextRun({
    text,
    bold: has("bold") || undefined,
    italics: has("italic") || undefined,
    strike: has("strike") || undefined,
    underline: has("underline") ? {} : undefined,
    // Code excludes every other mark in the draft, links included.
    style: has("code") ? INLINE_CODE_STYLE_ID : has("link") ? "Hyperlink" : undefined,
  });
}

function codeLines(node: ContentNode): string[] {
  const code = (node.content ?? []).map((child) => (child.type === "hardBreak" ? "\n" : (child.text ?? ""))).join("");
  return code.split("\n");
}
