/**
 * What the reading view's two sources send a reader's page, checked at the boundary (decision 0022): the stream's
 * `text-changed` event and the answer of `/d/<slug>/reading`. Checked by hand, not by zod: these are the only parsing
 * a reader's page does, and zod would add about 11 kB (brotli) to the scripts it must keep under 150 kB.
 */

/** The revision a `text-changed` event names, or null if its data is not one. */
export function textChangedRevision(data: string): string | null {
  const parsed = parseJson(data);
  return isRecord(parsed) && typeof parsed.revision === "string" ? parsed.revision : null;
}

/** The reading view's markup and its text's revision, or null if the answer is not that. */
export function readingAnswer(value: unknown): { revision: string; markup: string } | null {
  return isRecord(value) && typeof value.revision === "string" && typeof value.markup === "string"
    ? { revision: value.revision, markup: value.markup }
    : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
