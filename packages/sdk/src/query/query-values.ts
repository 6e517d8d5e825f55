import { QUERY_RECORD_KINDS } from "./query-fields.js";

/**
 * A calendar period named in a query: its first and last day, as `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * const period: DatePeriod | undefined = parseDatePeriod("2020-02");
 * // { first: "2020-02-01", last: "2020-02-29", precision: "month" }
 * ```
 */
export interface DatePeriod {
  /** First day of the period. */
  readonly first: string;
  /** Last day of the period. */
  readonly last: string;
  /** How precise the value was. */
  readonly precision: "year" | "month" | "day";
}

const DATE = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * Reads a date value (`2010`, `2010-05`, `2010-05-04`, or the compact `20100504` that patent
 * offices print) as the period of days it names; `undefined` if it is not a real date.
 *
 * @example
 * ```ts
 * parseDatePeriod("2012-02"); // { first: "2012-02-01", last: "2012-02-29", precision: "month" }
 * parseDatePeriod("2010-13"); // undefined
 * ```
 */
export function parseDatePeriod(value: string): DatePeriod | undefined {
  const m = DATE.exec(value) ?? COMPACT_DATE.exec(value);
  if (m === null) return undefined;
  const year = Number(m[1]);
  if (year < 1) return undefined;
  const y = m[1] as string;
  if (m[2] === undefined) return { first: `${y}-01-01`, last: `${y}-12-31`, precision: "year" };
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  const mm = pad2(month);
  const days = daysInMonth(year, month);
  if (m[3] === undefined) return { first: `${y}-${mm}-01`, last: `${y}-${mm}-${days}`, precision: "month" };
  const day = Number(m[3]);
  if (day < 1 || day > days) return undefined;
  const day10 = `${y}-${mm}-${pad2(day)}`;
  return { first: day10, last: day10, precision: "day" };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

// Section, class, subclass, main group, subgroup: H 01 M 10 / 052. Sections A-H are IPC; CPC
// adds Y. Full symbols must have the two-digit class; prefixes (`H0*`) may stop anywhere.
const CLASS_SYMBOL = /^[A-HY](?:\d{2}(?:[A-Z](?:\d{1,4}(?:\/\d{1,6})?)?)?)?$/;
const CLASS_PREFIX = /^[A-HY](?:\d{1,2}|\d{2}[A-Z](?:\d{1,4}(?:\/\d{0,6})?)?)?$/;

/**
 * Normalises an IPC or CPC symbol (upper case, spaces removed: `h01m 10/052` → `H01M10/052`);
 * `undefined` if it is not one. With `prefix`, a leading part of a symbol (`H01M10/`) is valid.
 *
 * @example
 * ```ts
 * normalizeClassSymbol("h01m 10/052", false); // "H01M10/052"
 * ```
 */
export function normalizeClassSymbol(value: string, prefix: boolean): string | undefined {
  const symbol = value.replace(/\s+/g, "").toUpperCase();
  return (prefix ? CLASS_PREFIX : CLASS_SYMBOL).test(symbol) ? symbol : undefined;
}

/**
 * Normalises a Nice class (`09` → `9`); `undefined` unless it is a whole number from 1 to 45.
 *
 * @example
 * ```ts
 * normalizeNiceClass("09"); // "9"
 * normalizeNiceClass("46"); // undefined
 * ```
 */
export function normalizeNiceClass(value: string): string | undefined {
  if (!/^\d{1,3}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 && n <= 45 ? String(n) : undefined;
}

/**
 * Normalises a country or office code to upper case; `undefined` unless it is two letters.
 *
 * @example
 * ```ts
 * normalizeCountry("cn"); // "CN"
 * ```
 */
export function normalizeCountry(value: string): string | undefined {
  return /^[A-Za-z]{2}$/.test(value) ? value.toUpperCase() : undefined;
}

/**
 * Normalises a record kind (`Utility-Model` → `utility_model`); `undefined` if unknown.
 *
 * @example
 * ```ts
 * normalizeRecordKind("Utility-Model"); // "utility_model"
 * ```
 */
export function normalizeRecordKind(value: string): string | undefined {
  const kind = value.toLowerCase().replace(/-/g, "_");
  return (QUERY_RECORD_KINDS as readonly string[]).includes(kind) ? kind : undefined;
}
