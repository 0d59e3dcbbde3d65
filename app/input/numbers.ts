/** The largest value of a PostgreSQL integer column, which version numbers are stored in. */
export const LARGEST_VERSION_NUMBER = 2_147_483_647;

/**
 * A version number from a URL or form: decimal digits for a whole number from 1 to LARGEST_VERSION_NUMBER, or null.
 * Checked here so that a number the column cannot hold is an unknown version, not a failed query.
 */
export function parseVersionNumber(value: unknown): number | null {
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string" || !/^[1-9]\d{0,9}$/.test(text)) return null;
  const number = Number(text);
  return number <= LARGEST_VERSION_NUMBER ? number : null;
}
