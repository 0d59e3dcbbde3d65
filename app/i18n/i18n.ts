import { en } from "./en";
import { sv, type Messages } from "./sv";

export const LOCALES = ["sv", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "sv";
export const LOCALE_COOKIE = "lang";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** A catalogue lookup: the key's text in the interface language, with `options` interpolated. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

const CATALOGUES: Record<Locale, Messages> = { sv, en };

/**
 * The translation function of one language. The catalogues need only what this gives: dotted keys, `{{name}}`
 * placeholders, and plural forms as `key_one`/`key_other` chosen by `options.count` with the language's plural
 * rules. A key missing in English falls back to Swedish, and a key missing in both comes back as itself, so a
 * slip shows as a visible key instead of an empty label.
 *
 * Our own rather than i18next's: a document page makes hundreds of calls with options (counts, names, dates),
 * and i18next's general machinery cost about 10 ms of each page.
 */
export function createTranslate(locale: Locale): Translate {
  const plurals = new Intl.PluralRules(locale);
  const templates = new Map<string, string | null>();
  const template = (key: string): string | null => {
    let text = templates.get(key);
    if (text === undefined) {
      text = lookup(CATALOGUES[locale], key) ?? lookup(CATALOGUES[DEFAULT_LOCALE], key);
      templates.set(key, text);
    }
    return text;
  };
  return (key, options) => {
    const count = options?.count;
    const text = (typeof count === "number" ? template(`${key}_${plurals.select(count)}`) ?? template(`${key}_other`) : null) ?? template(key);
    if (text === null) return key;
    if (!options) return text;
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (placeholder, name: string) => (name in options ? String(options[name]) : placeholder));
  };
}

function lookup(catalogue: Messages, key: string): string | null {
  let node: unknown = catalogue;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, part)) return null;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : null;
}
