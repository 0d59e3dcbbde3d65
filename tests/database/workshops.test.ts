import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stockholmTimeToUtc, utcToStockholmTime } from "#app/i18n/stockholm-time";
import { createWorkshop, updateWorkshop, validateWorkshop, workshopCalendar, workshopSlug } from "#app/models/workshops.server";
import { listAudit } from "#app/models/audit.server";
import { findWorkshopBySlug } from "#db/repositories/workshops";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "#tests/support/database";
import { sessionAs } from "#tests/support/accounts";
import { readCalendarEvent } from "#tests/support/calendar";

describe("Swedish time to UTC", () => {
  it("is two hours ahead in summer and one in winter", () => {
    expect(stockholmTimeToUtc("2020-09-01", "10:00")?.toISOString()).toBe("2020-09-01T08:00:00.000Z");
    expect(stockholmTimeToUtc("2020-12-01", "10:00")?.toISOString()).toBe("2020-12-01T09:00:00.000Z");
    expect(stockholmTimeToUtc("2021-01-01", "00:00")?.toISOString()).toBe("2020-12-31T23:00:00.000Z");
  });

  it("follows the October change: 03:00 summer time becomes 02:00 winter time, the repeated hour counts once", () => {
    // 25 October 2020: the clocks went back at 01:00 UTC.
    expect(stockholmTimeToUtc("2020-10-25", "01:30")?.toISOString()).toBe("2020-10-24T23:30:00.000Z");
    expect(stockholmTimeToUtc("2020-10-25", "02:30")?.toISOString()).toBe("2020-10-25T00:30:00.000Z");
    expect(stockholmTimeToUtc("2020-10-25", "03:00")?.toISOString()).toBe("2020-10-25T02:00:00.000Z");
    expect(stockholmTimeToUtc("2020-10-25", "10:00")?.toISOString()).toBe("2020-10-25T09:00:00.000Z");
  });

  it("follows the March change: the skipped hour does not exist", () => {
    // 29 March 2020: the clocks went forward at 01:00 UTC, from 02:00 to 03:00.
    expect(stockholmTimeToUtc("2020-03-29", "01:59")?.toISOString()).toBe("2020-03-29T00:59:00.000Z");
    expect(stockholmTimeToUtc("2020-03-29", "02:30")).toBeNull();
    expect(stockholmTimeToUtc("2020-03-29", "03:00")?.toISOString()).toBe("2020-03-29T01:00:00.000Z");
    expect(stockholmTimeToUtc("2020-03-29", "10:00")?.toISOString()).toBe("2020-03-29T08:00:00.000Z");
  });

  it("finds the last Sundays of March and October in other years, from the first to the last minute of the changed hour", () => {
    // 2026: 29 March and 25 October; 2027: 28 March and 31 October.
    for (const [march, october] of [
      ["2026-03-29", "2026-10-25"],
      ["2027-03-28", "2027-10-31"],
    ] as const) {
      const utc = (date: string, time: string) => stockholmTimeToUtc(date, time)?.toISOString();
      expect(utc(march, "01:59")).toBe(`${march}T00:59:00.000Z`);
      expect(utc(march, "02:00")).toBeUndefined();
      expect(utc(march, "02:59")).toBeUndefined();
      expect(utc(march, "03:00")).toBe(`${march}T01:00:00.000Z`);
      // A week earlier the same hour exists.
      const weekBefore = new Date(Date.parse(`${march}T12:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
      expect(utc(weekBefore, "02:30")).toBe(`${weekBefore}T01:30:00.000Z`);

      const dayBefore = new Date(Date.parse(`${october}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      expect(utc(october, "01:59")).toBe(`${dayBefore}T23:59:00.000Z`);
      expect(utc(october, "02:00")).toBe(`${october}T00:00:00.000Z`);
      expect(utc(october, "02:59")).toBe(`${october}T00:59:00.000Z`);
      expect(utc(october, "03:00")).toBe(`${october}T02:00:00.000Z`);
    }
  });

  it("reads both passes of the repeated October hour as the same wall-clock time", () => {
    expect(utcToStockholmTime(new Date("2026-10-25T00:30:00Z"))).toEqual({ date: "2026-10-25", time: "02:30" });
    expect(utcToStockholmTime(new Date("2026-10-25T01:30:00Z"))).toEqual({ date: "2026-10-25", time: "02:30" });
    expect(utcToStockholmTime(new Date("2026-03-29T00:59:00Z"))).toEqual({ date: "2026-03-29", time: "01:59" });
    expect(utcToStockholmTime(new Date("2026-03-29T01:00:00Z"))).toEqual({ date: "2026-03-29", time: "03:00" });
  });

  it("reads back what it wrote, on either side of a change", () => {
    for (const [date, time] of [
      ["2020-09-01", "10:00"],
      ["2020-12-01", "23:45"],
      ["2020-10-25", "03:00"],
      ["2020-03-29", "03:15"],
    ] as const) {
      const instant = stockholmTimeToUtc(date, time);
      expect(instant && utcToStockholmTime(instant)).toEqual({ date, time });
    }
  });
});

const valid = {
  title: "Öppna licenser och immaterialrätt – hur hänger det ihop?",
  date: "2020-09-01",
  startTime: "10:00",
  endTime: "12:00",
  description: "Vägledningen visas.",
  organisers: "PRV och DIGG",
  meetingUrl: "https://meet.example.se/workshop-1",
};

describe("validating a workshop", () => {
  it("accepts a complete form, and one without the optional fields", () => {
    const result = validateWorkshop(valid);
    expect(result.ok && result.workshop).toMatchObject({
      startsAt: new Date("2020-09-01T08:00:00Z"),
      endsAt: new Date("2020-09-01T10:00:00Z"),
      meetingUrl: "https://meet.example.se/workshop-1",
    });
    const minimal = validateWorkshop({ ...valid, description: "", organisers: "", meetingUrl: "" });
    expect(minimal.ok && minimal.workshop.meetingUrl).toBeNull();
  });

  it("puts each problem at its field", () => {
    const check = (fields: Record<string, unknown>) => {
      const result = validateWorkshop({ ...valid, ...fields });
      return result.ok ? {} : result.fieldErrors;
    };
    expect(check({ title: "  " })).toEqual({ title: "required" });
    expect(check({ title: "x".repeat(201) })).toEqual({ title: "too-long" });
    expect(check({ date: "2020-02-30" })).toEqual({ date: "invalid-date" });
    expect(check({ date: "1/9 2020" })).toEqual({ date: "invalid-date" });
    expect(check({ startTime: "24:00", endTime: "9" })).toEqual({ startTime: "invalid-time", endTime: "invalid-time" });
    expect(check({ endTime: "09:00" })).toEqual({ endTime: "end-before-start" });
    expect(check({ endTime: "10:00" })).toEqual({ endTime: "end-before-start" });
    expect(check({ date: "2020-03-29", startTime: "02:15" })).toEqual({ startTime: "nonexistent-time" });
    expect(check({ meetingUrl: "javascript:alert(1)" })).toEqual({ meetingUrl: "invalid-url" });
    expect(check({ meetingUrl: "meet.example.se" })).toEqual({ meetingUrl: "invalid-url" });
    expect(check({ meetingUrl: "https://meet.example.se/a b" })).toEqual({ meetingUrl: "invalid-url" });
    expect(check({ title: undefined, date: undefined })).toEqual({ title: "required", date: "required" });
    expect(check({ title: "", endTime: "09:00", meetingUrl: "ftp://example.se" })).toEqual({
      title: "required",
      endTime: "end-before-start",
      meetingUrl: "invalid-url",
    });
  });

  it("counts the end after the start in real time on the day the clocks go back", () => {
    // 02:30 happens twice on 25 October; the first one is before 02:45 the first time.
    expect(validateWorkshop({ ...valid, date: "2020-10-25", startTime: "01:30", endTime: "03:30" }).ok).toBe(true);
  });
});

describe("workshop addresses", () => {
  it("are the date and the title in lower-case letters and digits", () => {
    expect(workshopSlug("2020-09-01", "Öppna licenser och immaterialrätt")).toBe("2020-09-01-oppna-licenser-och-immaterialratt");
    expect(workshopSlug("2020-11-03", "Förvaltning & ansvar – kring öppna data!")).toBe("2020-11-03-forvaltning-ansvar-kring-oppna-data");
    expect(workshopSlug("2020-11-03", "???")).toBe("2020-11-03");
    expect(workshopSlug("2020-11-03", "ord ".repeat(40)).length).toBeLessThanOrEqual(80);
  });
});

describe("the calendar file", () => {
  const row = {
    id: "6f1c2a4e-0000-4000-8000-000000000001",
    slug: "2020-10-27-ansvar",
    title: "Förvaltning, ansvar; och öppna data – vad gäller för myndigheter när de delar med sig?",
    starts_at: new Date("2020-10-27T08:00:00Z"),
    ends_at: new Date("2020-10-27T10:00:00Z"),
    description: "Åsa och Örjan går igenom vägledningens fjärde avsnitt. ".repeat(6).trim(),
    organisers: "Myndigheten för digital förvaltning (DIGG) och Patent- och registreringsverket (PRV)",
    meeting_url: null,
    created_at: new Date("2020-08-01T12:00:00Z"),
  };
  const ics = workshopCalendar(row, "https://samrad.example.se/workshops/2020-10-27-ansvar");

  it("folds lines longer than 75 octets, counting å, ä and ö as the two octets each they are in UTF-8", () => {
    const lines = ics.split("\r\n");
    expect(lines.at(-1)).toBe(""); // every line ends with CRLF, the last one too
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    // The long description was folded: continuation lines start with one space (RFC 5545, 3.1).
    expect(lines.some((line) => line.startsWith(" "))).toBe(true);
  });

  it("gives a calendar program the title, times, text and page as written, å, ä and ö included", () => {
    expect(readCalendarEvent(ics)).toEqual({
      uid: `${row.id}@samrad`,
      summary: row.title,
      start: "2020-10-27T08:00:00.000Z",
      end: "2020-10-27T10:00:00.000Z",
      description: `${row.description}\n\n${row.organisers}`,
      url: "https://samrad.example.se/workshops/2020-10-27-ansvar",
      location: null,
    });
  });

  it("keeps the event's UID when the workshop changes, so importing it again updates the event", () => {
    const edited = workshopCalendar({ ...row, title: "Ny titel", starts_at: new Date("2020-10-28T08:00:00Z") }, "https://x.example/w");
    expect(readCalendarEvent(edited).uid).toBe(readCalendarEvent(ics).uid);
  });
});

describe.each(testDatabaseKinds())("creating and editing workshops (%s)", (kind) => {
  let database: TestDatabase;
  // A fresh PGlite runs initdb, which can take longer than the default hook timeout on a busy machine.
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  }, 60_000);
  afterAll(() => database?.close());

  it("gives a second workshop with the same day and title its own address, keeps the address when edited, and logs both", async () => {
    const host = await sessionAs(database.db, "host");
    const first = await createWorkshop(database.db, host, valid);
    const second = await createWorkshop(database.db, host, valid);
    if (!first.ok || !second.ok) throw new Error("creating failed");
    expect(first.workshop.slug).toBe("2020-09-01-oppna-licenser-och-immaterialratt-hur-hanger-det-ihop");
    expect(second.workshop.slug).toBe("2020-09-01-oppna-licenser-och-immaterialratt-hur-hanger-det-ihop-2");

    const edited = await updateWorkshop(database.db, host, first.workshop.slug, {
      ...valid,
      title: "Ny titel",
      date: "2020-12-01",
      meetingUrl: "",
    });
    expect(edited.ok && edited.workshop).toMatchObject({
      slug: first.workshop.slug,
      title: "Ny titel",
      starts_at: new Date("2020-12-01T09:00:00Z"),
      meeting_url: null,
    });
    expect((await findWorkshopBySlug(database.db, first.workshop.slug))?.title).toBe("Ny titel");
    const { entries } = await listAudit(database.db, { limit: 10, offset: 0 });
    expect(entries.map((entry) => entry.action)).toEqual(expect.arrayContaining(["workshop.created", "workshop.updated"]));
  });

  it("refuses members and editors, and an unknown workshop", async () => {
    for (const role of ["member", "editor"] as const) {
      const actor = await sessionAs(database.db, role);
      expect(await createWorkshop(database.db, actor, valid)).toEqual({ ok: false, error: "not-allowed" });
    }
    const admin = await sessionAs(database.db, "admin");
    expect(await updateWorkshop(database.db, admin, "finns-inte", valid)).toEqual({ ok: false, error: "not-found" });
    expect(await createWorkshop(database.db, admin, { ...valid, endTime: "09:00" })).toEqual({
      ok: false,
      error: "invalid-input",
      fieldErrors: { endTime: "end-before-start" },
    });
  });
});
