import { formatTimestamp, MEETING_TIME_ZONE } from "#app/i18n/format";
import type { Locale, Translate } from "#app/i18n/i18n";
import type { ConsultationReport, ReportComment, ReportSection, ReportThread } from "./model";

/**
 * How the human-readable formats word the report: in the document's language (a file outlives the interface
 * language of whoever downloaded it), from the `report` section of the catalogues.
 */
export interface ReportWording {
  t: Translate;
  locale: Locale;
}

export function reportTitle(report: ConsultationReport, { t }: ReportWording): string {
  return t("report.title", { title: report.title });
}

/** The facts under the title: what the report covers, when it was compiled, how many threads it holds. */
export function reportFacts(report: ConsultationReport, wording: ReportWording): { label: string; value: string }[] {
  const { t, locale } = wording;
  return [
    {
      label: t("report.scope"),
      value: report.version ? t("report.scopeVersion", { number: report.version.number, name: report.version.name }) : t("report.scopeAll"),
    },
    { label: t("report.generated"), value: formatTimestamp(locale, report.generatedAt) },
    { label: t("report.total"), value: t("report.totalValue", { count: report.counts.threads }) },
  ];
}

/**
 * A section's heading with its number, as the references ("3 ¶2") count it; a heading whose text starts with that
 * number already ("3. Licenser") is not numbered twice.
 */
export function sectionTitle(section: ReportSection, { t }: ReportWording): string {
  if (section.kind === "opening") return t("report.opening");
  if (section.kind === "removed") return t("report.removed");
  const heading = section.heading ?? "";
  const { number } = section;
  if (!number || heading === number || [".", ")", " "].some((after) => heading.startsWith(number + after))) return heading;
  return `${number} ${heading}`;
}

export function organisationLabel(organisation: string, { t }: ReportWording): string {
  return organisation === "" ? t("report.noOrganisation") : organisation;
}

/** "Name (Organisation)", or the name alone when no organisation was given. */
export function authorLabel(comment: ReportComment): string {
  return comment.authorOrganisation === "" ? comment.authorName : `${comment.authorName} (${comment.authorOrganisation})`;
}

/** A thread's facts in one line: kind, status, position, version and workshop, agreements. */
export function threadFacts(thread: ReportThread, wording: ReportWording): string[] {
  const { t } = wording;
  return [
    t(`report.kinds.${thread.kind}`),
    t(`report.statuses.${thread.status}`),
    ...(thread.incorporatedIn !== null ? [t("report.incorporatedIn", { number: thread.incorporatedIn })] : []),
    ...(thread.opening.position ? [t(`report.positions.${thread.opening.position}`)] : []),
    ...(thread.version !== null ? [t("report.onVersion", { number: thread.version })] : []),
    ...(thread.workshop !== null ? [t("report.atWorkshop", { title: thread.workshop })] : []),
    ...(thread.agreements > 0 ? [t("report.agreements", { count: thread.agreements })] : []),
  ];
}

/** When a comment was written, as a reader of the report sees it; "(edited)" after one changed since. */
export function commentTime(comment: Pick<ReportComment, "createdAt" | "editedAt">, { t, locale }: ReportWording): string {
  const written = formatTimestamp(locale, comment.createdAt);
  return comment.editedAt ? `${written} (${t("report.edited")})` : written;
}

const spreadsheetFormat = new Intl.DateTimeFormat("sv-SE", { dateStyle: "short", timeStyle: "short", timeZone: MEETING_TIME_ZONE });

/** "2026-11-23 18:25" in Swedish time: sortable, and read as a date and time by spreadsheets in any language. */
export function spreadsheetTime(instant: string): string {
  return spreadsheetFormat.format(new Date(instant));
}
