import { describe, expect, it } from "vitest";
import { difference, filterLive, intersect, NO_MATCHES, seek, union, unionAll, unionTfs } from "./sorted-ords.js";
import type { OrdsTfs } from "./sorted-ords.js";

// A small deterministic generator, so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomList(r: () => number, size: number, density: number, withTf: boolean): OrdsTfs {
  const ords: number[] = [];
  const tfs: number[] = [];
  for (let i = 0; i < size; i++) {
    if (r() < density) {
      ords.push(i);
      tfs.push(1 + Math.floor(r() * 5));
    }
  }
  return { ords: Int32Array.from(ords), tfs: withTf ? Int32Array.from(tfs) : null };
}

function naiveUnion(lists: readonly OrdsTfs[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const l of lists) l.ords.forEach((o, i) => m.set(o, (m.get(o) ?? 0) + (l.tfs === null ? 1 : (l.tfs[i] as number))));
  return new Map([...m].sort((a, b) => a[0] - b[0]));
}

describe("sorted ordinal sets", () => {
  it("unions postings with summed frequencies on every path (pairwise, dense, sorted)", () => {
    const r = rng(7);
    for (const [count, size, density] of [[2, 1000, 0.1], [4, 1000, 0.3], [12, 1000, 0.2], [12, 100_000, 0.0005], [30, 5000, 0.01]] as const) {
      for (const withTf of [true, false]) {
        const lists = Array.from({ length: count }, () => randomList(r, size, density, withTf));
        const u = unionTfs(lists, size);
        const expected = naiveUnion(lists);
        expect([...u.ords]).toEqual([...expected.keys()]);
        if (withTf) expect([...(u.tfs as Int32Array)]).toEqual([...expected.values()]);
        else expect(u.tfs).toBeNull();
      }
    }
  });

  it("intersects, subtracts and seeks like sets do", () => {
    const r = rng(11);
    for (const [da, db] of [[0.5, 0.5], [0.01, 0.9], [0.9, 0.001]] as const) {
      const a = randomList(r, 20_000, da, false).ords;
      const b = randomList(r, 20_000, db, false).ords;
      const sb = new Set(b);
      expect([...intersect(a, b)]).toEqual([...a].filter((x) => sb.has(x)));
      expect([...intersect(b, a)]).toEqual([...a].filter((x) => sb.has(x)));
      expect([...difference(a, b)]).toEqual([...a].filter((x) => !sb.has(x)));
    }
    const a = Int32Array.from([1, 3, 5, 7, 9, 11]);
    expect([seek(a, 0, 0), seek(a, 0, 1), seek(a, 0, 6), seek(a, 2, 11), seek(a, 0, 12)]).toEqual([0, 0, 3, 5, 6]);
  });

  it("adds scores where both sides match, the first side's first", () => {
    const a = { ords: Int32Array.from([1, 2, 4]), scores: Float64Array.from([0.1, 0.2, 0.4]) };
    const b = { ords: Int32Array.from([2, 3]), scores: null };
    const c = { ords: Int32Array.from([4, 5]), scores: Float64Array.from([1, 2]) };
    const u = union(union(a, b), c);
    expect([...u.ords]).toEqual([1, 2, 3, 4, 5]);
    expect([...(u.scores as Float64Array)]).toEqual([0.1, 0.2, 0, 0.4 + 1, 2]);
  });

  it("unions many matches in one pass with exactly the sums of pairwise unions", () => {
    const r = rng(5);
    const lists = Array.from({ length: 7 }, (_, c) => {
      const l = randomList(r, 3000, 0.05 + c * 0.05, false);
      return { ords: l.ords, scores: c % 3 === 1 ? null : Float64Array.from(l.ords, () => r() * 10) };
    });
    const pairwise = lists.reduce(union, NO_MATCHES);
    const once = unionAll(lists);
    expect([...once.ords]).toEqual([...pairwise.ords]);
    expect([...(once.scores as Float64Array)]).toEqual([...(pairwise.scores as Float64Array)]);
  });

  it("keeps live documents only", () => {
    const live = Uint8Array.from([1, 0, 1, 0, 1]);
    const l = filterLive({ ords: Int32Array.from([0, 1, 3, 4]), tfs: Int32Array.from([5, 6, 7, 8]) }, live, false);
    expect([...l.ords]).toEqual([0, 4]);
    expect([...(l.tfs as Int32Array)]).toEqual([5, 8]);
  });
});
