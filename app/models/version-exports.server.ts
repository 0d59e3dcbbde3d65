import type { Kysely } from "kysely";
import { licenceOf } from "#app/comments/licences";
import { versionToDocx } from "#app/drafts/word-export";
import { formatMeetingDate, formatTimestamp } from "#app/i18n/format";
import { createTranslate, DEFAULT_LOCALE, isLocale, type Locale, type Translate } from "#app/i18n/i18n";
import type { AppServices } from "#app/services";
import { versionToHtml, versionToMarkdown, type VersionExport } from "#app/versions/export";
import type { ExportFormat } from "#app/versions/types";
import type { Database, DocumentRow } from "#db/schema";
import { readingOf } from "./document-reading.server";
import { loadVersionForReading } from "./versions.server";

export interface ExportedFile {
  body: string | Uint8Array<ArrayBuffer>;
  fileName: string;
}

type ExportedDocument = Pick<DocumentRow, "id" | "slug" | "title" | "language" | "contribution_licence">;

/**
 * A version as a Markdown, HTML or Word file; null for a number the document does not have. The title block is
 * worded in the document's own language (a file outlives the interface language of whoever downloaded it).
 */
export async function exportVersion(db: Kysely<Database>, document: ExportedDocument, number: number, format: ExportFormat): Promise<ExportedFile | null> {
  const loaded = await loadVersionForReading(db, document, number);
  if (!loaded) return null;
  const { facts, content } = loaded;
  const { locale, t } = documentWording(document);
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
    body: format === "md" ? versionToMarkdown(version) : format === "html" ? versionToHtml(version) : await versionToDocx(version),
    fileName: `${document.slug}-v${facts.number}.${format}`,
  };
}

/**
 * The live draft as a Word file, its text read as the reading view reads it, with when it was exported on the title
 * page in place of a version's facts.
 */
export async function exportLiveDraft(
  services: Pick<AppServices, "readDocument" | "commentCache">,
  document: ExportedDocument,
  now: Date = new Date(),
): Promise<ExportedFile> {
  const stored = await services.commentCache.read(document.id);
  const { content } = await services.readDocument(document.id, (doc) => readingOf(doc, stored));
  const { locale, t } = documentWording(document);
  const body = await versionToDocx({
    title: document.title,
    language: document.language,
    facts: [
      { label: t("exports.status"), value: t("exports.liveStatus") },
      { label: t("exports.exported"), value: formatTimestamp(locale, now) },
      { label: t("exports.licence"), licence: licenceOf(document.contribution_licence) },
    ],
    content,
  });
  return { body, fileName: `${document.slug}.docx` };
}

function documentWording(document: Pick<DocumentRow, "language">): { locale: Locale; t: Translate } {
  const locale = isLocale(document.language) ? document.language : DEFAULT_LOCALE;
  return { locale, t: createTranslate(locale) };
}
