import { useTranslation } from "#app/i18n/translation";
import { formatRelativeTime, formatTimestamp } from "#app/i18n/format";

/** "3 hours ago · 23 Nov 2026, 14:02": relative to the page's clock, exact in Swedish time. */
export function Timestamp({ instant, now }: { instant: string; now: string }) {
  const locale = useTranslation().i18n.language;
  const exact = formatTimestamp(locale, instant);
  return (
    <time dateTime={instant} title={exact}>
      {formatRelativeTime(locale, instant, now)} · {exact}
    </time>
  );
}
