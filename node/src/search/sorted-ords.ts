/**
 * Set operations on ascending arrays of segment-local ordinals, with optional scores (or term
 * frequencies) aligned to them: the building blocks of query evaluation in a segment.
 */

/** Ordinals of matching documents with their scores (`null`: all 0). */
export interface Matches {
  readonly ords: Int32Array;
  readonly scores: Float64Array | null;
}

/** No match. */
export const NO_MATCHES: Matches = { ords: new Int32Array(0), scores: null };

/** Returns the first index `>= from` of `a` whose value is `>= target` (galloping search). */
export function seek(a: Int32Array, from: number, target: number): number {
  let step = 1;
  let lo = from;
  let hi = from;
  while (hi < a.length && (a[hi] as number) < target) {
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  if (hi > a.length) hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The ordinals in both `a` and `b`. */
export function intersect(a: Int32Array, b: Int32Array): Int32Array {
  if (a.length > b.length) [a, b] = [b, a];
  const out = new Int32Array(a.length);
  let k = 0;
  let j = 0;
  // Galloping through the longer list pays when it is much longer; otherwise a plain merge.
  const gallop = b.length > 8 * a.length;
  for (let i = 0; i < a.length && j < b.length; i++) {
    const v = a[i] as number;
    if (gallop) j = seek(b, j, v);
    else while (j < b.length && (b[j] as number) < v) j++;
    if (j < b.length && b[j] === v) out[k++] = v;
  }
  return out.subarray(0, k);
}

/** The ordinals of `a` not in `b`. */
export function difference(a: Int32Array, b: Int32Array): Int32Array {
  if (b.length === 0) return a;
  const out = new Int32Array(a.length);
  let k = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as number;
    while (j < b.length && (b[j] as number) < v) j++;
    if (j >= b.length || b[j] !== v) out[k++] = v;
  }
  return out.subarray(0, k);
}

/**
 * Adds to `out` (aligned with `ords`) the scores `m` has for those ordinals; every one of `ords`
 * must be in `m`.
 */
export function addScores(out: Float64Array, ords: Int32Array, m: Matches): void {
  const scores = m.scores;
  if (scores === null) return;
  let j = 0;
  for (let i = 0; i < ords.length; i++) {
    j = seek(m.ords, j, ords[i] as number);
    out[i] = (out[i] as number) + (scores[j] as number);
  }
}

/** The union of two matches, scores added where both match (`a`'s first). */
export function union(a: Matches, b: Matches): Matches {
  if (b.ords.length === 0) return a;
  if (a.ords.length === 0) return b;
  const n = a.ords.length + b.ords.length;
  const ords = new Int32Array(n);
  const scored = a.scores !== null || b.scores !== null;
  const scores = scored ? new Float64Array(n) : null;
  const ao = a.ords;
  const bo = b.ords;
  const as = a.scores;
  const bs = b.scores;
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < ao.length || j < bo.length) {
    const x = i < ao.length ? (ao[i] as number) : Infinity;
    const y = j < bo.length ? (bo[j] as number) : Infinity;
    if (x < y) {
      ords[k] = x;
      if (scores !== null) scores[k] = as === null ? 0 : (as[i] as number);
      i++;
    } else if (y < x) {
      ords[k] = y;
      if (scores !== null) scores[k] = bs === null ? 0 : (bs[j] as number);
      j++;
    } else {
      ords[k] = x;
      if (scores !== null) scores[k] = (as === null ? 0 : (as[i] as number)) + (bs === null ? 0 : (bs[j] as number));
      i++;
      j++;
    }
    k++;
  }
  return { ords: ords.subarray(0, k), scores: scores === null ? null : scores.subarray(0, k) };
}

/**
 * The union of several matches in one pass (a k-way merge over their heads), each document's
 * scores added in the order of `lists` starting from 0: the same sums as pairwise unions, without
 * their intermediate arrays.
 */
export function unionAll(lists: readonly Matches[]): Matches {
  const k = lists.length;
  if (k === 0) return NO_MATCHES;
  if (k === 1) return lists[0] as Matches;
  let total = 0;
  let scored = false;
  for (const l of lists) {
    total += l.ords.length;
    if (l.scores !== null) scored = true;
  }
  const ords = new Int32Array(total);
  const scores = scored ? new Float64Array(total) : null;
  const heads = new Int32Array(k);
  let n = 0;
  for (;;) {
    let min = 0x7fffffff;
    for (let c = 0; c < k; c++) {
      const l = (lists[c] as Matches).ords;
      const h = heads[c] as number;
      if (h < l.length && (l[h] as number) < min) min = l[h] as number;
    }
    if (min === 0x7fffffff) break;
    let s = 0;
    for (let c = 0; c < k; c++) {
      const l = lists[c] as Matches;
      const h = heads[c] as number;
      if (h >= l.ords.length || l.ords[h] !== min) continue;
      if (l.scores !== null) s += l.scores[h] as number;
      heads[c] = h + 1;
    }
    ords[n] = min;
    if (scores !== null) scores[n] = s;
    n++;
  }
  return { ords: ords.subarray(0, n), scores: scores === null ? null : scores.subarray(0, n) };
}

/** Ordinals with term frequencies (or `null` for exact-value fields). */
export interface OrdsTfs {
  readonly ords: Int32Array;
  readonly tfs: Int32Array | null;
}

/**
 * The union of several postings lists with their frequencies summed (the parts of `tx`, prefix
 * expansions): merged pairwise when they are few, else a dense accumulator over the segment when
 * the lists are long, or a sort of the concatenation when they are short.
 */
