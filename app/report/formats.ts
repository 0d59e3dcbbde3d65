/** The files a consultation report downloads as, in the order the versions page offers them. */
export const REPORT_FORMATS = ["docx", "csv", "html", "md", "jsonld"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Where a format of the report on a document, or on one version of it, is served. */
export function reportPath(slug: string, format: ReportFormat, version: number | null = null): string {
  const path = format === "jsonld" ? `/d/${slug}/annotations.jsonld` : `/d/${slug}/report.${format}`;
  return version === null ? path : `${path}?version=${version}`;
}
