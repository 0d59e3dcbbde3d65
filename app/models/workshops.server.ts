import ical from "ical-generator";
import type { Kysely } from "kysely";
import { z } from "zod";
import { shortenSlug, slugWords } from "#app/input/slug";
import { isCalendarDate, stockholmTimeToUtc, utcToStockholmTime } from "#app/i18n/stockholm-time";
import {
  MEETING_URL_MAX_LENGTH,
  WORKSHOP_DESCRIPTION_MAX_LENGTH,
  WORKSHOP_ERROR_CODES,
  WORKSHOP_ORGANISERS_MAX_LENGTH,
  WORKSHOP_TITLE_MAX_LENGTH,
  type WorkshopError,
  type WorkshopErrorCode,
  type WorkshopField,
  type WorkshopFieldErrors,
  type WorkshopFormValues,
} from "#app/workshops/types";
import { listVersionsAtWorkshop } from "#db/repositories/versions";
import { findWorkshopBySlug, insertWorkshopWithFreeSlug, listWorkshops, updateWorkshopById } from "#db/repositories/workshops";
import type { Database, WorkshopRow } from "#db/schema";
import { inTransaction } from "#db/executor";
import { recordAudit } from "./audit.server";
import { can } from "./authorization.server";
import type { CurrentSession } from "./sessions.server";

export interface WorkshopPage {
  workshop: {
    slug: string;
    title: string;
    startsAt: string;
    endsAt: string;
    description: string;
    organisers: string;
    meetingUrl: string | null;
  };
  /** The versions presented there: each links to itself and to what changed since. */
  versions: { documentSlug: string; documentTitle: string; number: number; name: string; threadCount: number }[];
}

export async function loadWorkshopPage(db: Kysely<Database>, slug: string): Promise<WorkshopPage | null> {
  const workshop = await findWorkshopBySlug(db, slug);
  if (!workshop) return null;
  const versions = await listVersionsAtWorkshop(db, workshop.id);
  return {
    workshop: {
      slug: workshop.slug,
      title: workshop.title,
      startsAt: workshop.starts_at.toISOString(),
      endsAt: workshop.ends_at.toISOString(),
      description: workshop.description,
      organisers: workshop.organisers,
      meetingUrl: workshop.meeting_url,
    },
    versions: versions.map((version) => ({
      documentSlug: version.document_slug,
      documentTitle: version.document_title,
      number: version.number,
      name: version.name,
      threadCount: version.thread_count,
    })),
  };
}

/**
 * An iCalendar (RFC 5545) event for the workshop, in UTC so every calendar shows it at the right hour. ical-generator
 * escapes text and folds lines at 75 octets, not characters, so Swedish letters never push a line over the limit.
 */
export function workshopCalendar(workshop: WorkshopRow, pageUrl: string): string {
  // With a meeting link, URL leads to the meeting, so the description keeps the way to the workshop's page.
  const description = [workshop.description, workshop.organisers, ...(workshop.meeting_url ? [workshop.meeting_url, pageUrl] : [])]
    .filter(Boolean)
    .join("\n\n");
  const calendar = ical({ prodId: { company: "Samråd", product: "Workshops", language: "SV" } });
  calendar.createEvent({
    // The row's id, so a calendar that imports the file again updates the event instead of adding a second one.
    id: `${workshop.id}@samrad`,
    stamp: workshop.created_at,
    start: workshop.starts_at,
    end: workshop.ends_at,
    summary: workshop.title,
    description,
    // Calendars offer URL and LOCATION as the way to join; without a meeting link, the workshop's page.
    url: workshop.meeting_url ?? pageUrl,
    location: workshop.meeting_url,
  });
  // RFC 5545 ends every content line with CRLF, the last one too; ical-generator leaves the last one off.
  return `${calendar.toString()}\r\n`;
}

// ---- Creating and editing workshops ----

function isWebAddress(value: string): boolean {
  // No whitespace at all: the link goes into the calendar file as is, where a line break would start a new property.
  if (/\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}

const timeSchema = z.string().trim().min(1, "required").regex(/^([01]\d|2[0-3]):[0-5]\d$/, "invalid-time");

const workshopSchema = z.object({
  title: z.string().trim().min(1, "required").max(WORKSHOP_TITLE_MAX_LENGTH, "too-long"),
  date: z.string().trim().min(1, "required").refine(isCalendarDate, "invalid-date"),
  startTime: timeSchema,
  endTime: timeSchema,
  description: z.string().trim().max(WORKSHOP_DESCRIPTION_MAX_LENGTH, "too-long").default(""),
  organisers: z.string().trim().max(WORKSHOP_ORGANISERS_MAX_LENGTH, "too-long").default(""),
  meetingUrl: z
    .string()
    .trim()
    .max(MEETING_URL_MAX_LENGTH, "too-long")
    .refine((url) => url === "" || isWebAddress(url), "invalid-url")
    .default("")
    .transform((url) => url || null),
});

type ValidWorkshop = { title: string; startsAt: Date; endsAt: Date; description: string; organisers: string; meetingUrl: string | null };

/** A valid workshop as the table's columns, for inserting and updating alike. */
function workshopColumns(workshop: ValidWorkshop) {
  return {
    title: workshop.title,
    starts_at: workshop.startsAt,
    ends_at: workshop.endsAt,
    description: workshop.description,
    organisers: workshop.organisers,
    meeting_url: workshop.meetingUrl,
  };
}

/** The first problem of each field, as a code. Rules carry their code as message; anything else is "invalid". */
function fieldErrorsOf(error: z.ZodError): WorkshopFieldErrors {
  const errors: WorkshopFieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as WorkshopField;
    if (errors[field]) continue;
    errors[field] = (WORKSHOP_ERROR_CODES as readonly string[]).includes(issue.message)
      ? (issue.message as WorkshopErrorCode)
      : issue.code === "invalid_type" && issue.received === "undefined"
        ? "required"
        : "invalid";
  }
  return errors;
}

