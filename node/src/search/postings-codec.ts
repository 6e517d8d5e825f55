/**
 * The postings format of the LevelDB index (varints as in `byte-io.ts`): one term in one
 * segment is
 *
 * ```
 * flags            varint   bit 0: term frequencies and positions follow (text fields)
 * n                varint   documents
 * ords             n varints, delta-encoded (segment-local document ordinals, ascending)
 * tfs              n varints (text only)
 * skips            ceil(n / 64) - 1 varints: byte length of each block of 64 documents' positions
 * positions        per document tf varints, delta-encoded from 0 (text only)
 * ```
 *
 * Positions come last so that a term query decodes only ordinals and frequencies; a phrase
 * decodes the positions of its candidate documents only, jumping to their block with the skips.
 */
import { ByteReader, ByteWriter } from "./byte-io.js";

/** The postings of one term in one segment, decoded up to the positions. */
export interface Postings {
  /** Segment-local ordinals, ascending. */
  readonly ords: Int32Array;
  /** Term frequencies (text fields), else `null`. */
  readonly tfs: Int32Array | null;
  /** The encoded positions (a copy of the value's tail, so the rest can be freed). */
  readonly positionBytes: Uint8Array;
  /** Offset in `positionBytes` of the positions of documents 0, 64, 128... (text only). */
  readonly blockStarts: Int32Array | null;
  /** Offset in `positionBytes` of every document's positions, once {@link indexPositions} ran. */
  docStarts?: Int32Array;
}

/** Decoded positions of a whole postings list: document `i` has `pos[starts[i] .. starts[i + 1])`. */
export interface PostingPositions {
  readonly starts: Int32Array;
  readonly pos: Int32Array;
}

/** Documents per entry of the skip table of positions. */
export const POSITION_BLOCK = 64;
const FLAG_POSITIONS = 1;
const EMPTY_BYTES = new Uint8Array(0);

/**
 * Encodes one term's postings. `positions` holds the positions of every document in turn
 * (`tfs[i]` of them for document `i`), or `null` for an exact-value field.
 */
export function encodePostings(ords: ArrayLike<number>, tfs: ArrayLike<number> | null, positions: ArrayLike<number> | null): Uint8Array {
  const n = ords.length;
  const w = new ByteWriter(8 + n * (tfs === null ? 2 : 6));
  w.uint(tfs === null ? 0 : FLAG_POSITIONS);
  w.uint(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const o = ords[i] as number;
    w.uint(o - prev);
    prev = o;
  }
  if (tfs === null || positions === null) return w.finish();
  for (let i = 0; i < n; i++) w.uint(tfs[i] as number);
  const pw = new ByteWriter(16 + positions.length * 2);
  const skips: number[] = [];
  let blockStart = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % POSITION_BLOCK === 0) {
      skips.push(pw.length - blockStart);
      blockStart = pw.length;
    }
    let last = 0;
    for (let j = tfs[i] as number; j > 0; j--) {
      const p = positions[k++] as number;
      pw.uint(p - last);
      last = p;
    }
  }
  for (const skip of skips) w.uint(skip);
  w.bytes(pw.finish());
  return w.finish();
}

/**
 * Encodes one term's postings from a run of (ordinal, position) entries in ordinal then position
 * order: entry `i` of the run is `ords[order[i]]`, `positions[order[i]]` for `i` in
 * `[from, to)`. With `positions` null (exact-value field) only the ordinals are kept.
 */
export function encodePostingsRun(order: Int32Array, from: number, to: number, ords: Int32Array, positions: Int32Array | null): Uint8Array {
  let n = 0;
  let last = -1;
  for (let i = from; i < to; i++) {
    const o = ords[order[i] as number] as number;
    if (o !== last) n++;
    last = o;
  }
  const docs = new Int32Array(n);
  const tfs = positions === null ? null : new Int32Array(n);
  const pos = positions === null ? null : new Int32Array(to - from);
  let d = -1;
  last = -1;
  for (let i = from; i < to; i++) {
    const e = order[i] as number;
    const o = ords[e] as number;
    if (o !== last) docs[++d] = o;
    last = o;
    if (tfs !== null && pos !== null && positions !== null) {
      tfs[d] = (tfs[d] as number) + 1;
      pos[i - from] = positions[e] as number;
    }
  }
  return encodePostings(docs, tfs, pos);
}

/** Decodes ordinals, frequencies and the skip table of an encoded postings value. */
export function decodePostings(bytes: Uint8Array): Postings {
  const r = new ByteReader(bytes);
  const flags = r.uint();
  const n = r.uint();
  const ords = new Int32Array(n);
  let o = 0;
  for (let i = 0; i < n; i++) {
    o += r.uint();
    ords[i] = o;
  }
  if ((flags & FLAG_POSITIONS) === 0) return { ords, tfs: null, positionBytes: EMPTY_BYTES, blockStarts: null };
  const tfs = new Int32Array(n);
  for (let i = 0; i < n; i++) tfs[i] = r.uint();
  const blockStarts = new Int32Array(Math.ceil(n / POSITION_BLOCK));
  for (let b = 1; b < blockStarts.length; b++) blockStarts[b] = (blockStarts[b - 1] as number) + r.uint();
  return { ords, tfs, positionBytes: bytes.slice(r.pos), blockStarts };
}

/**
 * Decodes the positions of document `i` (an index into `p.ords`) into `out`, which must hold
 * `p.tfs[i]` values, and returns their count: one jump with the skip table, then at most 63
 * documents' positions skipped without decoding.
 */
