// Calendar arithmetic on day numbers (days since 1970-01-01, UTC), without Date objects: the
// generator handles a dozen dates per record, and integer days are fast, exact and free of
// time zones.

import type { Rng } from "./prng.js";
import { WeightedTable } from "./prng.js";

/**
 * The day number of a civil date (proleptic Gregorian, days since 1970-01-01).
 *
 * @example
 * ```ts
 * dayOf(1970, 1, 2); // 1
 * ```
 */
export function dayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The year of a day number. */
export function yearOf(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return yoe + era * 400 + (mp >= 10 ? 1 : 0);
}

/**
 * Formats a day number as `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * isoDate(dayOf(2015, 3, 9)); // "2015-03-09"
 * ```
 */
export function isoDate(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

/** First day a generated filing may have: 2000-01-01. */
export const FIRST_DAY = dayOf(2000, 1, 1);

/**
 * The corpus is generated "as of" this day, 2025-01-01: every date in it is earlier, so that
 * dates stay within 2000–2024 whatever the seed.
 */
export const AS_OF_DAY = dayOf(2025, 1, 1);

/** Last day any generated date may have: 2024-12-31. */
export const LAST_DAY = AS_OF_DAY - 1;

const YEAR_STARTS: readonly number[] = Array.from({ length: 27 }, (_, i) => dayOf(2000 + i, 1, 1));

/**
 * A table of years `from..to` weighted by `growth^(year - from)`, the shape of Chinese filing
 * numbers since 2000 (growth ≈ 1.12 a year).
 */
export function growthYears(from: number, to: number, growth: number): WeightedTable<number> {
  const years: number[] = [];
  const weights: number[] = [];
  for (let y = from; y <= to; y++) {
    years.push(y);
    weights.push(Math.pow(growth, y - from));
  }
  return new WeightedTable(years, weights);
}

/** A uniformly random day of `year` (2000..2026). */
export function dayInYear(rng: Rng, year: number): number {
  const start = YEAR_STARTS[year - 2000] ?? dayOf(year, 1, 1);
  const end = YEAR_STARTS[year - 1999] ?? dayOf(year + 1, 1, 1);
  return start + rng.int(end - start);
}

/** `YYYY-MM-DDT00:00:00.000Z`, the timestamp form the JSON mapping round-trips unchanged. */
export function isoTimestamp(days: number): string {
  return `${isoDate(days)}T00:00:00.000Z`;
}
