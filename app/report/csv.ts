/**
 * The report as a spreadsheet: one row per thread, the way a consultation report (remissammanställning) lists
 * each piece of feedback beside the editors' response, with the thread's replies in one cell ("Name
 * (Organisation), date: text", separated by blank lines). One row per thread keeps the counts of the sheet the
 * counts of the report, and sorting or filtering it never separates a reply from what it answers.
 *
 * RFC 4180: fields quoted when they hold the separator, a quote or a line break, quotes doubled, records ended by
 * CRLF (line breaks inside a field stay LF, as Excel writes them). Encoded UTF-8 with a byte order mark, which is
 * how Excel recognises UTF-8. The separator follows the document's language, as Excel does when a file is
 * opened by double-click: Swedish Excel splits on ";" (the comma being its decimal sign), English on ",".
 *
 * A cell that starts like a formula (=, +, -, @, a tab or a carriage return) gets a leading apostrophe, so a
 * comment can never run as a formula in the spreadsheet of whoever opens the file (CSV injection).
 */
import type { ConsultationReport, ReportComment } from "./model";
import { authorLabel, sectionTitle, spreadsheetTime, type ReportWording } from "./wording";

export const BOM = "\uFEFF";

export function csvSeparator(language: string): ";" | "," {
  return language === "sv" ? ";" : ",";
}

export function reportToCsv(report: ConsultationReport, wording: ReportWording): string {
  const { t } = wording;
  const separator = csvSeparator(report.language);
  const column = (name: string) => t(`report.columns.${name}`);
  const header = [
    "section",
    "reference",
    "quote",
    "kind",
    "comment",
    "suggestion",
    "author",
    "organisation",
    "position",
    "created",
    "version",
    "workshop",
    "status",
    "response",
    "respondedBy",
    "respondedAt",
    "incorporatedIn",
    "agreements",
    "replies",
    "link",
  ].map(column);
  const rows = report.sections.flatMap((section) =>
    section.threads.map((thread) => [
      sectionTitle(section, wording),
      thread.reference ?? "",
      thread.quote,
      t(`report.kinds.${thread.kind}`),
      thread.opening.body,
      thread.suggestedText ?? "",
      thread.opening.authorName,
      thread.opening.authorOrganisation,
      thread.opening.position ? t(`report.positions.${thread.opening.position}`) : "",
      spreadsheetTime(thread.opening.createdAt),
      thread.version?.toString() ?? "",
      thread.workshop ?? "",
      t(`report.statuses.${thread.status}`),
      thread.response?.text ?? "",
      thread.response?.byName ?? "",
      thread.response ? spreadsheetTime(thread.response.at) : "",
      thread.incorporatedIn?.toString() ?? "",
      thread.agreements.toString(),
      thread.replies.map(replyCell).join("\n\n"),
      thread.url,
    ]),
  );
  return BOM + [header, ...rows].map((row) => row.map((field) => csvField(field, separator)).join(separator) + "\r\n").join("");
}

function replyCell(reply: ReportComment): string {
  return `${authorLabel(reply)}, ${spreadsheetTime(reply.createdAt)}: ${reply.body}`;
}

function csvField(value: string, separator: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return safe.includes(separator) || /["\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
