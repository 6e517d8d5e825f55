import { describe, expect, it } from "vitest";
import { hashWords, Permutation, Rng, zipf } from "./prng.js";

describe("prng", () => {
  it("repeats a stream for the same words and differs for others", () => {
    const draw = (...words: number[]): number[] => {
      const rng = Rng.of(...words);
      return Array.from({ length: 8 }, () => rng.uint32());
    };
    expect(draw(1, 2, 3)).toEqual(draw(1, 2, 3));
    expect(draw(1, 2, 3)).not.toEqual(draw(1, 2, 4));
    expect(hashWords(1, 2)).not.toBe(hashWords(2, 1));
  });

  it("draws floats in [0, 1) and integers in range", () => {
    const rng = Rng.of(42);
    for (let i = 0; i < 10_000; i++) {
      const f = rng.float();
      expect(f >= 0 && f < 1).toBe(true);
      const n = rng.range(3, 7);
      expect(n >= 3 && n <= 7).toBe(true);
    }
  });

  it("permutes its domain: every image distinct and in range", () => {
    for (const domain of [1, 7, 1000, 100_003]) {
      const p = new Permutation(domain, 9, 9);
      const seen = new Uint8Array(domain);
      for (let x = 0; x < domain; x++) {
        const y = p.apply(x);
        expect(y >= 0 && y < domain).toBe(true);
        seen[y] = 1;
      }
      expect(seen.every((v) => v === 1)).toBe(true);
    }
  });

  it("makes Zipf tables favour the first items", () => {
    const table = zipf(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]);
    const rng = Rng.of(7);
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const item = rng.weighted(table);
      counts.set(item, (counts.get(item) ?? 0) + 1);
    }
    expect((counts.get("a") ?? 0) / 20_000).toBeCloseTo(1 / 2.929, 1);
    expect(counts.get("a") ?? 0).toBeGreaterThan(5 * (counts.get("j") ?? 0));
  });
});
