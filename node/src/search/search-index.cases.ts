import type { IndexSearchOptions } from "./search-index.js";

type Options = Partial<IndexSearchOptions>;

const BATTERY = ["CN-1001-A", "CN-1003-A", "US-2001-B1", "US-2002-B2", "US-2007-A1", "US-2010-B1", "CN-1009-A", "US-2012-A1", "JP-4001-A"];
const H01M = ["CN-1001-A", "CN-1003-A", "US-2001-B1", "US-2003-A1", "CN-1005-U", "CN-1007-A", "US-2007-A1", "US-2010-B1", "US-2012-A1", "JP-4001-A"];
const TRADEMARKS = ["CN-TM1001-T", "CN-TM1002-T", "US-TM1003-T", "CN-TM1004-T", "CN-TM1005-T", "US-TM1006-T"];
const ALL = [
  "CN-1001-A", "CN-1002-A", "CN-1003-A", "US-2001-B1", "US-2002-B2", "US-2003-A1", "US-2004-B1", "CN-1004-A", "CN-1005-U", "US-2005-B1",
  "EP-3001-A1", "CN-1006-S", "CN-TM1001-T", "CN-TM1002-T", "US-TM1003-T", "CN-TM1004-T", "US-2006-B1", "CN-1007-A", "US-2007-A1", "US-2008-B1",
  "CN-1008-A", "US-2009-A1", "CN-GI1001-G", "CN-BS1001-L", "US-2010-B1", "US-2011-B1", "CN-1009-A", "US-2012-A1", "JP-4001-A", "US-2013-B1",
  "CN-TM1005-T", "US-TM1006-T", "US-2014-B1", "US-2015-B1", "US-2016-A1",
];
const CNIPA = new Set(ALL.filter((id) => id.startsWith("CN-")));
const NOT_CLAIMS = ["ti", "ab", "pa", "in", "ag", "ipc", "cpc", "nice", "cc", "kind", "pd", "ad", "id", "ds", "fam"];

/**
 * Queries of the conformance suite with the exact set of record ids each must find in the
 * corpus of `search-index.fixtures.ts` (hits and total), and search options where they matter.
 */
