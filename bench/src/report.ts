// Rewrites bench/README.md from the result files: `pnpm bench --report-only`.
// (or `pnpm bench --report-only`). Every table comes from bench/results/*.json.
import { writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Environment } from "./environment.js";
import { readResults } from "./result-file.js";
import type { EngineFigure, ResultRow, ScenarioResult } from "./result-file.js";
import { SCENARIOS } from "./scenarios/index.js";
import { formatFigure, formatNumber } from "./stats.js";
import { goalLines } from "./goals.js";

/**
 * How much better ipfed does than a peer in a row: above 1 ipfed is ahead, below 1 the peer
 * is (ipfed ÷ peer for rates, peer ÷ ipfed for times and sizes); undefined without both.
 *
 * @example
 * ```ts
 * advantage(row, row.peers[0]!); // 0.5: ipfed reaches half the peer's rate
 * ```
 */
export function advantage(row: ResultRow, peer: EngineFigure): number | undefined {
  const own = row.ipfed?.figure.median;
  const other = peer.figure.median;
  if (own === undefined || own <= 0 || other <= 0) return undefined;
  return row.better === "higher" ? own / other : other / own;
}

const cell = (s: string): string => s.replace(/\|/g, "\\|");

function rowsTable(result: ScenarioResult): string {
  const engines: string[] = [];
  for (const r of result.rows) for (const p of r.peers) if (!engines.includes(p.engine)) engines.push(p.engine);
  const head = ["measure", "unit", "ipfed", ...engines.flatMap((e) => [e, "×"])];
  const lines = [`| ${head.map(cell).join(" | ")} |`, `|${head.map((_, i) => (i < 2 ? "---" : "---:")).join("|")}|`];
  for (const r of result.rows) {
    const own = r.ipfed ? `${formatFigure(r.ipfed.figure)}${r.ipfed.engine.includes("(") ? ` *${r.ipfed.engine.slice(r.ipfed.engine.indexOf("(") + 1, -1)}*` : ""}` : "–";
    const cells = [r.name, r.unit, own];
    for (const e of engines) {
      const p = r.peers.find((x) => x.engine === e);
      const a = p ? advantage(r, p) : undefined;
      cells.push(p ? formatFigure(p.figure) : "–", a === undefined ? "–" : `${formatNumber(a)}×`);
    }
    lines.push(`| ${cells.map(cell).join(" | ")} |`);
  }
  return lines.join("\n");
}

function machine(env: Environment): string {
  const v = Object.entries(env.versions).map(([k, x]) => `${k} ${x}`).join(", ");
  return `${env.cpu}, ${env.cores} cores, ${env.memoryGiB} GiB RAM, ${env.os}, Node ${env.node}; ${v}; commit ${env.commit}`;
}

function slowerRows(results: readonly ScenarioResult[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    // Per-language query groups are in the scenario's table; the summary names the overall rows.
    for (const row of r.rows.filter((x) => !/\((en|zh)\)/.test(x.name))) {
      const behind = row.peers.flatMap((p) => {
        const a = advantage(row, p);
        return a !== undefined && a < 0.95 ? [`${p.engine} ${formatNumber(1 / a)}×`] : [];
      });
      if (behind.length > 0) out.push(`${r.scenario}, ${r.size.toLocaleString("en-US")}: ${row.name} — ahead: ${behind.join(", ")}`);
    }
  }
  return out;
}

/**
 * The README text for a set of results.
 *
 * @example
 * ```ts
 * const md = renderReadme(await readResults("bench/results"));
 * ```
 */
