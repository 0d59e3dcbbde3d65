const ANY_ORIGIN = "http://samrad.invalid";
const LONGEST_TARGET = 2048;

/**
 * A redirect target as a path on this site, or the fallback. Browsers drop tabs and line breaks inside URLs and read
 * a backslash as a slash, so "/\t/evil.example" or "/\\evil.example" would become "//evil.example", another site:
 * any control character, whitespace or backslash refuses the target. What is left must resolve to this site.
 */
export function safeRedirectPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length > LONGEST_TARGET) return fallback;
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (!value.startsWith("/") || /[\s\\\u0000-\u001F\u007F-\u009F]/.test(value)) return fallback;
  let target: URL;
  try {
    target = new URL(value, ANY_ORIGIN);
  } catch {
    return fallback;
  }
  if (target.origin !== ANY_ORIGIN || target.pathname.startsWith("//")) return fallback;
  return `${target.pathname}${target.search}${target.hash}`;
}
