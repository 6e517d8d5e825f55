import { existsSync } from "node:fs";
import { rename } from "node:fs/promises";
import { join } from "node:path";
import { Fts5Index, fts5Row } from "./fts5-index.js";
import type { Fts5Row, Fts5Tokenizer } from "./fts5-index.js";
import { readJsonlRecords } from "../jsonl-records.js";

/** Records per FTS5 transaction, as `ipfed import` writes records per batch. */
export const FTS5_BATCH = 1000;

/** How long an FTS5 build took and what it left on disk. */
export interface Fts5Build {
  readonly ms: number;
  readonly bytes: number;
  readonly rows: number;
}

/**
 * Builds an FTS5 index of a JSON-lines file as a user would: read each line, parse it, lay the
 * record out in columns, insert in transactions of {@link FTS5_BATCH}, then `optimize`. Times
 * the whole of it.
 *
 * @example
 * ```ts
 * const { ms, bytes } = await buildFts5(".cache/corpus-1000.jsonl", "/tmp/fts.sqlite", "unicode61");
 * ```
 */
export async function buildFts5(jsonl: string, file: string, tokenizer: Fts5Tokenizer): Promise<Fts5Build> {
  const t = performance.now();
  const fts = await Fts5Index.create(file, tokenizer);
  let batch: Fts5Row[] = [];
  let rows = 0;
  for await (const { record } of readJsonlRecords(jsonl)) {
    batch.push(fts5Row(record));
    if (batch.length >= FTS5_BATCH) {
      fts.insert(batch);
      rows += batch.length;
      batch = [];
    }
  }
  fts.insert(batch);
  rows += batch.length;
  fts.optimize();
  const ms = performance.now() - t;
  const bytes = fts.bytes();
  fts.close();
  return { ms, bytes, rows };
}

/**
 * The cached FTS5 index of a size and tokenizer, built on first use.
 *
 * @example
 * ```ts
 * const fts = await ensureFts5(".cache", 1000, ".cache/corpus-1000.jsonl", "trigram");
 * ```
 */
export async function ensureFts5(cacheDir: string, size: number, jsonl: string, tokenizer: Fts5Tokenizer): Promise<Fts5Index> {
  const file = join(cacheDir, `fts5-${tokenizer}-${size}.sqlite`);
  if (!existsSync(file)) {
    // Built under another name and renamed, so an interrupted build is never taken for a whole one.
    const partial = `${file}.partial`;
    await buildFts5(jsonl, partial, tokenizer);
    await rename(partial, file);
  }
  return Fts5Index.open(file);
}
