import type { Kysely } from "kysely";
import { parseVersionNumber } from "#app/input/numbers";
import { exportReport, type ReportServices } from "#app/models/report.server";
import { exportLiveDraft, exportVersion } from "#app/models/version-exports.server";
import { WEB_ANNOTATION_CONTENT_TYPE } from "#app/report/annotations";
import type { ReportFormat } from "#app/report/formats";
import type { AppServices } from "#app/services";
import { STANDALONE_HTML_CSP } from "#app/versions/export";
import type { ExportFormat } from "#app/versions/types";
import { findDocumentBySlug } from "#db/repositories/documents";
import type { Database } from "#db/schema";

const notFound = () => new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  md: "text/markdown; charset=utf-8",
  html: "text/html; charset=utf-8",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  jsonld: WEB_ANNOTATION_CONTENT_TYPE,
};

/**
 * The HTTP answer for `/d/<slug>/report.<format>` and `/d/<slug>/annotations.jsonld`, with `?version=<n>` for one
 * version: 404 for an unknown document or version. Anyone who may read the draft may download it: the draft and its
 * comments are public, and the report holds nothing a reader of the page does not see (hidden and deleted comments
 * stay out; see #app/report/model). The HTML opens in the browser to be read or printed; the other formats download.
 */
export async function reportResponse(
  services: ReportServices,
  baseUrl: string,
  slug: string,
  format: ReportFormat,
  versionParam: string | null,
): Promise<Response> {
  const versionNumber = versionParam === null ? null : parseVersionNumber(versionParam);
  if (versionParam !== null && versionNumber === null) return notFound();
  const document = await findDocumentBySlug(services.db, slug);
  const file = document ? await exportReport(services, document, format, { baseUrl, versionNumber }) : null;
  if (!file) return notFound();
  return new Response(file.body, {
    headers: {
      "Content-Type": REPORT_CONTENT_TYPES[format],
      "Content-Disposition": `${format === "html" ? "inline" : "attachment"}; filename="${file.fileName}"`,
      // Comments change at any moment: a report is compiled anew for every download.
      "Cache-Control": "no-store",
      ...(format === "html" ? { "Content-Security-Policy": STANDALONE_HTML_CSP } : {}),
    },
  });
}

const VERSION_CONTENT_TYPES: Record<ExportFormat, string> = {
  md: "text/markdown; charset=utf-8",
  html: "text/html; charset=utf-8",
  docx: REPORT_CONTENT_TYPES.docx,
};

/**
 * The HTTP answer for `/d/<slug>/v/<n>/export.<format>`: Markdown and Word download as files; HTML opens in the
 * browser, to be read or printed (its name is kept for "save as").
 */
export async function versionExportResponse(db: Kysely<Database>, slug: string, numberParam: string | undefined, format: ExportFormat): Promise<Response> {
  const number = parseVersionNumber(numberParam);
  const document = number === null ? undefined : await findDocumentBySlug(db, slug);
  const file = document && number !== null ? await exportVersion(db, document, number, format) : null;
  if (!file) return notFound();
  return new Response(file.body, {
    headers: {
      "Content-Type": VERSION_CONTENT_TYPES[format],
      "Content-Disposition": `${format === "html" ? "inline" : "attachment"}; filename="${file.fileName}"`,
      ...(format === "html" ? { "Content-Security-Policy": STANDALONE_HTML_CSP } : {}),
    },
  });
}

/**
 * The HTTP answer for `/d/<slug>/export.docx`: the live draft as a Word file, for anyone who may read the draft (as
 * a version's files are). Made anew for every download: the draft changes at any moment.
 */
export async function liveDraftExportResponse(services: Pick<AppServices, "db" | "readDocument" | "commentCache">, slug: string): Promise<Response> {
  const document = await findDocumentBySlug(services.db, slug);
  if (!document) return notFound();
  const file = await exportLiveDraft(services, document);
  return new Response(file.body, {
    headers: {
      "Content-Type": VERSION_CONTENT_TYPES.docx,
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "no-store",
    },
  });
}
