import { describe, expect, it } from "vitest";
import { generateCorpus, sampleQueries } from "./index.js";

const CJK = /[\u4e00-\u9fff]/;

describe("sampleQueries", () => {
  it("is deterministic, and query k does not depend on count", () => {
    const a = sampleQueries({ seed: 5, count: 200 });
    expect(sampleQueries({ seed: 5, count: 200 })).toEqual(a);
    expect(sampleQueries({ seed: 5, count: 50 })).toEqual(a.slice(0, 50));
    expect(sampleQueries({ seed: 6, count: 200 })).not.toEqual(a);
    expect(sampleQueries({ count: 0 })).toEqual([]);
  });

  it("writes Chinese terms for zh and English ones for en", () => {
    // A few Chinese keywords are Latin (5G, MIMO, PCR, BIM); ipc: clauses are symbols.
    const zh = sampleQueries({ count: 300, lang: "zh" }).filter((q) => !q.startsWith("ipc:"));
    expect(zh.filter((q) => CJK.test(q)).length / zh.length).toBeGreaterThan(0.9);
    for (const q of sampleQueries({ count: 300, lang: "en" })) expect(q).not.toMatch(CJK);
    const both = sampleQueries({ count: 300 });
    expect(both.some((q) => CJK.test(q))).toBe(true);
    expect(both.some((q) => !CJK.test(q))).toBe(true);
  });

  it("covers terms, boolean operators, phrases, fields and date ranges, well formed", () => {
    const queries = sampleQueries({ seed: 1, count: 2000 });
    const has = (re: RegExp): boolean => queries.some((q) => re.test(q));
    expect(has(/^[^\s:"]+$/)).toBe(true); // a bare term
    expect(has(/ AND /)).toBe(true);
    expect(has(/ OR /)).toBe(true);
    expect(has(/ NOT /)).toBe(true);
    expect(has(/^"[^"]+"$/)).toBe(true);
    expect(has(/^ti:/)).toBe(true);
    expect(has(/^pa:/)).toBe(true);
    expect(has(/^ipc:[A-H]\d{2}[A-Z]$/)).toBe(true);
    expect(has(/pd:\[\d{4} TO \d{4}\]/)).toBe(true);
    expect(has(/^石墨烯$/)).toBe(true);
    for (const q of queries) {
      expect((q.match(/"/g) ?? []).length % 2).toBe(0);
      const range = /pd:\[(\d{4}) TO (\d{4})\]/.exec(q);
      if (range) expect(Number(range[1])).toBeLessThanOrEqual(Number(range[2]));
    }
  });

  it("asks for terms that the corpus contains", () => {
    const text = [...generateCorpus({ size: 20_000, seed: 1 })]
      .map((r) => [...r.titles, ...r.abstracts].map((t) => t.text).join(" "))
      .join("\n")
      .toLowerCase();
    const bare = sampleQueries({ seed: 2, count: 1000 }).filter((q) => /^("[^"]+"|[^\s:"]+)$/.test(q));
    expect(bare.length).toBeGreaterThan(200);
    const found = bare.filter((q) => text.includes(q.replace(/"/g, "").toLowerCase())).length;
    expect(found / bare.length).toBeGreaterThan(0.95);
  });

  it("rejects bad options", () => {
    expect(() => sampleQueries({ count: -1 })).toThrow(RangeError);
    expect(() => sampleQueries({ count: 1, seed: Number.NaN })).toThrow(RangeError);
    expect(() => sampleQueries({ count: 1, lang: "fr" as "zh" })).toThrow(TypeError);
  });
});
