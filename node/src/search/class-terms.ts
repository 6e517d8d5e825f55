import { normalizeClassSymbol } from "@ipfed/sdk";

/**
 * IPC and CPC symbols are indexed once per level of their hierarchy, each level as its own term
 * tagged with the level's digit, so that a query on any level is one exact lookup and a prefix
 * query only ever expands over the terms of a single level:
 *
 * `H01M 10/052` → `1H` (section), `2H01` (class), `3H01M` (subclass), `4H01M10` (main group),
 * `5H01M10/052` (subgroup).
 */

// Section, class, subclass, main group, subgroup; the same shape the query parser accepts.
const SYMBOL = /^([A-HY])(\d{2})?([A-Z])?(\d{1,4})?(?:\/(\d{1,6}))?$/;

/**
 * Normalises a class symbol as printed in a record (`H01M 10/052`, `h01m10/052 (2010.01)`) the way
 * the query parser normalises query values; `undefined` if it is not a symbol.
 *
 * @example
 * ```ts
 * normalizeRecordClassSymbol("H01M  10/052 (2010.01)"); // "H01M10/052"
 * ```
 */
export function normalizeRecordClassSymbol(value: string): string | undefined {
  // Offices append the scheme version in parentheses; it is no part of the symbol.
  const cleaned = value.replace(/\([^)]*\)/g, "");
  return normalizeClassSymbol(cleaned, false);
}

/**
 * Returns the hierarchy terms of a normalised symbol, broadest first; empty if it is not one.
 *
 * @example
 * ```ts
 * classTerms("H01M10/052"); // ["1H", "2H01", "3H01M", "4H01M10", "5H01M10/052"]
 * ```
 */
export function classTerms(symbol: string): string[] {
  const m = SYMBOL.exec(symbol);
  if (m === null) return [];
  const out: string[] = [];
  let acc = m[1] as string;
  out.push(`1${acc}`);
  if (m[2] === undefined) return out;
  acc += m[2];
  out.push(`2${acc}`);
  if (m[3] === undefined) return out;
  acc += m[3];
  out.push(`3${acc}`);
  if (m[4] === undefined) return out;
  acc += m[4];
  out.push(`4${acc}`);
  if (m[5] === undefined) return out;
  out.push(`5${acc}/${m[5]}`);
  return out;
}

/**
 * What a class query value looks up: one `exact` term, or every term starting with `prefix`.
 * `undefined` when the value cannot name anything in the index.
 */
export type ClassLookup = { readonly exact: string } | { readonly prefix: string };

/**
 * Turns a normalised class query value (`H01M`, or with `prefix` a leading part such as `H0`,
 * `H01M1` or `H01M10/`) into the term lookup that finds every document under it.
 *
 * A prefix that ends exactly on a level boundary is an exact lookup of that level (`H01M*` is
 * the subclass); otherwise it expands over the one level it cuts into (`H0*` over classes,
 * `H01M10/*` over subgroups), never over the levels below, whose documents it already covers.
 *
 * @example
 * ```ts
 * classLookup("H01M10/052", false); // { exact: "5H01M10/052" }
 * classLookup("H0", true); // { prefix: "2H0" }
 * ```
 */
export function classLookup(value: string, prefix: boolean): ClassLookup | undefined {
  if (!prefix) {
    const terms = classTerms(value);
    const last = terms[terms.length - 1];
    return last === undefined ? undefined : { exact: last };
  }
  if (/^[A-HY]$/.test(value)) return { exact: `1${value}` };
  if (/^[A-HY]\d$/.test(value)) return { prefix: `2${value}` };
  if (/^[A-HY]\d{2}$/.test(value)) return { exact: `2${value}` };
  if (/^[A-HY]\d{2}[A-Z]$/.test(value)) return { exact: `3${value}` };
  if (/^[A-HY]\d{2}[A-Z]\d{1,4}$/.test(value)) return { prefix: `4${value}` };
  if (/^[A-HY]\d{2}[A-Z]\d{1,4}\/\d{0,6}$/.test(value)) return { prefix: `5${value}` };
  return undefined;
}

/** Strips the level digit of a class term, giving the symbol or prefix it stands for. */
export function classTermSymbol(term: string): string {
  return term.slice(1);
}
