import { bm25, bm25Weight } from "./bm25.js";
import type { StringPool } from "./doc-columns.js";
import { TEXT_FIELDS } from "./index-document.js";
import type { TextField } from "./index-document.js";
import { FIELD_CODES, storedCodes } from "./level-keys.js";
import { mergePositions, phraseFrequency } from "./phrase.js";
import { indexPositions, positionsOf } from "./postings-codec.js";
import type { Postings } from "./postings-codec.js";
import type { PlanNode, PlanSlot, QueryPlan } from "./query-plan.js";
import { DEFAULT_FACET_SIZE, TopHits } from "./result-page.js";
import type { IndexSearchOptions, IndexSearchResult } from "./search-index.js";
import type { Segment } from "./segment.js";
import { FacetCounter } from "./segment-facets.js";
import { addScores, difference, filterLive, intersect, NO_MATCHES, seek, union, unionTfs } from "./sorted-ords.js";
import type { Matches, OrdsTfs } from "./sorted-ords.js";

/** What a query fetched from the database, looked up synchronously while it is evaluated. */
export interface FetchedData {
  /** The terms a slot or clause stands for in a segment: itself, or its prefix's expansion there. */
  terms(segment: Segment, code: string, term: string, prefix: boolean): readonly string[];
  /** The postings of a term in a segment, `undefined` when the segment does not hold it. */
  postings(segment: Segment, code: string, term: string): Postings | undefined;
}

/** Index-wide figures BM25 needs: live documents and total tokens per text field. */
export interface IndexStats {
  readonly n: number;
  /** By `TEXT_FIELDS` index. */
  readonly totalLength: Float64Array;
}

const EMPTY: OrdsTfs = { ords: new Int32Array(0), tfs: new Int32Array(0) };

/**
 * Evaluates a compiled query over the segments, all of whose postings are in `data`: text
 * clauses are matched in every segment first, so that BM25 sees their document frequency over
 * the whole index, then each segment's boolean tree is evaluated on sorted ordinal arrays, and
 * the matches go to the page heap and the facet counters.
 *
 * Scores are summed in clause order starting from 0, exactly as `MemorySearchIndex` does.
 */
export function searchSegments(
  plan: QueryPlan,
  segments: readonly Segment[],
  data: FetchedData,
  stats: IndexStats,
  pool: StringPool,
  options: IndexSearchOptions,
): IndexSearchResult {
  // Text clauses: per clause, per segment, the matching live documents with frequencies.
  const leafMatches: OrdsTfs[][] = [];
  const leafWeight: number[] = [];
  // Free text asks ti, ab and cl, and tx again through its parts: each is matched once.
  const memo = segments.map(() => new Map<string, OrdsTfs>());
  const visit = (node: PlanNode): void => {
    if (node.op === "text") {
      const perSegment = segments.map((s, si) => textMatches(s, node.field, node.slots, data, memo[si] as Map<string, OrdsTfs>));
      let df = 0;
      for (const m of perSegment) df += m.ords.length;
      leafMatches[node.leaf] = perSegment;
      leafWeight[node.leaf] = bm25Weight(node.weight, stats.n, df);
    } else if (node.op === "and" || node.op === "or") node.children.forEach(visit);
    else if (node.op === "not") visit(node.child);
  };
  visit(plan.root);

  let datasets: Int32Array | undefined;
  if (options.datasets !== undefined && options.datasets.length > 0) {
    datasets = Int32Array.from(options.datasets.map((d) => pool.find(d)).filter((id) => id >= 0));
  }
  const top = new TopHits(options.limit, options.after);
  const counters = (options.facets ?? []).map((name) => new FacetCounter(name, pool));
  let total = 0;
  segments.forEach((segment, si) => {
    const ctx: SegmentContext = { segment, si, data, stats, leafMatches, leafWeight };
    let m = evaluate(plan.root, ctx);
    if (datasets !== undefined) m = keepDatasets(m, segment, datasets);
    const { ords, scores } = m;
    total += ords.length;
    const docnos = segment.columns.docnos;
    for (let i = 0; i < ords.length; i++) top.offer(docnos[ords[i] as number] as number, scores === null ? 0 : (scores[i] as number));
    for (const c of counters) c.add(segment.columns, ords);
  });
  const size = options.facetSize ?? DEFAULT_FACET_SIZE;
  return { total, hits: top.hits(), facets: counters.map((c) => c.finish(size)) };
}

interface SegmentContext {
  readonly segment: Segment;
  readonly si: number;
  readonly data: FetchedData;
  readonly stats: IndexStats;
  readonly leafMatches: readonly OrdsTfs[][];
  readonly leafWeight: readonly number[];
}

