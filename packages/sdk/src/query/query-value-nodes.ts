import type { PhraseNode, RangeNode, TermNode } from "./query-ast.js";
import { expectedError, quoteForMessage } from "./query-errors.js";
import { fieldKind, QUERY_RECORD_KINDS } from "./query-fields.js";
import type { FieldName } from "./query-fields.js";
import type { QueryToken } from "./query-lexer.js";
import {
  normalizeClassSymbol,
  normalizeCountry,
  normalizeNiceClass,
  normalizeRecordKind,
  parseDatePeriod,
} from "./query-values.js";

const DATE_FORMS = "a date (YYYY, YYYY-MM or YYYY-MM-DD)";

/**
 * Turns a word or phrase token into the node its field calls for, checking and normalising the
 * value: text stays as written, class symbols, countries, kinds and Nice classes are normalised,
 * and a date becomes the range of days it names.
 *
 * @throws IpfedError `QUERY_SYNTAX` at the value's position when the value is not valid for the
 * field.
 */
export function makeValueNode(
  field: FieldName | undefined,
  token: QueryToken,
  position: number,
): TermNode | PhraseNode | RangeNode {
  const value = token.text;
  const isPhrase = token.type === "phrase";
  if (field === undefined) {
    return isPhrase ? { type: "phrase", value, position } : { type: "term", value, prefix: token.prefix, position };
  }
  const invalid = (expected: string): Error => expectedError(expected, token.position, quoteForMessage(token.raw));
  switch (fieldKind(field)) {
    case "text":
      return isPhrase
        ? { type: "phrase", field, value, position }
        : { type: "term", field, value, prefix: token.prefix, position };
    case "keyword": {
      // A quoted id is still one exact value; quotes only spare escaping. Record ids are
      // upper case by definition, so `id:cn-1-a` is read as the id it can only mean.
      const exact = field === "id" ? value.toUpperCase() : value;
      return { type: "term", field, value: exact, prefix: token.prefix, position };
    }
    case "class": {
      const symbol = normalizeClassSymbol(value, token.prefix);
      if (symbol === undefined) throw invalid(`${field === "ipc" ? "an IPC" : "a CPC"} symbol such as H01M10/052`);
      return { type: "term", field, value: symbol, prefix: token.prefix, position };
    }
    case "nice":
      return checked(normalizeNiceClass, "a Nice class from 1 to 45");
    case "country":
      return checked(normalizeCountry, "a two-letter country code such as CN");
    case "kind":
      return checked(normalizeRecordKind, `a record kind (${QUERY_RECORD_KINDS.join(", ")})`);
    case "date": {
      noPrefix(field, token);
      const period = parseDatePeriod(value);
      if (period === undefined) throw invalid(DATE_FORMS);
      const { first: from, last: to } = period;
      return { type: "range", field, from, to, inclusiveFrom: true, inclusiveTo: true, position };
    }
  }

  /** A term of a field with a closed set of values: no `*`, and normalised or refused. */
  function checked(normalize: (value: string) => string | undefined, expected: string): TermNode {
    noPrefix(field as FieldName, token);
    const normalized = normalize(value);
    if (normalized === undefined) throw invalid(expected);
    return { type: "term", field: field as FieldName, value: normalized, prefix: false, position };
  }
}

/** One bound of a range, with the period it was written as, to check the range's order. */
export interface RangeBound {
  /** The bound as stored in the node. */
  readonly value: string;
  /** Start of the written period, as a comparable number (YYYYMMDD, or the class). */
  readonly low: number;
  /** End of the written period, likewise. */
  readonly high: number;
}

/**
 * Reads one bound of a range on a date or Nice field.
 *
 * A date bound names a period; `side` says which day of it the bound keeps. An inclusive start
 * keeps the first day and an inclusive end the last (`[2010 TO 2012]` covers all of 2012);
 * an exclusive start keeps the last day and an exclusive end the first (`{2010 TO 2012}` is
 * strictly after 2010 and strictly before 2012).
 *
 * @throws IpfedError `QUERY_SYNTAX` when the bound is not a valid value.
 */
export function readRangeBound(field: FieldName, token: QueryToken, side: "first" | "last"): RangeBound {
  noPrefix(field, token);
  if (fieldKind(field) === "nice") {
    const n = normalizeNiceClass(token.text);
    if (n === undefined) throw expectedError("a Nice class from 1 to 45", token.position, quoteForMessage(token.raw));
    return { value: n, low: Number(n), high: Number(n) };
  }
  const period = parseDatePeriod(token.text);
  if (period === undefined) throw expectedError(DATE_FORMS, token.position, quoteForMessage(token.raw));
  return {
    value: side === "first" ? period.first : period.last,
    low: Number(period.first.replace(/-/g, "")),
    high: Number(period.last.replace(/-/g, "")),
  };
}

function noPrefix(field: FieldName, token: QueryToken): void {
  if (token.prefix) {
    throw expectedError(`a value without '*' for field '${field}'`, token.position, quoteForMessage(token.raw));
  }
}
