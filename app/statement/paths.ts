import type { Locale } from "#app/i18n/i18n";

/** The accessibility statement in each language: Swedish at the address Swedish public-sector sites use. */
export const ACCESSIBILITY_STATEMENT_PATH: Record<Locale, string> = { sv: "/tillganglighet", en: "/accessibility" };
