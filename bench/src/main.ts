// `pnpm bench [scenario...] [--size N[,N]] ...`: runs benchmark scenarios side by side with
// their peers, prints each figure as median (min–max) over the runs, writes
// bench/results/<scenario>-<size>.json, and with --report rewrites bench/README.md.
import { resolve } from "node:path";
import { IpfedError } from "@ipfed/sdk";
import { describeEnvironment } from "./environment.js";
import { BENCH_DEFAULTS, parseBenchArgs } from "./options.js";
import type { BenchOptions } from "./options.js";
import { writeReadme } from "./report.js";
import { writeResult } from "./result-file.js";
import type { ScenarioResult } from "./result-file.js";
import type { Scenario, ScenarioContext } from "./scenario.js";
import { SCENARIOS } from "./scenarios/index.js";
import { formatFigure } from "./stats.js";

const HELP = `Usage: pnpm bench [scenario...] [options]

Scenarios: ${SCENARIOS.map((s) => s.name).join(", ")} (default: all, in this order)

Options:
  --size N[,N]          records for search, ingest, export, footprint (default ${BENCH_DEFAULTS.sizes.join(",")}; 200k and 1m accepted)
  --runs N              repeated runs behind each median (default ${BENCH_DEFAULTS.runs})
  --queries N           queries per search run (default ${BENCH_DEFAULTS.queries})
  --members N[,N]       member processes of the federation scenario (default ${BENCH_DEFAULTS.members.join(",")})
  --member-records N    records each federation member holds (default ${BENCH_DEFAULTS.memberRecords})
  --tokens N            distinct tokens of the tokens scenario (default ${BENCH_DEFAULTS.tokens})
  --cache DIR           generated corpus and built stores, reused between runs (default ${BENCH_DEFAULTS.cacheDir}, or IPFED_BENCH_CACHE)
  --out DIR             result files (default ${BENCH_DEFAULTS.outDir})
  --report              rewrite bench/README.md from the result files after the runs
  --report-only         only rewrite bench/README.md

Examples:
  pnpm bench search --size 20k --runs 1
  pnpm bench --size 200k --report
`;

/** The command that reproduces one scenario's run. */
function commandOf(scenario: Scenario, opts: BenchOptions, size: number): string {
  const parts = ["pnpm bench", scenario.name];
  if (scenario.resultSize === undefined) parts.push(`--size ${size}`);
  if (opts.runs !== BENCH_DEFAULTS.runs) parts.push(`--runs ${opts.runs}`);
  if (scenario.name === "search" && opts.queries !== BENCH_DEFAULTS.queries) parts.push(`--queries ${opts.queries}`);
  if (scenario.name === "federation") parts.push(`--members ${opts.members.join(",")}`, `--member-records ${opts.memberRecords}`);
  if (scenario.name === "tokens") parts.push(`--tokens ${opts.tokens}`);
  return parts.join(" ");
}

/**
 * Runs the scenarios of a parsed command line and returns the results written.
 *
 * @example
 * ```ts
 * await runBench(parseBenchArgs(["tokens", "--tokens", "100"], SCENARIOS.map((s) => s.name)));
 * ```
 */
export async function runBench(opts: BenchOptions, log: (line: string) => void = (l) => console.log(l)): Promise<ScenarioResult[]> {
  const environment = describeEnvironment();
  const results: ScenarioResult[] = [];
  if (!opts.reportOnly) {
    for (const name of opts.scenarios) {
      const scenario = SCENARIOS.find((s) => s.name === name)!;
      const seen = new Set<number>();
      for (const size of opts.sizes) {
        const ctx: ScenarioContext = {
          size,
          runs: opts.runs,
          queries: opts.queries,
          members: opts.members,
          memberRecords: opts.memberRecords,
          tokens: opts.tokens,
          cacheDir: resolve(opts.cacheDir),
          log,
        };
        const resultSize = scenario.resultSize?.(ctx) ?? size;
        if (seen.has(resultSize)) continue;
        seen.add(resultSize);
        log(`== ${scenario.title} (${resultSize.toLocaleString("en-US")})`);
        const started = performance.now();
        const out = await scenario.run(ctx);
        const result: ScenarioResult = {
          scenario: scenario.name,
          size: resultSize,
          date: new Date().toISOString(),
          command: commandOf(scenario, opts, size),
          environment,
          runs: opts.runs,
          ...out,
        };
        for (const row of result.rows) {
          const peers = row.peers.map((p) => `${p.engine} ${formatFigure(p.figure)}`).join("; ");
          log(`  ${row.name} [${row.unit}]: ${row.ipfed ? `${row.ipfed.engine} ${formatFigure(row.ipfed.figure)}` : ""}${peers ? ` | ${peers}` : ""}`);
        }
        log(`  -> ${await writeResult(resolve(opts.outDir), result)} (${Math.round((performance.now() - started) / 1000)} s)`);
        results.push(result);
      }
    }
  }
  if (opts.report || opts.reportOnly) log(`README: ${await writeReadme(resolve(opts.outDir))}`);
  return results;
}

// Run only as the entry point, so the smoke test can import runBench.
if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("bench/src/main.ts")) {
  try {
    const opts = parseBenchArgs(process.argv.slice(2), SCENARIOS.map((s) => s.name));
    if (opts.help) console.log(HELP);
    else await runBench(opts);
    // Child processes and gRPC channels are closed; anything left (a level iterator) must not keep us.
    process.exit(0);
  } catch (err) {
    const e = IpfedError.from(err);
    process.stderr.write(`error ${e.code}: ${e.message}\n`);
    if (e.code === "INTERNAL") process.stderr.write(`${(err as Error).stack ?? ""}\n`);
    process.exit(e.code === "INVALID_ARGUMENT" ? 2 : 1);
  }
}