export const CASES: readonly (readonly [string, readonly string[], Options?])[] = [
  // English: case folding, stemming, stop words
  ["graphene", ["CN-1001-A", "CN-1002-A", "EP-3001-A1", "US-2011-B1"]],
  ["GRAPHENE", ["CN-1001-A", "CN-1002-A", "EP-3001-A1", "US-2011-B1"]],
  ["battery", BATTERY],
  ["batteries", BATTERY],
  ["BATTERY", BATTERY],
  ["the battery", BATTERY],
  ["the", []],
  ["running", ["US-2008-B1"]],
  ["run", ["US-2008-B1"]],
  ["method", ["CN-1002-A", "US-2004-B1", "CN-1004-A", "US-2008-B1", "CN-1008-A"]],
  ["lithium", ["CN-1003-A", "US-2003-A1", "US-2012-A1", "JP-4001-A"]],
  ["apple", ["US-2002-B2", "CN-TM1002-T", "US-2013-B1"]],
  ["nonexistentword", []],
  // Prefixes
  ["graphen*", ["CN-1001-A", "CN-1002-A", "EP-3001-A1", "US-TM1003-T", "US-2011-B1"]],
  ["batter*", BATTERY],
  ["ti:supercap*", ["US-2011-B1"]],
  ["lithium-io*", ["CN-1003-A", "US-2012-A1", "JP-4001-A"]],
  // Chinese: bigrams, a word is a phrase of its bigrams
  ["石墨烯", ["CN-1001-A", "CN-1002-A", "CN-TM1004-T"]],
  ["墨烯电", ["CN-1001-A"]],
  ["石墨", ["CN-1001-A", "CN-1002-A", "CN-TM1004-T", "CN-1007-A"]],
  ["石墨烯电池", ["CN-1001-A"]],
  ["烯电池石墨", []],
  ["石*", ["CN-1001-A", "CN-1002-A", "CN-TM1004-T", "CN-1007-A"]],
  ["手机", ["CN-1006-S", "CN-TM1001-T"]],
  ["ti:手机", ["CN-1006-S"]],
  ["深度学习", ["CN-1008-A"]],
  ["西湖龙井", ["CN-GI1001-G"]],
  ["专利法", ["CN-BS1001-L"]],
  ["合法权益", ["CN-BS1001-L"]],
  ["ti:合法权益", []],
  ["リチウム", ["JP-4001-A"]],
  // Phrases
  ['"lithium ion"', ["CN-1003-A", "US-2012-A1", "JP-4001-A"]],
  ["lithium-ion", ["CN-1003-A", "US-2012-A1", "JP-4001-A"]],
  ['"graphene battery"', ["CN-1001-A"]],
  ['"battery graphene"', ["CN-1001-A"]],
  ['"battery with a graphene"', ["CN-1001-A"]],
  ['"battery lithium"', []],
  ['"battery battery"', ["US-2007-A1"]],
  ['"deep learning"', ["CN-1008-A", "US-2009-A1"]],
  ['ti:"electric vehicle"', ["US-2010-B1"]],
  ['ab:"electric vehicle"', ["US-2010-B1"]],
  ['cl:"electric vehicle"', []],
  // Fields and parties
  ["ab:battery", ["CN-1001-A", "CN-1003-A", "US-2001-B1", "US-2002-B2", "US-2007-A1", "US-2010-B1"]],
  ["cl:battery", ["CN-1001-A", "US-2001-B1"]],
  ["tx:temperature", ["US-2006-B1"]],
  ["pa:华为", ["CN-1001-A", "CN-1004-A", "CN-TM1001-T"]],
  ["华为", ["CN-1001-A", "CN-1004-A", "CN-TM1001-T"]],
  ['pa:"apple inc"', ["US-2002-B2", "CN-TM1002-T"]],
  ["in:smith", ["US-2001-B1"]],
  ["in:page", ["US-2008-B1"]],
  ["ag:oblon", ["US-2001-B1"]],
  ["pa:oblon", []],
  // Classes: every level of the hierarchy, prefixes
  ["ipc:H01M", H01M],
  ["ipc:H01M10", ["CN-1001-A", "CN-1003-A", "US-2001-B1", "US-2007-A1", "JP-4001-A"]],
  ["ipc:H01M1*", ["CN-1001-A", "CN-1003-A", "US-2001-B1", "US-2007-A1", "JP-4001-A"]],
  ["ipc:H01M10/052", ["CN-1001-A"]],
  ['ipc:"H01M 10/052"', ["CN-1001-A"]],
  ["ipc:H01M10/05*", ["CN-1001-A", "CN-1003-A", "US-2001-B1", "JP-4001-A"]],
  ["ipc:H01M10/*", ["CN-1001-A", "CN-1003-A", "US-2001-B1", "US-2007-A1", "JP-4001-A"]],
  ["ipc:H01M5*", ["CN-1005-U", "US-2010-B1", "US-2012-A1"]],
  ["ipc:H01M4/583", ["CN-1001-A"]],
  ["ipc:H0*", [...H01M, "US-2002-B2", "US-2004-B1", "CN-1004-A", "US-2011-B1"]],
  ["ipc:H", [...H01M, "US-2002-B2", "US-2004-B1", "CN-1004-A", "US-2011-B1"]],
  ["ipc:G06", ["US-2008-B1", "CN-1008-A", "US-2009-A1"]],
  ["ipc:G06N", ["CN-1008-A", "US-2009-A1"]],
  ["ipc:B60L50/64", ["US-2010-B1"]],
  ["ipc:H01L", []],
  ["cpc:Y02E", ["US-2001-B1"]],
  ["cpc:Y*", ["US-2001-B1", "US-2010-B1"]],
  ["cpc:H01M", []],
  // Exact values
  ["nice:9", ["CN-TM1001-T", "CN-TM1002-T", "CN-TM1005-T", "US-TM1006-T"]],
  ["nice:09", ["CN-TM1001-T", "CN-TM1002-T", "CN-TM1005-T", "US-TM1006-T"]],
  ["nice:[1 TO 9]", ["CN-TM1001-T", "CN-TM1002-T", "US-TM1003-T", "CN-TM1005-T", "US-TM1006-T"]],
  ["nice:{9 TO *]", ["CN-TM1001-T", "US-TM1003-T", "CN-TM1004-T"]],
  ["kind:trademark", TRADEMARKS],
  ["kind:utility-model", ["CN-1005-U"]],
  ["kind:design", ["CN-1006-S"]],
  ["kind:gi", ["CN-GI1001-G"]],
  ["kind:law", ["CN-BS1001-L"]],
  ["NOT kind:patent", ["CN-1005-U", "CN-1006-S", ...TRADEMARKS, "CN-GI1001-G", "CN-BS1001-L"]],
  ["cc:JP OR cc:EP", ["EP-3001-A1", "JP-4001-A"]],
  ["cc:cn AND battery", ["CN-1001-A", "CN-1003-A", "CN-1009-A"]],
  ["id:US-2001-B1", ["US-2001-B1"]],
  ["id:us-2001-b1", ["US-2001-B1"]],
  ["id:CN-TM*", ["CN-TM1001-T", "CN-TM1002-T", "CN-TM1004-T", "CN-TM1005-T"]],
  ["fam:FAM-1", ["CN-1001-A", "CN-1003-A"]],
  ["ds:uspto AND battery", ["US-2001-B1", "US-2002-B2", "US-2007-A1", "US-2010-B1", "US-2012-A1", "JP-4001-A"]],
  // Dates
  ["pd:2019", ["CN-1001-A", "CN-1004-A", "EP-3001-A1", "US-2010-B1"]],
  ["pd:[2019 TO 2020]", ["CN-1001-A", "CN-1002-A", "CN-1004-A", "CN-1005-U", "EP-3001-A1", "CN-TM1004-T", "US-2009-A1", "CN-BS1001-L", "US-2010-B1"]],
  ["pd:{2019-05-10 TO 2019-12-24}", ["CN-1004-A"]],
  ["pd:[2019-05-10 TO 2019-12-24]", ["CN-1001-A", "CN-1004-A", "EP-3001-A1"]],
  ["pd:[* TO 2010]", ["CN-TM1002-T", "CN-GI1001-G", "US-2013-B1"]],
  ["pd:2015-05", ["CN-TM1005-T", "US-TM1006-T"]],
  ["NOT pd:[* TO *]", ["CN-1009-A"]],
  ["ad:2018", ["CN-1001-A", "CN-1002-A"]],
  // Boolean
  ["(graphene OR 石墨烯) AND pd:[2019 TO 2020]", ["CN-1001-A", "CN-1002-A", "EP-3001-A1", "CN-TM1004-T"]],
  ["battery -lithium", ["CN-1001-A", "US-2001-B1", "US-2002-B2", "US-2007-A1", "US-2010-B1", "CN-1009-A"]],
  ["-battery -graphene ipc:H01M", ["US-2003-A1", "CN-1005-U", "CN-1007-A"]],
  ["kind:trademark AND nice:9", ["CN-TM1001-T", "CN-TM1002-T", "CN-TM1005-T", "US-TM1006-T"]],
  ["deep learning", ["CN-1008-A", "US-2009-A1"]],
  ["*", ALL],
  ["NOT nonexistentword", ALL],
  ["* AND acme", ["CN-TM1005-T", "US-TM1006-T"]],
  // Dataset filter
  ["battery", ["CN-1001-A", "CN-1003-A", "CN-1009-A"], { datasets: ["cnipa"] }],
  ["battery", BATTERY, { datasets: ["cnipa", "uspto"] }],
  ["battery", [], { datasets: ["nowhere"] }],
  ["*", ALL.filter((id) => CNIPA.has(id)), { datasets: ["cnipa"], fields: ["kind"] }],
  // No-oracle: fields the caller may not see never match
  ["zirconium", ["US-2006-B1"]],
  ["zirconium", [], { fields: NOT_CLAIMS }],
  ["zirconium", ["US-2006-B1"], { fields: ["cl"] }],
  ["zirconium", ["US-2006-B1"], { fields: ["tx"] }],
  ["temperature", ["US-2006-B1"]],
  ["temperature", [], { fields: [...NOT_CLAIMS, "cl"] }],
  ["cl:zirconium", [], { fields: ["ti", "ab"] }],
  ["NOT cl:zirconium", ALL, { fields: ["ti", "ab"] }],
  ["pd:2019", [], { fields: ["ti"] }],
  ["ipc:H01M OR kind:design", [], { fields: ["ti"] }],
  ["battery", ["CN-1001-A", "CN-1003-A", "US-2001-B1", "US-2002-B2", "US-2007-A1", "US-2010-B1"], { fields: ["ab"] }],
  ["battery", [], { fields: [] }],
  ["apple", ["CN-TM1002-T", "US-2013-B1"], { fields: ["title", "abstract"] }],
  // Addresses of natural persons: an explicit `addr:` clause, or free text when `fields` names addr
  ["addr:marlborough", ["US-2014-B1"]],
  ["address:Marlborough", ["US-2014-B1"]],
  ['addr:"elm street"', ["US-2014-B1"]],
  ["addr:01752", ["US-2014-B1"]],
  ["addr:worcester", ["US-2015-B1"]],
  ["addr:hollingsworth", []],
  ["marlborough", []],
  ["marlborough", ["US-2014-B1"], { fields: ["ti", "in", "addr"] }],
  ["marlborough", [], { fields: NOT_CLAIMS }],
  ["addr:marlborough", [], { fields: NOT_CLAIMS }],
  // Access tier: a CONFIDENTIAL record never matches a caller below CONFIDENTIAL
  ["flywheel", ["US-2016-A1"]],
  ["flywheel", ["US-2016-A1"], { maxTier: 4 }],
  ["flywheel", [], { maxTier: 3 }],
  ["id:US-2016-A1", [], { maxTier: 1 }],
  ["*", ALL.filter((id) => id !== "US-2016-A1"), { maxTier: 1 }],
  ["NOT flywheel", ALL.filter((id) => id !== "US-2016-A1"), { maxTier: 2 }],
  ["*", ALL.filter((id) => CNIPA.has(id)), { datasets: ["cnipa"], maxTier: 1 }],
  ["flywheel OR gear", ["US-2015-B1"], { datasets: ["uspto"], maxTier: 2 }],
];

