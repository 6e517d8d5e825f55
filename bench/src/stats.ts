/** A figure measured over repeated runs: the median, with the lowest and highest run. */
export interface Figure {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** How many runs the figure summarises. */
  readonly runs: number;
}

/**
 * Summarises the values of repeated runs as a {@link Figure}. The median of an even count is
 * the mean of the two middle values.
 *
 * @example
 * ```ts
 * figure([3, 1, 2]); // { median: 2, min: 1, max: 3, runs: 3 }
 * ```
 * @throws RangeError when there is no value.
 */
export function figure(values: readonly number[]): Figure {
  if (values.length === 0) throw new RangeError("a figure needs at least one value");
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { median, min: s[0] as number, max: s[s.length - 1] as number, runs: s.length };
}

/**
 * The value at quantile `q` (0..1) of latencies, nearest rank; 0 for none.
 *
 * @example
 * ```ts
 * quantile([5, 1, 9, 3], 0.5); // 3
 * ```
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
}

/**
 * Latencies and throughput of one run of a query loop.
 *
 * @example
 * ```ts
 * const t = timings([1.2, 0.8, 3.1], 5.1); // { perSecond: 588, p50: 1.2, p99: 3.1 }
 * ```
 */
export function timings(latenciesMs: readonly number[], wallMs: number): { perSecond: number; p50: number; p99: number } {
  return {
    perSecond: wallMs > 0 ? (latenciesMs.length * 1000) / wallMs : 0,
    p50: quantile(latenciesMs, 0.5),
    p99: quantile(latenciesMs, 0.99),
  };
}

/**
 * Formats a figure for a table: `median (min–max)`, with as many digits as the size needs.
 *
 * @example
 * ```ts
 * formatFigure({ median: 1234.5, min: 1200, max: 1300, runs: 3 }); // "1,235 (1,200–1,300)"
 * ```
 */
export function formatFigure(f: Figure): string {
  return f.runs > 1 && f.min !== f.max ? `${formatNumber(f.median)} (${formatNumber(f.min)}–${formatNumber(f.max)})` : formatNumber(f.median);
}

/**
 * Formats a number with thousands separators and 3 significant digits below 100.
 *
 * @example
 * ```ts
 * formatNumber(0.01234); // "0.0123"
 * formatNumber(52341.2); // "52,341"
 * ```
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return "0";
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString("en-US");
  return Number(n.toPrecision(3)).toString();
}
