import type { FacetCounts, FacetName, SearchAfter } from "./search-index.js";

/** Buckets per facet when a search does not say. */
export const DEFAULT_FACET_SIZE = 10;

/**
 * Keeps the best `limit` hits offered to it (score descending, then docno ascending) that come
 * strictly after `after`, in a bounded heap, so a page costs O(matches · log limit).
 */
export class TopHits {
  private readonly scores: Float64Array;
  private readonly docnos: Float64Array;
  private size = 0;

  constructor(
    private readonly limit: number,
    private readonly after: SearchAfter | undefined,
  ) {
    const n = Math.max(0, Math.floor(limit));
    this.scores = new Float64Array(n);
    this.docnos = new Float64Array(n);
  }

  /** Offers one matching document. */
  offer(docno: number, score: number): void {
    const after = this.after;
    if (after !== undefined && !(score < after.score || (score === after.score && docno > after.docno))) return;
    const cap = this.scores.length;
    if (cap === 0) return;
    if (this.size < cap) {
      this.scores[this.size] = score;
      this.docnos[this.size] = docno;
      this.up(this.size++);
      return;
    }
    // The root is the worst hit kept; replace it only by a better one.
    if (this.worse(score, docno, this.scores[0] as number, this.docnos[0] as number)) return;
    this.scores[0] = score;
    this.docnos[0] = docno;
    this.down(0);
  }

  /** The hits kept, best first. */
  hits(): { docno: number; score: number }[] {
    const out: { docno: number; score: number }[] = [];
    for (let i = 0; i < this.size; i++) out.push({ docno: this.docnos[i] as number, score: this.scores[i] as number });
    return out.sort((a, b) => b.score - a.score || a.docno - b.docno);
  }

  private worse(sa: number, da: number, sb: number, db: number): boolean {
    return sa < sb || (sa === sb && da > db);
  }

  private up(i: number): void {
    const s = this.scores;
    const d = this.docnos;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.worse(s[i] as number, d[i] as number, s[p] as number, d[p] as number)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const s = this.scores;
    const d = this.docnos;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) return;
      const r = l + 1;
      let w = l;
      if (r < this.size && this.worse(s[r] as number, d[r] as number, s[l] as number, d[l] as number)) w = r;
      if (!this.worse(s[w] as number, d[w] as number, s[i] as number, d[i] as number)) return;
      this.swap(i, w);
      i = w;
    }
  }

  private swap(a: number, b: number): void {
    const s = this.scores[a] as number;
    this.scores[a] = this.scores[b] as number;
    this.scores[b] = s;
    const d = this.docnos[a] as number;
    this.docnos[a] = this.docnos[b] as number;
    this.docnos[b] = d;
  }
}

/**
 * Turns a facet's counts into its buckets: largest count first, ties by value ascending (numbers
 * such as years and Nice classes numerically), at most `size` of them. Keeps only the best `size`
 * while scanning, since a facet such as `applicant` can have as many values as matches.
 */
export function facetBuckets(name: FacetName, counts: ReadonlyMap<string, number>, size: number): FacetCounts {
  const limit = Math.max(0, Math.floor(size));
  const order = (a: { value: string; count: number }, b: { value: string; count: number }): number => b.count - a.count || compareFacetValues(a.value, b.value);
  if (limit > 64) return { name, buckets: [...counts].map(([value, count]) => ({ value, count })).sort(order).slice(0, limit) };
  const best: { value: string; count: number }[] = [];
  for (const [value, count] of counts) {
    if (best.length === limit) {
      const worst = best[limit - 1];
      if (worst === undefined || order({ value, count }, worst) > 0) continue;
      best.pop();
    }
    // Insertion keeps `best` sorted; it is short (the facet size).
    let i = best.length;
    while (i > 0) {
      const prev = best[i - 1] as { value: string; count: number };
      if (order(prev, { value, count }) < 0) break;
      i--;
    }
    best.splice(i, 0, { value, count });
  }
  return { name, buckets: best };
}

const DIGITS = /^\d{1,15}$/;

/** Orders facet values: numerically when both are whole numbers, else by code unit. */
export function compareFacetValues(a: string, b: string): number {
  if (DIGITS.test(a) && DIGITS.test(b)) {
    const d = Number(a) - Number(b);
    if (d !== 0) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
