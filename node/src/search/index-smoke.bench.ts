/**
 * A quick throughput check of `LevelSearchIndex` on the synthetic corpus (not a test, no
 * asserts): index build rate, merge time, on-disk size, `open()` time, and queries per second
 * with p50/p99 latencies for single terms, two-term ANDs, phrases and Chinese terms.
 *
 * Run from the repository root:
 *
 * ```
 * N=100000 node --conditions=@ipfed/source --import tsx node/src/search/index-smoke.bench.ts
 * ```
 *
 * Environment: `N` records (default 100000), `BATCH` records per prepare (default 1000), `DIR` a
 * directory to keep the database in (default a temporary one, deleted afterwards), `REUSE=1` to
 * skip the build and measure the index already in `DIR`.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseQuery } from "@ipfed/sdk";
import { Level } from "level";
import { generateCorpus, sampleQueries } from "../../../packages/corpus/src/index.js";
import type { StoredRecord } from "../store/record-store.js";
import { LevelSearchIndex } from "./level-search-index.js";
import type { IndexUpdate } from "./search-index.js";

const N = Number(process.env.N ?? 100_000);
const BATCH = Number(process.env.BATCH ?? 1000);
const dir = process.env.DIR ?? (await mkdtemp(join(tmpdir(), "ipfed-bench-")));

const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MB`;
const memory = (): string => {
  const m = process.memoryUsage();
  // On Linux, RSS splits into anonymous memory and file pages (LevelDB maps its table files).
  const status = readFileSync("/proc/self/status", { encoding: "utf8", flag: "r" });
  const kb = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return `RSS ${mb(m.rss)} (anonymous ${mb(kb("RssAnon"))}, file ${mb(kb("RssFile"))}; JS heap ${mb(m.heapUsed)}, array buffers ${mb(m.arrayBuffers)})`;
};
const now = (): number => performance.now();

async function openIndex(): Promise<{ db: Level<string, Uint8Array>; index: LevelSearchIndex; ms: number }> {
  const db = new Level<string, Uint8Array>(dir, { keyEncoding: "utf8", valueEncoding: "view" });
  await db.open();
  const index = new LevelSearchIndex(db.sublevel<string, Uint8Array>("index", { keyEncoding: "utf8", valueEncoding: "view" }));
  const t = now();
  await index.open();
  return { db, index, ms: now() - t };
}

async function commit(db: Level<string, Uint8Array>, update: IndexUpdate): Promise<void> {
  await (db.batch as unknown as (ops: unknown[]) => Promise<void>).call(db, [...update.ops]);
  update.apply();
}

// Build: generation is timed apart, so the rate is the index's own. REUSE=1 skips it and only
// measures an index left in DIR by an earlier run.
if (process.env.REUSE !== "1") {
  const { db, index } = await openIndex();
  let genMs = 0;
  let indexMs = 0;
  let batch: StoredRecord[] = [];
  let docno = 0;
  let maxSegments = 0;
  const corpus = generateCorpus({ size: N, seed: 1 });
  for (;;) {
    let t = now();
    const next = corpus.next();
    genMs += now() - t;
    if (next.done !== true) batch.push({ record: next.value, docno: ++docno });
    if (batch.length === BATCH || (next.done === true && batch.length > 0)) {
      t = now();
      await commit(db, await index.prepare(batch, []));
      indexMs += now() - t;
      batch = [];
      maxSegments = Math.max(maxSegments, index.segmentCount());
    }
    if (next.done === true) break;
  }
  const segmentsBefore = index.segmentCount();
  const t = now();
  await index.idle();
  const mergeMs = now() - t;
  console.log(`records ${N}, batches of ${BATCH}`);
  console.log(`generate ${(genMs / 1000).toFixed(1)} s; index ${(indexMs / 1000).toFixed(1)} s = ${Math.round(N / (indexMs / 1000))} records/s (merging meanwhile)`);
  console.log(`segments: at most ${maxSegments} while indexing, ${segmentsBefore} after the last commit, ${index.segmentCount()} after merges; waiting for merges ${(mergeMs / 1000).toFixed(1)} s`);
  console.log(`end-to-end incl. merges ${Math.round(N / ((indexMs + mergeMs) / 1000))} records/s; ${memory()}`);
  await index.close();
  await db.close();
}
console.log(`on disk ${execFileSync("du", ["-sh", dir]).toString().split("\t")[0]}`);
const opened = await openIndex();
const { db, index } = opened;
console.log(`open() ${opened.ms.toFixed(0)} ms (${index.docCount()} documents, ${index.segmentCount()} segments); ${memory()}`);

// Queries, bucketed by shape from the corpus's own sample queries.
const samples = sampleQueries({ count: 20_000, seed: 3 });
const buckets: Record<string, string[]> = {
  "single term (en)": samples.filter((q) => /^[A-Za-z-]+$/.test(q)),
  "single term (zh)": samples.filter((q) => /^\p{Script=Han}+$/u.test(q)),
  "2-term AND": samples.filter((q) => /^[^\s":]+ AND [^\s":]+$/.test(q)),
  phrase: samples.filter((q) => /^"[^"]+"$/.test(q) || /^(ti|ab):"[^"]+"$/.test(q)),
  "fielded + date range": samples.filter((q) => q.includes("pd:[")),
};

async function measure(name: string, queries: readonly string[], facets: boolean): Promise<void> {
  const parsed = queries.slice(0, 1000).map((q) => parseQuery(q));
  const times: number[] = [];
  let hits = 0;
  const start = now();
  const cpu = process.cpuUsage();
  for (const q of parsed) {
    const s = now();
    const r = await index.search(q, { limit: 10, ...(facets ? { facets: ["kind", "year", "ipc_class", "applicant"] as const } : {}) });
    times.push(now() - s);
    hits += r.total;
  }
  const total = now() - start;
  // CPU time as well as wall time: on a shared machine the wall time depends on the neighbours.
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  times.sort((a, b) => a - b);
  const p = (x: number): string => (times[Math.min(times.length - 1, Math.floor(x * times.length))] ?? 0).toFixed(2);
  console.log(
    `${name.padEnd(30)} ${String(parsed.length).padStart(5)} q ${String(Math.round(parsed.length / (total / 1000))).padStart(6)} q/s (${String(Math.round(parsed.length / (cpuMs / 1000))).padStart(6)} per CPU-s)  p50 ${p(0.5)} ms  p99 ${p(0.99)} ms  mean hits ${Math.round(hits / parsed.length)}`,
  );
}

for (const pass of ["cold", "warm"]) {
  console.log(`-- ${pass} cache`);
  for (const [name, queries] of Object.entries(buckets)) await measure(name, queries, false);
}
await measure("single term (en) + 4 facets", buckets["single term (en)"] ?? [], true);
console.log(`${memory()}, postings cache ${mb(index.describe().cacheBytes)}`);
await index.close();
await db.close();
if (process.env.DIR === undefined) await rm(dir, { recursive: true, force: true });
