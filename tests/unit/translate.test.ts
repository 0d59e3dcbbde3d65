import { describe, expect, it } from "vitest";
import { createTranslate } from "#app/i18n/i18n";

describe("translations", () => {
  const sv = createTranslate("sv");
  const en = createTranslate("en");

  it("finds nested keys and fills in placeholders", () => {
    expect(sv("app.skipToContent")).toBe("Hoppa till innehållet");
    expect(en("home.when", { date: "1 September 2020", start: "10:00", end: "12:00" })).toBe("1 September 2020, 10:00–12:00");
  });

  it("chooses the plural form by count, in each language", () => {
    expect(sv("comments.openThreads", { count: 1 })).toBe("1 öppen tråd");
    expect(sv("comments.openThreads", { count: 3 })).toBe("3 öppna trådar");
    expect(en("comments.openThreads", { count: 1 })).toBe("1 open thread");
    expect(en("comments.openThreads", { count: 0 })).toBe("0 open threads");
  });

  it("shows a missing key as itself and leaves a placeholder without a value visible", () => {
    expect(sv("no.such.key")).toBe("no.such.key");
    expect(sv("comments")).toBe("comments");
    expect(en("home.when", { date: "today" })).toBe("today, {{start}}–{{end}}");
  });
});
