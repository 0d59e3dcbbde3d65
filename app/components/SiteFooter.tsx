import { Link } from "@remix-run/react";
import type { Locale } from "#app/i18n/i18n";
import { useTranslation } from "#app/i18n/translation";
import { ACCESSIBILITY_STATEMENT_PATH } from "#app/statement/paths";

/** On every page: the accessibility statement, in the interface language. */
export function SiteFooter({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <Link to={ACCESSIBILITY_STATEMENT_PATH[locale]}>{t("accessibility.footerLink")}</Link>
    </footer>
  );
}
