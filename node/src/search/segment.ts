import { DocColumns } from "./doc-columns.js";
import type { StringPool } from "./doc-columns.js";
import { KEYWORD_FIELDS, TEXT_FIELDS } from "./index-document.js";
import type { IndexDocument, TextFieldTokens } from "./index-document.js";
import { columnsKey, compareKeys, DESCRIPTION_CODE, FIELD_CODES, headerKey, postingsPrefix, segmentEndKey } from "./level-keys.js";
import { encodePostingsRun } from "./postings-codec.js";

/** What a segment header (`g/<seg>`) records. */
export interface SegmentHeader {
  /** Documents in the segment, live or not. */
  readonly count: number;
  /** Bytes of postings, for the merge policy and reports. */
  readonly bytes: number;
}

/**
 * One immutable segment as held in memory: its id, document columns and the live-documents
 * bitmap, which is the only part that changes (removals clear bits; merges drop the documents).
 */
export class Segment {
  /** 1 for a live document, by ordinal. */
  readonly live: Uint8Array;
  private liveDocs: number;
  private contentsCache: { readonly datasets: ReadonlySet<number>; readonly maxTier: number } | undefined;
  private liveOrdsCache: Int32Array | undefined;
  // Docno lookup for removals: ordinals sorted by docno, unless docnos are already ascending.
  private readonly byDocno: Int32Array | undefined;
  readonly minDocno: number;
  readonly maxDocno: number;

  constructor(
    readonly id: number,
    readonly columns: DocColumns,
    readonly header: SegmentHeader,
  ) {
    const n = columns.count;
    this.live = new Uint8Array(n).fill(1);
    this.liveDocs = n;
    const d = columns.docnos;
    let ascending = true;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = d[i] as number;
      if (i > 0 && v <= (d[i - 1] as number)) ascending = false;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    this.minDocno = min;
    this.maxDocno = max;
    if (!ascending) {
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => (d[a] as number) - (d[b] as number));
      this.byDocno = order;
    }
  }

  /** Documents in the segment, live or not. */
  get count(): number {
    return this.columns.count;
  }

  /** Live documents. */
  get liveCount(): number {
    return this.liveDocs;
  }

  /** Returns the ordinal of a document number, or -1. */
  ordOf(docno: number): number {
    if (docno < this.minDocno || docno > this.maxDocno) return -1;
    const d = this.columns.docnos;
    const order = this.byDocno;
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const ord = order === undefined ? mid : (order[mid] as number);
      const v = d[ord] as number;
      if (v === docno) return ord;
      if (v < docno) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Marks a document removed; false if it already was. */
  markDead(ord: number): boolean {
    if (this.live[ord] === 0) return false;
    this.live[ord] = 0;
    this.liveDocs--;
    this.liveOrdsCache = undefined;
    return true;
  }

  /**
   * The datasets (pool ids) and the highest access tier among the documents, so that a
   * search whose filters let every document of the segment through skips them. Computed once
   * over every document, live or not: removals can only make it an over-estimate, which just
   * means the filter runs.
   */
  contents(): { readonly datasets: ReadonlySet<number>; readonly maxTier: number } {
    if (this.contentsCache === undefined) {
      const ds = new Set<number>();
      let maxTier = 0;
      const dcol = this.columns.dataset;
      const tcol = this.columns.accessTier;
      for (let i = 0; i < this.count; i++) {
        ds.add(dcol[i] as number);
        if ((tcol[i] as number) > maxTier) maxTier = tcol[i] as number;
      }
      this.contentsCache = { datasets: ds, maxTier };
    }
    return this.contentsCache;
  }

  /** The live ordinals, ascending (cached until the next removal). */
  liveOrds(): Int32Array {
    if (this.liveOrdsCache === undefined) {
      const out = new Int32Array(this.liveDocs);
      let k = 0;
      for (let i = 0; i < this.live.length; i++) if (this.live[i] === 1) out[k++] = i;
      this.liveOrdsCache = out;
    }
    return this.liveOrdsCache;
  }
}

// Every text field but `tx`, which is stored as its parts (see level-keys.ts).
const STORED_TEXT = TEXT_FIELDS.filter((f) => f !== "tx");

/** A segment built from new documents, with the key-value pairs that store it. */
export interface BuiltSegment {
  readonly segment: Segment;
  /** Every key of the segment with its value, in key order. */
  readonly entries: readonly (readonly [string, Uint8Array])[];
}

