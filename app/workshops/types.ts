/** Shared by the server's workshop rules and the pages (which may not import *.server modules). */

export const WORKSHOP_TITLE_MAX_LENGTH = 200;
export const WORKSHOP_DESCRIPTION_MAX_LENGTH = 5000;
export const WORKSHOP_ORGANISERS_MAX_LENGTH = 500;
export const MEETING_URL_MAX_LENGTH = 2000;

export const WORKSHOP_FIELDS = ["title", "date", "startTime", "endTime", "description", "organisers", "meetingUrl"] as const;
export type WorkshopField = (typeof WORKSHOP_FIELDS)[number];

export function isWorkshopField(name: string): name is WorkshopField {
  return (WORKSHOP_FIELDS as readonly string[]).includes(name);
}

/** The form as typed: date YYYY-MM-DD, times HH:MM in Swedish time. */
export type WorkshopFormValues = Record<WorkshopField, string>;

export const WORKSHOP_ERROR_CODES = [
  "required",
  "control-characters",
  "too-long",
  "invalid-date",
  "invalid-time",
  // A time the clocks skip when summer time starts, e.g. 02:30 on the last Sunday of March.
  "nonexistent-time",
  "end-before-start",
  "invalid-url",
  "invalid",
] as const;
export type WorkshopErrorCode = (typeof WORKSHOP_ERROR_CODES)[number];
export type WorkshopFieldErrors = Partial<Record<WorkshopField, WorkshopErrorCode>>;

export type WorkshopError =
  { ok: false; error: "not-allowed" | "not-found" } | { ok: false; error: "invalid-input"; fieldErrors: WorkshopFieldErrors };
