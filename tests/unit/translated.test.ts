import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Locale } from "#app/i18n/i18n";
import { Translated, TranslationProvider } from "#app/i18n/translation";

const render = (locale: Locale, k: string, values: Parameters<typeof Translated>[0]["values"]) =>
  renderToStaticMarkup(createElement(TranslationProvider, { locale, children: createElement(Translated, { k, values }) }));

describe("Translated", () => {
  it("puts an element where the catalogue text has its placeholder, so Swedish content keeps its own lang", () => {
    const title = createElement("span", { lang: "sv" }, "Vägledning");
    expect(render("en", "versions.title", { title })).toBe('Versions of <span lang="sv">Vägledning</span>');
  });

  it("passes numbers through, so they still choose the plural form", () => {
    const name = createElement("span", { lang: "sv" }, "Utkast 1");
    expect(render("en", "present.position", { number: 2, count: 5, title: name })).toBe('Section 2 of 5: <span lang="sv">Utkast 1</span>');
    expect(render("en", "document.changedSince", { count: 1 })).toBe("1 paragraph changed since");
    expect(render("sv", "document.changedSince", { count: 3 })).toBe("3 stycken ändrade sedan dess");
  });
});