/**
 * Inverts a batch of documents into a new segment: documents get ordinals in docno order, every
 * term of every field one postings value, plus the columns and the header.
 *
 * Every token becomes one (term id, ordinal, position) entry in flat typed arrays, and a
 * counting sort by term id groups each term's entries in document and position order: no array
 * per term, which would leave the garbage collector most of the work.
 */
export function buildSegment(id: number, docs: readonly { readonly docno: number; readonly doc: IndexDocument }[], pool: StringPool): BuiltSegment {
  const sorted = [...docs].sort((a, b) => a.docno - b.docno);
  let total = 0;
  for (const { doc } of sorted) {
    for (const field of STORED_TEXT) total += doc.text[field].terms.length;
    total += doc.description.terms.length;
    for (const field of KEYWORD_FIELDS) total += doc.keywords[field].length;
  }
  const tids = new Int32Array(total);
  const ords = new Int32Array(total);
  const positions = new Int32Array(total);
  // One term-id map per field, so the hot loop looks terms up without building key strings.
  const keys: string[] = [];
  const withPositions: boolean[] = [];
  const maps = [...STORED_TEXT, DESCRIPTION_CODE, ...KEYWORD_FIELDS].map(() => new Map<string, number>());
  const termId = (f: number, code: string, term: string, text: boolean): number => {
    const map = maps[f] as Map<string, number>;
    let t = map.get(term);
    if (t === undefined) {
      t = keys.length;
      map.set(term, t);
      keys.push(code + term);
      withPositions.push(text);
    }
    return t;
  };
  let k = 0;
  sorted.forEach(({ doc }, ord) => {
    const text = (f: number, code: string, { terms, positions: pos }: TextFieldTokens): void => {
      for (let i = 0; i < terms.length; i++) {
        tids[k] = termId(f, code, terms[i] as string, true);
        ords[k] = ord;
        positions[k++] = pos[i] as number;
      }
    };
    STORED_TEXT.forEach((field, f) => text(f, FIELD_CODES[field], doc.text[field]));
    text(STORED_TEXT.length, DESCRIPTION_CODE, doc.description);
    KEYWORD_FIELDS.forEach((field, i) => {
      const f = STORED_TEXT.length + 1 + i;
      for (const value of doc.keywords[field]) {
        tids[k] = termId(f, FIELD_CODES[field], value, false);
        ords[k] = ord;
        positions[k++] = 0;
      }
    });
  });
  // Counting sort by term id; stable, so each term's run stays in (ordinal, position) order.
  const starts = new Int32Array(keys.length + 1);
  for (let i = 0; i < total; i++) {
    const t = (tids[i] as number) + 1;
    starts[t] = (starts[t] as number) + 1;
  }
  for (let t = 0; t < keys.length; t++) starts[t + 1] = (starts[t + 1] as number) + (starts[t] as number);
  const fill = starts.slice(0, keys.length);
  const order = new Int32Array(total);
  for (let i = 0; i < total; i++) {
    const t = tids[i] as number;
    order[fill[t] as number] = i;
    fill[t] = (fill[t] as number) + 1;
  }
  const columns = DocColumns.build(sorted, pool);
  const prefix = postingsPrefix(id);
  const byKey = keys.map((_, t) => t).sort((a, b) => compareKeys(keys[a] as string, keys[b] as string));
  const entries: [string, Uint8Array][] = [];
  let bytes = 0;
  for (const t of byKey) {
    const value = encodePostingsRun(order, starts[t] as number, starts[t + 1] as number, ords, withPositions[t] === true ? positions : null);
    bytes += value.length;
    entries.push([prefix + (keys[t] as string), value]);
  }
  const header: SegmentHeader = { count: sorted.length, bytes };
  entries.push([segmentEndKey(id), new Uint8Array(0)]);
  entries.unshift([columnsKey(id), columns.encode(pool)]);
  entries.unshift([headerKey(id), encodeHeader(header)]);
  return { segment: new Segment(id, columns, header), entries };
}

/** Encodes a segment header. */
export function encodeHeader(header: SegmentHeader): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(header));
}

/** Decodes a segment header. */
export function decodeHeader(bytes: Uint8Array): SegmentHeader {
  const h = JSON.parse(new TextDecoder().decode(bytes)) as Partial<SegmentHeader>;
  if (typeof h.count !== "number") throw new Error("malformed segment header");
  return { count: h.count, bytes: h.bytes ?? 0 };
}
