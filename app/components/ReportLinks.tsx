import { useTranslation } from "#app/i18n/translation";
import { REPORT_FORMATS, reportPath } from "#app/report/formats";

/** The consultation report's files, of the whole draft or (with `version`) of the feedback on one version. */
export function ReportLinks({ slug, version = null, label }: { slug: string; version?: number | null; label: string }) {
  const { t } = useTranslation();
  return (
    <p>
      {label}:{" "}
      {REPORT_FORMATS.map((format, index) => (
        <span key={format}>
          {index > 0 ? " · " : null}
          <a href={reportPath(slug, format, version)} download={format === "html" ? undefined : true}>
            {t(`report.formats.${format}`)}
          </a>
        </span>
      ))}
    </p>
  );
}
