import type { BenchQuery } from "./query-set.js";
import { groupOf } from "./query-set.js";
import { figure, quantile } from "./stats.js";
import type { Figure } from "./stats.js";

/** A search engine as the search scenario drives it: one query at a time, single-threaded. */
export interface QueryEngine {
  /** Name in the report (`SQLite FTS5 unicode61`). */
  readonly name: string;
  /** True when the engine can express the query; the others are left out of its figures. */
  answers(q: BenchQuery): boolean;
  /** Runs the query for its top 20 and returns the number of matches (or -1 when the timed call does not count). */
  top(q: BenchQuery): Promise<number> | number;
  /** Counts every match (not timed). */
  count(q: BenchQuery): Promise<number> | number;
}

/** Per-group latencies of one engine over repeated runs. */
export interface EngineMeasure {
  readonly name: string;
  /** Hit count per query index; undefined where the engine does not answer. */
  readonly counts: readonly (number | undefined)[];
  /** Group (`single term (en)`, `all`) to queries/s, p50 and p99 over the runs. */
  readonly groups: ReadonlyMap<string, { readonly perSecond: Figure; readonly p50: Figure; readonly p99: Figure; readonly queries: number }>;
}

/**
 * Counts every query's hits once (which also warms caches), then times `runs` passes over the
 * queries the engine answers, one after the other, and summarises each group.
 *
 * @example
 * ```ts
 * const m = await measureEngine(engine, benchQueries(1000), 3);
 * m.groups.get("all")?.perSecond.median;
 * ```
 */
export async function measureEngine(engine: QueryEngine, queries: readonly BenchQuery[], runs: number): Promise<EngineMeasure> {
  const counts = [];
  for (const q of queries) counts.push(engine.answers(q) ? await engine.count(q) : undefined);
  const perRun: Map<string, number[]>[] = [];
  for (let r = 0; r < runs; r++) {
    const lat = new Map<string, number[]>();
    for (const q of queries) {
      if (!engine.answers(q)) continue;
      const t = performance.now();
      await engine.top(q);
      const ms = performance.now() - t;
      for (const g of [groupOf(q), "all"]) {
        let list = lat.get(g);
        if (list === undefined) lat.set(g, (list = []));
        list.push(ms);
      }
    }
    perRun.push(lat);
  }
  const groups = new Map<string, { perSecond: Figure; p50: Figure; p99: Figure; queries: number }>();
  for (const g of perRun[0]?.keys() ?? []) {
    const lists = perRun.map((m) => m.get(g) ?? []);
    groups.set(g, {
      perSecond: figure(lists.map((l) => (l.length * 1000) / Math.max(1e-6, l.reduce((a, b) => a + b, 0)))),
      p50: figure(lists.map((l) => quantile(l, 0.5))),
      p99: figure(lists.map((l) => quantile(l, 0.99))),
      queries: lists[0]?.length ?? 0,
    });
  }
  return { name: engine.name, counts, groups };
}
