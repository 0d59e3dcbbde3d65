import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "#app/i18n/translation";

/** Links to the page before and after this one of a long list, keeping the list's query. */
export function Pages({ page, pages }: { page: number; pages: number }) {
  const { t } = useTranslation();
  const { pathname, search } = useLocation();
  if (pages <= 1) return null;
  const pageHref = (target: number) => {
    const params = new URLSearchParams(search);
    params.set("page", String(target));
    return `${pathname}?${params.toString()}`;
  };
  return (
    <nav aria-label={t("feedback.pages.label")} className="feedback-pages">
      {page > 1 ? <Link to={pageHref(page - 1)}>{t("feedback.pages.previous")}</Link> : null} <span>{t("feedback.pages.range", { page, pages })}</span>{" "}
      {page < pages ? <Link to={pageHref(page + 1)}>{t("feedback.pages.next")}</Link> : null}
    </nav>
  );
}
