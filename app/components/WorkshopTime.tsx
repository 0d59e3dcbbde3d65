import { formatMeetingDate, formatMeetingTime } from "#app/i18n/format";
import { useTranslation } from "#app/i18n/translation";

/** "tisdag 1 september 2020, kl. 10:00–12:00", in Swedish time. */
export function WorkshopTime({ startsAt, endsAt }: { startsAt: string; endsAt: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return (
    <time dateTime={startsAt}>
      {t("home.when", { date: formatMeetingDate(locale, startsAt), start: formatMeetingTime(locale, startsAt), end: formatMeetingTime(locale, endsAt) })}
    </time>
  );
}
