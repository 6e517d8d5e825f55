/** Tunables of {@link pickMerge}. */
export interface MergePolicyOptions {
  /** Segments of one size tier allowed before they are merged into one. */
  readonly segmentsPerTier: number;
  /** Segments with at most this many live documents all count as the smallest tier. */
  readonly floorDocs: number;
  /** Each tier holds segments this many times larger than the one below. */
  readonly tierFactor: number;
  /** A segment with more than this share of removed documents is rewritten on its own. */
  readonly maxDeletedShare: number;
}

/** The defaults: tiers of 10 segments, each 10 times larger, floor 1000 documents. */
export const DEFAULT_MERGE_POLICY: MergePolicyOptions = {
  segmentsPerTier: 10,
  floorDocs: 1000,
  tierFactor: 10,
  maxDeletedShare: 0.4,
};

/** What the policy needs to know of a segment. */
export interface MergeCandidate {
  readonly id: number;
  readonly count: number;
  readonly liveCount: number;
}

/**
 * Picks the segments to merge next, or `undefined` when none need it (tiered merging).
 *
 * Segments fall into size tiers by live documents (everything up to `floorDocs` in tier 0, then
 * each tier `tierFactor` times larger). When a tier holds `segmentsPerTier` segments its smallest
 * ones are merged, lowest tier first, so each document is rewritten about once per tier and the
 * number of segments stays near `segmentsPerTier` times the number of tiers, however small the
 * publishes. A segment with no live document is dropped, and one with more than
 * `maxDeletedShare` removed documents is rewritten alone to reclaim their space.
 */
export function pickMerge(segments: readonly MergeCandidate[], options: MergePolicyOptions = DEFAULT_MERGE_POLICY): number[] | undefined {
  const empty = segments.filter((s) => s.liveCount === 0);
  if (empty.length > 0) return empty.map((s) => s.id);
  const tiers = new Map<number, MergeCandidate[]>();
  for (const s of segments) {
    const t = tierOf(s.liveCount, options);
    tiers.set(t, [...(tiers.get(t) ?? []), s]);
  }
  for (const t of [...tiers.keys()].sort((a, b) => a - b)) {
    const tier = tiers.get(t) as MergeCandidate[];
    if (tier.length < options.segmentsPerTier) continue;
    const smallest = [...tier].sort((a, b) => a.liveCount - b.liveCount || a.id - b.id).slice(0, options.segmentsPerTier);
    return smallest.map((s) => s.id).sort((a, b) => a - b);
  }
  const worn = segments.find((s) => s.count > 0 && (s.count - s.liveCount) / s.count > options.maxDeletedShare);
  return worn === undefined ? undefined : [worn.id];
}

function tierOf(liveCount: number, options: MergePolicyOptions): number {
  if (liveCount <= options.floorDocs) return 0;
  return 1 + Math.floor(Math.log(liveCount / options.floorDocs) / Math.log(options.tierFactor));
}
