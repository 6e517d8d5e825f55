import type { Facet, Record } from "@ipfed/proto";

/**
 * One member's page of hits, best first.
 *
 * @example
 * ```ts
 * const page: MemberPage = { memberId: "scu-tisc", hits: localHits.map((h) => ({ record: h.record, score: h.score, holders: [] })) };
 * ```
 */
export interface MemberPage {
  /** The member that answered. */
  readonly memberId: string;
  /** Its hits, best first. */
  readonly hits: readonly {
    /** The record as the member sent it. */
    readonly record: Record;
    /** The member's own score; only the rank is used. */
    readonly score: number;
    /** Members below it that hold the record (its own answer's holders); empty means the member itself. */
    readonly holders: readonly string[];
  }[];
}

/**
 * A merged hit: one record, every member known to hold it, and its fused score.
 *
 * @example
 * ```ts
 * const [best]: MergedHit[] = mergePages(pages);
 * console.log(best?.record.id, best?.holders.join(","), best?.score);
 * ```
 */
export interface MergedHit {
  /** The record, from the member that ranked it best. */
  readonly record: Record;
  /** Every member known to hold it. */
  readonly holders: string[];
  /** Its fused score: the sum of 1 / (RRF_K + rank) over the members that returned it. */
  readonly score: number;
}

/**
 * The constant of reciprocal-rank fusion: large enough that one list's top does not dominate.
 *
 * @example
 * ```ts
 * const fused = 1 / (RRF_K + 1) + 1 / (RRF_K + 3); // a record ranked 1st at one member and 3rd at another
 * ```
 */
export const RRF_K = 60;

/**
 * Merges members' ranked pages into one list without duplicates, deterministically:
 * reciprocal-rank fusion — a record's score is the sum over the members that returned it of
 * 1 / (60 + its rank there) — since members' BM25 scores are not comparable; ties are broken
 * by canonical id. The copy served is the one of the member that ranked it best (ties: the
 * member id first in order), and `holders` lists every member that returned it, that one
 * first.
 *
 * @example
 * ```ts
 * mergePages([
 *   { memberId: "sc-regional", hits: [{ record: a, score: 9, holders: [] }, { record: b, score: 5, holders: [] }] },
 *   { memberId: "cd-library", hits: [{ record: b, score: 3, holders: [] }] },
 * ]); // b first (held by cd-library and sc-regional, 1/62 + 1/61), then a (1/61)
 * ```
 */
export function mergePages(pages: readonly MemberPage[]): MergedHit[] {
  const byId = new Map<string, { record: Record; holders: string[]; score: number; bestRank: number; bestMember: string }>();
  for (const page of [...pages].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))) {
    page.hits.forEach((h, i) => {
      const rank = i + 1;
      const id = h.record.id;
      const e = byId.get(id);
      const holders = h.holders.length ? h.holders : [page.memberId];
      if (!e) {
        byId.set(id, { record: h.record, holders: [...holders], score: 1 / (RRF_K + rank), bestRank: rank, bestMember: page.memberId });
        return;
      }
      e.score += 1 / (RRF_K + rank);
      for (const m of holders) if (!e.holders.includes(m)) e.holders.push(m);
      if (rank < e.bestRank) {
        e.bestRank = rank;
        e.record = h.record;
        e.bestMember = page.memberId;
      }
    });
  }
  return [...byId.values()]
    .map((e) => ({ record: e.record, score: e.score, holders: [e.bestMember, ...e.holders.filter((m) => m !== e.bestMember)] }))
    .sort((a, b) => b.score - a.score || (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0));
}

/**
 * Sums facet counts across members (each already suppressed at its source), largest first.
 *
 * @example
 * ```ts
 * mergeFacets([[{ name: "kind", buckets: [{ value: "patent", count: 10 }], suppressed: 0 }], [{ name: "kind", buckets: [{ value: "patent", count: 5 }, { value: "design", count: 7 }], suppressed: 1 }]], 10);
 * // [{ name: "kind", buckets: [{ value: "patent", count: 15 }, { value: "design", count: 7 }], suppressed: 1 }]
 * ```
 */
export function mergeFacets(lists: readonly (readonly Facet[])[], size: number): Facet[] {
  const byName = new Map<string, { counts: Map<string, number>; suppressed: number }>();
  for (const list of lists) {
    for (const f of list) {
      let e = byName.get(f.name);
      if (!e) byName.set(f.name, (e = { counts: new Map(), suppressed: 0 }));
      e.suppressed += f.suppressed;
      for (const b of f.buckets) e.counts.set(b.value, (e.counts.get(b.value) ?? 0) + b.count);
    }
  }
  return [...byName.entries()].map(([name, e]) => ({
    name,
    buckets: [...e.counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, size)
      .map(([value, count]) => ({ value, count })),
    suppressed: e.suppressed,
  }));
}
