import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stockholmTimeToUtc, utcToStockholmTime } from "~/i18n/stockholm-time";
import { createWorkshop, updateWorkshop, validateWorkshop, workshopSlug } from "~/models/workshops.server";
import { listAudit } from "~/models/audit.server";
import { findWorkshopBySlug } from "#db/repositories/workshops";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "../support/database";
import { sessionAs } from "../support/accounts";

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
