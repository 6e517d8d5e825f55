import type { TextField } from "./index-document.js";
import { storedCodes } from "./level-keys.js";
import { mergePositions, phraseFrequency } from "./phrase.js";
import { indexPositions, positionsOf } from "./postings-codec.js";
import type { Postings } from "./postings-codec.js";
import type { PlanSlot } from "./query-plan.js";
import type { Segment } from "./segment.js";
import { filterLive, intersect, restrictTfs, seek, unionTfs } from "./sorted-ords.js";
import type { OrdsTfs } from "./sorted-ords.js";

/** What a query fetched from the database, looked up synchronously while it is evaluated. */
export interface FetchedData {
  /** The terms a slot or clause stands for in a segment: itself, or its prefix's expansion there. */
  terms(segment: Segment, code: string, term: string, prefix: boolean): readonly string[];
  /** The postings of a term in a segment, `undefined` when the segment does not hold it. */
  postings(segment: Segment, code: string, term: string): Postings | undefined;
}

const EMPTY: OrdsTfs = { ords: new Int32Array(0), tfs: new Int32Array(0) };

/**
 * Matches the text clauses of one query in one segment, remembering what it computed: free text
 * asks ti, ab and cl, then tx again through the same parts, and every clause of an OR is asked
 * for the same documents.
 */
export class SegmentText {
  private readonly slots = new Map<string, OrdsTfs>();
  private readonly phrases = new Map<string, OrdsTfs>();
  private readonly restricted = new WeakMap<Int32Array, Map<string, OrdsTfs>>();

  constructor(
    readonly segment: Segment,
    private readonly data: FetchedData,
  ) {}

  /**
   * The live documents holding any term of a slot in a field (for `tx`, in any of its parts),
   * with the term frequencies summed: the slot's document frequency, and the matches of a clause
   * of that one slot.
   */
  slotDocs(field: TextField, slot: PlanSlot): OrdsTfs {
    const key = field + slotKey(slot);
    let m = this.slots.get(key);
    if (m === undefined) {
      const seg = this.segment;
      const lists: OrdsTfs[] = [];
      for (const code of storedCodes(field)) {
        for (const t of this.data.terms(seg, code, slot.term, slot.prefix)) {
          const p = this.data.postings(seg, code, t);
          if (p !== undefined) lists.push(p);
        }
      }
      m = lists.length === 0 ? EMPTY : filterLive(unionTfs(lists, seg.count), seg.live, seg.liveCount === seg.count);
      this.slots.set(key, m);
    }
    return m;
  }

  /**
   * The live documents (among `within`, when given) where the slots occur at consecutive
   * positions in `field`, with the number of occurrences; for `tx`, summed over its parts.
   */
  matches(field: TextField, slots: readonly PlanSlot[], within: Int32Array | undefined): OrdsTfs {
    if (slots.length === 1) {
      const m = this.slotDocs(field, slots[0] as PlanSlot);
      return within === undefined ? m : restrictTfs(m, within);
    }
    const memo = within === undefined ? this.phrases : this.memoFor(within);
    const key = field + slots.map(slotKey).join("");
    let m = memo.get(key);
    if (m === undefined) {
      const parts = storedCodes(field).map((code) => {
        const partKey = `${code}\u0002${slots.map(slotKey).join("")}`;
        let p = memo.get(partKey);
        if (p === undefined) memo.set(partKey, (p = this.phrase(code, slots, within)));
        return p;
      });
      const found = parts.filter((p) => p.ords.length > 0);
      m = found.length === 0 ? EMPTY : unionTfs(found, this.segment.count);
      memo.set(key, m);
    }
    return m;
  }

  private memoFor(within: Int32Array): Map<string, OrdsTfs> {
    let memo = this.restricted.get(within);
    if (memo === undefined) this.restricted.set(within, (memo = new Map()));
    return memo;
  }

  /** Phrase matches in one stored field: documents holding every slot, then their positions. */
  private phrase(code: string, slots: readonly PlanSlot[], within: Int32Array | undefined): OrdsTfs {
    const seg = this.segment;
    const slotPostings: Postings[][] = [];
    for (const slot of slots) {
      const postings: Postings[] = [];
      for (const t of this.data.terms(seg, code, slot.term, slot.prefix)) {
        const p = this.data.postings(seg, code, t);
        if (p !== undefined) postings.push(p);
      }
      if (postings.length === 0) return EMPTY;
      slotPostings.push(postings);
    }
    const slotOrds = slotPostings.map((ps) => (ps.length === 1 ? (ps[0] as Postings).ords : unionTfs(ps.map((p) => ({ ords: p.ords, tfs: null })), seg.count).ords));
    if (within !== undefined) slotOrds.push(within);
    slotOrds.sort((a, b) => a.length - b.length);
    let cand = slotOrds[0] as Int32Array;
    for (let i = 1; i < slotOrds.length && cand.length > 0; i++) cand = intersect(cand, slotOrds[i] as Int32Array);
    cand = filterLive({ ords: cand, tfs: null }, seg.live, seg.liveCount === seg.count).ords;
    if (cand.length === 0) return EMPTY;
    return verify(cand, slotPostings);
  }
}

function slotKey(slot: PlanSlot): string {
  return (slot.prefix ? "\u0001*" : "\u0001=") + slot.term;
}

/**
 * Counts the phrase's occurrences in each candidate document, decoding only the candidates'
 * positions, into buffers reused from one to the next; a list read for many of its documents
 * first gets a full index of where each one's positions are.
 */
function verify(cand: Int32Array, slotPostings: readonly Postings[][]): OrdsTfs {
  for (const ps of slotPostings) for (const p of ps) if (cand.length * 16 > p.ords.length) indexPositions(p);
  const n = slotPostings.length;
  const buffers = slotPostings.map((ps) => ps.map(() => new Int32Array(16)));
  const cursors = slotPostings.map((ps) => new Int32Array(ps.length));
  const lists = new Array<ArrayLike<number>>(n);
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  const scratch = new Int32Array(n);
  const outOrds = new Int32Array(cand.length);
  const outTfs = new Int32Array(cand.length);
  let k = 0;
  for (let c = 0; c < cand.length; c++) {
    const ord = cand[c] as number;
    for (let s = 0; s < n; s++) {
      const ps = slotPostings[s] as Postings[];
      const bufs = buffers[s] as Int32Array[];
      const cur = cursors[s] as Int32Array;
      // Views are made only for a prefix slot's several terms: the common case allocates nothing.
      const ranges: Int32Array[] | undefined = ps.length > 1 ? [] : undefined;
      for (let e = 0; e < ps.length; e++) {
        const p = ps[e] as Postings;
        const j = seek(p.ords, cur[e] as number, ord);
        cur[e] = j;
        if (j >= p.ords.length || p.ords[j] !== ord) continue;
        const tf = (p.tfs as Int32Array)[j] as number;
        let buf = bufs[e] as Int32Array;
        if (buf.length < tf) bufs[e] = buf = new Int32Array(tf * 2);
        positionsOf(p, j, buf);
        if (ranges === undefined) {
          lists[s] = buf;
          ends[s] = tf;
        } else ranges.push(buf.subarray(0, tf));
      }
      if (ranges !== undefined) {
        const merged = mergePositions(ranges);
        lists[s] = merged;
        ends[s] = merged.length;
      }
    }
    const tf = phraseFrequency(lists, starts, ends, scratch);
    if (tf > 0) {
      outOrds[k] = ord;
      outTfs[k++] = tf;
    }
  }
  return { ords: outOrds.subarray(0, k), tfs: outTfs.subarray(0, k) };
}
