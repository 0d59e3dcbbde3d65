import type { Locale } from "./i18n";

/** Meetings of the network happen in Sweden: times are always shown in Swedish time, whatever the reader's zone. */
export const MEETING_TIME_ZONE = "Europe/Stockholm";

const INTL_LOCALE: Record<Locale, string> = { sv: "sv-SE", en: "en-GB" };

export function formatMeetingDate(locale: Locale, instant: string | Date): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    dateStyle: "full",
    timeZone: MEETING_TIME_ZONE,
  }).format(new Date(instant));
}

export function formatMeetingTime(locale: Locale, instant: string | Date): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: MEETING_TIME_ZONE,
  }).format(new Date(instant));
}
