import { describe, expect, it } from "vitest";
import { LruCache } from "./lru-cache.js";
import { pickMerge } from "./merge-policy.js";
import { facetBuckets, TopHits } from "./result-page.js";

const seg = (id: number, liveCount: number, count = liveCount) => ({ id, count, liveCount });

describe("pickMerge", () => {
  it("merges the smallest segments of a full tier, lowest tier first", () => {
    const small = Array.from({ length: 10 }, (_, i) => seg(i + 1, 100 + i));
    expect(pickMerge([seg(50, 500_000), ...small])).toEqual(small.map((s) => s.id));
    expect(pickMerge([seg(50, 500_000), ...small.slice(0, 9)])).toBeUndefined();
    const mid = Array.from({ length: 11 }, (_, i) => seg(100 + i, 20_000 + i));
    expect(pickMerge(mid)).toEqual(mid.slice(0, 10).map((s) => s.id));
  });

  it("drops segments without live documents and rewrites worn ones", () => {
    expect(pickMerge([seg(1, 10), seg(2, 0, 40), seg(3, 0, 5)])).toEqual([2, 3]);
    expect(pickMerge([seg(1, 50_000, 100_000), seg(2, 10)])).toEqual([1]);
    expect(pickMerge([seg(1, 70_000, 100_000)])).toBeUndefined();
  });
});

describe("TopHits", () => {
  it("keeps the best hits by score then docno, strictly after `after`", () => {
    const offers: [number, number][] = [[5, 1], [3, 2], [1, 2], [9, 1], [2, 0.5], [7, 2], [4, 3]];
    const top = new TopHits(3, undefined);
    for (const [d, s] of offers) top.offer(d, s);
    expect(top.hits()).toEqual([{ docno: 4, score: 3 }, { docno: 1, score: 2 }, { docno: 3, score: 2 }]);
    const next = new TopHits(3, { docno: 3, score: 2 });
    for (const [d, s] of offers) next.offer(d, s);
    expect(next.hits()).toEqual([{ docno: 7, score: 2 }, { docno: 5, score: 1 }, { docno: 9, score: 1 }]);
    expect(new TopHits(0, undefined).hits()).toEqual([]);
  });
});

describe("facetBuckets", () => {
  it("orders by count, then value (numbers numerically), keeping `size`", () => {
    const counts = new Map([["10", 2], ["9", 2], ["b", 5], ["a", 1], ["2", 1], ["c", 5]]);
    expect(facetBuckets("nice", counts, 4).buckets.map((b) => `${b.value}:${b.count}`)).toEqual(["b:5", "c:5", "9:2", "10:2"]);
    expect(facetBuckets("nice", counts, 100).buckets.map((b) => b.value)).toEqual(["b", "c", "9", "10", "2", "a"]);
    expect(facetBuckets("nice", counts, 0).buckets).toEqual([]);
  });
});

describe("LruCache", () => {
  it("evicts the least recently used entries beyond its byte budget", () => {
    const c = new LruCache<string>(100);
    c.set("a", "A", 40);
    c.set("b", "B", 40);
    expect(c.get("a")).toBe("A");
    c.set("c", "C", 40);
    expect([c.get("a"), c.get("b"), c.get("c")]).toEqual(["A", undefined, "C"]);
    c.set("huge", "H", 101);
    expect(c.get("huge")).toBeUndefined();
    expect(c.bytes).toBe(80);
    c.deleteWhere((k) => k === "a");
    expect([c.size, c.bytes]).toEqual([1, 40]);
  });
});
