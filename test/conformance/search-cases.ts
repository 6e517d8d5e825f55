import { formatQuery, parseQuery } from "@ipfed/sdk";
import { describe, expect, it } from "vitest";
import { failure, search } from "./conformance-client.js";
import { CONFORMANCE_MEMBER_ID } from "./conformance-fixture.js";
import type { ConformanceHarness, ConformanceTokens } from "./conformance-harness.js";

const P = {
  grapheneAnode: "CN-114122334-A",
  solidElectrolyte: "CN-113987654-B",
  batteryPack: "CN-216543210-U",
  watch: "CN-306789012-S",
  teslaSeparator: "US-11234567-B2",
  teaRobot: "US-10987654-B1",
  teaQuality: "CN-115000111-A",
  sodium: "CN-114555666-A",
  heatFilm: "CN-113111222-A",
  teaRolling: "CN-217000333-U",
  recycling: "CN-114777888-A",
  bicycle: "CN-306111222-S",
  tmGraphite: "CN-TM35012345-T",
  tmTea: "CN-TM36054321-T",
  tmFlash: "CN-TM37099999-T",
  supercap: "CN-118000001-A",
  polyphenol: "CN-118000002-A",
} as const;

/** Every record an anonymous (PUBLIC) caller may find: not the RESTRICTED record, nor the RESTRICTED dataset. */
const PUBLIC_IDS = Object.values(P).filter((id) => ![P.heatFilm, P.supercap, P.polyphenol].includes(id as never)).sort();

type Caller = "anonymous" | keyof ConformanceTokens;

/** Queries, who asks, and exactly the records that match. */
const CASES: readonly [query: string, caller: Caller, ids: readonly string[]][] = [
  ["*", "anonymous", PUBLIC_IDS],
  ["*", "restricted", Object.values(P)],
  ["graphene", "anonymous", [P.grapheneAnode, P.teslaSeparator]],
  ["graphene", "restricted", [P.grapheneAnode, P.teslaSeparator, P.heatFilm, P.supercap]],
  ["石墨烯", "anonymous", [P.grapheneAnode]],
  ["石墨烯", "restricted", [P.grapheneAnode, P.heatFilm, P.supercap]],
  ["ti:battery", "anonymous", [P.grapheneAnode, P.solidElectrolyte, P.batteryPack, P.teslaSeparator, P.sodium, P.recycling]],
  ["ti:电池", "anonymous", [P.grapheneAnode, P.solidElectrolyte, P.batteryPack, P.sodium, P.recycling]],
  ['ti:"lithium battery"', "anonymous", [P.solidElectrolyte, P.teslaSeparator, P.recycling]],
  ["ti:batter*", "anonymous", [P.grapheneAnode, P.solidElectrolyte, P.batteryPack, P.teslaSeparator, P.sodium, P.recycling]],
  ["tea", "anonymous", [P.teaRobot, P.teaQuality, P.teaRolling, P.tmTea]],
  ["tea", "restricted", [P.teaRobot, P.teaQuality, P.teaRolling, P.tmTea, P.polyphenol]],
  ["tea AND NOT robot", "anonymous", [P.teaQuality, P.teaRolling, P.tmTea]],
  ["tea OR graphene", "anonymous", [P.teaRobot, P.teaQuality, P.teaRolling, P.tmTea, P.grapheneAnode, P.teslaSeparator]],
  ["ipc:H01M", "anonymous", [P.grapheneAnode, P.solidElectrolyte, P.batteryPack, P.teslaSeparator, P.sodium, P.recycling]],
  ["ipc:H01M10/*", "anonymous", [P.grapheneAnode, P.solidElectrolyte, P.batteryPack, P.teslaSeparator, P.recycling]],
  ["ipc:G06T7/00", "anonymous", [P.teaRobot, P.teaQuality]],
  ["ipc:H01M AND NOT cc:CN", "anonymous", [P.teslaSeparator]],
  ["pd:2022", "anonymous", [P.grapheneAnode, P.batteryPack, P.teslaSeparator, P.sodium, P.teaRolling, P.recycling, P.bicycle, P.tmTea]],
  ["pd:[2021-06-01 TO 2021-12-31]", "anonymous", [P.solidElectrolyte, P.watch, P.teaRobot]],
  ["ad:{* TO 2019-12-31]", "anonymous", [P.teslaSeparator, P.teaRobot]],
  ["kind:trademark", "anonymous", [P.tmGraphite, P.tmTea, P.tmFlash]],
  ["kind:design OR kind:utility_model", "anonymous", [P.watch, P.bicycle, P.batteryPack, P.teaRolling]],
  ["nice:9", "anonymous", [P.tmGraphite, P.tmFlash]],
  ["nice:[30 TO 43]", "anonymous", [P.tmTea]],
  ["cc:US", "anonymous", [P.teslaSeparator, P.teaRobot]],
  ["pa:华为", "anonymous", [P.watch]],
  ["pa:比亚迪", "anonymous", [P.batteryPack, P.tmFlash]],
  ["in:smith", "anonymous", [P.teslaSeparator]],
  [`id:${P.sodium}`, "anonymous", [P.sodium]],
  ["ds:trademarks", "anonymous", [P.tmGraphite, P.tmTea, P.tmFlash]],
  // No oracle: what a caller may not see, it cannot find either.
  ["addr:海淀", "anonymous", []],
  ["海淀", "anonymous", []],
  ["海淀", "registered", []],
  ["addr:海淀", "restricted", [P.solidElectrolyte]],
  ["海淀", "restricted", [P.solidElectrolyte]],
  ["cl:石墨烯", "anonymous", []],
  ["cl:石墨烯", "registered", [P.grapheneAnode]],
  ["tx:separator", "anonymous", []],
  ["tx:separator", "registered", [P.teslaSeparator]],
  [`id:${P.heatFilm}`, "registered", []],
  [`id:${P.heatFilm}`, "restricted", [P.heatFilm]],
  ["the", "anonymous", []],
];

