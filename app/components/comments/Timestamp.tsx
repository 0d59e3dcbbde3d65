import { useTranslation } from "react-i18next";
import { formatRelativeTime, formatTimestamp } from "~/i18n/format";
import { isLocale, DEFAULT_LOCALE } from "~/i18n/i18n";

/** "3 hours ago · 23 Nov 2026, 14:02": relative to the page's clock, exact in Swedish time. */
export function Timestamp({ instant, now }: { instant: string; now: string }) {
  const { i18n } = useTranslation();
  const locale = isLocale(i18n.language) ? i18n.language : DEFAULT_LOCALE;
  const exact = formatTimestamp(locale, instant);
  return (
    <time dateTime={instant} title={exact}>
      {formatRelativeTime(locale, instant, now)} · {exact}
    </time>
  );
}
