import type { Kysely } from "kysely";
import type * as Y from "yjs";
import { DocumentIndex } from "#app/comments/anchoring";
import { createTranslate, DEFAULT_LOCALE, isLocale } from "#app/i18n/i18n";
import { reportToAnnotations, WEB_ANNOTATION_CONTENT_TYPE } from "#app/report/annotations";
import { reportToCsv } from "#app/report/csv";
import { reportToDocx } from "#app/report/docx";
import { reportPath, type ReportFormat } from "#app/report/formats";
import { reportToHtml } from "#app/report/html";
import { reportToMarkdown } from "#app/report/markdown";
import { buildReport, type ConsultationReport } from "#app/report/model";
import type { ReportWording } from "#app/report/wording";
import type { VersionBlock } from "#app/versions/diff";
import { STANDALONE_HTML_CSP } from "#app/versions/export";
import { parseVersionNumber } from "#app/input/numbers";
import { findDocumentBySlug } from "#db/repositories/documents";
import { findVersion, listVersions } from "#db/repositories/versions";
import type { Database, DocumentRow } from "#db/schema";
import type { CommentCache } from "./comment-cache.server";
import { locateThreads } from "./comments/threads.server";
import { readingOf } from "./document-reading.server";
import { readVersionState, versionBlocks } from "./versions.server";

/**
 * The consultation report of a document, served in every format. Anyone who may read the draft may download it:
 * the draft and its comments are public, and the report holds nothing a reader of the page does not see (hidden
 * and deleted comments stay out; see ~/report/model).
 */

export interface ReportDeps {
  db: Kysely<Database>;
  readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T>;
  commentCache: Pick<CommentCache, "read">;
}

/**
 * Every thread of the document placed in the live draft; or with `versionNumber`, the threads started on that
 * version placed in its own text (their quotes and references are that text's). null for an unknown version.
 */
export async function loadReport(
  deps: ReportDeps,
  document: Pick<DocumentRow, "id" | "slug" | "title" | "language">,
  options: { baseUrl: string; versionNumber: number | null; titleLabel: string; now?: Date },
): Promise<ConsultationReport | null> {
  const { versionNumber } = options;
  const [stored, versions, version] = await Promise.all([
    deps.commentCache.read(document.id),
    listVersions(deps.db, document.id),
    versionNumber === null ? null : findVersion(deps.db, document.id, versionNumber),
  ]);
  if (version === undefined) return null;
  const placed = version
    ? readVersionState(version.state, (doc) => ({
        blocks: version.blocks as VersionBlock[],
        located: locateThreads({ ...stored, threads: stored.threads.filter((thread) => thread.version_number === version.number) }, DocumentIndex.of(doc)),
      }))
    : await deps.readDocument(document.id, (doc) => ({ blocks: versionBlocks(doc), located: readingOf(doc, stored).located }));
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

const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  md: "text/markdown; charset=utf-8",
  html: "text/html; charset=utf-8",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  jsonld: WEB_ANNOTATION_CONTENT_TYPE,
};

/**
 * The HTTP answer for `/d/<slug>/report.<format>` and `/d/<slug>/annotations.jsonld`, with `?version=<n>` for one
 * version: 404 for an unknown document or version. The HTML opens in the browser to be read or printed; the other
 * formats download.
 */
export async function reportResponse(deps: ReportDeps, baseUrl: string, slug: string, format: ReportFormat, versionParam: string | null): Promise<Response> {
  const notFound = () => new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const versionNumber = versionParam === null ? null : parseVersionNumber(versionParam);
  if (versionParam !== null && versionNumber === null) return notFound();
  const document = await findDocumentBySlug(deps.db, slug);
  if (!document) return notFound();
  const locale = isLocale(document.language) ? document.language : DEFAULT_LOCALE;
  const wording: ReportWording = { t: createTranslate(locale), locale };
  const report = await loadReport(deps, document, { baseUrl, versionNumber, titleLabel: wording.t("comments.titleReference") });
  if (!report) return notFound();

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
  return new Response(body, {
    headers: {
      "Content-Type": CONTENT_TYPES[format],
      "Content-Disposition": `${format === "html" ? "inline" : "attachment"}; filename="${fileName}"`,
      // Comments change at any moment: a report is compiled anew for every download.
      "Cache-Control": "no-store",
      ...(format === "html" ? { "Content-Security-Policy": STANDALONE_HTML_CSP } : {}),
    },
  });
}
