import { SearchRequest } from "@ipfed/proto";
import type { SearchEvent } from "@ipfed/proto";
import { ensureNode, BENCH_MEMBER } from "../corpus-cache.js";
import { openNodeStore } from "../../../node/src/store/node-store.js";
import { collect, rawClients } from "../../../test/helpers/grpc-clients.js";
import { issueToken, startNode } from "../../../test/helpers/node-process.js";
import { measureEngine } from "../engine-runs.js";
import type { EngineMeasure, QueryEngine } from "../engine-runs.js";
import { FlexIndexes, translateFlex } from "../peers/flexsearch-index.js";
import { fts5Row, translateFts5 } from "../peers/fts5-index.js";
import type { Fts5Index, Fts5Query, Fts5Tokenizer } from "../peers/fts5-index.js";
import { readJsonlRecords } from "../jsonl-records.js";
import { ensureFts5 } from "../peers/fts5-build.js";
import { benchQueries, groupOf, QUERY_GROUPS } from "../query-set.js";
import type { BenchQuery } from "../query-set.js";
import type { ResultRow, ResultTable } from "../result-file.js";
import type { Scenario, ScenarioContext, ScenarioOutput } from "../scenario.js";
import { formatNumber } from "../stats.js";

/** Above this many records flexsearch is left out: its whole index lives in the JavaScript heap. */
export const FLEXSEARCH_MAX_RECORDS = 200_000;
/** Hits per page, for every engine. */
const LIMIT = 20;

const IPFED = "ipfed (in-process)";
const IPFED_GRPC = "ipfed (gRPC loopback)";
/** Report names of the FTS5 peers. */
export const FTS5_NAMES: { readonly [t in Fts5Tokenizer]: string } = {
  unicode61: "SQLite FTS5 unicode61",
  porter: "SQLite FTS5 porter unicode61",
  trigram: "SQLite FTS5 trigram",
};
const FTS = FTS5_NAMES;
const FLEX = "flexsearch";

function fts5Engine(fts: Fts5Index, tokenizer: Fts5Tokenizer): QueryEngine {
  const cache = new Map<string, Fts5Query | undefined>();
  const of = (q: BenchQuery): Fts5Query | undefined => {
    if (!cache.has(q.text)) {
      const t = translateFts5(q.parsed, tokenizer);
      cache.set(q.text, t.ok ? t.query : undefined);
    }
    return cache.get(q.text);
  };
  return {
    name: FTS[tokenizer],
    answers: (q) => of(q) !== undefined,
    top: (q) => fts.top(of(q)!, LIMIT).length,
    count: (q) => fts.count(of(q)!),
  };
}

async function measureIpfedInProcess(nodeDir: string, queries: readonly BenchQuery[], runs: number): Promise<EngineMeasure> {
  const node = await openNodeStore(nodeDir, BENCH_MEMBER);
  try {
    await node.index.idle();
    const search = async (q: BenchQuery): Promise<number> => (await node.index.search(q.parsed, { limit: LIMIT })).total;
    return await measureEngine({ name: IPFED, answers: () => true, top: search, count: search }, queries, runs);
  } finally {
    await node.close();
  }
}

async function measureIpfedGrpc(nodeDir: string, queries: readonly BenchQuery[], runs: number): Promise<EngineMeasure> {
  const token = await issueToken(nodeDir, { tier: "confidential", scope: "search read" });
  const node = await startNode(nodeDir);
  const c = rawClients(node.grpc, token);
  try {
    const search = async (q: BenchQuery): Promise<number> => {
      const events = await collect<SearchEvent>(c.search.search(SearchRequest.fromPartial({ query: q.text, pageSize: LIMIT })));
      const done = events.find((e) => e.event?.$case === "done");
      return done?.event?.$case === "done" ? Number(done.event.value.total) : -1;
    };
    return await measureEngine({ name: IPFED_GRPC, answers: () => true, top: search, count: search }, queries, runs);
  } finally {
    c.close();
    await node.stop();
  }
}

