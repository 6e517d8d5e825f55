/** One CSV row with the 1-based line it starts on. */
export interface CsvRow {
  readonly line: number;
  readonly fields: string[];
  /** Set when the file ended inside a quoted field. */
  readonly unterminated?: boolean;
}

/**
 * Parses RFC 4180 CSV from a chunk stream: quoted fields with `""` escapes and line breaks,
 * LF or CRLF, a leading UTF-8 byte-order mark ignored.
 */
export async function* parseCsv(chunks: AsyncIterable<Buffer>, delimiter = ","): AsyncGenerator<CsvRow> {
  const d = delimiter.charCodeAt(0);
  let field = "";
  let fields: string[] = [];
  let inQuotes = false;
  let quoteSeen = false; // the previous character closed a quote (or is an escaped quote)
  let line = 1;
  let rowStart = 1;
  let first = true;
  let any = false;
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of chunks) {
    let text = decoder.decode(chunk, { stream: true });
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inQuotes) {
        if (c === 34) {
          field += text.slice(start, i);
          start = i + 1;
          inQuotes = false;
          quoteSeen = true;
        } else if (c === 10) line++;
        continue;
      }
      if (c === 34) {
        // A quote right after a closing quote is an escaped quote.
        field += text.slice(start, i);
        if (quoteSeen) field += '"';
        start = i + 1;
        inQuotes = true;
        quoteSeen = false;
        any = true;
        continue;
      }
      quoteSeen = false;
      if (c === d) {
        fields.push(field + text.slice(start, i));
        field = "";
        start = i + 1;
        any = true;
      } else if (c === 10) {
        let end = i;
        if (end > start && text.charCodeAt(end - 1) === 13) end--;
        fields.push(field + text.slice(start, end));
        field = "";
        start = i + 1;
        if (any || fields.length > 1 || fields[0] !== "") yield { line: rowStart, fields };
        fields = [];
        any = false;
        line++;
        rowStart = line;
      } else {
        any = true;
      }
    }
    field += text.slice(start);
  }
  field += decoder.decode();
  if (inQuotes) {
    fields.push(field);
    yield { line: rowStart, fields, unterminated: true };
  } else if (any || field !== "" || fields.length) {
    fields.push(field.endsWith("\r") ? field.slice(0, -1) : field);
    yield { line: rowStart, fields };
  }
}
