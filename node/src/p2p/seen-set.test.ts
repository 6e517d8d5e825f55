import { describe, expect, it } from "vitest";
import { SeenSet } from "./seen-set.js";

describe("SeenSet", () => {
  it("tells a new id from a replay until the id expires", () => {
    let now = 1000;
    const seen = new SeenSet({ now: () => now });
    expect(seen.add("a", 2000)).toBe(true);
    expect(seen.add("a", 2000)).toBe(false);
    expect(seen.has("a")).toBe(true);
    now = 2000;
    expect(seen.has("a")).toBe(false);
    expect(seen.add("a", 3000)).toBe(true);
  });

  it("stays within its capacity, forgetting the oldest ids first", () => {
    const seen = new SeenSet({ capacity: 3, now: () => 0 });
    for (const id of ["a", "b", "c", "d"]) expect(seen.add(id, 1000)).toBe(true);
    expect(seen.size).toBe(3);
    expect(seen.has("a")).toBe(false);
    expect(["b", "c", "d"].every((id) => seen.has(id))).toBe(true);
  });

  it("drops expired ids as new ones arrive", () => {
    let now = 0;
    const seen = new SeenSet({ now: () => now });
    for (let i = 0; i < 100; i++) seen.add(`m-${i}`, 10);
    now = 20;
    seen.add("fresh", 100);
    expect(seen.size).toBe(1);
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => new SeenSet({ capacity: 0 })).toThrow(RangeError);
  });
});
