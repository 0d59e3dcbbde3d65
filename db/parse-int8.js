// @ts-check
// Plain JavaScript: the embedded database's worker thread (pglite-worker.js) imports it without a TypeScript loader.

/**
 * bigint columns (identity seqs, count(*)) are surfaced as number, as db/schema.ts declares them.
 * A value beyond 2^53 would silently lose precision, so it fails loudly instead.
 * @param {string} text
 * @returns {number}
 */
export function parseInt8(text) {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`bigint value ${text} does not fit in a JavaScript number`);
  }
  return value;
}