export function unionTfs(lists: readonly OrdsTfs[], segmentSize: number): OrdsTfs {
  if (lists.length === 1) return lists[0] as OrdsTfs;
  if (lists.length <= 8) return mergeTfs(lists);
  const withTf = lists.some((l) => l.tfs !== null);
  let total = 0;
  for (const l of lists) total += l.ords.length;
  if (total * 8 >= segmentSize) {
    const acc = new Int32Array(segmentSize);
    for (const l of lists) {
      const tfs = l.tfs;
      for (let i = 0; i < l.ords.length; i++) {
        const o = l.ords[i] as number;
        acc[o] = (acc[o] as number) + (tfs === null ? 1 : (tfs[i] as number));
      }
    }
    let k = 0;
    for (let i = 0; i < segmentSize; i++) if (acc[i] !== 0) k++;
    const ords = new Int32Array(k);
    const tfs = withTf ? new Int32Array(k) : null;
    k = 0;
    for (let i = 0; i < segmentSize; i++) {
      if (acc[i] === 0) continue;
      ords[k] = i;
      if (tfs !== null) tfs[k] = acc[i] as number;
      k++;
    }
    return { ords, tfs };
  }
  // Ordinal and frequency packed in one double (ordinal < 2^31, frequency < 2^21), so one
  // numeric sort orders them.
  const packed = new Float64Array(total);
  let k = 0;
  for (const l of lists) {
    for (let i = 0; i < l.ords.length; i++) packed[k++] = (l.ords[i] as number) * 2_097_152 + (l.tfs === null ? 1 : Math.min(l.tfs[i] as number, 2_097_151));
  }
  packed.sort();
  const ords = new Int32Array(total);
  const tfs = withTf ? new Int32Array(total) : null;
  let n = 0;
  for (let i = 0; i < total; i++) {
    const v = packed[i] as number;
    const ord = Math.floor(v / 2_097_152);
    const tf = v - ord * 2_097_152;
    if (n > 0 && ords[n - 1] === ord) {
      if (tfs !== null) tfs[n - 1] = (tfs[n - 1] as number) + tf;
      continue;
    }
    ords[n] = ord;
    if (tfs !== null) tfs[n] = tf;
    n++;
  }
  return { ords: ords.subarray(0, n), tfs: tfs === null ? null : tfs.subarray(0, n) };
}

/** The union of a few postings lists, frequencies summed, in one k-way pass. */
function mergeTfs(lists: readonly OrdsTfs[]): OrdsTfs {
  const k = lists.length;
  let total = 0;
  for (const l of lists) total += l.ords.length;
  const withTf = lists.some((l) => l.tfs !== null);
  const ords = new Int32Array(total);
  const tfs = withTf ? new Int32Array(total) : null;
  const heads = new Int32Array(k);
  let n = 0;
  for (;;) {
    let min = 0x7fffffff;
    for (let c = 0; c < k; c++) {
      const l = (lists[c] as OrdsTfs).ords;
      const h = heads[c] as number;
      if (h < l.length && (l[h] as number) < min) min = l[h] as number;
    }
    if (min === 0x7fffffff) break;
    let tf = 0;
    for (let c = 0; c < k; c++) {
      const l = lists[c] as OrdsTfs;
      const h = heads[c] as number;
      if (h >= l.ords.length || l.ords[h] !== min) continue;
      tf += l.tfs === null ? 1 : (l.tfs[h] as number);
      heads[c] = h + 1;
    }
    ords[n] = min;
    if (tfs !== null) tfs[n] = tf;
    n++;
  }
  return { ords: ords.subarray(0, n), tfs: tfs === null ? null : tfs.subarray(0, n) };
}

/** The entries of `m` whose ordinals are in `within`. */
export function restrictTfs(m: OrdsTfs, within: Int32Array): OrdsTfs {
  const out = new Int32Array(Math.min(m.ords.length, within.length));
  const tfs = m.tfs === null ? null : new Int32Array(out.length);
  let k = 0;
  let j = 0;
  // Gallop through whichever side is longer.
  if (m.ords.length <= within.length) {
    for (let i = 0; i < m.ords.length; i++) {
      const o = m.ords[i] as number;
      j = seek(within, j, o);
      if (j >= within.length) break;
      if (within[j] !== o) continue;
      out[k] = o;
      if (tfs !== null) tfs[k] = (m.tfs as Int32Array)[i] as number;
      k++;
    }
  } else {
    for (let w = 0; w < within.length; w++) {
      const o = within[w] as number;
      j = seek(m.ords, j, o);
      if (j >= m.ords.length) break;
      if (m.ords[j] !== o) continue;
      out[k] = o;
      if (tfs !== null) tfs[k] = (m.tfs as Int32Array)[j] as number;
      k++;
    }
  }
  return { ords: out.subarray(0, k), tfs: tfs === null ? null : tfs.subarray(0, k) };
}

/** Keeps the live documents of a postings list (`live[ord] === 1`). */
export function filterLive(list: OrdsTfs, live: Uint8Array, allLive: boolean): OrdsTfs {
  if (allLive) return list;
  const { ords, tfs } = list;
  const outOrds = new Int32Array(ords.length);
  const outTfs = tfs === null ? null : new Int32Array(ords.length);
  let k = 0;
  for (let i = 0; i < ords.length; i++) {
    const o = ords[i] as number;
    if (live[o] !== 1) continue;
    outOrds[k] = o;
    if (outTfs !== null && tfs !== null) outTfs[k] = tfs[i] as number;
    k++;
  }
  return { ords: outOrds.subarray(0, k), tfs: outTfs === null ? null : outTfs.subarray(0, k) };
}
