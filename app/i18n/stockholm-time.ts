import { TZDate } from "@date-fns/tz";
import { MEETING_TIME_ZONE } from "./format";

/**
 * Dates and times as people in the network give them: Swedish wall-clock time, whatever the server's zone. Used for
 * workshops' times and versions' comment windows. The zone's rules come from the time-zone database through
 * @date-fns/tz, so they follow Sweden's clocks without rules of our own.
 */

const HOUR = 3_600_000;

function wallClock(instant: TZDate): string {
  const two = (value: number) => String(value).padStart(2, "0");
  return `${String(instant.getFullYear()).padStart(4, "0")}-${two(instant.getMonth() + 1)}-${two(instant.getDate())} ${two(instant.getHours())}:${two(instant.getMinutes())}`;
}

/**
 * The instant a Swedish date and time ("2020-10-25", "10:00") names. An hour that happens twice (02:00–02:59 on the
 * last Sunday of October) is the first one, in summer time, as people mean it when they plan; null for one the clocks
 * skip (02:00–02:59 on the last Sunday of March).
 */
export function stockholmTimeToUtc(date: string, time: string): Date | null {
  const [year = NaN, month = NaN, day = NaN] = date.split("-").map(Number);
  const [hour = NaN, minute = NaN] = time.split(":").map(Number);
  const named = new TZDate(year, month - 1, day, hour, minute, MEETING_TIME_ZONE);
  // TZDate moves a skipped time forward to one that exists, which then reads differently.
  if (Number.isNaN(named.getTime()) || wallClock(named) !== `${date} ${time}`) return null;
  // For a repeated hour TZDate gives the later, winter one; the same reading an hour before is the summer one.
  const anHourBefore = new TZDate(named.getTime() - HOUR, MEETING_TIME_ZONE);
  return new Date((wallClock(anHourBefore) === wallClock(named) ? anHourBefore : named).getTime());
}

/** The Swedish date (YYYY-MM-DD) and time (HH:MM) of an instant, as the workshop form shows them. */
export function utcToStockholmTime(instant: Date): { date: string; time: string } {
  const [date = "", time = ""] = wallClock(new TZDate(instant.getTime(), MEETING_TIME_ZONE)).split(" ");
  return { date, time };
}

/** Whether a YYYY-MM-DD string names a day of the calendar. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [year = NaN, month = NaN, day = NaN] = value.split("-").map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
