/**
 * The byte formats of the LevelDB index: unsigned LEB128 varints, and the postings of one term in
 * one segment:
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

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Appends varints, strings and bytes to a growing buffer. */
export class ByteWriter {
  private buf: Uint8Array;
  private pos = 0;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(Math.max(16, initialSize));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /** Appends an unsigned integer below 2^53 as a varint. */
  uint(n: number): void {
    if (this.pos + 10 > this.buf.length) this.grow(10);
    const buf = this.buf;
    let pos = this.pos;
    // Bit operations only work on 32 bits; larger values (docnos) take the division path.
    while (n > 0x7fffffff) {
      buf[pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    while (n > 0x7f) {
      buf[pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[pos++] = n;
    this.pos = pos;
  }

  /** Appends a signed integer as a zigzag varint. */
  int(n: number): void {
    this.uint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  /** Appends a string as its UTF-8 length and bytes. */
  string(s: string): void {
    const bytes = encoder.encode(s);
    this.uint(bytes.length);
    this.bytes(bytes);
  }

  /** Appends raw bytes. */
  bytes(bytes: Uint8Array): void {
    if (this.pos + bytes.length > this.buf.length) this.grow(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** The bytes written, as a new array of exactly their size. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private grow(extra: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + extra));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
}

/** Reads what a {@link ByteWriter} wrote, from a position. */
export class ByteReader {
  constructor(
    readonly buf: Uint8Array,
    public pos = 0,
  ) {}

  /** Tells whether every byte has been read. */
  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** Reads an unsigned varint. */
  uint(): number {
    const buf = this.buf;
    let b = buf[this.pos++] as number;
    if (b < 0x80) return b;
    let n = b & 0x7f;
    let shift = 7;
    for (;;) {
      b = buf[this.pos++] as number;
      if (b === undefined) throw new Error("truncated varint");
      n += shift < 28 ? (b & 0x7f) << shift : (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return n;
      shift += 7;
    }
  }

  /** Reads a zigzag varint. */
  int(): number {
    const z = this.uint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** Reads a length-prefixed UTF-8 string. */
  string(): string {
    const len = this.uint();
    const s = decoder.decode(this.buf.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }
}

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
 * Concatenates the postings of one term from several segments being merged, renumbering
 * ordinals with each part's `remap` (old ordinal → new, -1 to drop) and copying each kept
 * document's positions as bytes (they are delta-encoded from 0 per document, so they move as
 * they are). New ordinals must ascend across the parts in order. `undefined` when nothing is kept.
 */
export function mergePostings(parts: readonly { readonly postings: Postings; readonly remap: Int32Array }[]): Uint8Array | undefined {
  let n = 0;
  for (const { postings: p, remap } of parts) for (let i = 0; i < p.ords.length; i++) if ((remap[p.ords[i] as number] as number) >= 0) n++;
  if (n === 0) return undefined;
  const text = parts.some((x) => x.postings.tfs !== null);
  const w = new ByteWriter(16 + n * (text ? 4 : 2));
  w.uint(text ? FLAG_POSITIONS : 0);
  w.uint(n);
  let prev = 0;
  for (const { postings: p, remap } of parts) {
    for (let i = 0; i < p.ords.length; i++) {
      const o = remap[p.ords[i] as number] as number;
      if (o < 0) continue;
      w.uint(o - prev);
      prev = o;
    }
  }
  if (!text) return w.finish();
  for (const { postings: p, remap } of parts) {
    for (let i = 0; i < p.ords.length; i++) if ((remap[p.ords[i] as number] as number) >= 0) w.uint((p.tfs as Int32Array)[i] as number);
  }
  // Byte ranges of the kept documents' positions, then the skips, then the bytes themselves.
  const from = new Int32Array(n);
  const to = new Int32Array(n);
  const source = new Int32Array(n);
  let k = 0;
  parts.forEach(({ postings: p, remap }, part) => {
    indexPositions(p);
    const starts = p.docStarts as Int32Array;
    for (let i = 0; i < p.ords.length; i++) {
      if ((remap[p.ords[i] as number] as number) < 0) continue;
      from[k] = starts[i] as number;
      to[k] = i + 1 < starts.length ? (starts[i + 1] as number) : p.positionBytes.length;
      source[k++] = part;
    }
  });
  for (let b = POSITION_BLOCK; b < n; b += POSITION_BLOCK) {
    let len = 0;
    for (let d = b - POSITION_BLOCK; d < b; d++) len += (to[d] as number) - (from[d] as number);
    w.uint(len);
  }
  for (let d = 0; d < n; d++) w.bytes((parts[source[d] as number] as { postings: Postings }).postings.positionBytes.subarray(from[d], to[d]));
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
