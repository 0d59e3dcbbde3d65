/** A text's words as a slug: lower-case ASCII letters and digits joined by hyphens (å, ä, ö, é… lose their marks). */
export function slugWords(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** A slug cut to `maxLength` at a hyphen, so that no word is cut in two. */
export function shortenSlug(slug: string, maxLength: number): string {
  return slug.length <= maxLength ? slug : slug.slice(0, maxLength).replace(/-[^-]*$/, "");
}
