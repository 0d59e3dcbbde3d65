import type { Kysely } from "kysely";
import { listVersionsAtWorkshop } from "#db/repositories/versions";
import { findWorkshopBySlug } from "#db/repositories/workshops";
import type { Database, WorkshopRow } from "#db/schema";

export interface WorkshopPage {
  workshop: { slug: string; title: string; startsAt: string; endsAt: string; description: string; organisers: string };
  /** The versions presented there: each links to itself and to what changed since. */
  versions: { documentSlug: string; documentTitle: string; number: number; name: string }[];
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
    },
    versions: versions.map((version) => ({
      documentSlug: version.document_slug,
      documentTitle: version.document_title,
      number: version.number,
      name: version.name,
    })),
  };
}

/** An iCalendar (RFC 5545) event for the workshop, in UTC so every calendar shows it at the right hour. */
export function workshopCalendar(workshop: WorkshopRow, pageUrl: string): string {
  const stamp = (date: Date) => date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  // Text values escape backslashes, semicolons, commas and newlines (RFC 5545, 3.3.11).
  const text = (value: string) => value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Samråd//Workshops//SV",
    "BEGIN:VEVENT",
    `UID:${workshop.id}@samrad`,
    `DTSTAMP:${stamp(workshop.created_at)}`,
    `DTSTART:${stamp(workshop.starts_at)}`,
    `DTEND:${stamp(workshop.ends_at)}`,
    `SUMMARY:${text(workshop.title)}`,
    `DESCRIPTION:${text(`${workshop.description}\n\n${workshop.organisers}`)}`,
    `URL:${pageUrl}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return `${lines.join("\r\n")}\r\n`;
}
