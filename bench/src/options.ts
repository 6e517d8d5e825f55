import { IpfedError } from "@ipfed/sdk";

/** The command line of `pnpm bench`, parsed. */
export interface BenchOptions {
  /** Scenarios to run, in order; every scenario when none is named. */
  readonly scenarios: readonly string[];
  /** Record counts to run the size-bound scenarios at. */
  readonly sizes: readonly number[];
  readonly runs: number;
  readonly queries: number;
  readonly members: readonly number[];
  /** Records each federation member holds. */
  readonly memberRecords: number;
  /** Distinct tokens of the tokens scenario. */
  readonly tokens: number;
  readonly cacheDir: string;
  readonly outDir: string;
  /** Rewrite the README from the result files (after the runs, if any). */
  readonly report: boolean;
  /** Only rewrite the README from the result files already written (`--report-only`). */
  readonly reportOnly: boolean;
  readonly help: boolean;
}

/** Defaults of {@link parseBenchArgs}. */
export const BENCH_DEFAULTS = {
  sizes: [200_000],
  runs: 3,
  queries: 1000,
  members: [8, 32],
  memberRecords: 2000,
  tokens: 10_000,
  cacheDir: "bench/.cache",
  outDir: "bench/results",
} as const;

function positive(flag: string, text: string | undefined): number {
  const n = Number(text);
  if (text === undefined || !Number.isSafeInteger(n) || n < 1) {
    throw new IpfedError("INVALID_ARGUMENT", `${flag} needs a positive whole number, got ${text === undefined ? "nothing" : `'${text}'`}`, { field: flag });
  }
  return n;
}

function list(flag: string, text: string | undefined): number[] {
  return (text ?? "").split(",").map((s) => positive(flag, s.trim().replace(/_/g, "").replace(/k$/i, "000").replace(/m$/i, "000000")));
}

/**
 * Parses `pnpm bench [scenario...] [--size N[,N]] [--runs N] [--queries N] [--members N,N]
 * [--member-records N] [--tokens N] [--cache DIR] [--out DIR] [--report] [--report-only]`. Sizes accept `200k`
 * and `1m`. A bad flag or value is an `INVALID_ARGUMENT` naming it.
 *
 * @example
 * ```ts
 * parseBenchArgs(["search", "--size", "20k", "--runs", "1"], ["search", "ingest"]).sizes; // [20000]
 * ```
 */
export function parseBenchArgs(argv: readonly string[], known: readonly string[]): BenchOptions {
  const scenarios: string[] = [];
  let sizes: number[] = [...BENCH_DEFAULTS.sizes];
  let runs: number = BENCH_DEFAULTS.runs;
  let queries: number = BENCH_DEFAULTS.queries;
  let members: number[] = [...BENCH_DEFAULTS.members];
  let memberRecords: number = BENCH_DEFAULTS.memberRecords;
  let tokens: number = BENCH_DEFAULTS.tokens;
  let cacheDir: string = process.env.IPFED_BENCH_CACHE ?? BENCH_DEFAULTS.cacheDir;
  let outDir: string = BENCH_DEFAULTS.outDir;
  let report = false;
  let reportOnly = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case "--size":
        sizes = list(flag, value());
        break;
      case "--runs":
        runs = positive(flag, value());
        break;
      case "--queries":
        queries = positive(flag, value());
        break;
      case "--members":
        members = list(flag, value());
        break;
      case "--member-records":
        memberRecords = positive(flag, value());
        break;
      case "--tokens":
        tokens = positive(flag, value());
        break;
      case "--cache":
        cacheDir = value() ?? "";
        break;
      case "--out":
        outDir = value() ?? "";
        break;
      case "--report":
        report = true;
        break;
      case "--report-only":
        reportOnly = true;
        break;
      case "--help":
      case "-h":
        help = true;
        break;
      default:
        if (flag.startsWith("-")) throw new IpfedError("INVALID_ARGUMENT", `unknown option '${flag}' (try --help)`, { field: flag });
        if (!known.includes(flag)) throw new IpfedError("INVALID_ARGUMENT", `unknown scenario '${flag}'; scenarios: ${known.join(", ")}`, { field: "scenario" });
        scenarios.push(flag);
    }
  }
  for (const [flag, dir] of [["--cache", cacheDir], ["--out", outDir]] as const) {
    if (dir === "") throw new IpfedError("INVALID_ARGUMENT", `${flag} needs a directory`, { field: flag });
  }
  return { scenarios: scenarios.length > 0 ? scenarios : [...known], sizes, runs, queries, members, memberRecords, tokens, cacheDir, outDir, report, reportOnly, help };
}