async function buildFlex(jsonl: string): Promise<{ flex: FlexIndexes; ms: number; heapBytes: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().heapUsed;
  const t = performance.now();
  const flex = new FlexIndexes();
  for await (const { line, record } of readJsonlRecords(jsonl)) flex.add(line, fts5Row(record));
  const ms = performance.now() - t;
  (globalThis as { gc?: () => void }).gc?.();
  return { flex, ms, heapBytes: process.memoryUsage().heapUsed - before };
}

function flexEngine(flex: FlexIndexes, size: number): QueryEngine {
  return {
    name: FLEX,
    answers: (q) => translateFlex(q.parsed).ok,
    top: (q) => {
      const t = translateFlex(q.parsed);
      return t.ok ? flex.search(t, LIMIT).length : -1;
    },
    count: (q) => {
      const t = translateFlex(q.parsed);
      return t.ok ? flex.search(t, size + 1).length : -1;
    },
  };
}

function pct(part: number, whole: number): string {
  return whole === 0 ? "–" : `${Math.round((part * 100) / whole)}%`;
}

function agreementTable(queries: readonly BenchQuery[], ipfed: EngineMeasure, grpc: EngineMeasure, peers: readonly EngineMeasure[]): ResultTable {
  const rows: string[][] = [];
  for (const g of [...QUERY_GROUPS, "all"]) {
    const idx = queries.flatMap((q, i) => (g === "all" || groupOf(q) === g ? [i] : []));
    if (idx.length === 0) continue;
    const mean = (m: EngineMeasure, ids: number[]): string =>
      ids.length === 0 ? "–" : formatNumber(ids.reduce((a, i) => a + (m.counts[i] ?? 0), 0) / ids.length);
    const row = [g, String(idx.length), mean(ipfed, idx), pct(idx.filter((i) => grpc.counts[i] === ipfed.counts[i]).length, idx.length)];
    for (const p of peers) {
      const answered = idx.filter((i) => p.counts[i] !== undefined);
      row.push(`${answered.length}`, mean(p, answered), pct(answered.filter((i) => p.counts[i] === ipfed.counts[i]).length, answered.length));
    }
    rows.push(row);
  }
  return {
    title: "Hit counts side by side: mean matches per query, and the share of answered queries where the count equals ipfed's",
    columns: ["queries", "n", "ipfed mean hits", "gRPC = in-process", ...peers.flatMap((p) => [`${p.name} answered`, "mean hits", "same count"])],
    rows,
  };
}

function sampleTable(queries: readonly BenchQuery[], ipfed: EngineMeasure, peers: readonly EngineMeasure[]): ResultTable {
  const rows: string[][] = [];
  for (const g of QUERY_GROUPS) {
    for (const i of queries.flatMap((q, k) => (groupOf(q) === g ? [k] : [])).slice(0, 2)) {
      rows.push([`\`${queries[i]!.text.replace(/\|/g, "\\|")}\``, String(ipfed.counts[i]), ...peers.map((p) => (p.counts[i] === undefined ? "–" : String(p.counts[i])))]);
    }
  }
  return { title: "Sample queries: hits of each engine (– where the engine cannot express the query)", columns: ["query", "ipfed", ...peers.map((p) => p.name)], rows };
}

