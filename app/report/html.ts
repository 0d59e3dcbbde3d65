/**
 * The report as a standalone HTML page in the shell of the version exports (print-first, no scripts, nothing
 * loaded from elsewhere): the same outline as the Markdown, with the counts as tables. Every text is escaped.
 */
import { escapeHtml, standaloneHtml } from "#app/versions/export";
import type { ConsultationReport, ReportComment, ReportThread } from "./model";
import { authorLabel, commentTime, organisationLabel, reportFacts, reportTitle, sectionTitle, threadFacts, type ReportWording } from "./wording";

export function reportToHtml(report: ConsultationReport, wording: ReportWording): string {
  const { t } = wording;
  const title = reportTitle(report, wording);
  const facts = reportFacts(report, wording)
    .map((fact) => `<dt>${escapeHtml(fact.label)}</dt><dd>${escapeHtml(fact.value)}</dd>`)
    .join("\n");
  const main =
    report.counts.threads === 0
      ? `<p>${escapeHtml(t("report.empty"))}</p>\n`
      : [
          countsSection(
            "by-organisation",
            t("report.byOrganisation"),
            [t("report.organisation"), t("report.threads"), t("report.replies")],
            report.counts.byOrganisation.map((row) => [organisationLabel(row.organisation, wording), row.threads, row.replies]),
          ),
          countsSection(
            "by-status",
            t("report.byStatus"),
            [t("report.status"), t("report.count")],
            report.counts.byStatus.map((row) => [t(`report.statuses.${row.status}`), row.threads]),
          ),
          ...report.sections.map(
            (section) =>
              `<section>\n<h2>${escapeHtml(sectionTitle(section, wording))}</h2>\n${section.threads.map((thread) => threadArticle(thread, wording)).join("")}</section>\n`,
          ),
        ].join("");
  return standaloneHtml({
    language: report.language,
    title,
    header: `<h1>${escapeHtml(title)}</h1>\n<dl>\n${facts}\n</dl>`,
    main,
  });
}

function countsSection(id: string, heading: string, header: string[], rows: [string, ...number[]][]): string {
  const head = header.map((cell) => `<th scope="col">${escapeHtml(cell)}</th>`).join("");
  const body = rows
    .map(([label, ...counts]) => `<tr><th scope="row">${escapeHtml(label)}</th>${counts.map((count) => `<td class="count">${count}</td>`).join("")}</tr>`)
    .join("\n");
  return `<section aria-labelledby="${id}">\n<h2 id="${id}">${escapeHtml(heading)}</h2>\n<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>\n</section>\n`;
}

function threadArticle(thread: ReportThread, wording: ReportWording): string {
  const { t } = wording;
  const author = authorLabel(thread.opening);
  const parts = [
    `<h3><a href="${escapeHtml(thread.url)}">${escapeHtml(thread.reference ? `${thread.reference} – ${author}` : author)}</a></h3>`,
    `<blockquote>${paragraphs(thread.quote)}</blockquote>`,
    `<p>${escapeHtml(threadFacts(thread, wording).join(" · "))}</p>`,
    comment(thread.opening, wording),
  ];
  if (thread.suggestedText !== null) {
    parts.push(
      `<p><strong>${escapeHtml(t("report.suggestion"))}:</strong></p>`,
      thread.suggestedText === "" ? `<p><em>${escapeHtml(t("report.suggestionDelete"))}</em></p>` : `<blockquote>${paragraphs(thread.suggestedText)}</blockquote>`,
    );
  }
  if (thread.response) {
    const by = `${thread.response.byName}, ${commentTime({ createdAt: thread.response.at, editedAt: null }, wording)}`;
    parts.push(`<p><strong>${escapeHtml(t("report.response"))}</strong> (${escapeHtml(by)}):</p>`, paragraphs(thread.response.text));
  }
  if (thread.replies.length > 0) {
    parts.push(
      `<p><strong>${escapeHtml(t("report.columns.replies"))}:</strong></p>`,
      `<ul>\n${thread.replies.map((reply) => `<li>${comment(reply, wording)}</li>`).join("\n")}\n</ul>`,
    );
  }
  return `<article>\n${parts.join("\n")}\n</article>\n`;
}

function comment(comment: ReportComment, wording: ReportWording): string {
  return `<p><strong>${escapeHtml(authorLabel(comment))}</strong>, ${escapeHtml(commentTime(comment, wording))}</p>\n${paragraphs(comment.body)}`;
}

/** Typed text: blank lines part paragraphs, single line breaks stay line breaks. */
function paragraphs(text: string): string {
  return text
    .split(/\n[ \t]*\n/)
    .filter((paragraph) => paragraph.trim() !== "")
    .map((paragraph) => `<p>${escapeHtml(paragraph.trim()).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
}
