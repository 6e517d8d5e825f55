import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Environment } from "./environment.js";
import type { Figure } from "./stats.js";

/** Whether a larger value of a row is better (a rate) or worse (a latency, a size). */
export type Better = "higher" | "lower";

/** One engine's figure in a row. */
export interface EngineFigure {
  /** Engine, as the README names it (`SQLite FTS5 unicode61`, `raw level batch`). */
  readonly engine: string;
  readonly figure: Figure;
}

/**
 * One measured quantity, ipfed's figure beside its peers'. The report prints the ratio of
 * ipfed to each peer.
 */
export interface ResultRow {
  /** What is measured (`single term (en): queries/s`). */
  readonly name: string;
  /** Unit (`queries/s`, `ms`, `MB`). */
  readonly unit: string;
  readonly better: Better;
  /** ipfed's figure, when ipfed takes part in the row. */
  readonly ipfed?: EngineFigure;
  readonly peers: readonly EngineFigure[];
}

/** A table that is not figures over runs: hit counts side by side, agreement shares. */
export interface ResultTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** What one run of one scenario at one size wrote: `bench/results/<scenario>-<size>.json`. */
export interface ScenarioResult {
  readonly scenario: string;
  /** Records (for federation: records per member times members). */
  readonly size: number;
  /** ISO 8601 time the run ended. */
  readonly date: string;
  /** The command that reproduces the run. */
  readonly command: string;
  readonly environment: Environment;
  /** Repeated runs behind each figure. */
  readonly runs: number;
  /** Parameters of the run (queries, members, batch size). */
  readonly params: { readonly [name: string]: string | number | boolean };
  readonly rows: readonly ResultRow[];
  readonly tables: readonly ResultTable[];
  /** What the figures mean and where they come from. */
  readonly notes: readonly string[];
  /** Per-query hit counts of every engine (search only; not printed in the README). */
  readonly hits?: readonly QueryHits[];
}

/** One query's hit counts, engine by engine; `null` where the engine cannot express the query. */
export interface QueryHits {
  readonly query: string;
  readonly group: string;
  readonly counts: { readonly [engine: string]: number | null };
}

/**
 * The file a result is written to: `<scenario>-<size>.json`.
 *
 * @example
 * ```ts
 * resultFileName("search", 200000); // "search-200000.json"
 * ```
 */
export function resultFileName(scenario: string, size: number): string {
  return `${scenario}-${size}.json`;
}

/**
 * Writes a result into `dir` (created when missing) and returns the file's path.
 *
 * @example
 * ```ts
 * await writeResult("bench/results", result);
 * ```
 */
export async function writeResult(dir: string, result: ScenarioResult): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, resultFileName(result.scenario, result.size));
  await writeFile(file, JSON.stringify(result, null, 2) + "\n");
  return file;
}

/**
 * Reads every `*.json` result in `dir`, by scenario order then size; none when `dir` is missing.
 *
 * @example
 * ```ts
 * const results = await readResults("bench/results");
 * ```
 */
export async function readResults(dir: string, order: readonly string[] = []): Promise<ScenarioResult[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: ScenarioResult[] = [];
  for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
    out.push(JSON.parse(await readFile(join(dir, name), "utf8")) as ScenarioResult);
  }
  const rank = (s: string): number => (order.includes(s) ? order.indexOf(s) : order.length);
  return out.sort((a, b) => rank(a.scenario) - rank(b.scenario) || a.scenario.localeCompare(b.scenario) || a.size - b.size);
}