function rows(ipfed: EngineMeasure, grpc: EngineMeasure, peers: readonly EngineMeasure[]): ResultRow[] {
  const out: ResultRow[] = [];
  for (const g of [...QUERY_GROUPS, "all"]) {
    const own = ipfed.groups.get(g);
    const viaGrpc = grpc.groups.get(g);
    if (own === undefined || viaGrpc === undefined) continue;
    const peerFigures = (metric: "perSecond" | "p50" | "p99") =>
      peers.flatMap((p) => {
        const pg = p.groups.get(g);
        return pg === undefined ? [] : [{ engine: p.name, figure: pg[metric] }];
      });
    out.push({ name: `${g}: queries/s`, unit: "queries/s", better: "higher", ipfed: { engine: IPFED, figure: own.perSecond }, peers: peerFigures("perSecond") });
    out.push({ name: `${g}: queries/s through gRPC`, unit: "queries/s", better: "higher", ipfed: { engine: IPFED_GRPC, figure: viaGrpc.perSecond }, peers: peerFigures("perSecond") });
    out.push({ name: `${g}: p50`, unit: "ms", better: "lower", ipfed: { engine: IPFED, figure: own.p50 }, peers: peerFigures("p50") });
    out.push({ name: `${g}: p99`, unit: "ms", better: "lower", ipfed: { engine: IPFED, figure: own.p99 }, peers: peerFigures("p99") });
    if (g === "all") {
      out.push({ name: `${g}: p50 through gRPC`, unit: "ms", better: "lower", ipfed: { engine: IPFED_GRPC, figure: viaGrpc.p50 }, peers: peerFigures("p50") });
      out.push({ name: `${g}: p99 through gRPC`, unit: "ms", better: "lower", ipfed: { engine: IPFED_GRPC, figure: viaGrpc.p99 }, peers: peerFigures("p99") });
    }
  }
  return out;
}

/**
 * Search: the same queries against ipfed's index (in-process, and through a node's gRPC on
 * loopback), SQLite FTS5 with `unicode61` and with `trigram`, and flexsearch, each asked for
 * its best 20 hits one query at a time; hit counts side by side.
 *
 * @example
 * ```ts
 * await searchScenario.run({ size: 1000, runs: 3, queries: 100, members: [2], cacheDir: ".cache", log: console.log });
 * ```
 */