export function renderReadme(results: readonly ScenarioResult[]): string {
  const parts: string[] = [
    "# Benchmarks",
    "",
    "ipfed measured side by side with what a user would pick instead, and with the machine's own",
    "limits, in the same run, as ratios. This file is written by `pnpm bench --report-only`",
    "from `bench/results/*.json`; do not edit it by hand.",
    "",
    "Each figure is the median of the runs, with the lowest and highest run in brackets. The `×`",
    "column says how ipfed compares with the peer to its left: above 1 ipfed is ahead, below 1 the",
    "peer is (ipfed ÷ peer for rates, peer ÷ ipfed for times, memory and sizes).",
    "",
    "The benchmark nodes run with `\"limits\": false` in their ipfed.json: one client asking as fast as",
    "it can is what a member's per-caller rate limits exist to slow down (see docs/operations.md).",
    "",
    "## Reproduce",
    "",
    "```sh",
    "pnpm bench --size 200k --report                              # every scenario at 200,000 records, then this file",
    "pnpm bench ingest --size 1m --runs 1                         # one import of 1,000,000 records (29 min here, 2 cores)",
    "pnpm bench search export footprint --size 1m --report        # reuse that store",
    "pnpm bench search --size 20k --runs 1                        # one scenario, small",
    "pnpm bench --help",
    "IPFED_CPU_PROF=/tmp/prof pnpm bench federation --members 8 --runs 1   # and a CPU profile of every node process",
    "```",
    "",
    "The corpus (records as JSON lines) and the stores built from it are kept in `bench/.cache`",
    "(or `--cache DIR`): the first run at a size generates and imports it, later runs reuse it. The",
    "ingest scenario always imports afresh. A smoke run of every scenario at a tiny size is part",
    "of `pnpm test` (`bench/src/smoke.test.ts`), so that the benchmarks cannot rot; the benchmarks",
    "themselves never run there.",
    "",
  ];
  const machines = [...new Set(results.map((r) => machine(r.environment)))];
  parts.push("## Machine", "", ...(machines.length === 0 ? ["No results yet."] : machines.map((m) => `- ${m}`)), "");
  for (const s of SCENARIOS) {
    parts.push(`## ${s.title}`, "", s.description, "");
    const mine = results.filter((r) => r.scenario === s.name);
    if (mine.length === 0) parts.push(`Not run yet: \`pnpm bench ${s.name}\`.`, "");
    for (const r of mine) {
      parts.push(
        `### ${r.size.toLocaleString("en-US")} ${s.resultSize ? (s.name === "tokens" ? "tokens" : "records per member") : "records"}`,
        "",
        `${r.date.slice(0, 16).replace("T", " ")} UTC, ${r.runs} run${r.runs === 1 ? "" : "s"}; \`${r.command}\``,
        "",
        rowsTable(r),
        "",
      );
      for (const t of r.tables) {
        parts.push(`${t.title}:`, "", `| ${t.columns.map(cell).join(" | ")} |`, `|${t.columns.map(() => "---").join("|")}|`);
        for (const row of t.rows) parts.push(`| ${row.map(cell).join(" | ")} |`);
        parts.push("");
      }
      for (const n of r.notes) parts.push(`- ${n}`);
      if (r.notes.length > 0) parts.push("");
    }
  }
  parts.push(
    "## Goals",
    "",
    "The goals of the benchmark issue, read from the same result files (the machine is shared and noisy, so ratios are what count):",
    "",
    ...goalLines(results),
    "",
  );
  parts.push("## Where ipfed is slower than its peer, and why", "");
  for (const s of SCENARIOS) parts.push(`- **${s.name}**: ${s.slower}`);
  const slow = slowerRows(results);
  const summary =
    results.length === 0
      ? "No results yet: the rows where ipfed is behind are listed here once `pnpm bench --report` has run."
      : slow.length === 0
        ? "No measured row has ipfed more than 5% behind a peer."
        : "Rows where ipfed is more than 5% behind a peer (per-language query groups are in the search tables above):";
  parts.push("", summary, "");
  for (const line of slow) parts.push(`- ${line}`);
  return parts.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

/**
 * Rewrites the README next to a results directory (`bench/results` → `bench/README.md`) and
 * returns its path.
 *
 * @example
 * ```ts
 * await writeReadme("bench/results");
 * ```
 */
export async function writeReadme(resultsDir: string, readme = join(dirname(resolve(resultsDir)), "README.md")): Promise<string> {
  const results = await readResults(resultsDir, SCENARIOS.map((s) => s.name));
  await writeFile(readme, renderReadme(results));
  return readme;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await writeReadme(join(dirname(fileURLToPath(import.meta.url)), "..", "results")));
}