/**
 * The SearchService Search cases: what matches, per tier; the events of an answer; facets;
 * paging with cursors; and the errors of a bad request.
 *
 * @example
 * ```ts
 * describe("cases", () => searchCases(() => harness));
 * ```
 */
export function searchCases(h: () => ConformanceHarness): void {
  const as = (caller: Caller) => h().as(caller === "anonymous" ? undefined : h().tokens[caller]);

  describe("matches", () => {
    it.each(CASES.map(([query, caller, ids]) => ({ name: `${query} (${caller})`, query, caller, ids })))("$name", async ({ query, caller, ids }) => {
      const r = await search(as(caller), { query, pageSize: 50 });
      expect(r.hits.map((x) => x.record!.id).sort()).toEqual([...ids].sort());
      expect(r.done.total).toBe(ids.length);
    });
  });

  it("answers with the hits, then the facets, then done: ranks from 1, this member as holder, the canonical query", async () => {
    const r = await search(h().as(), { query: "Title:Battery", pageSize: 50, facets: ["kind"] });
    expect(r.order).toEqual([...r.hits.map(() => "hit"), "facets", "done"]);
    expect(r.hits.map((x) => x.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.hits.every((x) => x.holders.length === 1 && x.holders[0] === CONFORMANCE_MEMBER_ID)).toBe(true);
    expect(r.hits.every((x, i) => i === 0 || x.score <= r.hits[i - 1]!.score)).toBe(true);
    expect(r.done).toMatchObject({ total: 6, nextCursor: "", membersAnswered: 1, membersTargeted: 1, query: formatQuery(parseQuery("Title:Battery")) });
  });

  it("counts facets over every match, largest first and ties by value", async () => {
    const r = await search(h().as(), { query: "*", pageSize: 1, facets: ["kind", "country", "year", "dataset", "ipc_class", "nice"], facetSize: 3 });
    expect(r.hits).toHaveLength(1);
    expect(Object.fromEntries(r.facets.map((f) => [f.name, f.buckets.map((b) => [b.value, b.count])]))).toEqual({
      kind: [["patent", 7], ["trademark", 3], ["design", 2]],
      country: [["CN", 12], ["US", 2]],
      year: [["2022", 8], ["2021", 4], ["2023", 2]],
      dataset: [["patents", 11], ["trademarks", 3]],
      ipc_class: [["H01", 6], ["G06", 2], ["A23", 1]],
      nice: [["9", 2], ["1", 1], ["30", 1]],
    });
  });

  it("counts facets over what the caller may see only", async () => {
    const r = await search(h().as(h().tokens.restricted), { query: "graphene", facets: ["dataset", "year"] });
    expect(Object.fromEntries(r.facets.map((f) => [f.name, f.buckets.map((b) => [b.value, b.count])]))).toEqual({
      dataset: [["patents", 3], ["pending", 1]],
      year: [["2022", 2], ["2021", 1], ["2024", 1]],
    });
  });

  it("limits a search to the datasets asked for, and answers empty (not an error) for a dataset the caller may not see", async () => {
    const tm = await search(h().as(), { query: "*", datasets: ["trademarks"], pageSize: 50 });
    expect(tm.hits.map((x) => x.record!.id).sort()).toEqual([P.tmGraphite, P.tmTea, P.tmFlash]);
    const hidden = await search(h().as(), { query: "*", datasets: ["pending"] });
    expect([hidden.hits.length, hidden.done.total]).toEqual([0, 0]);
    const outside = await failure(search(h().as(h().tokens.trademarksOnly), { query: "*", datasets: ["patents"] }));
    expect([outside.code, outside.status]).toEqual(["DATASET_NOT_ALLOWED", 7]);
    const limited = await search(h().as(h().tokens.trademarksOnly), { query: "*", pageSize: 50 });
    expect(limited.done.total).toBe(3);
  });

  it("pages with cursors: every match once, ranks continuing, the same total on every page", async () => {
    const c = h().as();
    const ids: string[] = [];
    const ranks: number[] = [];
    const sizes: number[] = [];
    let cursor = "";
    for (let page = 0; page < 10; page++) {
      const r = await search(c, { query: "*", pageSize: 5, cursor });
      ids.push(...r.hits.map((x) => x.record!.id));
      ranks.push(...r.hits.map((x) => x.rank));
      sizes.push(r.hits.length);
      expect(r.done.total).toBe(14);
      cursor = r.done.nextCursor;
      if (!cursor) break;
    }
    expect(sizes.filter((n) => n > 0)).toEqual([5, 5, 4]);
    expect([...ids].sort()).toEqual(PUBLIC_IDS);
    expect(ranks).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
  });

  it("refuses a cursor it did not issue, and one issued for another query", async () => {
    const c = h().as();
    const first = await search(c, { query: "*", pageSize: 5 });
    expect(first.done.nextCursor).not.toBe("");
    const bad = await failure(search(c, { query: "*", cursor: "bm90LWEtY3Vyc29y" }));
    expect([bad.code, bad.status, bad.field]).toEqual(["CURSOR_INVALID", 3, "cursor"]);
    const other = await failure(search(c, { query: "tea", cursor: first.done.nextCursor }));
    expect([other.code, other.message]).toEqual(["CURSOR_INVALID", "cursor belongs to another query"]);
  });

  it("names the position of a syntax error and the unknown field", async () => {
    const syntax = await failure(search(h().as(), { query: "ti:(battery" }));
    expect([syntax.code, syntax.status, syntax.field, syntax.position]).toEqual(["QUERY_SYNTAX", 3, "query", 12]);
    const field = await failure(search(h().as(), { query: "graphene AND colour:red" }));
    expect([field.code, field.field, field.position]).toEqual(["QUERY_FIELD_UNKNOWN", "query", 14]);
  });

  it("refuses a page size above 200, a facet size above 100 and an unknown facet", async () => {
    const page = await failure(search(h().as(), { query: "*", pageSize: 201 }));
    expect([page.code, page.field]).toEqual(["PAGE_SIZE_INVALID", "page_size"]);
    const facets = await failure(search(h().as(), { query: "*", facets: ["kind"], facetSize: 101 }));
    expect([facets.code, facets.field]).toEqual(["PAGE_SIZE_INVALID", "facet_size"]);
    const unknown = await failure(search(h().as(), { query: "*", facets: ["kind", "colour"] }));
    expect([unknown.code, unknown.field]).toEqual(["FACET_UNKNOWN", "facets[1]"]);
  });
}
