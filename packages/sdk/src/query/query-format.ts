import { IpfedError } from "../errors/ipfed-error.js";
import type { QueryNode, RangeNode } from "./query-ast.js";
import { isQueryDelimiter, isQuerySpace, normalizeQueryChar, QUERY_KEYWORDS } from "./query-chars.js";
import { fieldKind } from "./query-fields.js";
import type { FieldName } from "./query-fields.js";
import { parseDatePeriod } from "./query-values.js";

const BACKSLASH = 0x5c;
const STAR = 0x2a;
const QUOTE = 0x22;

/**
 * Writes a query AST in canonical form: short field names, explicit `AND`/`OR`/`NOT`,
 * parentheses only where precedence needs them, dates as compact as they can be (`pd:2010`),
 * and every special character escaped.
 *
 * `parseQuery(formatQuery(node))` equals `node` apart from positions, for every node that
 * `parseQuery` returns (and every hand-built node whose `and`/`or` nodes have two or more
 * children and whose values are normalised as the parser would).
 *
 * @throws IpfedError `INVALID_ARGUMENT` for a term or phrase with an empty value, which no query
 * can express.
 *
 * @example
 * ```ts
 * formatQuery(parseQuery("ti：（石墨烯 || graphene） -cc:cn pd:2010"));
 * // "(ti:石墨烯 OR ti:graphene) AND NOT cc:CN AND pd:2010"
 * ```
 */
export function formatQuery(node: QueryNode): string {
  switch (node.type) {
    case "match_all":
      return "*";
    case "term":
      return fieldPrefix(node.field) + escapeWord(node.value) + (node.prefix ? "*" : "");
    case "phrase":
      return fieldPrefix(node.field) + quotePhrase(node.value);
    case "range":
      return formatRange(node);
    case "not":
      return `NOT ${wrap(node.child, true)}`;
    case "and":
      // An empty AND asks for nothing, so it matches everything.
      if (node.children.length === 0) return "*";
      return node.children.map((child) => wrap(child, true)).join(" AND ");
    case "or":
      // An empty OR matches nothing; `NOT *` is the query that says so.
      if (node.children.length === 0) return "NOT *";
      return node.children.map((child) => wrap(child, false)).join(" OR ");
  }
}

/** Formats a child, in parentheses when its own operator binds looser than its parent's. */
function wrap(child: QueryNode, parentIsTight: boolean): string {
  const inner = unwrapSingle(child);
  const needs = inner.type === "or" || (parentIsTight && inner.type === "and");
  return needs ? `(${formatQuery(inner)})` : formatQuery(inner);
}

// A one-child AND or OR is written as its child, so precedence must be judged on the child.
function unwrapSingle(node: QueryNode): QueryNode {
  let n = node;
  while ((n.type === "and" || n.type === "or") && n.children.length === 1) n = n.children[0] as QueryNode;
  if ((n.type === "and" || n.type === "or") && n.children.length === 0) {
    return n.type === "and" ? { type: "match_all", position: n.position } : n;
  }
  return n;
}

function fieldPrefix(field: FieldName | undefined): string {
  return field === undefined ? "" : `${field}:`;
}

function formatRange(node: RangeNode): string {
  const { field, from, to } = node;
  if (fieldKind(field) === "date" && from !== undefined && to !== undefined && node.inclusiveFrom && node.inclusiveTo) {
    for (const candidate of [from.slice(0, 4), from.slice(0, 7), from]) {
      const period = parseDatePeriod(candidate);
      if (period !== undefined && period.first === from && period.last === to) return `${field}:${candidate}`;
    }
  }
  const lo = from === undefined ? "*" : escapeWord(from);
  const hi = to === undefined ? "*" : escapeWord(to);
  return `${field}:${node.inclusiveFrom ? "[" : "{"}${lo} TO ${hi}${node.inclusiveTo ? "]" : "}"}`;
}

/** Escapes a bare word so the lexer reads it back as exactly this value. */
function escapeWord(value: string): string {
  if (value === "") throw new IpfedError("INVALID_ARGUMENT", "cannot format a term with an empty value");
  if (QUERY_KEYWORDS.has(value)) return `\\${value}`;
  const chars = Array.from(value);
  let out = "";
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    const cp = ch.codePointAt(0) as number;
    const n = normalizeQueryChar(cp);
    // `&&` and `||` are operators even inside a word, so the first of a pair is escaped.
    const doubled = (n === 0x26 || n === 0x7c) && normalizedAt(chars, i + 1) === n;
    const leadingSign = i === 0 && (n === 0x2d || n === 0x2b);
    // Characters the lexer would normalise are escaped too, since escapes are read verbatim.
    const special = n !== cp || n === BACKSLASH || n === STAR || isQueryDelimiter(n);
    out += special || doubled || leadingSign ? `\\${ch}` : ch;
  }
  return out;
}

/** Quotes a phrase so the lexer reads it back as exactly this value. */
function quotePhrase(value: string): string {
  if (value === "") throw new IpfedError("INVALID_ARGUMENT", "cannot format a phrase with an empty value");
  const chars = Array.from(value);
  let out = '"';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    const cp = ch.codePointAt(0) as number;
    const n = normalizeQueryChar(cp);
    if (n === QUOTE || n === BACKSLASH || n !== cp) {
      out += `\\${ch}`;
    } else if (isQuerySpace(n)) {
      // The lexer collapses unescaped white space, so only a lone inner space may stay bare.
      const lone = ch === " " && isWordChar(chars, i - 1) && isWordChar(chars, i + 1);
      out += lone ? " " : `\\${ch}`;
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}

function normalizedAt(chars: readonly string[], i: number): number {
  const ch = chars[i];
  return ch === undefined ? -1 : normalizeQueryChar(ch.codePointAt(0) as number);
}

/** Whether there is a character at `i` and it is not white space. */
function isWordChar(chars: readonly string[], i: number): boolean {
  const n = normalizedAt(chars, i);
  return n >= 0 && !isQuerySpace(n);
}
