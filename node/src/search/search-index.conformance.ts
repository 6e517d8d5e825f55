import { IpfedError, parseQuery } from "@ipfed/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredRecord } from "../store/record-store.js";
import { CASES, FACET_CASES, RANKED_CASES } from "./search-index.cases.js";
import { FIXTURES, fixtureRecord } from "./search-index.fixtures.js";
import type { IndexSearchOptions, IndexSearchResult, IndexUpdate, SearchIndex } from "./search-index.js";

/** What an implementation hands the conformance suite. */
export interface ConformanceHarness {
  readonly index: SearchIndex;
  /** Writes the update's ops (if any) the way a store would, then applies it. */
  commit(update: IndexUpdate): Promise<void>;
  /** Closes the index and opens a new one over the same storage (persistent indexes only). */
  reopen?(): Promise<SearchIndex>;
  teardown(): Promise<void>;
}

/** The corpus as stored records: document number = position + 1. */
export const CORPUS: readonly StoredRecord[] = FIXTURES.map((f, i) => ({ record: fixtureRecord(f), docno: i + 1 }));

/** Loads the corpus in three commits, so that a segmented index holds several segments. */
export async function loadCorpus(h: ConformanceHarness, index: SearchIndex): Promise<void> {
  for (const part of [CORPUS.slice(0, 10), CORPUS.slice(10, 20), CORPUS.slice(20)]) await h.commit(await index.prepare(part, []));
}

/**
 * Runs the shared `SearchIndex` suite against one implementation (the abstract-level way: every
 * implementation calls this with its own `setup`, which must return a fresh, empty, open index).
 */
