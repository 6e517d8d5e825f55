import type { QueryHits, ResultRow, ResultTable } from "./result-file.js";

/** What a scenario is run with; see `pnpm bench --help`. */
export interface ScenarioContext {
  /** Records in the data set (federation: records per member). */
  readonly size: number;
  /** Repeated runs behind each figure. */
  readonly runs: number;
  /** Queries per run, for the scenarios that query. */
  readonly queries: number;
  /** Member counts of the federation scenario. */
  readonly members: readonly number[];
  /** Records each federation member holds. */
  readonly memberRecords: number;
  /** Distinct tokens of the tokens scenario. */
  readonly tokens: number;
  /** Where generated inputs and built stores are kept between runs. */
  readonly cacheDir: string;
  /** Prints a progress line. */
  log(line: string): void;
}

/** What a scenario measured: the rows and tables of its result file. */
export interface ScenarioOutput {
  readonly params: { readonly [name: string]: string | number | boolean };
  readonly rows: readonly ResultRow[];
  readonly tables: readonly ResultTable[];
  readonly notes: readonly string[];
  /** Per-query hit counts (search). */
  readonly hits?: readonly QueryHits[];
}

/** One benchmark scenario. */
export interface Scenario {
  /** Name on the command line and in result files (`search`). */
  readonly name: string;
  /** Heading in the README. */
  readonly title: string;
  /** What is compared and how, for the README (Markdown). */
  readonly description: string;
  /**
   * Why ipfed is slower than a peer where it is, for the README's closing note (Markdown);
   * the rows where it is are listed beside it from the figures.
   */
  readonly slower: string;
  /**
   * The size a result is filed under, for a scenario whose work does not follow `--size`
   * (federation: records per member; tokens: distinct tokens). Absent: `context.size`.
   */
  resultSize?(context: ScenarioContext): number;
  run(context: ScenarioContext): Promise<ScenarioOutput>;
}