const timesSchema = workshopSchema.pick({ date: true, startTime: true, endTime: true });

/** The form's fields as a workshop, or what is wrong with each field: all of them at once, times included. */
export function validateWorkshop(
  fields: Record<string, unknown>,
): { ok: true; workshop: ValidWorkshop } | { ok: false; fieldErrors: WorkshopFieldErrors } {
  const parsed = workshopSchema.safeParse(fields);
  const fieldErrors = parsed.success ? {} : fieldErrorsOf(parsed.error);
  const times = timesSchema.safeParse(fields);
  if (!times.success) return { ok: false, fieldErrors };
  const startsAt = stockholmTimeToUtc(times.data.date, times.data.startTime);
  const endsAt = stockholmTimeToUtc(times.data.date, times.data.endTime);
  if (!startsAt) fieldErrors.startTime = "nonexistent-time";
  if (!endsAt) fieldErrors.endTime = "nonexistent-time";
  else if (startsAt && endsAt <= startsAt) fieldErrors.endTime = "end-before-start";
  if (!parsed.success || !startsAt || !endsAt || Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  const { title, description, organisers, meetingUrl } = parsed.data;
  return { ok: true, workshop: { title, startsAt, endsAt, description, organisers, meetingUrl } };
}

const SLUG_MAX_LENGTH = 80;

/** "2020-09-01-oppna-licenser-och-immaterialratt": the date, then the title in lower-case ASCII letters and digits. */
export function workshopSlug(date: string, title: string): string {
  const words = slugWords(title);
  return shortenSlug(words ? `${date}-${words}` : date, SLUG_MAX_LENGTH);
}

export type WorkshopResult = { ok: true; workshop: WorkshopRow } | WorkshopError;

/** A new workshop at a new address: "-2", "-3"… when another one on that day has the same title. */
export async function createWorkshop(
  db: Kysely<Database>,
  actor: CurrentSession,
  fields: Record<string, unknown>,
): Promise<WorkshopResult> {
  if (!can(actor.role, "manage-workshops")) return { ok: false, error: "not-allowed" };
  const valid = validateWorkshop(fields);
  if (!valid.ok) return { ok: false, error: "invalid-input", fieldErrors: valid.fieldErrors };
  const { title, startsAt } = valid.workshop;
  const baseSlug = workshopSlug(utcToStockholmTime(startsAt).date, title);
  return inTransaction(db, async (trx) => {
    let workshop: WorkshopRow | undefined;
    for (let suffix = 1; !workshop; suffix += 1) {
      const slug = suffix === 1 ? baseSlug : `${baseSlug}-${suffix}`;
      workshop = await insertWorkshopWithFreeSlug(trx, { slug, ...workshopColumns(valid.workshop) });
    }
    const details = { slug: workshop.slug, title };
    await recordAudit(trx, { actorUserId: actor.user.id, action: "workshop.created", subject: workshop.id, details });
    return { ok: true, workshop };
  });
}

/** Changes everything but the address, so links to the workshop keep working. */
export async function updateWorkshop(
  db: Kysely<Database>,
  actor: CurrentSession,
  slug: string,
  fields: Record<string, unknown>,
): Promise<WorkshopResult> {
  if (!can(actor.role, "manage-workshops")) return { ok: false, error: "not-allowed" };
  const existing = await findWorkshopBySlug(db, slug);
  if (!existing) return { ok: false, error: "not-found" };
  const valid = validateWorkshop(fields);
  if (!valid.ok) return { ok: false, error: "invalid-input", fieldErrors: valid.fieldErrors };
  const { title } = valid.workshop;
  return inTransaction(db, async (trx) => {
    const workshop = await updateWorkshopById(trx, existing.id, workshopColumns(valid.workshop));
    await recordAudit(trx, { actorUserId: actor.user.id, action: "workshop.updated", subject: workshop.id, details: { slug, title } });
    return { ok: true, workshop };
  });
}

/** The edit form's values for a workshop; null for an unknown slug. */
export async function loadWorkshopForm(db: Kysely<Database>, slug: string): Promise<{ title: string; values: WorkshopFormValues } | null> {
  const workshop = await findWorkshopBySlug(db, slug);
  if (!workshop) return null;
  const start = utcToStockholmTime(workshop.starts_at);
  return {
    title: workshop.title,
    values: {
      title: workshop.title,
      date: start.date,
      startTime: start.time,
      endTime: utcToStockholmTime(workshop.ends_at).time,
      description: workshop.description,
      organisers: workshop.organisers,
      meetingUrl: workshop.meeting_url ?? "",
    },
  };
}

export interface WorkshopSummary {
  slug: string;
  title: string;
  startsAt: string;
  endsAt: string;
  organisers: string;
}

/** Upcoming workshops (including one under way) soonest first, then past ones latest first. */
export async function loadWorkshopList(db: Kysely<Database>, now: Date): Promise<{ upcoming: WorkshopSummary[]; past: WorkshopSummary[] }> {
  const workshops = await listWorkshops(db);
  const summary = (workshop: WorkshopRow): WorkshopSummary => ({
    slug: workshop.slug,
    title: workshop.title,
    startsAt: workshop.starts_at.toISOString(),
    endsAt: workshop.ends_at.toISOString(),
    organisers: workshop.organisers,
  });
  return {
    upcoming: workshops.filter((workshop) => workshop.ends_at > now).map(summary),
    past: workshops
      .filter((workshop) => workshop.ends_at <= now)
      .reverse()
      .map(summary),
  };
}