export const searchScenario: Scenario = {
  name: "search",
  title: "Search: ipfed vs SQLite FTS5 and flexsearch",
  description: [
    "The same queries (the corpus generator's sample queries, half English, half Chinese: single terms, two-term ANDs, phrases,",
    "field clauses with `ti:`, `ab:`, `pa:`, `in:`, `ipc:` and date ranges, ORs and NOTs) against ipfed's index called in-process",
    "and through a node's gRPC on loopback, against SQLite FTS5 (`better-sqlite3`, bm25, `LIMIT 20`) with the `unicode61`",
    "tokenizer a user starts with, with `porter unicode61` (the same tokens with English stemming, as ipfed stems) and with the",
    "`trigram` tokenizer, and against flexsearch where the query type allows it (English terms and ANDs of terms, `ti:` and",
    "`ab:`). FTS5 holds the same text in the same fields as ipfed's index.",
    "",
    "What each engine answers: ipfed stems English (Porter2) and indexes Chinese as overlapping character bigrams, so `石墨烯`",
    "is found inside `石墨烯电池`. FTS5 `unicode61` does not segment Chinese: a run of Han characters is one token, so a",
    "Chinese term matches only where it stands alone between punctuation, and it does not stem (`coating` misses `coatings`);",
    "with `porter` English counts agree with ipfed's except where a Latin word is written against Chinese (`5G基站` is one",
    "unicode61 token, two ipfed tokens). FTS5 `trigram` matches any",
    "substring of three characters or more, in both scripts (so `cell` also finds `cellulose`); it cannot run a term of one or",
    "two characters (most two-character Chinese words) or a prefix. flexsearch matches whole words without stemming, cannot",
    "run phrases, and its default encoder does not segment Chinese, so it is asked English queries only. `5G`, `PCR` and",
    "hyphenated words (`silicon-carbon`) are where the stemmed engines still differ: ipfed splits a Latin word from the Han",
    "characters written against it, unicode61 does not.",
  ].join("\n"),
  slower: [
    "FTS5 is C code reading pages of one B-tree through SQLite's cache; ipfed's index is JavaScript over LevelDB, decoding",
    "postings into typed arrays and counting every match for the total it returns (FTS5 is timed without counting). Where FTS5",
    "`unicode61` looks faster on Chinese it is answering a different, much smaller question: whole-run tokens match few records.",
    "Through gRPC ipfed also fetches, redacts and serialises the 20 records of the page, which the in-process figures do not.",
    "Profiling the node under gRPC searches at 200,000 records (`node --cpu-prof`) found two fixed costs per call, removed",
    "since the first 200k run (commit 7f4475a's tables were ~40 queries/s whatever the query): every search re-read and",
    "decoded each dataset's figures to learn the caller's visible datasets (~13 ms), and scanned every document to apply a",
    "dataset filter that let all of them through (~8 ms). What remains per call is the index work, fetching and encoding the",
    "page's records, the audit entry and the gRPC round trip. On this machine that round trip alone is ~1 ms for a bare",
    "grpc-js unary call and ~1.5 ms for a 20-message stream (a bare server in a second process, measured beside the node);",
    "the node adds ~0.7 ms per call (token, audit, interceptor: a ListDatasets takes 1.7 ms) and ~0.12 ms per hit streamed.",
    "Counting every match is why ipfed's p50 grows with the corpus (1.33 ms at 200,000 records, 11.4 ms at 1,000,000) while",
    "its p99, set by the broad queries that FTS5 must also walk, is better than FTS5's at 1,000,000.",
  ].join(" "),
  async run(ctx: ScenarioContext): Promise<ScenarioOutput> {
    const data = await ensureNode(ctx.cacheDir, ctx.size);
    const queries = benchQueries(ctx.queries);
    ctx.log(`search: ${queries.length} queries over ${ctx.size} records, ${ctx.runs} runs`);
    const ipfed = await measureIpfedInProcess(data.nodeDir, queries, ctx.runs);
    ctx.log("search: ipfed in-process done");
    const grpc = await measureIpfedGrpc(data.nodeDir, queries, ctx.runs);
    ctx.log("search: ipfed through gRPC done");
    const peers: EngineMeasure[] = [];
    for (const tokenizer of ["unicode61", "porter", "trigram"] as const) {
      const fts = await ensureFts5(ctx.cacheDir, ctx.size, data.jsonl, tokenizer);
      try {
        peers.push(await measureEngine(fts5Engine(fts, tokenizer), queries, ctx.runs));
      } finally {
        fts.close();
      }
      ctx.log(`search: ${FTS[tokenizer]} done`);
    }
    const notes: string[] = [];
    if (ctx.size <= FLEXSEARCH_MAX_RECORDS) {
      const built = await buildFlex(data.jsonl);
      peers.push(await measureEngine(flexEngine(built.flex, ctx.size), queries, ctx.runs));
      notes.push(
        `flexsearch built its three in-memory indexes (free text, titles, abstracts) in ${formatNumber(built.ms / 1000)} s, holding about ${formatNumber(built.heapBytes / 2 ** 20)} MB of JavaScript heap.`,
      );
      ctx.log("search: flexsearch done");
    } else {
      notes.push(`flexsearch is left out above ${FLEXSEARCH_MAX_RECORDS.toLocaleString("en-US")} records: its whole index lives in the JavaScript heap.`);
    }
    notes.push(
      "Every engine is asked for its best 20 hits, one query at a time on one thread. ipfed's figure covers every query of the group; a peer's covers the queries it can express (see the answered column), so a peer's rate over fewer, simpler queries is not the same work.",
      "ipfed's in-process call also counts every match (the total it returns); FTS5 is timed on `ORDER BY bm25 LIMIT 20` alone and counted by a separate `count(*)` that is not timed. Through gRPC, ipfed also fetches, redacts and sends the 20 records.",
    );
    return {
      params: { queries: queries.length, limit: LIMIT, flexsearch: ctx.size <= FLEXSEARCH_MAX_RECORDS },
      rows: rows(ipfed, grpc, peers),
      tables: [agreementTable(queries, ipfed, grpc, peers), sampleTable(queries, ipfed, peers)],
      notes,
      hits: queries.map((q, i) => ({
        query: q.text,
        group: groupOf(q),
        counts: Object.fromEntries([ipfed, grpc, ...peers].map((m) => [m.name, m.counts[i] ?? null])),
      })),
    };
  },
};
