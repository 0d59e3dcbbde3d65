import type { Messages } from "./sv";

/** The id of the element in which the server sends the page's catalogue (root.tsx). */
export const PAGE_CATALOGUE_ID = "catalogue";

/**
 * In the browser: the one catalogue the server put in the page, as JSON, with the default language's texts
 * already filled in where the page's language has none. Sent as data rather than bundled, so that a page loads its
 * own language only (about 8 kB less on a phone, npm run bench:reader).
 */
function readPageCatalogue(): Partial<Record<string, Messages>> {
  const element = typeof document === "undefined" ? null : document.getElementById(PAGE_CATALOGUE_ID);
  if (!element?.textContent) return {};
  const lang = document.documentElement.lang;
  return { [lang]: JSON.parse(element.textContent) as Messages };
}

export const CATALOGUES: Readonly<Partial<Record<string, Messages>>> = readPageCatalogue();
