/**
 * The report as a Word document, where agencies go on working with it: the same outline as the Markdown (title,
 * facts, the counts as tables, a Heading 1 per section and a Heading 2 per thread under the Title), with Word's
 * own heading styles so its navigation pane lists the sections, and the quoted and suggested text in a "Quote"
 * paragraph style.
 */
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, type ParagraphChild } from "docx";
import type { ConsultationReport, ReportComment, ReportThread } from "./model";
import { authorLabel, commentTime, organisationLabel, reportFacts, reportTitle, sectionTitle, threadFacts, type ReportWording } from "./wording";

const QUOTE_STYLE = "Quote";

export async function reportToDocx(report: ConsultationReport, wording: ReportWording): Promise<Uint8Array<ArrayBuffer>> {
  const { t } = wording;
  const title = reportTitle(report, wording);
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: runs(title) }),
    ...reportFacts(report, wording).map((fact) => new Paragraph({ children: [new TextRun({ text: `${wordText(fact.label)}: `, bold: true }), ...runs(fact.value)] })),
  ];
  if (report.counts.threads === 0) children.push(new Paragraph({ children: runs(t("report.empty")) }));
  else {
    children.push(
      new Paragraph({ heading: HeadingLevel.HEADING_1, children: runs(t("report.byOrganisation")) }),
      table(
        [t("report.organisation"), t("report.threads"), t("report.replies")],
        report.counts.byOrganisation.map((row) => [organisationLabel(row.organisation, wording), String(row.threads), String(row.replies)]),
      ),
      new Paragraph({ heading: HeadingLevel.HEADING_1, children: runs(t("report.byStatus")) }),
      table(
        [t("report.status"), t("report.count")],
        report.counts.byStatus.map((row) => [t(`report.statuses.${row.status}`), String(row.threads)]),
      ),
    );
    for (const section of report.sections) {
      children.push(
        new Paragraph({ heading: HeadingLevel.HEADING_1, children: runs(sectionTitle(section, wording)) }),
        ...section.threads.flatMap((thread) => threadParagraphs(thread, wording)),
      );
    }
  }
  const document = new Document({
    title,
    creator: "Samråd",
    styles: {
      default: { document: { run: { language: { value: report.language } } } },
      paragraphStyles: [
        {
          id: QUOTE_STYLE,
          name: "Quote",
          basedOn: "Normal",
          next: "Normal",
          quickFormat: true,
          run: { italics: true },
          paragraph: { indent: { left: 567 }, border: { left: { style: "single", size: 12, color: "4A4A55", space: 8 } } },
        },
      ],
    },
    sections: [{ children }],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

function threadParagraphs(thread: ReportThread, wording: ReportWording): Paragraph[] {
  const { t } = wording;
  const author = authorLabel(thread.opening);
  const paragraphs = [
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: runs(thread.reference ? `${thread.reference} – ${author}` : author) }),
    new Paragraph({ style: QUOTE_STYLE, children: runs(thread.quote) }),
    new Paragraph({ children: runs(threadFacts(thread, wording).join(" · ")) }),
    ...comment(thread.opening, wording),
  ];
  if (thread.suggestedText !== null) {
    paragraphs.push(new Paragraph({ children: [new TextRun({ text: `${wordText(t("report.suggestion"))}:`, bold: true })] }));
    paragraphs.push(
      thread.suggestedText === ""
        ? new Paragraph({ children: [new TextRun({ text: wordText(t("report.suggestionDelete")), italics: true })] })
        : new Paragraph({ style: QUOTE_STYLE, children: runs(thread.suggestedText) }),
    );
  }
  if (thread.response) {
    paragraphs.push(
      new Paragraph({
        children: [
          new TextRun({ text: wordText(t("report.response")), bold: true }),
          ...runs(` (${thread.response.byName}, ${commentTime({ createdAt: thread.response.at, editedAt: null }, wording)}):`),
        ],
      }),
      new Paragraph({ children: runs(thread.response.text) }),
    );
  }
  if (thread.replies.length > 0) {
    paragraphs.push(new Paragraph({ children: [new TextRun({ text: `${wordText(t("report.columns.replies"))}:`, bold: true })] }));
    for (const reply of thread.replies) paragraphs.push(...comment(reply, wording));
  }
  return paragraphs;
}

function comment(comment: ReportComment, wording: ReportWording): Paragraph[] {
  return [
    new Paragraph({ children: [new TextRun({ text: wordText(authorLabel(comment)), bold: true }), ...runs(`, ${commentTime(comment, wording)}`)] }),
    new Paragraph({ children: runs(comment.body) }),
  ];
}

function table(header: string[], rows: string[][]): Table {
  const row = (cells: string[], isHeader: boolean) =>
    new TableRow({
      tableHeader: isHeader,
      children: cells.map((cell) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: wordText(cell), bold: isHeader })] })] })),
    });
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [row(header, true), ...rows.map((cells) => row(cells, false))] });
}

/** Text as runs, each line break a break in the paragraph. */
function runs(text: string): ParagraphChild[] {
  return wordText(text)
    .split("\n")
    .map((line, index) => new TextRun({ text: line, ...(index > 0 ? { break: 1 } : {}) }));
}

/**
 * Text as a Word file can hold it. XML 1.0 has no place for most control characters: one typed into a comment or the
 * draft would make the file unreadable.
 */
export function wordText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "").replace(/\r\n?/g, "\n");
}
