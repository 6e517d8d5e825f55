import { describe, expect, it } from "vitest";
import { figure, formatFigure, quantile } from "./stats.js";

describe("figures", () => {
  it("takes the median with the lowest and highest run, and nearest-rank quantiles", () => {
    expect(figure([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, runs: 3 });
    expect(figure([4, 1])).toEqual({ median: 2.5, min: 1, max: 4, runs: 2 });
    expect(quantile([5, 1, 9, 3], 0.5)).toBe(3);
    expect(quantile([5, 1, 9, 3], 0.99)).toBe(9);
    expect(formatFigure({ median: 1234.5, min: 1200, max: 1300, runs: 3 })).toBe("1,235 (1,200–1,300)");
    expect(() => figure([])).toThrow(RangeError);
  });
});
