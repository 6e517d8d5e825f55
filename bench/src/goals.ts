// The goals, each checked against the result files: what the README's "Goals"
// section lists, with the measured ratio and whether it holds.
import { formatNumber } from "./stats.js";
import type { ResultRow, ScenarioResult } from "./result-file.js";

/** One goal, and how to read it from the results. */
interface Goal {
  readonly scenario: string;
  readonly text: string;
  /** The result row (exact name). */
  readonly row: string;
  /** The peer engine the ratio is taken against; absent for absolute goals. */
  readonly peer?: string;
  /** Ratio ipfed ÷ peer for rates (peer ÷ ipfed for times) that meets the goal. */
  readonly atLeast?: number;
  /** An absolute test on ipfed's median (and the peer's), for goals stated in units. */
  readonly holds?: (own: number, peer: number | undefined) => boolean;
  /** How the measured figure is shown. */
  readonly show?: (own: number, peer: number | undefined) => string;
  /** Only at this size (e.g. 1,000,000 records). */
  readonly size?: number;
  /** The size the goal speaks of: other sizes are shown, but not judged. */
  readonly atSize?: number;
}

const FTS5 = "SQLite FTS5 unicode61";
const FTS5_PORTER = "SQLite FTS5 porter unicode61";

const GOALS: readonly Goal[] = [
  { scenario: "search", text: "search in-process ≥ 1.0× FTS5 queries/s (unicode61)", row: "all: queries/s", peer: FTS5, atLeast: 1 },
  { scenario: "search", text: "search in-process ≥ 1.0× FTS5 queries/s (porter unicode61)", row: "all: queries/s", peer: FTS5_PORTER, atLeast: 1 },
  { scenario: "search", text: "search p99 no worse than FTS5's (unicode61)", row: "all: p99", peer: FTS5, atLeast: 1 },
  { scenario: "search", text: "search p99 no worse than FTS5's (porter unicode61)", row: "all: p99", peer: FTS5_PORTER, atLeast: 1 },
  { scenario: "search", text: "search through gRPC ≥ 0.5× FTS5 in-process (unicode61)", row: "all: queries/s through gRPC", peer: FTS5, atLeast: 0.5 },
  { scenario: "search", text: "search through gRPC ≥ 0.5× FTS5 in-process (porter unicode61)", row: "all: queries/s through gRPC", peer: FTS5_PORTER, atLeast: 0.5 },
  { scenario: "ingest", text: "ingest ≥ 1.0× FTS5's build rate (unicode61)", row: "records/s", peer: FTS5, atLeast: 1 },
  { scenario: "ingest", text: "ingest ≥ 0.3× raw level batch puts", row: "records/s", peer: "raw level batch puts", atLeast: 0.3 },
  {
    scenario: "federation",
    text: "hub p50 ≤ slowest member's direct p50 + 3 ms, 8 members",
    row: "8 members: p50",
    peer: "direct query, slowest member",
    holds: (own, peer) => peer !== undefined && own <= peer + 3,
    show: (own, peer) => `${formatNumber(own)} ms vs ${formatNumber(peer ?? NaN)} + 3 ms`,
  },
  {
    scenario: "federation",
    text: "the same, against every member asked at once (the floor on one machine)",
    row: "8 members: p50",
    peer: "direct, every member at once",
    holds: (own, peer) => peer !== undefined && own <= peer + 3,
    show: (own, peer) => `${formatNumber(own)} ms vs ${formatNumber(peer ?? NaN)} + 3 ms`,
  },
  {
    scenario: "federation",
    text: "hub p99 within the 3,000 ms deadline with a dead (and a slow) member, 8 members",
    row: "8 members, one dead, one slow (+300 ms): p99",
    holds: (own) => own < 3000,
    show: (own) => `${formatNumber(own)} ms`,
  },
  {
    scenario: "federation",
    text: "hub p99 within the 3,000 ms deadline with a dead (and a slow) member, 32 members",
    row: "32 members, one dead, one slow (+300 ms): p99",
    holds: (own) => own < 3000,
    show: (own) => `${formatNumber(own)} ms`,
  },
  { scenario: "export", text: "Export ≥ 0.5× the bare transport (MiB/s)", row: "throughput", peer: "bare grpc-js, same bytes", atLeast: 0.5 },
  { scenario: "tokens", text: "cold tokens ≥ 0.8× raw Ed25519 verify", row: "verified requests/s, cold (every token new)", peer: "raw node:crypto Ed25519", atLeast: 0.8 },
  { scenario: "tokens", text: "repeated tokens far above raw Ed25519 (≥ 10×)", row: "verified requests/s, repeated (100 tokens)", peer: "raw node:crypto Ed25519", atLeast: 10 },
  {
    scenario: "footprint",
    text: "≤ 1 GiB resident at 1M records under search load",
    row: "resident memory after 50 searches",
    atSize: 1_000_000,
    holds: (own) => own <= 1024,
    show: (own) => `${formatNumber(own)} MiB`,
  },
  {
    scenario: "footprint",
    text: "ready in ≤ 3 s at 1M records",
    row: "start-up to ready",
    atSize: 1_000_000,
    holds: (own) => own <= 3000,
    show: (own) => `${formatNumber(own)} ms`,
  },
];

function ratio(row: ResultRow, peer: string): { own: number; other: number; x: number } | undefined {
  const own = row.ipfed?.figure.median;
  const other = row.peers.find((p) => p.engine === peer)?.figure.median;
  if (own === undefined || other === undefined || own <= 0 || other <= 0) return undefined;
  return { own, other, x: row.better === "higher" ? own / other : other / own };
}

/**
 * The README's goals table: every goal at every size it was measured at, with the measured
 * figure and whether it holds; goals not measured yet say so.
 *
 * @example
 * ```ts
 * const lines = goalLines(await readResults("bench/results", ["search"]));
 * ```
 */
export function goalLines(results: readonly ScenarioResult[]): string[] {
  const lines = ["| goal | size | measured | holds |", "|---|---:|---:|---|"];
  for (const g of GOALS) {
    const measured = results.filter((r) => r.scenario === g.scenario && (g.size === undefined || r.size === g.size));
    if (measured.length === 0) {
      lines.push(`| ${g.text} | – | not run yet | – |`);
      continue;
    }
    for (const r of measured) {
      const row = r.rows.find((x) => x.name === g.row);
      const own = row?.ipfed?.figure.median;
      if (!row || own === undefined) {
        lines.push(`| ${g.text} | ${r.size.toLocaleString("en-US")} | not in the results | – |`);
        continue;
      }
      const peer = g.peer ? row.peers.find((p) => p.engine === g.peer)?.figure.median : undefined;
      let shown: string;
      let holds: boolean;
      if (g.holds) {
        holds = g.holds(own, peer);
        shown = g.show ? g.show(own, peer) : formatNumber(own);
      } else {
        const q = ratio(row, g.peer ?? "");
        holds = q !== undefined && q.x >= (g.atLeast ?? 1);
        shown = q === undefined ? "–" : `${formatNumber(q.x)}×`;
      }
      const judged = g.atSize === undefined || g.atSize === r.size;
      const verdict = judged ? (holds ? "yes" : "**no**") : `not judged: the goal is at ${g.atSize!.toLocaleString("en-US")}`;
      lines.push(`| ${g.text} | ${r.size.toLocaleString("en-US")} | ${shown} | ${verdict} |`);
    }
  }
  return lines;
}
