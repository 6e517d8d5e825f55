import { bm25, bm25Weight } from "./bm25.js";
import type { StringPool } from "./doc-columns.js";
import { TEXT_FIELDS } from "./index-document.js";
import type { TextField } from "./index-document.js";
import { FIELD_CODES } from "./level-keys.js";
import type { PlanNode, QueryPlan } from "./query-plan.js";
import { DEFAULT_FACET_SIZE, TopHits } from "./result-page.js";
import type { IndexSearchOptions, IndexSearchResult } from "./search-index.js";
import type { Segment } from "./segment.js";
import { FacetCounter } from "./segment-facets.js";
import { SegmentText } from "./segment-text.js";
import type { FetchedData } from "./segment-text.js";
import { addScores, difference, filterLive, intersect, NO_MATCHES, unionAll, unionTfs } from "./sorted-ords.js";
import type { Matches, OrdsTfs } from "./sorted-ords.js";

export type { FetchedData } from "./segment-text.js";

/** Index-wide figures BM25 needs: live documents and total tokens per text field. */
export interface IndexStats {
  readonly n: number;
  /** By `TEXT_FIELDS` index. */
  readonly totalLength: Float64Array;
}

/**
 * Evaluates a compiled query over the segments, all of whose postings are in `data`.
 *
 * First every text clause's weight: its words' document frequencies over the whole index, from
 * the postings alone. Then each segment's boolean tree on sorted ordinal arrays, where an AND
 * evaluates its most selective clause first and hands the survivors down to the next ones, so a
 * phrase's positions are checked only for documents the rest of the query lets through. The
 * matches go to the page heap and the facet counters.
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
  const texts = segments.map((s) => new SegmentText(s, data));
  const leafWeight: number[] = [];
  const visit = (node: PlanNode): void => {
    if (node.op === "text") {
      const dfs = node.slots.map((slot) => texts.reduce((df, t) => df + t.slotDocs(node.field, slot).ords.length, 0));
      leafWeight[node.leaf] = bm25Weight(node.weight, stats.n, dfs);
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
    const ctx: SegmentContext = { segment, data, stats, leafWeight, text: texts[si] as SegmentText, full: new Map() };
    let within: Int32Array | undefined;
    const contents = segment.contents();
    // Filters that every document of the segment passes are skipped (the usual case: a
    // caller who may see every dataset, and a segment without records above its tier).
    if (datasets !== undefined && ![...contents.datasets].every((d) => datasets.includes(d))) within = inDatasets(segment, datasets);
    if (options.maxTier !== undefined && contents.maxTier > options.maxTier) {
      const allowed = withinTier(segment, within ?? segment.liveOrds(), options.maxTier);
      // Left unrestricted when the tier excludes nothing and no other filter applies.
      if (within !== undefined || allowed !== segment.liveOrds()) within = allowed;
    }
    const { ords, scores } = evaluate(plan.root, ctx, within);
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
  readonly data: FetchedData;
  readonly stats: IndexStats;
  readonly leafWeight: readonly number[];
  readonly text: SegmentText;
  /** Unrestricted results of exact-value clauses and ranges, which the AND ordering measures. */
  readonly full: Map<PlanNode, Matches>;
}

/** The live documents (among `within`, when given) matching `node`, with their scores. */
function evaluate(node: PlanNode, ctx: SegmentContext, within: Int32Array | undefined): Matches {
  const seg = ctx.segment;
  switch (node.op) {
    case "none":
      return NO_MATCHES;
    case "all":
      return { ords: within ?? seg.liveOrds(), scores: null };
    case "text":
      return scoreText(node.field, ctx.text.matches(node.field, node.slots, within), ctx.leafWeight[node.leaf] as number, ctx);
    case "keyword":
    case "keyword_prefix":
      return restrict(full(node, ctx), within);
    case "range": {
      if (within === undefined || ctx.full.has(node)) return restrict(full(node, ctx), within);
      const col = seg.columns[node.field];
      const out = new Int32Array(within.length);
      let k = 0;
      for (let i = 0; i < within.length; i++) {
        const v = col[within[i] as number] as number;
        if (v !== 0 && v >= node.from && v <= node.to) out[k++] = within[i] as number;
      }
      return { ords: out.subarray(0, k), scores: null };
    }
    case "not": {
      const base = within ?? seg.liveOrds();
      return { ords: difference(base, evaluate(node.child, ctx, base).ords), scores: null };
    }
    case "or":
      return evaluateOr(node.children.map((c) => evaluate(c, ctx, within)), seg.count);
    case "and":
      return evaluateAnd(node.children, ctx, within);
  }
}

