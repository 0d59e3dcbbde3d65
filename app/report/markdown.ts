/**
 * The report as CommonMark: the title and its facts, the counts as tables, then a heading per section in the
 * order of the text and one per thread under it, with the quoted text as a block quote. Every text a person typed
 * is escaped (escapeMarkdown), so no comment can add a heading, a link or HTML to the file.
 */
import { escapeMarkdown } from "#app/versions/export";
import type { ConsultationReport, ReportComment, ReportThread } from "./model";
import { authorLabel, commentTime, organisationLabel, reportFacts, reportTitle, sectionTitle, threadFacts, type ReportWording } from "./wording";

export function reportToMarkdown(report: ConsultationReport, wording: ReportWording): string {
  const { t } = wording;
  const facts = reportFacts(report, wording).map((fact) => `- **${escapeMarkdown(fact.label)}:** ${escapeMarkdown(fact.value)}`);
  const blocks = [`# ${heading(reportTitle(report, wording))}`, facts.join("\n")];
  if (report.counts.threads === 0) blocks.push(escapeMarkdown(t("report.empty")));
  else {
    blocks.push(
      `## ${heading(t("report.byOrganisation"))}`,
      table(
        [t("report.organisation"), t("report.threads"), t("report.replies")],
        report.counts.byOrganisation.map((row) => [organisationLabel(row.organisation, wording), String(row.threads), String(row.replies)]),
      ),
      `## ${heading(t("report.byStatus"))}`,
      table(
        [t("report.status"), t("report.count")],
        report.counts.byStatus.map((row) => [t(`report.statuses.${row.status}`), String(row.threads)]),
      ),
    );
    for (const section of report.sections) {
      blocks.push(`## ${heading(sectionTitle(section, wording))}`, ...section.threads.flatMap((thread) => threadBlocks(thread, wording)));
    }
  }
  return `${blocks.filter((block) => block !== "").join("\n\n")}\n`;
}

function threadBlocks(thread: ReportThread, wording: ReportWording): string[] {
  const { t } = wording;
  const author = authorLabel(thread.opening);
  const blocks = [
    `### ${heading(thread.reference ? `${thread.reference} – ${author}` : author)}`,
    blockquote(thread.quote),
    escapeMarkdown(threadFacts(thread, wording).join(" · ")),
    `**${escapeMarkdown(author)}**, ${escapeMarkdown(commentTime(thread.opening, wording))}`,
    paragraphs(thread.opening.body),
  ];
  if (thread.suggestedText !== null) {
    blocks.push(
      `**${escapeMarkdown(t("report.suggestion"))}:**`,
      thread.suggestedText === "" ? `*${escapeMarkdown(t("report.suggestionDelete"))}*` : blockquote(thread.suggestedText),
    );
  }
  if (thread.response) {
    const by = `${thread.response.byName}, ${commentTime({ createdAt: thread.response.at, editedAt: null }, wording)}`;
    blocks.push(`**${escapeMarkdown(t("report.response"))}** (${escapeMarkdown(by)}):`, paragraphs(thread.response.text));
  }
  if (thread.replies.length > 0) {
    blocks.push(`**${escapeMarkdown(t("report.columns.replies"))}:**`, thread.replies.map((reply) => replyItem(reply, wording)).join("\n\n"));
  }
  return blocks.filter((block) => block !== "");
}

/** A list item: who and when on the first line, the reply's paragraphs indented under it. */
function replyItem(reply: ReportComment, wording: ReportWording): string {
  const label = `- **${escapeMarkdown(authorLabel(reply))}**, ${escapeMarkdown(commentTime(reply, wording))}`;
  const body = paragraphs(reply.body)
    .split("\n")
    .map((line) => (line === "" ? "" : `  ${line}`))
    .join("\n");
  return `${label}\n\n${body}`;
}

/** Typed text as Markdown paragraphs: blank lines part them, single line breaks stay line breaks. */
function paragraphs(text: string): string {
  return text
    .split(/\n[ \t]*\n/)
    .map((paragraph) => escapeMarkdown(paragraph.trim()).split("\n").join("\\\n"))
    .filter((paragraph) => paragraph !== "")
    .join("\n\n");
}

function blockquote(text: string): string {
  return paragraphs(text)
    .split("\n")
    .map((line) => (line === "" ? ">" : `> ${line}`))
    .join("\n");
}

/** A heading is one line. */
function heading(text: string): string {
  return escapeMarkdown(text.replace(/\s+/g, " ").trim());
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(heading).join(" | ")} |`;
  const rule = `| ${header.map((_, index) => (index === 0 ? "---" : "---:")).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}
