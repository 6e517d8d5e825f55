import { Record } from "@ipfed/proto";
import { validateRecord } from "@ipfed/sdk";
import { bindMapping, rowToRecord } from "./csv-mapping.js";
import type { CsvMapping } from "./csv-mapping.js";
import { parseCsv } from "./csv-parser.js";
import type { ImportItem } from "./import-item.js";

/**
 * Reads CSV through a column mapping: the first row is the header; each other row becomes a
 * record or a rejected item naming the line and column. A header that lacks a mapped column
 * fails the whole file (IMPORT_MAPPING_INVALID), before anything is read.
 */
export async function* readCsv(chunks: AsyncIterable<Buffer>, file: string, mapping: CsvMapping): AsyncGenerator<ImportItem> {
  let bound: ReturnType<typeof bindMapping> | undefined;
  let width = 0;
  for await (const row of parseCsv(chunks, mapping.delimiter ?? ",")) {
    if (!bound) {
      bound = bindMapping(mapping, row.fields, file);
      width = row.fields.length;
      continue;
    }
    const place = { file, line: row.line };
    if (row.unterminated) {
      yield { ok: false, place, code: "IMPORT_PARSE_ERROR", reason: "a quoted field is not closed before the end of the file" };
      continue;
    }
    if (row.fields.length !== width) {
      yield { ok: false, place, code: "IMPORT_PARSE_ERROR", reason: `row has ${row.fields.length} fields, the header has ${width}` };
      continue;
    }
    const built = rowToRecord(mapping, bound, row.fields);
    if (!built.record) {
      yield { ok: false, place, code: "RECORD_INVALID", ...(built.field ? { field: built.field } : {}), reason: built.reason ?? "invalid row" };
      continue;
    }
    const record = Record.fromPartial(built.record);
    const problem = validateRecord(record);
    if (problem) {
      yield { ok: false, place, code: "RECORD_INVALID", ...(problem.field ? { field: problem.field } : {}), reason: problem.message };
      continue;
    }
    yield { ok: true, record, place };
  }
}
