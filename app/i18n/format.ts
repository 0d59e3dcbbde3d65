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

/** Date and time of a comment, in Swedish time like everything else the network does. */
export function formatTimestamp(locale: Locale, instant: string | Date): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: MEETING_TIME_ZONE,
  }).format(new Date(instant));
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "3 hours ago", relative to `now` (the server's clock when the page was made, so server and browser agree). */
export function formatRelativeTime(locale: Locale, instant: string | Date, now: string | Date): string {
  const seconds = (new Date(instant).getTime() - new Date(now).getTime()) / 1000;
  const format = new Intl.RelativeTimeFormat(INTL_LOCALE[locale], { numeric: "auto" });
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, "minute");
}
