import type { MetaDescriptor } from "@remix-run/node";
import { DEFAULT_LOCALE, isLocale, type Locale } from "./i18n";
import { translationFor } from "./translation";

/** What `meta` is given of each matched route: enough to find the root loader's interface language. */
interface MetaMatch {
  id: string;
  data: unknown;
}

/** The interface language as the root loader chose it; Swedish when the root has no data (it failed). */
export function metaLocale(matches: readonly MetaMatch[]): Locale {
  const root = matches.find((match) => match.id === "root")?.data;
  const locale = typeof root === "object" && root !== null && "locale" in root ? root.locale : undefined;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/**
 * A page's `<title>`: "what this page is – what it is about – Samråd" (WCAG 2.4.2), the first part from the
 * `titles` catalogue in the interface language. `subject` is the draft's or workshop's own title, left out when
 * the loader failed and there is none.
 */
export function pageTitle(
  matches: readonly MetaMatch[],
  page: string,
  subject?: string,
  options?: Record<string, unknown>,
): MetaDescriptor[] {
  const { t } = translationFor(metaLocale(matches));
  const parts = [t(`titles.${page}`, options), subject, t("app.name")].filter((part) => part !== undefined && part !== "");
  return [{ title: parts.join(" – ") }];
}
