import { parse } from "csv-parse/sync";

/**
 * Reads CSV as RFC 4180 defines it (quoted fields, doubled quotes, CRLF after every record), strictly, through
 * csv-parse: the tests read back what the app wrote, so anything outside the RFC is an error rather than a guess.
 */
export function parseCsv(text: string, separator: string): string[][] {
  if (text !== "" && !text.endsWith("\r\n")) throw new Error("the last record does not end with CRLF");
  return parse(text, { delimiter: separator, record_delimiter: "\r\n" }) as string[][];
}
