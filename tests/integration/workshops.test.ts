import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInAs } from "#tests/support/accounts";
import { testDatabaseKinds } from "#tests/support/database";
import { readCalendarEvent } from "#tests/support/calendar";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";

const SLUG = "2030-11-12-oppen-kallkod-i-kommunen";
const WORKSHOP = {
  title: "Öppen källkod i kommunen",
  date: "2030-11-12",
  startTime: "13:00",
  endTime: "15:30",
  description: "Kommuner berättar hur de delar programvara.",
  organisers: "Alingsås kommun och DIGG",
  meetingUrl: "https://meet.example.se/oppen-kallkod",
};

/** The input named `name` and the texts of the hints and errors it is described by. */
function describedInput(html: string, name: string): { tag: string; descriptions: string[] } {
  const tag = html.match(new RegExp(`<input[^>]*name="${name}"[^>]*>`))?.[0] ?? "";
  const ids = tag.match(/aria-describedby="([^"]*)"/)?.[1]?.split(" ") ?? [];
  const descriptions = ids.map((id) => html.match(new RegExp(`id="${id}"[^>]*>([^<]*)<`))?.[1] ?? "");
  return { tag, descriptions };
}

describe.each(testDatabaseKinds())("workshops (%s)", (database) => {
  let server: TestServer;
  let host: string;
  let firstUid = "";

  beforeAll(async () => {
    server = await startTestServer({ database });
    host = (await signedInAs(server.services.db, "host", "Hanna Värd")).cookie;
  });
  afterAll(() => server?.dispose());

  const page = async (path: string, cookie?: string) => {
    const response = await fetch(`${server.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
    return { status: response.status, location: response.headers.get("location"), html: await response.text() };
  };

  it("a host creates a workshop; it is listed as upcoming and its page shows Swedish times and the meeting link", async () => {
    const form = await page("/workshops/new", host);
    expect(form.status).toBe(200);
    expect(form.html).toContain("Ny workshop");

    const created = await postForm(server.url, "/workshops/new", WORKSHOP, host);
    expect(created.status).toBe(302);
    expect(created.headers.get("location")).toBe(`/workshops/${SLUG}`);

    const list = await page("/workshops", host);
    expect(list.html).toContain('href="/workshops/new"');
    const upcoming = list.html.indexOf("Kommande");
    const past = list.html.indexOf("Tidigare");
    const at = (slug: string) => list.html.indexOf(`href="/workshops/${slug}"`);
    // Upcoming first, then the seeded autumn 2020 workshops, the latest first.
    expect(upcoming).toBeLessThan(at(SLUG));
    expect(at(SLUG)).toBeLessThan(past);
    expect(past).toBeLessThan(at("2020-12-01-samverkan-i-praktiken"));
    expect(at("2020-12-01-samverkan-i-praktiken")).toBeLessThan(at("2020-09-01-oppna-licenser-och-immaterialratt"));
    expect(list.html).toContain("tisdag 12 november 2030, kl. 13:00–15:30");
    expect(list.html).toContain("Arrangörer: Alingsås kommun och DIGG");

    const workshop = await page(`/workshops/${SLUG}`, host);
    expect(workshop.html).toContain('<h1 lang="sv">Öppen källkod i kommunen</h1>');
    expect(workshop.html).toContain("tisdag 12 november 2030, kl. 13:00–15:30");
    expect(workshop.html).toContain('<a href="https://meet.example.se/oppen-kallkod">https://meet.example.se/oppen-kallkod</a>');
    expect(workshop.html).toContain(`href="/workshops/${SLUG}/edit"`);

    const event = readCalendarEvent(await (await fetch(`${server.url}/workshops/${SLUG}/calendar.ics`)).text());
    // 13:00 in November is CET, UTC+1.
    expect(event).toMatchObject({ start: "2030-11-12T12:00:00.000Z", end: "2030-11-12T14:30:00.000Z", summary: WORKSHOP.title });
    expect(event.url).toBe("https://meet.example.se/oppen-kallkod");
    expect(event.location).toBe("https://meet.example.se/oppen-kallkod");
    expect(event.description).toContain("https://meet.example.se/oppen-kallkod");
    // The description ends with the workshop's page, since URL now leads to the meeting.
    expect(event.description.endsWith(`\n\n${server.url}/workshops/${SLUG}`)).toBe(true);
    firstUid = event.uid;
  });

  it("a host edits it: the address stays, the new summer times show", async () => {
    const form = await page(`/workshops/${SLUG}/edit`, host);
    expect(describedInput(form.html, "startTime").tag).toContain('value="13:00"');
    expect(describedInput(form.html, "date").tag).toContain('value="2030-11-12"');

    const edited = await postForm(
      server.url,
      `/workshops/${SLUG}/edit`,
      { ...WORKSHOP, title: "Öppen källkod i kommunen och regionen", date: "2030-06-11", startTime: "09:00", endTime: "11:00" },
      host,
    );
    expect(edited.status).toBe(302);
    expect(edited.headers.get("location")).toBe(`/workshops/${SLUG}`);
    const workshop = await page(`/workshops/${SLUG}`);
    expect(workshop.html).toContain("Öppen källkod i kommunen och regionen");
    expect(workshop.html).toContain("tisdag 11 juni 2030, kl. 09:00–11:00");
    const event = readCalendarEvent(await (await fetch(`${server.url}/workshops/${SLUG}/calendar.ics`)).text());
    // 09:00 in June is CEST, UTC+2.
    expect(event).toMatchObject({ start: "2030-06-11T07:00:00.000Z", end: "2030-06-11T09:00:00.000Z" });
    // The same event as before the edit, so a calendar that imports the file again updates it instead of adding one.
    expect(event.uid).toBe(firstUid);
  });

  it("refuses an end before the start with the message at the end time, keeping what was typed", async () => {
    const refused = await postForm(server.url, "/workshops/new", { ...WORKSHOP, title: "Min nya workshop", endTime: "12:00" }, host);
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain("Formuläret innehåller fel.");
    const endTime = describedInput(html, "endTime");
    expect(endTime.tag).toContain('aria-invalid="true"');
    expect(endTime.tag).toContain('value="12:00"');
    expect(endTime.descriptions).toContain("Sluttiden måste vara efter starttiden.");
    expect(describedInput(html, "title").tag).toContain('value="Min nya workshop"');
    expect(describedInput(html, "meetingUrl").tag).toContain('value="https://meet.example.se/oppen-kallkod"');
    expect(html).toContain("Kommuner berättar hur de delar programvara.</textarea>");
    expect((await page("/workshops")).html).not.toContain("Min nya workshop");
  });

  it("members get 403 and visitors are sent to sign in; neither is offered the forms", async () => {
    const member = (await signedInAs(server.services.db, "member")).cookie;
    expect((await page("/workshops/new", member)).status).toBe(403);
    expect((await page(`/workshops/${SLUG}/edit`, member)).status).toBe(403);
    expect((await postForm(server.url, "/workshops/new", WORKSHOP, member)).status).toBe(403);
    expect((await postForm(server.url, `/workshops/${SLUG}/edit`, WORKSHOP, member)).status).toBe(403);
    expect((await page("/workshops", member)).html).not.toContain('href="/workshops/new"');
    expect((await page(`/workshops/${SLUG}`, member)).html).not.toContain(`href="/workshops/${SLUG}/edit"`);

    const visitor = await page("/workshops/new");
    expect(visitor.status).toBe(302);
    expect(visitor.location).toBe("/sign-in?redirectTo=%2Fworkshops%2Fnew");
    expect((await postForm(server.url, `/workshops/${SLUG}/edit`, WORKSHOP)).headers.get("location")).toBe(
      `/sign-in?redirectTo=${encodeURIComponent(`/workshops/${SLUG}/edit`)}`,
    );
    expect((await page("/")).html).toContain('href="/workshops"');
  });
});