export function searchIndexConformance(
  name: string,
  setup: () => Promise<ConformanceHarness>,
  supports: { readonly persistence: boolean } = { persistence: false },
): void {
  // Persistence cases are registered only for implementations that persist (abstract-level's
  // `supports` flags), so no case is ever skipped.
  const persistent = (title: string, fn: () => Promise<void>): void => {
    if (supports.persistence) it(title, fn);
  };
  describe(`SearchIndex conformance: ${name}`, () => {
    describe("on the corpus", () => {
      let h: ConformanceHarness;
      let index: SearchIndex;
      const ids = new Map<number, string>(CORPUS.map((r) => [r.docno, r.record.id]));
      const run = (q: string, options: Partial<IndexSearchOptions> = {}): Promise<IndexSearchResult> =>
        index.search(parseQuery(q), { limit: 1000, ...options });
      const hitIds = (r: IndexSearchResult): string[] => r.hits.map((hit) => ids.get(hit.docno) ?? `#${hit.docno}`);

      beforeAll(async () => {
        h = await setup();
        index = h.index;
        await loadCorpus(h, index);
      });
      afterAll(async () => h.teardown());

      it("counts the live documents", () => {
        expect(index.docCount()).toBe(CORPUS.length);
      });

      const cases = CASES.map(([q, expected, options]) => ({ name: options === undefined ? q : `${q} ${JSON.stringify(options)}`, q, expected, options }));
      it.each(cases)("$name", async ({ q, expected, options }) => {
        const r = await run(q, options ?? {});
        expect(hitIds(r).sort()).toEqual([...expected].sort());
        expect(r.total).toBe(expected.length);
      });

      it.each(RANKED_CASES)("ranks %s", async (q, expected) => {
        expect(hitIds(await run(q))).toEqual(expected);
      });

      it("orders hits by score descending, then docno ascending", async () => {
        for (const q of ["battery", "graphene OR lithium", "石墨", "*", "method OR 方法"]) {
          const { hits } = await run(q);
          for (let i = 1; i < hits.length; i++) {
            const a = hits[i - 1] as { score: number; docno: number };
            const b = hits[i] as { score: number; docno: number };
            expect(a.score > b.score || (a.score === b.score && a.docno < b.docno), q).toBe(true);
          }
        }
      });

      it("scores only text clauses: filters add nothing", async () => {
        const plain = await run("ti:battery");
        const filtered = await run("ti:battery AND pd:[* TO *] AND NOT kind:design");
        expect(filtered.hits.filter((x) => ids.get(x.docno) !== "CN-1009-A")).toEqual(plain.hits.filter((x) => ids.get(x.docno) !== "CN-1009-A"));
        expect((await run("kind:trademark")).hits.every((x) => x.score === 0)).toBe(true);
      });

      it("pages with `after`, every hit exactly once", async () => {
        for (const [q, size] of [["battery", 2], ["*", 5], ["acme OR apple OR battery", 3]] as const) {
          const all = await run(q);
          const seen: number[] = [];
          let after: { score: number; docno: number } | undefined;
          for (;;) {
            const page = await run(q, { limit: size, ...(after !== undefined ? { after } : {}) });
            expect(page.total).toBe(all.total);
            if (page.hits.length === 0) break;
            seen.push(...page.hits.map((x) => x.docno));
            const last = page.hits[page.hits.length - 1] as { score: number; docno: number };
            after = { score: last.score, docno: last.docno };
          }
          expect(seen).toEqual(all.hits.map((x) => x.docno));
        }
      });

      it("returns no hits for limit 0 but still counts", async () => {
        const r = await run("battery", { limit: 0, facets: ["kind"] });
        expect(r.hits).toEqual([]);
        expect(r.total).toBe(9);
        expect(r.facets[0]?.buckets).toEqual([{ value: "patent", count: 9 }]);
      });

      it.each(FACET_CASES)("facets of %s", async (q, options, expected) => {
        const r = await run(q, { limit: 1, ...options });
        expect(Object.fromEntries(r.facets.map((f) => [f.name, f.buckets.map((b) => `${b.value}:${b.count}`)]))).toEqual(expected);
      });

      it("rejects a prefix that expands to too many terms", async () => {
        const words = Array.from({ length: 1100 }, (_, i) => `qz${i}`).join(" ");
        await h.commit(await index.prepare([{ docno: 999, record: fixtureRecord({ id: "XX-999-A", ds: "extra", ab: words }) }], []));
        ids.set(999, "XX-999-A");
        await expect(run("qz*")).rejects.toSatisfy((e: unknown) => e instanceof IpfedError && e.code === "QUERY_TOO_COMPLEX");
        expect(hitIds(await run("qz1*"))).toEqual(["XX-999-A"]);
        expect(hitIds(await run("ab:qz1099"))).toEqual(["XX-999-A"]);
        await h.commit(await index.prepare([], [999]));
        expect((await run("qz1*")).total).toBe(0);
        expect(index.docCount()).toBe(CORPUS.length);
      });

      persistent("answers the same after a reopen", async () => {
        if (h.reopen === undefined) throw new Error("a persistent index's harness must provide reopen()");
        const queries = [...CASES.map((c) => [c[0], c[2] ?? {}] as const), ...RANKED_CASES.map((c) => [c[0], {}] as const)];
        const before = await Promise.all(queries.map(([q, o]) => run(q, { ...o, facets: ["kind", "year", "ipc_class", "nice"] })));
        index = await h.reopen();
        expect(index.docCount()).toBe(CORPUS.length);
        const after = await Promise.all(queries.map(([q, o]) => run(q, { ...o, facets: ["kind", "year", "ipc_class", "nice"] })));
        expect(after).toEqual(before);
      });
    });

    describe("changes", () => {
      let h: ConformanceHarness;
      let index: SearchIndex;
      const run = async (q: string, options: Partial<IndexSearchOptions> = {}): Promise<number[]> =>
        (await index.search(parseQuery(q), { limit: 1000, ...options })).hits.map((x) => x.docno).sort((a, b) => a - b);

      beforeAll(async () => {
        h = await setup();
        index = h.index;
        await loadCorpus(h, index);
      });
      afterAll(async () => h.teardown());

      it("replaces an updated record's docno and never returns a removed one", async () => {
        const updated = fixtureRecord({ id: "US-2001-B1", ds: "uspto", pd: "2015-03-03", ti: "Solid electrolyte capacitor", ab: "A ceramic capacitor." });
        await h.commit(await index.prepare([{ record: updated, docno: 100 }], [4, 19]));
        expect(index.docCount()).toBe(CORPUS.length - 1);
        expect(await run("id:US-2001-B1")).toEqual([100]);
        expect(await run("id:US-2007-A1")).toEqual([]);
        expect(await run("battery")).toEqual([1, 3, 5, 25, 27, 28, 29]);
        expect(await run("capacitor")).toEqual([100]);
        expect(await run("in:smith OR ag:oblon")).toEqual([]);
        expect(await run("*")).not.toContain(4);
        expect(await run("NOT battery")).not.toContain(19);
        const facets = await index.search(parseQuery("ipc:H01M10"), { limit: 0, facets: ["dataset"] });
        expect(facets.total).toBe(3);
        expect(facets.facets[0]?.buckets).toEqual([
          { value: "cnipa", count: 2 },
          { value: "uspto", count: 1 },
        ]);
      });

      it("removes a document added in an earlier commit and keeps the rest", async () => {
        await h.commit(await index.prepare([], [100]));
        expect(await run("capacitor")).toEqual([]);
        expect(await run("id:US-2001-B1")).toEqual([]);
        expect(await run("electrolyte")).toEqual([3]);
        expect(index.docCount()).toBe(CORPUS.length - 2);
      });

      persistent("keeps changes across a reopen", async () => {
        if (h.reopen === undefined) throw new Error("a persistent index's harness must provide reopen()");
        index = await h.reopen();
        expect(index.docCount()).toBe(CORPUS.length - 2);
        expect(await run("battery")).toEqual([1, 3, 5, 25, 27, 28, 29]);
        expect(await run("id:US-2001-B1 OR id:US-2007-A1")).toEqual([]);
      });

      it("ignores the removal of unknown documents", async () => {
        await h.commit(await index.prepare([], [12345]));
        expect(index.docCount()).toBe(CORPUS.length - 2);
      });

      it("is empty once everything is removed", async () => {
        const live = await run("*");
        await h.commit(await index.prepare([], live));
        expect(index.docCount()).toBe(0);
        expect(await run("*")).toEqual([]);
        expect(await run("battery")).toEqual([]);
        await h.commit(await index.prepare([{ record: fixtureRecord(FIXTURES[0] as (typeof FIXTURES)[number]), docno: 500 }], []));
        expect(await run("石墨烯")).toEqual([500]);
      });
    });
  });
}
