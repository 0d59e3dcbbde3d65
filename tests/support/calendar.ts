import ICAL from "ical.js";

export interface CalendarEvent {
  uid: string;
  summary: string;
  start: string;
  end: string;
  description: string;
  url: string;
  location: string | null;
}

/**
 * The one event of an iCalendar file as a calendar program reads it (unfolded, unescaped), through ical.js, the
 * parser Thunderbird uses: the tests check what a person's calendar gets, not how the file happens to spell it.
 */
export function readCalendarEvent(text: string): CalendarEvent {
  const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent");
  const event = events[0];
  if (events.length !== 1 || !event) throw new Error(`expected one event, found ${events.length}`);
  const textOf = (name: string) => {
    const value = event.getFirstPropertyValue(name);
    return typeof value === "string" ? value : null;
  };
  const instant = (name: string) => {
    const value = event.getFirstPropertyValue(name);
    if (!(value instanceof ICAL.Time)) throw new Error(`${name} is not a date-time`);
    return value.toJSDate().toISOString();
  };
  return {
    uid: textOf("uid") ?? "",
    summary: textOf("summary") ?? "",
    start: instant("dtstart"),
    end: instant("dtend"),
    description: textOf("description") ?? "",
    url: textOf("url") ?? "",
    location: textOf("location"),
  };
}
