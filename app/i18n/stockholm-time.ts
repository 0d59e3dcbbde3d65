import { MEETING_TIME_ZONE } from "./format";

/**
 * Dates and times as people in the network give them: Swedish wall-clock time, whatever the server's zone. Used for
 * workshops' times and versions' comment windows.
 */

// hourCycle h23: some engines write midnight as "24" with hour12: false.
const stockholmParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: MEETING_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

function wallClockOf(instant: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = stockholmParts.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((candidate) => candidate.type === type)?.value);
  return { year: part("year"), month: part("month"), day: part("day"), hour: part("hour"), minute: part("minute"), second: part("second") };
}

/** How far Swedish time is ahead of UTC at that instant, in milliseconds: one hour in winter, two in summer. */
function stockholmOffset(instant: number): number {
  const wall = wallClockOf(instant);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - Math.floor(instant / 1000) * 1000;
}

const HOUR = 3_600_000;

/**
 * The instant a Swedish date and time ("2020-10-25", "10:00") names. The zone's offset is taken from the hours
 * around it, since it changes on the last Sundays of March and October. An hour that happens twice (02:00–02:59
 * in October) is the first one, in summer time; null for one the clocks skip (02:00–02:59 in March).
 */
export function stockholmTimeToUtc(date: string, time: string): Date | null {
  const [year = NaN, month = NaN, day = NaN] = date.split("-").map(Number);
  const [hour = NaN, minute = NaN] = time.split(":").map(Number);
  const asIfUtc = Date.UTC(year, month - 1, day, hour, minute);
  const candidates = [stockholmOffset(asIfUtc - 12 * HOUR), stockholmOffset(asIfUtc + 12 * HOUR)]
    .map((offset) => asIfUtc - offset)
    .filter((instant) => asIfUtc - stockholmOffset(instant) === instant)
    .sort((a, b) => a - b);
  const [earliest] = candidates;
  return earliest === undefined ? null : new Date(earliest);
}

/** The Swedish date (YYYY-MM-DD) and time (HH:MM) of an instant, as the workshop form shows them. */
export function utcToStockholmTime(instant: Date): { date: string; time: string } {
  const wall = wallClockOf(instant.getTime());
  const two = (value: number) => String(value).padStart(2, "0");
  return { date: `${wall.year}-${two(wall.month)}-${two(wall.day)}`, time: `${two(wall.hour)}:${two(wall.minute)}` };
}


/** Whether a YYYY-MM-DD string names a day of the calendar. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [year = NaN, month = NaN, day = NaN] = value.split("-").map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