function evaluate(node: PlanNode, ctx: SegmentContext): Matches {
  const seg = ctx.segment;
  switch (node.op) {
    case "none":
      return NO_MATCHES;
    case "all":
      return { ords: seg.liveOrds(), scores: null };
    case "text":
      return scoreText(node.field, ctx.leafMatches[node.leaf]?.[ctx.si] ?? EMPTY, ctx.leafWeight[node.leaf] as number, ctx);
    case "keyword":
    case "keyword_prefix": {
      const code = FIELD_CODES[node.field];
      const terms = node.op === "keyword" ? node.terms : ctx.data.terms(seg, code, node.prefix, true);
      const lists: OrdsTfs[] = [];
      for (const t of terms) {
        const p = ctx.data.postings(seg, code, t);
        if (p !== undefined) lists.push({ ords: p.ords, tfs: null });
      }
      if (lists.length === 0) return NO_MATCHES;
      const u = filterLive(unionTfs(lists, seg.count), seg.live, seg.liveCount === seg.count);
      return { ords: u.ords, scores: null };
    }
    case "range": {
      const col = seg.columns[node.field];
      const out = new Int32Array(seg.count);
      let k = 0;
      for (let i = 0; i < col.length; i++) {
        const v = col[i] as number;
        if (v !== 0 && v >= node.from && v <= node.to && seg.live[i] === 1) out[k++] = i;
      }
      return { ords: out.subarray(0, k), scores: null };
    }
    case "not":
      return { ords: difference(seg.liveOrds(), evaluate(node.child, ctx).ords), scores: null };
    case "or":
      return evaluateOr(node.children, ctx);
    case "and":
      return evaluateAnd(node.children, ctx);
  }
}

function evaluateOr(children: readonly PlanNode[], ctx: SegmentContext): Matches {
  const results = children.map((c) => evaluate(c, ctx));
  let total = 0;
  for (const r of results) total += r.ords.length;
  const n = ctx.segment.count;
  // Pairwise merges cost about clauses × matches; the dense pass two scans of the segment.
  if (results.length < 3 || total < n) return results.reduce(union, NO_MATCHES);
  // Many large clauses: one dense pass. Each document's scores are still added in clause order
  // from 0, so the sums are those of the pairwise unions.
  const acc = new Float64Array(n);
  const hit = new Uint8Array(n);
  let scored = false;
  for (const { ords, scores } of results) {
    if (scores !== null) scored = true;
    for (let i = 0; i < ords.length; i++) {
      const o = ords[i] as number;
      hit[o] = 1;
      if (scores !== null) acc[o] = (acc[o] as number) + (scores[i] as number);
    }
  }
  let k = 0;
  for (let o = 0; o < n; o++) k += hit[o] as number;
  const ords = new Int32Array(k);
  const scores = scored ? new Float64Array(k) : null;
  k = 0;
  for (let o = 0; o < n; o++) {
    if (hit[o] === 0) continue;
    if (scores !== null) scores[k] = acc[o] as number;
    ords[k++] = o;
  }
  return { ords, scores };
}

function evaluateAnd(children: readonly PlanNode[], ctx: SegmentContext): Matches {
  // NOT clauses subtract from the others instead of being complemented (they score 0).
  const results = children.map((c) => (c.op === "not" ? undefined : evaluate(c, ctx)));
  const positive = results.filter((r) => r !== undefined).sort((a, b) => a.ords.length - b.ords.length);
  let ords = positive[0]?.ords ?? ctx.segment.liveOrds();
  for (let i = 1; i < positive.length && ords.length > 0; i++) ords = intersect(ords, (positive[i] as Matches).ords);
  children.forEach((c) => {
    if (c.op === "not" && ords.length > 0) ords = difference(ords, evaluate(c.child, ctx).ords);
  });
  if (!results.some((r) => r?.scores != null)) return { ords, scores: null };
  const scores = new Float64Array(ords.length);
  for (const r of results) if (r !== undefined) addScores(scores, ords, r);
  return { ords, scores };
}

function scoreText(field: TextField, m: OrdsTfs, weightIdf: number, ctx: SegmentContext): Matches {
  const f = TEXT_FIELDS.indexOf(field);
  const lengths = ctx.segment.columns.lengths[f] as Int32Array;
  const avgdl = (ctx.stats.totalLength[f] as number) / ctx.stats.n;
  const scores = new Float64Array(m.ords.length);
  const tfs = m.tfs as Int32Array;
  for (let i = 0; i < m.ords.length; i++) scores[i] = bm25(weightIdf, tfs[i] as number, lengths[m.ords[i] as number] as number, avgdl);
  return { ords: m.ords, scores };
}

/**
 * The live documents of a segment where the slots occur at consecutive positions in `field`,
 * with the number of occurrences; for `tx`, summed over the fields it is stored as.
 */