/** The unrestricted matches of an exact-value clause or a range, computed once per segment. */
function full(node: PlanNode & { op: "keyword" | "keyword_prefix" | "range" }, ctx: SegmentContext): Matches {
  let m = ctx.full.get(node);
  if (m !== undefined) return m;
  const seg = ctx.segment;
  if (node.op === "range") {
    const col = seg.columns[node.field];
    const out = new Int32Array(seg.count);
    let k = 0;
    for (let i = 0; i < col.length; i++) {
      const v = col[i] as number;
      if (v !== 0 && v >= node.from && v <= node.to && seg.live[i] === 1) out[k++] = i;
    }
    m = { ords: out.subarray(0, k), scores: null };
  } else {
    const code = FIELD_CODES[node.field];
    const terms = node.op === "keyword" ? node.terms : ctx.data.terms(seg, code, node.prefix, true);
    const lists: OrdsTfs[] = [];
    for (const t of terms) {
      const p = ctx.data.postings(seg, code, t);
      if (p !== undefined) lists.push({ ords: p.ords, tfs: null });
    }
    m = lists.length === 0 ? NO_MATCHES : { ords: filterLive(unionTfs(lists, seg.count), seg.live, seg.liveCount === seg.count).ords, scores: null };
  }
  ctx.full.set(node, m);
  return m;
}

function restrict(m: Matches, within: Int32Array | undefined): Matches {
  return within === undefined ? m : { ords: intersect(m.ords, within), scores: null };
}

/** About how many documents a clause matches in the segment, to order the clauses of an AND. */
function estimate(node: PlanNode, ctx: SegmentContext): number {
  switch (node.op) {
    case "none":
      return 0;
    case "all":
    case "not":
      return ctx.segment.liveCount;
    case "text":
      // Every slot must occur: the rarest bounds the matches.
      return Math.min(...node.slots.map((s) => ctx.text.slotDocs(node.field, s).ords.length));
    case "keyword":
    case "keyword_prefix":
    case "range":
      return full(node, ctx).ords.length;
    case "or":
      return node.children.reduce((n, c) => n + estimate(c, ctx), 0);
    case "and":
      return Math.min(ctx.segment.liveCount, ...node.children.filter((c) => c.op !== "not").map((c) => estimate(c, ctx)));
  }
}

function evaluateOr(results: readonly Matches[], segmentSize: number): Matches {
  let total = 0;
  for (const r of results) total += r.ords.length;
  // A k-way merge costs about clauses × matches; the dense pass two scans of the segment.
  if (results.length < 3 || total < segmentSize) return unionAll(results);
  // Many large clauses: one dense pass. Each document's scores are still added in clause order
  // from 0, so the sums are those of the pairwise unions.
  const acc = new Float64Array(segmentSize);
  const hit = new Uint8Array(segmentSize);
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
  for (let o = 0; o < segmentSize; o++) k += hit[o] as number;
  const ords = new Int32Array(k);
  const scores = scored ? new Float64Array(k) : null;
  k = 0;
  for (let o = 0; o < segmentSize; o++) {
    if (hit[o] === 0) continue;
    if (scores !== null) scores[k] = acc[o] as number;
    ords[k++] = o;
  }
  return { ords, scores };
}

function evaluateAnd(children: readonly PlanNode[], ctx: SegmentContext, within: Int32Array | undefined): Matches {
  // The most selective clause first; each next one only looks at what is left. NOT clauses
  // subtract at the end (they score 0).
  const order = children
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.op !== "not")
    .map((x) => ({ ...x, size: estimate(x.c, ctx) }))
    .sort((a, b) => a.size - b.size || a.i - b.i);
  const results = new Array<Matches | undefined>(children.length);
  let ords = within;
  for (const { c, i } of order) {
    const r = evaluate(c, ctx, ords);
    results[i] = r;
    ords = r.ords;
    if (ords.length === 0) return NO_MATCHES;
  }
  let kept = ords ?? ctx.segment.liveOrds();
  for (const c of children) if (c.op === "not" && kept.length > 0) kept = difference(kept, evaluate(c.child, ctx, kept).ords);
  if (!results.some((r) => r?.scores != null)) return { ords: kept, scores: null };
  // Every clause's result holds all of `kept`; scores are added in clause order.
  const scores = new Float64Array(kept.length);
  for (const r of results) if (r !== undefined) addScores(scores, kept, r);
  return { ords: kept, scores };
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

/** The documents of `ords` (ascending) whose access tier is at most `maxTier`. */
function withinTier(seg: Segment, ords: Int32Array, maxTier: number): Int32Array {
  const col = seg.columns.accessTier;
  const out = new Int32Array(ords.length);
  let k = 0;
  for (let i = 0; i < ords.length; i++) {
    const o = ords[i] as number;
    if ((col[o] as number) <= maxTier) out[k++] = o;
  }
  // Unchanged when every document passes, so the segment's cached live ordinals stay shared.
  return k === ords.length ? ords : out.subarray(0, k);
}

/** The live documents of a segment in one of the datasets (pool ids). */
function inDatasets(seg: Segment, datasets: Int32Array): Int32Array {
  const col = seg.columns.dataset;
  const out = new Int32Array(seg.count);
  let k = 0;
  for (let i = 0; i < seg.count; i++) if (seg.live[i] === 1 && datasets.includes(col[i] as number)) out[k++] = i;
  return out.subarray(0, k);
}
