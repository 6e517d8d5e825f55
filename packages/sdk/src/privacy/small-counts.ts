import type { Facet } from "@ipfed/proto";

/**
 * The default threshold k of {@link suppressSmallCounts}: counts 1 to 4 are not shown.
 *
 * @example
 * ```ts
 * suppressSmallCounts(facets, DEFAULT_SMALL_COUNT_THRESHOLD); // the same as suppressSmallCounts(facets)
 * ```
 */
export const DEFAULT_SMALL_COUNT_THRESHOLD = 5;

/**
 * Removes facet buckets whose count is positive but below `k`, and adds how many it removed to
 * each facet's `suppressed`.
 *
 * A count of 1 or 2 next to a narrow query can single a person out (the one inventor in a town,
 * the one applicant with a given class), so aggregates must not show what redaction hides.
 * Buckets with a count of 0 stay: they say nothing about anyone. Counts already suppressed
 * upstream (a member's answer being merged) are kept and added to. The input is not changed.
 *
 * @example
 * ```ts
 * suppressSmallCounts([{ name: "country", buckets: [{ value: "CN", count: 120 }, { value: "LU", count: 2 }], suppressed: 0 }]);
 * // [{ name: "country", buckets: [{ value: "CN", count: 120 }], suppressed: 1 }]
 * ```
 * @throws RangeError if `k` is not a positive integer.
 */
export function suppressSmallCounts(facets: readonly Facet[], k: number = DEFAULT_SMALL_COUNT_THRESHOLD): Facet[] {
  if (!Number.isSafeInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${String(k)}`);
  return facets.map((facet) => {
    const buckets = facet.buckets.filter((b) => !(b.count > 0 && b.count < k));
    return {
      ...facet,
      buckets: buckets.map((b) => ({ ...b })),
      suppressed: (facet.suppressed ?? 0) + (facet.buckets.length - buckets.length),
    };
  });
}
