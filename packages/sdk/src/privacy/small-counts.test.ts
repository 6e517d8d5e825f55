import type { Facet } from "@ipfed/proto";
import { describe, expect, it } from "vitest";
import { deepFreeze } from "./privacy-fixtures.test-helper.js";
import { DEFAULT_SMALL_COUNT_THRESHOLD, suppressSmallCounts } from "./small-counts.js";

const facets: Facet[] = [
  {
    name: "country",
    buckets: [
      { value: "CN", count: 120 },
      { value: "US", count: 5 },
      { value: "LU", count: 4 },
      { value: "MC", count: 1 },
      { value: "VA", count: 0 },
    ],
    suppressed: 0,
  },
  { name: "applicant", buckets: [{ value: "张伟", count: 2 }], suppressed: 3 },
  { name: "year", buckets: [], suppressed: 0 },
];

describe("suppressSmallCounts", () => {
  it("drops counts 1 to 4 by default and counts what it dropped", () => {
    expect(DEFAULT_SMALL_COUNT_THRESHOLD).toBe(5);
    expect(suppressSmallCounts(facets)).toEqual([
      {
        name: "country",
        buckets: [
          { value: "CN", count: 120 },
          { value: "US", count: 5 },
          { value: "VA", count: 0 },
        ],
        suppressed: 2,
      },
      // Three buckets were already suppressed upstream; one more here.
      { name: "applicant", buckets: [], suppressed: 4 },
      { name: "year", buckets: [], suppressed: 0 },
    ]);
  });

  it("uses the given k", () => {
    const [country] = suppressSmallCounts(facets, 10);
    expect(country?.buckets.map((b) => b.value)).toEqual(["CN", "VA"]);
    expect(country?.suppressed).toBe(3);
    const [again] = suppressSmallCounts(facets, 2);
    expect(again?.buckets.map((b) => b.value)).toEqual(["CN", "US", "LU", "VA"]);
    expect(again?.suppressed).toBe(1);
  });

  it("k = 1 suppresses nothing", () => {
    expect(suppressSmallCounts(facets, 1).map((f) => f.suppressed)).toEqual([0, 3, 0]);
  });

  it("does not change its input", () => {
    const frozen = deepFreeze(structuredClone(facets));
    const out = suppressSmallCounts(frozen);
    expect(frozen).toEqual(facets);
    expect(out[0]).not.toBe(frozen[0]);
  });

  it("refuses a k that is not a positive integer", () => {
    for (const k of [0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => suppressSmallCounts(facets, k), String(k)).toThrow(RangeError);
  });
});
