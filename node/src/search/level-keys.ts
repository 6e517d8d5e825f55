import type { KeywordField, TextField } from "./index-document.js";

/**
 * The key layout of `LevelSearchIndex` inside its sublevel (UTF-8 keys):
 *
 * ```
 * v                          format and analyzer version (JSON)
 * g/<seg>                    a committed segment's header (JSON); its presence is the commit
 * o/<seg>                    a segment whose data is being written (merge) or is to be deleted
 * s/<seg>/c                  the segment's document columns (doc-columns.ts)
 * s/<seg>/p/<f><term>        postings of one term of field code <f> (postings-codec.ts)
 * s/<seg>/~                  end of the segment (empty value)
 * x/<docno>                  a removed document (empty value) in some committed segment
 * ```
 *
 * `tx` is not stored: it is the union of `ti`, `ab`, `cl` and the description part (code `d`),
 * whose values are separated by the same position gap, so a term or phrase occurs in `tx` exactly
 * as often as in those four together.
 *
 * `<seg>` is 8 hex digits and `<docno>` 14, so keys sort numerically. A segment's data sits in
 * one contiguous range, written in key order once and read by a merge in one scan.
 *
 * Every range that is scanned ends at a live key (the segment's `~`, and `g0`, `o0`, `x0`): a
 * LevelDB iterator stops at the first live key past its range, and without one it would walk
 * through every deletion left by merges until compaction drops them.
 */

/** The single-character code of each indexed field in postings keys. */
export const FIELD_CODES: { readonly [F in TextField | KeywordField]: string } = {
  ti: "t",
  ab: "a",
  cl: "c",
  tx: "x",
  pa: "p",
  in: "i",
  ag: "g",
  addr: "r",
  ipc: "I",
  cpc: "C",
  nice: "N",
  cc: "O",
  kind: "K",
  id: "D",
  ds: "S",
  fam: "F",
};

/** The field code of the description part of `tx` (descriptions and other full text). */
export const DESCRIPTION_CODE = "d";

/** The codes of the stored fields that make up `tx`. */
export const TX_PART_CODES: readonly string[] = [FIELD_CODES.ti, FIELD_CODES.ab, FIELD_CODES.cl, DESCRIPTION_CODE];

/** The field codes a text field is stored under: itself, or the parts of `tx`. */
export function storedCodes(field: TextField): readonly string[] {
  return field === "tx" ? TX_PART_CODES : [FIELD_CODES[field]];
}

/** The keys that end the scanned metadata ranges. */
export const RANGE_ENDS: readonly string[] = ["g0", "o0", "x0"];

/** The key that ends a segment's range. */
export function segmentEndKey(segment: number): string {
  return `s/${hex(segment, 8)}/~`;
}

/** The key of the format record. */
export const VERSION_KEY = "v";
/** The range of segment headers. */
export const HEADER_RANGE = { gte: "g/", lt: "g0" } as const;
/** The range of pending-segment markers. */
export const PENDING_RANGE = { gte: "o/", lt: "o0" } as const;

/**
 * The marker of a segment whose data may exist without a header: written before a merge writes
 * anything, and in the commit for the segments it replaced, until their data is deleted. After a
 * crash, `open()` deletes the data of every marked segment that has no header.
 */
export function pendingKey(segment: number): string {
  return `o/${hex(segment, 8)}`;
}

/** The segment id of a pending-segment marker. */
export function segmentOfPending(key: string): number {
  return parseInt(key.slice(2), 16);
}

/** The range of removed-document markers. */
export const DELETED_RANGE = { gte: "x/", lt: "x0" } as const;

/** Above every code point in UTF-8 order: the end of a prefix range. */
export const MAX_CHAR = "\u{10FFFF}";

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** The header key of a segment. */
export function headerKey(segment: number): string {
  return `g/${hex(segment, 8)}`;
}

/** The segment id of a header key. */
export function segmentOfHeader(key: string): number {
  return parseInt(key.slice(2), 16);
}

/** The range holding all data of a segment. */
export function segmentRange(segment: number): { gte: string; lt: string } {
  return { gte: `s/${hex(segment, 8)}/`, lt: `s/${hex(segment, 8)}0` };
}

/** The key of a segment's document columns. */
export function columnsKey(segment: number): string {
  return `s/${hex(segment, 8)}/c`;
}

/** The common start of a segment's postings keys. */
export function postingsPrefix(segment: number): string {
  return `s/${hex(segment, 8)}/p/`;
}

/** The key of one term's postings in a segment (`code` from {@link FIELD_CODES}). */
export function postingsKey(segment: number, code: string, term: string): string {
  return `s/${hex(segment, 8)}/p/${code}${term}`;
}

/** The marker key of a removed document. */
export function deletedKey(docno: number): string {
  return `x/${hex(docno, 14)}`;
}

/** The docno of a removed-document marker. */
export function docnoOfDeleted(key: string): number {
  return parseInt(key.slice(2), 16);
}

/**
 * Compares strings in code-point order, which is the byte order of their UTF-8 encodings and so
 * the order of LevelDB keys (JavaScript's `<` compares UTF-16 code units, which differs for
 * characters beyond the BMP).
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (beyond the BMP) sorts after every BMP character, including U+E000-U+FFFF.
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
