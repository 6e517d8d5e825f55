import { Record } from "@ipfed/proto";
import { validateRecord } from "@ipfed/sdk";
import { readLines } from "./input-file.js";
import type { ImportItem } from "./import-item.js";

// Record fields as the canonical JSON mapping names them (lowerCamelCase), plus the
// original proto names, which proto3 JSON parsers accept too.
const KNOWN = new Set(
  Object.keys(Record.toJSON(Record.fromPartial({ provenance: {} })) as object).concat(
    Object.keys(Record.fromPartial({})),
    ["detail", "trademark", "geographicalIndication", "icLayout", "law", "extra", "provenance", "withheldFields"],
  ),
);
const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
for (const k of [...KNOWN]) KNOWN.add(snake(k));

/**
 * Reads JSON Lines: one record per line in the protocol's canonical JSON mapping. Blank
 * lines are skipped; a line that is not JSON, not an object, has an unknown field, or fails
 * validation becomes a rejected item naming the line and field.
 */
export async function* readJsonl(chunks: AsyncIterable<Buffer>, file: string): AsyncGenerator<ImportItem> {
  for await (const { line, text, tooLong, notUtf8 } of readLines(chunks)) {
    const place = { file, line };
    if (tooLong) {
      yield { ok: false, place, code: "IMPORT_PARSE_ERROR", reason: "line is longer than 64 MiB; not read" };
      continue;
    }
    if (notUtf8) {
      yield { ok: false, place, code: "IMPORT_PARSE_ERROR", reason: "line is not valid UTF-8; not read" };
      continue;
    }
    if (!text.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      yield { ok: false, place, code: "IMPORT_PARSE_ERROR", reason: `not valid JSON: ${(err as Error).message}` };
      continue;
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      yield { ok: false, place, code: "IMPORT_PARSE_ERROR", reason: "a line must hold one JSON object (a record)" };
      continue;
    }
    const unknown = Object.keys(raw).find((k) => !KNOWN.has(k));
    if (unknown !== undefined) {
      yield { ok: false, place, code: "RECORD_INVALID", field: unknown, reason: `unknown field "${unknown}" (fields use the canonical JSON names, e.g. "publicationDate")` };
      continue;
    }
    let record: Record;
    try {
      // Accept proto field names (publication_date) as well as JSON names.
      const normalised = Object.fromEntries(Object.entries(raw).map(([k, v]) => [camel(k), v]));
      record = Record.fromJSON(normalised);
    } catch (err) {
      yield { ok: false, place, code: "RECORD_INVALID", reason: (err as Error).message };
      continue;
    }
    const problem = validateRecord(record);
    if (problem) {
      yield { ok: false, place, code: "RECORD_INVALID", ...(problem.field ? { field: problem.field } : {}), reason: problem.message };
      continue;
    }
    yield { ok: true, record, place };
  }
}
