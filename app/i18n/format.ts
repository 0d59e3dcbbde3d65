import type { Locale } from "./i18n";

/** Meetings of the network happen in Sweden: times are always shown in Swedish time, whatever the reader's zone. */
export const MEETING_TIME_ZONE = "Europe/Stockholm";

const INTL_LOCALE: Record<Locale, string> = { sv: "sv-SE", en: "en-GB" };

const DATE_FORMATS = {
  meetingDate: { dateStyle: "full", timeZone: MEETING_TIME_ZONE },
  meetingTime: { hour: "2-digit", minute: "2-digit", timeZone: MEETING_TIME_ZONE },
  timestamp: { dateStyle: "medium", timeStyle: "short", timeZone: MEETING_TIME_ZONE },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

// Making a formatter with a time zone costs far more than using one; a comment list formats hundreds of times.
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const relativeFormatters = new Map<Locale, Intl.RelativeTimeFormat>();

function dateFormatter(locale: Locale, format: keyof typeof DATE_FORMATS): Intl.DateTimeFormat {
  const key = `${locale}:${format}`;
  let formatter = dateFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(INTL_LOCALE[locale], DATE_FORMATS[format]);
    dateFormatters.set(key, formatter);
  }
  return formatter;
}

export function formatMeetingDate(locale: Locale, instant: string | Date): string {
  return dateFormatter(locale, "meetingDate").format(new Date(instant));
}

export function formatMeetingTime(locale: Locale, instant: string | Date): string {
  return dateFormatter(locale, "meetingTime").format(new Date(instant));
}

/** Date and time of a comment, in Swedish time like everything else the network does. */
export function formatTimestamp(locale: Locale, instant: string | Date): string {
  return dateFormatter(locale, "timestamp").format(new Date(instant));
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
  let format = relativeFormatters.get(locale);
  if (!format) {
    format = new Intl.RelativeTimeFormat(INTL_LOCALE[locale], { numeric: "auto" });
    relativeFormatters.set(locale, format);
  }
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, "minute");
}
