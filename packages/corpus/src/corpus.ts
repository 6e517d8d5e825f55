// The public entry points of the generator: a streaming corpus, random access to one record,
// and the id of a record without generating it.

import type { Record } from "@ipfed/proto";
import { generateGeographicalIndication } from "./gi-generator.js";
import { generateIcLayout } from "./ic-layout-generator.js";
import { identityAt } from "./identity.js";
import type { CorpusContext, CorpusOptions, CorpusRecordOptions } from "./options.js";
import { checkIndex, checkWindow, createContext } from "./options.js";
import { generatePatent } from "./patent-generator.js";
import { generateTrademark } from "./trademark-generator.js";

const contexts = new Map<string, CorpusContext>();

/** The context of a set of options, kept for the last few option sets (random access is common). */
function contextFor(options: CorpusRecordOptions): CorpusContext {
  const key = `${String(options.seed)}\u0000${String(options.datasetId)}\u0000${String(options.memberId)}\u0000${String(options.trademarkShare)}`;
  let ctx = contexts.get(key);
  if (ctx === undefined) {
    ctx = createContext(options);
    if (contexts.size >= 8) contexts.delete(contexts.keys().next().value as string);
    contexts.set(key, ctx);
  }
  return ctx;
}

/** Generates record `index` of a context. */
function recordAt(ctx: CorpusContext, index: number): Record {
  const identity = identityAt(ctx, index);
  switch (identity.plan.category) {
    case "trademark":
      return generateTrademark(ctx, identity);
    case "gi":
      return generateGeographicalIndication(ctx, identity);
    case "ic-layout":
      return generateIcLayout(ctx, identity);
    default:
      return generatePatent(ctx, identity);
  }
}

function* records(ctx: CorpusContext, start: number, end: number): Generator<Record> {
  for (let i = start; i < end; i++) yield recordAt(ctx, i);
}

/**
 * Generates a synthetic corpus of `size` records, starting at `startIndex` (default 0), one
 * record at a time in constant memory.
 *
 * Record `i` is a pure function of `i`, the seed, and the options that name or shape records
 * (`datasetId`, `memberId`, `trademarkShare`); it does not depend on `size` or `startIndex`. So
 * `generateCorpus({ size: 10, startIndex: 5 })` yields records 5..14 of the same corpus as
 * `generateCorpus({ size: 100 })`, byte for byte. Options are checked when called, not on the
 * first `next()`.
 *
 * @example
 * ```ts
 * for (const record of generateCorpus({ size: 1000, seed: 7 })) {
 *   console.log(record.id, record.titles[0]?.text);
 * }
 * ```
 * @throws RangeError or TypeError naming the bad option.
 */
export function generateCorpus(options: CorpusOptions): Generator<Record> {
  const ctx = createContext(options);
  const [start, end] = checkWindow(options);
  return records(ctx, start, end);
}

/**
 * Generates record `index` of the corpus the options describe (`size` and `startIndex` do not
 * matter, so they are not taken): the same record `generateCorpus` yields at that index.
 *
 * @example
 * ```ts
 * const r = corpusRecordAt(41, { seed: 7 });
 * ```
 * @throws RangeError if `index` is not an integer in [0, CORPUS_CAPACITY), or for a bad option.
 */
export function corpusRecordAt(index: number, options: CorpusRecordOptions = {}): Record {
  return recordAt(contextFor(options), checkIndex(index));
}

/**
 * The canonical id of record `index` (`CN-112345678-A`), computed without generating the record:
 * a permutation and, for patents, their dates. Ids are unique across indices.
 *
 * @example
 * ```ts
 * corpusIdAt(0, { seed: 1 }) === corpusRecordAt(0, { seed: 1 }).id; // true
 * ```
 */
export function corpusIdAt(index: number, options: CorpusRecordOptions = {}): string {
  return identityAt(contextFor(options), checkIndex(index)).id;
}
