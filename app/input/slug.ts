/** Addresses made from titles: lower-case ASCII letters and digits joined by single hyphens. */

/** "Öppna licenser & IP" → "oppna-licenser-ip": å, ä, ö, é… lose their marks, anything else becomes a hyphen. */
export function slugWords(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** At most `maxLength` characters, cut at a hyphen so that no word is left half. */
export function shortenSlug(slug: string, maxLength: number): string {
  return slug.length <= maxLength ? slug : slug.slice(0, maxLength).replace(/-[^-]*$/, "");
}

/** Whether `slug` is already in that form: "oppna-licenser", not "Öppna", "-a", "a--b" or "". */
export function isSlug(slug: string): boolean {
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug);
}