function textMatches(seg: Segment, field: TextField, slots: readonly PlanSlot[], data: FetchedData, memo: Map<string, OrdsTfs>): OrdsTfs {
  const slotsKey = slots.map((s) => (s.prefix ? "*" : "=") + s.term).join("\u0001");
  const matches = (code: string): OrdsTfs => {
    const key = code + slotsKey;
    let m = memo.get(key);
    if (m === undefined) memo.set(key, (m = codeMatches(seg, code, slots, data)));
    return m;
  };
  const codes = storedCodes(field);
  if (codes.length === 1) return matches(codes[0] as string);
  const parts = codes.map(matches).filter((m) => m.ords.length > 0);
  if (parts.length === 0) return EMPTY;
  return unionTfs(parts, seg.count);
}

function codeMatches(seg: Segment, code: string, slots: readonly PlanSlot[], data: FetchedData): OrdsTfs {
  const slotPostings: Postings[][] = [];
  for (const slot of slots) {
    const postings: Postings[] = [];
    for (const t of data.terms(seg, code, slot.term, slot.prefix)) {
      const p = data.postings(seg, code, t);
      if (p !== undefined) postings.push(p);
    }
    if (postings.length === 0) return EMPTY;
    slotPostings.push(postings);
  }
  const allLive = seg.liveCount === seg.count;
  if (slots.length === 1) return filterLive(unionTfs(slotPostings[0] as Postings[], seg.count), seg.live, allLive);

  // A phrase: documents holding every slot, then a check of positions in each.
  const slotOrds = slotPostings.map((ps) => (ps.length === 1 ? (ps[0] as Postings).ords : unionTfs(ps.map((p) => ({ ords: p.ords, tfs: null })), seg.count).ords));
  slotOrds.sort((a, b) => a.length - b.length);
  let cand = slotOrds[0] as Int32Array;
  for (let i = 1; i < slotOrds.length && cand.length > 0; i++) cand = intersect(cand, slotOrds[i] as Int32Array);
  cand = filterLive({ ords: cand, tfs: null }, seg.live, allLive).ords;
  if (cand.length === 0) return EMPTY;

  // Positions are decoded for the candidates only, into buffers reused from one to the next;
  // a list read for many of its documents gets a full index of where each one's positions are.
  for (const ps of slotPostings) for (const p of ps) if (cand.length * 16 > p.ords.length) indexPositions(p);
  const buffers = slotPostings.map((ps) => ps.map(() => new Int32Array(16)));
  const cursors = slotPostings.map((ps) => new Int32Array(ps.length));
  const n = slots.length;
  const lists = new Array<ArrayLike<number>>(n);
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  const outOrds = new Int32Array(cand.length);
  const outTfs = new Int32Array(cand.length);
  let k = 0;
  for (let c = 0; c < cand.length; c++) {
    const ord = cand[c] as number;
    for (let s = 0; s < n; s++) {
      const ps = slotPostings[s] as Postings[];
      const bufs = buffers[s] as Int32Array[];
      const cur = cursors[s] as Int32Array;
      const ranges: Int32Array[] = [];
      for (let e = 0; e < ps.length; e++) {
        const p = ps[e] as Postings;
        const j = seek(p.ords, cur[e] as number, ord);
        cur[e] = j;
        if (j >= p.ords.length || p.ords[j] !== ord) continue;
        const tf = (p.tfs as Int32Array)[j] as number;
        let buf = bufs[e] as Int32Array;
        if (buf.length < tf) bufs[e] = buf = new Int32Array(tf * 2);
        positionsOf(p, j, buf);
        ranges.push(buf.subarray(0, tf));
      }
      const merged = ranges.length === 1 ? (ranges[0] as Int32Array) : mergePositions(ranges);
      lists[s] = merged;
      starts[s] = 0;
      ends[s] = merged.length;
    }
    const tf = phraseFrequency(lists, starts, ends);
    if (tf > 0) {
      outOrds[k] = ord;
      outTfs[k++] = tf;
    }
  }
  return { ords: outOrds.subarray(0, k), tfs: outTfs.subarray(0, k) };
}

function keepDatasets(m: Matches, seg: Segment, datasets: Int32Array): Matches {
  const col = seg.columns.dataset;
  const ords = new Int32Array(m.ords.length);
  const scores = m.scores === null ? null : new Float64Array(m.ords.length);
  let k = 0;
  for (let i = 0; i < m.ords.length; i++) {
    const o = m.ords[i] as number;
    if (!datasets.includes(col[o] as number)) continue;
    ords[k] = o;
    if (scores !== null) scores[k] = (m.scores as Float64Array)[i] as number;
    k++;
  }
  return { ords: ords.subarray(0, k), scores: scores === null ? null : scores.subarray(0, k) };
}
