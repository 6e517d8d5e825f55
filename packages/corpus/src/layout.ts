// Which record is which kind, and what its number is. The record index is scattered by a keyed
// permutation over [0, CORPUS_CAPACITY); the low four decimal digits of the image pick the kind
// (10,000 buckets in fixed shares), the rest plus the bucket give a serial number unique within
// the kind's number space. Document numbers embed that serial, so ids are unique by
// construction, with nothing remembered, whatever window of indices is generated.

import { RecordKind } from "@ipfed/proto";
import { pad } from "./text.js";

/** Largest number of records a corpus can hold: indices run from 0 to 99,999,999. */
export const CORPUS_CAPACITY = 100_000_000;

const BUCKETS = 10_000;

/** The kind of document a record is, by office and number space. */
export type Category =
  | "cn-invention"
  | "cn-utility"
  | "us-application"
  | "us-grant"
  | "ep"
  | "jp-application"
  | "jp-grant"
  | "wo"
  | "trademark"
  | "gi"
  | "ic-layout";

/** Shares of the patent categories among patents, and the share of the first variant in each. */
const PATENT_MIX: readonly (readonly [Category, number, number])[] = [
  ["cn-invention", 0.66, 0.45 / 0.66], // variant 0: A (application), 1: B (grant)
  ["cn-utility", 0.22, 1],
  ["us-application", 0.03, 1],
  ["us-grant", 0.035, 1],
  ["ep", 0.025, 0.6], // variant 0: A1/A2, 1: B1
  ["jp-application", 0.01, 1],
  ["jp-grant", 0.01, 1],
  ["wo", 0.01, 1],
];

/** Share of geographical indications and of IC layouts, each. */
export const MINOR_KIND_SHARE = 0.01;

interface Slice {
  readonly category: Category;
  readonly start: number;
  readonly end: number;
  /** Offsets below this (from `start`) are variant 0. */
  readonly split: number;
}

/** Where a record sits in the layout. */
export interface RecordPlan {
  /** The record index. */
  readonly index: number;
  /** Its kind and number space. */
  readonly category: Category;
  /** Serial number, unique within the category. */
  readonly serial: number;
  /** 0 or 1: CN A or B, EP A or B; 0 elsewhere. */
  readonly variant: number;
}

/**
 * The split of the 10,000 buckets between kinds, for one trademark share. Patents come first
 * in {@link PATENT_MIX} order, then trademarks, GIs and IC layouts.
 */
export class CorpusLayout {
  private readonly slices: readonly Slice[];
  private readonly byBucket: Uint8Array;

  /** The layout for a share of trademarks (0..0.98). */
  constructor(trademarkShare: number) {
    const tm = Math.round(trademarkShare * BUCKETS);
    const minor = Math.round(MINOR_KIND_SHARE * BUCKETS);
    const patents = BUCKETS - tm - 2 * minor;
    const slices: Slice[] = [];
    let cumulative = 0;
    let start = 0;
    for (const [category, share, firstVariant] of PATENT_MIX) {
      cumulative += share;
      const end = Math.round(cumulative * patents);
      slices.push({ category, start, end, split: Math.round((end - start) * firstVariant) });
      start = end;
    }
    slices.push({ category: "trademark", start, end: start + tm, split: tm });
    start += tm;
    slices.push({ category: "gi", start, end: start + minor, split: minor });
    start += minor;
    slices.push({ category: "ic-layout", start, end: start + minor, split: minor });
    this.slices = slices.filter((s) => s.end > s.start);
    this.byBucket = new Uint8Array(BUCKETS);
    this.slices.forEach((s, i) => this.byBucket.fill(i, s.start, s.end));
  }

  /** The plan of the record whose permuted index is `scattered`. */
  locate(index: number, scattered: number): RecordPlan {
    const bucket = scattered % BUCKETS;
    const slice = this.slices[this.byBucket[bucket] as number] as Slice;
    const offset = bucket - slice.start;
    const width = slice.end - slice.start;
    return {
      index,
      category: slice.category,
      serial: Math.floor(scattered / BUCKETS) * width + offset,
      variant: offset < slice.split ? 0 : 1,
    };
  }
}

/** The record kind of a category. */
export function recordKindOf(category: Category): RecordKind {
  switch (category) {
    case "cn-utility":
      return RecordKind.RECORD_KIND_UTILITY_MODEL;
    case "trademark":
      return RecordKind.RECORD_KIND_TRADEMARK;
    case "gi":
      return RecordKind.RECORD_KIND_GEOGRAPHICAL_INDICATION;
    case "ic-layout":
      return RecordKind.RECORD_KIND_IC_LAYOUT;
    default:
      return RecordKind.RECORD_KIND_PATENT;
  }
}

/** True for the categories that are patents or utility models. */
export function isPatentCategory(category: Category): boolean {
  return category !== "trademark" && category !== "gi" && category !== "ic-layout";
}

/** The office (ST.3 code) of a category. */
export function countryOf(category: Category): string {
  switch (category) {
    case "us-application":
    case "us-grant":
      return "US";
    case "ep":
      return "EP";
    case "jp-application":
    case "jp-grant":
      return "JP";
    case "wo":
      return "WO";
    default:
      return "CN";
  }
}

/** The ST.16 kind code of a planned record. */
export function kindCodeOf(plan: RecordPlan): string {
  switch (plan.category) {
    case "cn-invention":
      return plan.variant === 0 ? "A" : "B";
    case "cn-utility":
      return "U";
    case "us-application":
      return "A1";
    case "us-grant":
      return plan.serial % 5 === 0 ? "B1" : "B2";
    case "ep":
      return plan.variant === 1 ? "B1" : plan.serial % 7 === 0 ? "A2" : "A1";
    case "jp-application":
      return "A";
    case "jp-grant":
      return "B2";
    case "wo":
      return plan.serial % 9 === 0 ? "A2" : "A1";
    case "trademark":
      return "T";
    case "gi":
      return "G";
    case "ic-layout":
      return "L";
  }
}

/**
 * The publication year a GI or IC-layout number encodes (these numbers carry their year, so
 * the year comes from the serial and the serial stays recoverable).
 */
export function encodedYear(plan: RecordPlan): number {
  return plan.category === "gi" ? 2000 + (plan.serial % 25) : 2001 + (plan.serial % 24);
}

/**
 * The document number (without country and kind) of a planned record. Numbers that carry a
 * year (US and JP applications, WO, US grants before 2018) take the publication year.
 */
export function docNumberOf(plan: RecordPlan, publicationYear: number): string {
  const s = plan.serial;
  switch (plan.category) {
    case "cn-invention":
      return `1${pad(s, 8)}`;
    case "cn-utility":
      return `2${pad(s, 8)}`;
    case "us-application":
      return `${publicationYear}${pad(s, 7)}`;
    case "us-grant":
      return String(publicationYear < 2018 ? 6_000_000 + s : 10_000_000 + s);
    case "ep":
      return String(1_000_000 + s);
    case "jp-application":
    case "wo":
      return `${publicationYear}${pad(s, 6)}`;
    case "jp-grant":
      return String(5_000_000 + s);
    case "trademark":
      return `TM${pad(s, 8)}`;
    case "gi":
      return `GI${encodedYear(plan)}${pad(Math.floor(s / 25), 5)}`;
    case "ic-layout":
      return `BS${pad(encodedYear(plan) - 2000, 2)}5${pad(Math.floor(s / 24), 5)}`;
  }
}
