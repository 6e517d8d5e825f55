import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { Record } from "@ipfed/proto";

/**
 * Reads a JSON-lines file of records (`Record.toJSON`), one `{ line, text, record }` per
 * non-empty line, `line` counting from 1.
 *
 * @example
 * ```ts
 * for await (const { line, record } of readJsonlRecords(".cache/corpus-1000.jsonl")) console.log(line, record.id);
 * ```
 */
export async function* readJsonlRecords(file: string): AsyncGenerator<{ line: number; text: string; record: Record }> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (text.trim() === "") continue;
    line += 1;
    yield { line, text, record: Record.fromJSON(JSON.parse(text)) };
  }
}

/**
 * Reads the lines of a JSON-lines file in batches of `size`, without parsing them.
 *
 * @example
 * ```ts
 * for await (const lines of readLineBatches("records.jsonl", 1000)) console.log(lines.length);
 * ```
 */
export async function* readLineBatches(file: string, size: number): AsyncGenerator<string[]> {
  let batch: string[] = [];
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (text.trim() === "") continue;
    batch.push(text);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
