import { SearchRequest } from "@ipfed/proto";
import { collect, rawClients } from "../../../test/helpers/grpc-clients.js";
import { startNode } from "../../../test/helpers/node-process.js";
import { ensureNode } from "../corpus-cache.js";
import { diskBytes, mib } from "../disk-usage.js";
import { ensureFts5 } from "../peers/fts5-build.js";
import { startBareServer } from "../peers/bare-server-process.js";
import { residentBytes } from "../process-memory.js";
import { benchQueries } from "../query-set.js";
import type { ResultRow } from "../result-file.js";
import type { Scenario, ScenarioContext, ScenarioOutput } from "../scenario.js";
import { figure } from "../stats.js";
import { FTS5_NAMES } from "./search.js";

/** Queries a started node answers before its memory is read again. */
const WARM_QUERIES = 50;
const BARE = "bare grpc-js process";

/**
 * Footprint: a node holding the records, started with `ipfed node start`: time to ready, its
 * resident memory when ready and after answering queries, and its data directory on disk,
 * against the floor of a bare grpc-js Node process and the same records in FTS5 and as JSON lines.
 *
 * @example
 * ```ts
 * await footprintScenario.run({ size: 1000, runs: 1, queries: 0, members: [], memberRecords: 0, tokens: 0, cacheDir: ".cache", log: console.log });
 * ```
 */
export const footprintScenario: Scenario = {
  name: "footprint",
  title: "Footprint: a node's memory, disk and start-up",
  description: [
    "A node holding the records is started with `ipfed node start` (from the workspace, TypeScript compiled on start by tsx,",
    "as `pnpm ipfed` runs it): time from spawn to its `node ready` log line, resident memory when ready and after it answered",
    `${WARM_QUERIES} searches through gRPC, and its data directory on disk. The floor: a bare grpc-js server process started`,
    "the same way (tsx, no ipfed code) and, for disk, the same records as FTS5 text and as the JSON-lines input.",
  ].join("\n"),
  slower: [
    "Start-up opens LevelDB, reads the index's segment list and document columns, loads keys, audit log and trust; the bare",
    "server loads grpc-js only. The node's memory holds the index's document columns, postings cache and LevelDB's caches.",
  ].join(" "),
  async run(ctx: ScenarioContext): Promise<ScenarioOutput> {
    const data = await ensureNode(ctx.cacheDir, ctx.size);
    const queries = benchQueries(WARM_QUERIES);
    const f = { start: [] as number[], ready: [] as number[], warm: [] as number[] };
    const b = { start: [] as number[], ready: [] as number[] };
    for (let r = 0; r < ctx.runs; r++) {
      const t = performance.now();
      const node = await startNode(data.nodeDir);
      f.start.push(performance.now() - t);
      try {
        f.ready.push(mib(residentBytes(node.proc.pid!)));
        const c = rawClients(node.grpc);
        for (const q of queries) await collect(c.search.search(SearchRequest.fromPartial({ query: q.text, pageSize: 20 })));
        c.close();
        f.warm.push(mib(residentBytes(node.proc.pid!)));
      } finally {
        await node.stop();
      }
      const bare = await startBareServer();
      b.start.push(bare.startMs);
      b.ready.push(mib(residentBytes(bare.proc.pid!)));
      await bare.stop();
      ctx.log(`footprint: run ${r + 1}: ready in ${Math.round(f.start.at(-1)!)} ms, ${Math.round(f.warm.at(-1)!)} MiB after queries`);
    }
    const fts = await ensureFts5(ctx.cacheDir, ctx.size, data.jsonl, "porter");
    const ftsBytes = fts.bytes();
    fts.close();
    const rows: ResultRow[] = [
      { name: "start-up to ready", unit: "ms", better: "lower", ipfed: { engine: "ipfed node", figure: figure(f.start) }, peers: [{ engine: BARE, figure: figure(b.start) }] },
      { name: "resident memory, ready", unit: "MiB", better: "lower", ipfed: { engine: "ipfed node", figure: figure(f.ready) }, peers: [{ engine: BARE, figure: figure(b.ready) }] },
      { name: `resident memory after ${WARM_QUERIES} searches`, unit: "MiB", better: "lower", ipfed: { engine: "ipfed node", figure: figure(f.warm) }, peers: [{ engine: BARE, figure: figure(b.ready) }] },
      {
        name: "data on disk",
        unit: "MiB",
        better: "lower",
        ipfed: { engine: "ipfed node directory", figure: figure([mib(await diskBytes(data.nodeDir))]) },
        peers: [
          { engine: FTS5_NAMES.porter, figure: figure([mib(ftsBytes)]) },
          { engine: "JSON lines", figure: figure([mib(await diskBytes(data.jsonl))]) },
        ],
      },
    ];
    return { params: { records: ctx.size, warmQueries: WARM_QUERIES }, rows, tables: [], notes: ["The bare process's memory is the same figure in both memory rows: it answers nothing."] };
  },
};