export function positionsOf(p: Postings, i: number, out: Int32Array): number {
  const tfs = p.tfs as Int32Array;
  const bytes = p.positionBytes;
  let pos: number;
  if (p.docStarts !== undefined) pos = p.docStarts[i] as number;
  else {
    const block = Math.floor(i / POSITION_BLOCK);
    pos = (p.blockStarts as Int32Array)[block] as number;
    // Skip whole varints: one per position, each ending at a byte below 0x80.
    for (let d = block * POSITION_BLOCK; d < i; d++) {
      for (let j = tfs[d] as number; j > 0; j--) while ((bytes[pos++] as number) >= 0x80);
    }
  }
  const tf = tfs[i] as number;
  let last = 0;
  for (let j = 0; j < tf; j++) {
    let b = bytes[pos++] as number;
    let v = b & 0x7f;
    let shift = 7;
    while (b >= 0x80) {
      b = bytes[pos++] as number;
      v |= (b & 0x7f) << shift;
      shift += 7;
    }
    last += v;
    out[j] = last;
  }
  return tf;
}

/**
 * Records where every document's positions start, with one pass over the bytes, so that
 * {@link positionsOf} jumps straight to them: worth it when a phrase reads many documents of a
 * list. Costs 4 bytes per document.
 */
export function indexPositions(p: Postings): void {
  if (p.docStarts !== undefined || p.tfs === null) return;
  const tfs = p.tfs;
  const bytes = p.positionBytes;
  const starts = new Int32Array(tfs.length);
  let pos = 0;
  for (let d = 0; d < tfs.length; d++) {
    starts[d] = pos;
    for (let j = tfs[d] as number; j > 0; j--) while ((bytes[pos++] as number) >= 0x80);
  }
  p.docStarts = starts;
}

/**
 * Concatenates the encoded postings of one term from several segments being merged, renumbering
 * ordinals with each part's `remap` (old ordinal → new, -1 to drop). It works on the bytes
 * without decoding them into arrays: each kept document's positions are delta-encoded from 0, so
 * they are copied as they are, in runs of consecutive kept documents. New ordinals must ascend
 * across the parts in order. `undefined` when no document is kept.
 */
export function mergePostings(parts: readonly { readonly bytes: Uint8Array; readonly remap: Int32Array }[]): Uint8Array | undefined {
  // Pass 1: the kept documents of every part, with their frequencies.
  let total = 0;
  let capacity = 16;
  const readers = parts.map(({ bytes, remap }) => {
    const r = new ByteReader(bytes);
    const text = (r.uint() & FLAG_POSITIONS) !== 0;
    const n = r.uint();
    // New ordinals (or -1) by position in the list.
    const ords = new Int32Array(n);
    for (let i = 0, o = 0; i < n; i++) ords[i] = remap[(o += r.uint())] as number;
    const tfs = text ? new Int32Array(n) : undefined;
    if (tfs !== undefined) {
      for (let i = 0; i < n; i++) tfs[i] = r.uint();
      for (let b = Math.ceil(n / POSITION_BLOCK) - 1; b > 0; b--) r.uint();
    }
    let kept = 0;
    for (let i = 0; i < n; i++) if ((ords[i] as number) >= 0) kept++;
    total += kept;
    capacity += bytes.length;
    return { bytes, text, n, ords, tfs, positionsAt: r.pos };
  });
  if (total === 0) return undefined;
  const text = readers.some((x) => x.text);
  const w = new ByteWriter(capacity);
  w.uint(text ? FLAG_POSITIONS : 0);
  w.uint(total);
  let prev = 0;
  for (const x of readers) {
    for (let i = 0; i < x.n; i++) {
      const o = x.ords[i] as number;
      if (o < 0) continue;
      w.uint(o - prev);
      prev = o;
    }
  }
  if (!text) return w.finish();
  for (const x of readers) for (let i = 0; i < x.n; i++) if ((x.ords[i] as number) >= 0) w.uint((x.tfs as Int32Array)[i] as number);

  // Pass 2: byte runs of kept documents' positions, and the byte length of every new block.
  const runs: number[] = []; // part, from, to
  const skips: number[] = [];
  let inBlock = 0;
  let blockBytes = 0;
  readers.forEach((x, part) => {
    const bytes = x.bytes;
    const tfs = x.tfs as Int32Array;
    let pos = x.positionsAt;
    for (let i = 0; i < x.n; i++) {
      const start = pos;
      for (let j = tfs[i] as number; j > 0; j--) while ((bytes[pos++] as number) >= 0x80);
      if ((x.ords[i] as number) < 0) continue;
      if (inBlock === POSITION_BLOCK) {
        skips.push(blockBytes);
        inBlock = 0;
        blockBytes = 0;
      }
      inBlock++;
      blockBytes += pos - start;
      const last = runs.length - 3;
      if (last >= 0 && runs[last] === part && runs[last + 2] === start) runs[last + 2] = pos;
      else runs.push(part, start, pos);
    }
  });
  for (const skip of skips) w.uint(skip);
  for (let k = 0; k < runs.length; k += 3) {
    w.bytes((readers[runs[k] as number] as { bytes: Uint8Array }).bytes.subarray(runs[k + 1], runs[k + 2]));
  }
  return w.finish();
}

/** Decodes every position of postings decoded by {@link decodePostings}. */
export function decodePositions(p: Postings): PostingPositions {
  const tfs = p.tfs;
  const n = p.ords.length;
  const starts = new Int32Array(n + 1);
  if (tfs === null) return { starts, pos: new Int32Array(0) };
  for (let i = 0; i < n; i++) starts[i + 1] = (starts[i] as number) + (tfs[i] as number);
  const pos = new Int32Array(starts[n] as number);
  const r = new ByteReader(p.positionBytes);
  let k = 0;
  for (let i = 0; i < n; i++) {
    let last = 0;
    for (let j = tfs[i] as number; j > 0; j--) {
      last += r.uint();
      pos[k++] = last;
    }
  }
  return { starts, pos };
}