/** Queries whose full hit order is known: BM25 length normalisation and docno tie-breaks. */
export const RANKED_CASES: readonly (readonly [string, readonly string[]])[] = [
  // tf 1 everywhere: shorter titles first; equal lengths in docno order.
  ["ti:battery", ["US-2007-A1", "US-2001-B1", "US-2002-B2", "US-2010-B1", "CN-1009-A", "US-2012-A1", "CN-1001-A", "CN-1003-A", "JP-4001-A"]],
  ["acme", ["CN-TM1005-T", "US-TM1006-T"]],
  ["kind:trademark", TRADEMARKS],
];

/** Facet counts (`value:count`, in bucket order) of some queries. */
export const FACET_CASES: readonly (readonly [string, Options, Record<string, string[]>])[] = [
  [
    "battery",
    { facets: ["kind", "country", "year", "ipc_section", "ipc_class", "dataset", "applicant"], facetSize: 3 },
    {
      kind: ["patent:9"],
      country: ["US:5", "CN:3", "JP:1"],
      year: ["2016:2", "2019:2", "2015:1"],
      ipc_section: ["H:8", "B:1"],
      ipc_class: ["H01:7", "B60:1", "H02:1"],
      dataset: ["uspto:6", "cnipa:3"],
      applicant: ["Apple Inc.:1", "Tesla Inc.:1", "Toyota Motor Corp:1"],
    },
  ],
  ["kind:trademark", { facets: ["nice", "country"] }, { nice: ["9:4", "1:1", "17:1", "35:1", "38:1"], country: ["CN:4", "US:2"] }],
  ["*", { facets: ["kind", "year"], facetSize: 2 }, { kind: ["patent:25", "trademark:6"], year: ["2020:5", "2019:4"] }],
  ["*", { facets: ["kind"], maxTier: 3 }, { kind: ["patent:24", "trademark:6", "design:1", "gi:1", "law:1", "utility_model:1"] }],
  ["pd:[2024 TO 2026]", { facets: ["year", "dataset"] }, { year: ["2024:1", "2025:1", "2026:1"], dataset: ["uspto:3"] }],
  ["pd:[2024 TO 2026]", { facets: ["year", "dataset"], maxTier: 2 }, { year: ["2024:1", "2025:1"], dataset: ["uspto:2"] }],
  ["flywheel", { facets: ["kind", "year"], maxTier: 1 }, { kind: [], year: [] }],
  ["*", { facets: ["dataset"], datasets: ["cnipa"] }, { dataset: ["cnipa:15"] }],
  ["nonexistentword", { facets: ["kind"] }, { kind: [] }],
];
