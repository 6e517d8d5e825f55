// Options of the generator, their defaults and checks, and the context derived from them once
// per corpus (the layout of record kinds and the index permutation).

import { CorpusLayout, CORPUS_CAPACITY } from "./layout.js";
import { Permutation, hashWords, seedWords } from "./prng.js";

/** Options that decide what record `i` is (everything but the window of indices). */
export interface CorpusRecordOptions {
  /** Seed of the corpus, any safe integer; default 1. */
  readonly seed?: number;
  /** `datasetId` written on every record; default `"synthetic-cn"`. */
  readonly datasetId?: string;
  /** `provenance.memberId` written on every record; default `"synthetic"`. */
  readonly memberId?: string;
  /** Share of trademarks, 0 to 0.98; default 0.1. GIs and IC layouts take 1% each, patents the rest. */
  readonly trademarkShare?: number;
}

/** Options of {@link generateCorpus}: which records, and how many. */
export interface CorpusOptions extends CorpusRecordOptions {
  /** Number of records to generate, 0 or more. */
  readonly size: number;
  /** Index of the first record; default 0. Records are numbered from 0 whatever the window. */
  readonly startIndex?: number;
}

/** The default seed. */
export const DEFAULT_SEED = 1;
/** The default dataset id. */
export const DEFAULT_DATASET_ID = "synthetic-cn";
/** The default member id. */
export const DEFAULT_MEMBER_ID = "synthetic";
/** The default share of trademarks. */
export const DEFAULT_TRADEMARK_SHARE = 0.1;

/** Everything the record generators need, derived once from the options. */
export interface CorpusContext {
  /** The seed as given. */
  readonly seed: number;
  /** Low 32-bit word of the seed, the first word of every stream. */
  readonly seedLo: number;
  /** High 32-bit word of the seed, the second word of every stream. */
  readonly seedHi: number;
  /** `datasetId` of every record. */
  readonly datasetId: string;
  /** `provenance.memberId` of every record. */
  readonly memberId: string;
  /** Share of trademarks. */
  readonly trademarkShare: number;
  /** Which slice of the index space is which kind of record. */
  readonly layout: CorpusLayout;
  /** The keyed bijection that scatters indices over the number space. */
  readonly permutation: Permutation;
  /** XOR mask that scrambles family ids per seed. */
  readonly familyMask: number;
}

/** Checks a seed: any safe integer. Throws `RangeError` otherwise. */
export function checkSeed(seed: unknown): number {
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) {
    throw new RangeError(`seed must be a safe integer, got ${String(seed)}`);
  }
  return seed;
}

function checkId(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || value.length === 0) throw new TypeError(`${name} must be a non-empty string`);
  return value;
}

/**
 * Checks record options and derives the generation context. Throws `RangeError` or `TypeError`
 * naming the bad option.
 */
export function createContext(options: CorpusRecordOptions = {}): CorpusContext {
  const seed = checkSeed(options.seed ?? DEFAULT_SEED);
  const share = options.trademarkShare ?? DEFAULT_TRADEMARK_SHARE;
  if (typeof share !== "number" || !(share >= 0 && share <= 0.98)) {
    throw new RangeError(`trademarkShare must be a number from 0 to 0.98, got ${String(share)}`);
  }
  const [seedLo, seedHi] = seedWords(seed);
  return {
    seed,
    seedLo,
    seedHi,
    datasetId: checkId("datasetId", options.datasetId, DEFAULT_DATASET_ID),
    memberId: checkId("memberId", options.memberId, DEFAULT_MEMBER_ID),
    trademarkShare: share,
    layout: new CorpusLayout(share),
    permutation: new Permutation(CORPUS_CAPACITY, seedLo, seedHi, 0x1d),
    familyMask: hashWords(seedLo, seedHi, 0xfa) & 0x1fffffff,
  };
}

/** Checks a record index: an integer in [0, CORPUS_CAPACITY). */
export function checkIndex(index: unknown): number {
  if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= CORPUS_CAPACITY) {
    throw new RangeError(`index must be an integer from 0 to ${CORPUS_CAPACITY - 1}, got ${String(index)}`);
  }
  return index;
}

/** Checks `size` and `startIndex` and returns the window `[start, start + size)`. */
export function checkWindow(options: CorpusOptions): readonly [start: number, end: number] {
  const { size } = options;
  const start = options.startIndex ?? 0;
  if (typeof size !== "number" || !Number.isInteger(size) || size < 0) {
    throw new RangeError(`size must be a non-negative integer, got ${String(size)}`);
  }
  if (typeof start !== "number" || !Number.isInteger(start) || start < 0) {
    throw new RangeError(`startIndex must be a non-negative integer, got ${String(start)}`);
  }
  if (start + size > CORPUS_CAPACITY) {
    throw new RangeError(`startIndex + size must not exceed ${CORPUS_CAPACITY} (the corpus capacity), got ${start + size}`);
  }
  return [start, start + size];
}
