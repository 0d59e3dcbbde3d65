import type { Kysely } from "kysely";
import { formatMeetingDate, formatTimestamp } from "#app/i18n/format";
import { createTranslate, DEFAULT_LOCALE, isLocale } from "#app/i18n/i18n";
import { versionToHtml, versionToMarkdown, type VersionExport } from "#app/versions/export";
import type { ExportFormat } from "#app/versions/types";
import type { Database, DocumentRow } from "#db/schema";
import { loadVersionForReading } from "./versions.server";

export interface ExportedFile {
  body: string;
  fileName: string;
}

/**
 * A version as a Markdown or HTML file; null for a number the document does not have. The title block is worded
 * in the document's own language (a file outlives the interface language of whoever downloaded it).
 */
export async function exportVersion(
  db: Kysely<Database>,
  document: Pick<DocumentRow, "id" | "slug" | "title" | "language" | "contribution_licence">,
  number: number,
  format: ExportFormat,
): Promise<ExportedFile | null> {
  const loaded = await loadVersionForReading(db, document, number);
  if (!loaded) return null;
  const { facts, content } = loaded;
  const locale = isLocale(document.language) ? document.language : DEFAULT_LOCALE;
  const t = createTranslate(locale);
  const version: VersionExport = {
    title: document.title,
    language: document.language,
    facts: [
      { label: t("exports.version"), value: t("versions.versionLabel", { number: facts.number, name: facts.name }) },
      { label: t("exports.frozen"), value: formatTimestamp(locale, facts.createdAt) },
      {
        label: t("exports.workshop"),
        value: facts.workshop ? `${facts.workshop.title}, ${formatMeetingDate(locale, facts.workshop.startsAt)}` : t("exports.none"),
      },
      { label: t("exports.licence"), licence: facts.licence },
    ],
    content,
  };
  return {
    body: format === "md" ? versionToMarkdown(version) : versionToHtml(version),
    fileName: `${document.slug}-v${facts.number}.${format}`,
  };
}
