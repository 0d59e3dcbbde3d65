import { DocumentIndex } from "#app/comments/anchoring";
import { createTranslate, DEFAULT_LOCALE, isLocale } from "#app/i18n/i18n";
import { reportToAnnotations } from "#app/report/annotations";
import { reportToCsv } from "#app/report/csv";
import { reportToDocx } from "#app/report/docx";
import { reportPath, type ReportFormat } from "#app/report/formats";
import { reportToHtml } from "#app/report/html";
import { reportToMarkdown } from "#app/report/markdown";
import { buildReport, type ConsultationReport } from "#app/report/model";
import type { ReportWording } from "#app/report/wording";
import type { VersionBlock } from "#app/versions/diff";
import type { AppServices } from "#app/services";
import { findVersion, listVersions } from "#db/repositories/versions";
import type { DocumentRow } from "#db/schema";
import type { CommentCache } from "./comment-cache.server";
import { locateThreads } from "./comments/threads.server";
import { readingOf } from "./document-reading.server";
import { readVersionState, versionBlocks } from "./versions.server";

export type ReportServices = Pick<AppServices, "db" | "readDocument"> & { commentCache: Pick<CommentCache, "read"> };

/**
 * Every thread of the document placed in the live draft; or with `versionNumber`, the threads started on that
 * version placed in its own text (their quotes and references are that text's). null for an unknown version.
 */
export async function loadReport(
  services: ReportServices,
  document: Pick<DocumentRow, "id" | "slug" | "title" | "language">,
  options: { baseUrl: string; versionNumber: number | null; titleLabel: string; now?: Date },
): Promise<ConsultationReport | null> {
  const { versionNumber } = options;
  const [stored, versions, version] = await Promise.all([
    services.commentCache.read(document.id),
    listVersions(services.db, document.id),
    versionNumber === null ? null : findVersion(services.db, document.id, versionNumber),
  ]);
  if (version === undefined) return null;
  const placed = version
    ? readVersionState(version.state, (doc) => ({
        blocks: version.blocks as VersionBlock[],
        located: locateThreads({ ...stored, threads: stored.threads.filter((thread) => thread.version_number === version.number) }, DocumentIndex.of(doc)),
      }))
    : await services.readDocument(document.id, (doc) => ({ blocks: versionBlocks(doc), located: readingOf(doc, stored).located }));
  const workshops = new Map(versions.flatMap((listed) => (listed.workshop_title ? [[listed.number, listed.workshop_title] as const] : [])));
  return buildReport({
    title: document.title,
    slug: document.slug,
    language: document.language,
    baseUrl: options.baseUrl,
    version: version ? { number: version.number, name: version.name } : null,
    ...placed,
    commentsByThread: stored.commentsByThread,
    agreements: stored.agreements,
    workshops,
    titleLabel: options.titleLabel,
    generatedAt: options.now ?? new Date(),
  });
}

/** A report file: its body and the name it is saved under. */
export interface ReportFile {
  body: string | Uint8Array<ArrayBuffer>;
  fileName: string;
}

/**
 * The consultation report of a document, or of version `versionNumber`, in `format`; null for an unknown version.
 * It is worded in the document's own language (a file outlives the interface language of whoever downloaded it).
 */
export async function exportReport(
  services: ReportServices,
  document: Pick<DocumentRow, "id" | "slug" | "title" | "language">,
  format: ReportFormat,
  options: { baseUrl: string; versionNumber: number | null },
): Promise<ReportFile | null> {
  const { baseUrl, versionNumber } = options;
  const locale = isLocale(document.language) ? document.language : DEFAULT_LOCALE;
  const wording: ReportWording = { t: createTranslate(locale), locale };
  const report = await loadReport(services, document, { baseUrl, versionNumber, titleLabel: wording.t("comments.titleReference") });
  if (!report) return null;
  const body =
    format === "csv"
      ? reportToCsv(report, wording)
      : format === "md"
        ? reportToMarkdown(report, wording)
        : format === "html"
          ? reportToHtml(report, wording)
          : format === "docx"
            ? await reportToDocx(report, wording)
            : JSON.stringify(reportToAnnotations(report, wording, `${baseUrl}${reportPath(document.slug, "jsonld", versionNumber)}`), null, 2);
  const fileName = `${document.slug}-${format === "jsonld" ? "annotations" : "report"}${versionNumber === null ? "" : `-v${versionNumber}`}.${format}`;
  return { body, fileName };
}
