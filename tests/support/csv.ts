/**
 * Reads CSV as RFC 4180 defines it (quoted fields, doubled quotes, CRLF between records), strictly: the tests use
 * it to read back what the app wrote, so anything outside the RFC is an error rather than a guess.
 */
export function parseCsv(text: string, separator: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let at = 0;
  const endField = () => {
    record.push(field);
    field = "";
  };
  while (at < text.length) {
    if (text[at] === '"' && field === "") {
      at += 1;
      for (;;) {
        const quote = text.indexOf('"', at);
        if (quote < 0) throw new Error("unterminated quoted field");
        field += text.slice(at, quote);
        at = quote + 1;
        if (text[at] !== '"') break;
        field += '"';
        at += 1;
      }
      if (at < text.length && text[at] !== separator && !text.startsWith("\r\n", at)) throw new Error(`text after a quoted field at ${at}`);
      continue;
    }
    if (text[at] === separator) {
      endField();
      at += 1;
    } else if (text.startsWith("\r\n", at)) {
      endField();
      records.push(record);
      record = [];
      at += 2;
    } else {
      const character = text[at] ?? "";
      if (character === '"' || character === "\r" || character === "\n") throw new Error(`${JSON.stringify(character)} in an unquoted field at ${at}`);
      field += character;
      at += 1;
    }
  }
  if (field !== "" || record.length > 0) throw new Error("the last record does not end with CRLF");
  return records;
}
