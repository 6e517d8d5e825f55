import { resolveField } from "@ipfed/sdk";
import type { FieldName, QueryNode } from "@ipfed/sdk";
import { classLookup, ftsPhrase } from "./text-tokens.js";

/** A compiled condition over `ipfed_docs d`, with its parameters in order. */
export interface SqlCondition {
  readonly sql: string;
  readonly params: readonly (string | number)[];
}

/** A query as SQL: the condition, and an FTS5 expression of its positive text clauses for ranking. */
export interface CompiledQuery {
  readonly where: SqlCondition;
  /** The FTS5 expression whose bm25 ranks the hits; undefined when the query has no text clause. */
  readonly rank?: string;
}

/** Query text fields and the FTS5 columns that hold them (`tx` is title, abstract and claims). */
const TEXT_COLUMNS: { readonly [field: string]: readonly string[] } = {
  ti: ["ti"],
  ab: ["ab"],
  cl: ["cl"],
  tx: ["ti", "ab", "cl"],
  pa: ["pa"],
  in: ["inv"],
  ag: ["ag"],
  addr: ["addr"],
};

const NONE: SqlCondition = { sql: "0", params: [] };
const ALL: SqlCondition = { sql: "1", params: [] };

/**
 * Compiles a parsed query into SQL over the member's index tables under the no-oracle rule: a
 * clause on a field missing from `fields` matches nothing, and free text searches only the text
 * fields among `fields` (addresses only when `fields` names `addr`). A clause that analyses to no
 * word at all (a stop word) is left out, as if not written.
 *
 * @example
 * ```ts
 * const { where } = compileQuery(parseQuery("ti:battery AND pd:2021"), ["ti", "pd"]);
 * ```
 */
export function compileQuery(query: QueryNode, fields: readonly string[]): CompiledQuery {
  const visible = new Set(fields.map((f) => resolveField(f)).filter((f) => f !== undefined));
  const freeText = Object.keys(TEXT_COLUMNS).filter((f) => visible.has(f as FieldName)) as FieldName[];
  const ranked: string[] = [];

  const text = (field: FieldName | undefined, value: string, prefix: boolean, positive: boolean): SqlCondition | undefined => {
    const phrase = ftsPhrase(value, prefix);
    if (phrase === undefined) return undefined;
    const targets = field === undefined ? freeText : visible.has(field) ? [field] : [];
    const columns = [...new Set(targets.flatMap((f) => TEXT_COLUMNS[f] ?? []))];
    if (columns.length === 0) return NONE;
    const expr = `{${columns.join(" ")}} : ${phrase}`;
    if (positive) ranked.push(expr);
    return { sql: "d.row IN (SELECT rowid FROM ipfed_fts WHERE ipfed_fts MATCH ?)", params: [expr] };
  };

  const keyword = (field: FieldName, value: string, prefix: boolean): SqlCondition => {
    if (field === "ipc" || field === "cpc") {
      const lookup = classLookup(value, prefix);
      if (!lookup) return NONE;
      return "exact" in lookup
        ? { sql: "d.row IN (SELECT row FROM ipfed_keys WHERE field = ? AND value = ?)", params: [field, lookup.exact] }
        : { sql: "d.row IN (SELECT row FROM ipfed_keys WHERE field = ? AND substr(value, 1, ?) = ?)", params: [field, lookup.prefix.length, lookup.prefix] };
    }
    const v = field === "id" ? value.toUpperCase() : value;
    return prefix
      ? { sql: "d.row IN (SELECT row FROM ipfed_keys WHERE field = ? AND substr(value, 1, ?) = ?)", params: [field, v.length, v] }
      : { sql: "d.row IN (SELECT row FROM ipfed_keys WHERE field = ? AND value = ?)", params: [field, v] };
  };

  const range = (node: Extract<QueryNode, { type: "range" }>): SqlCondition => {
    const parts: string[] = [];
    const params: (string | number)[] = [];
    if (node.field === "nice") {
      if (node.from !== undefined) parts.push(`CAST(value AS INTEGER) ${node.inclusiveFrom ? ">=" : ">"} ?`), params.push(Number(node.from));
      if (node.to !== undefined) parts.push(`CAST(value AS INTEGER) ${node.inclusiveTo ? "<=" : "<"} ?`), params.push(Number(node.to));
      return { sql: `d.row IN (SELECT row FROM ipfed_keys WHERE field = 'nice'${parts.map((p) => ` AND ${p}`).join("")})`, params };
    }
    const column = node.field === "ad" ? "d.ad" : "d.pd";
    parts.push(`${column} <> ''`);
    if (node.from !== undefined) parts.push(`${column} ${node.inclusiveFrom ? ">=" : ">"} ?`), params.push(node.from);
    if (node.to !== undefined) parts.push(`${column} ${node.inclusiveTo ? "<=" : "<"} ?`), params.push(node.to);
    return { sql: `(${parts.join(" AND ")})`, params };
  };

  const compile = (node: QueryNode, positive: boolean): SqlCondition | undefined => {
    switch (node.type) {
      case "match_all":
        return ALL;
      case "phrase":
        return text(node.field, node.value, false, positive);
      case "term":
        if (node.field === undefined || node.field in TEXT_COLUMNS) return text(node.field, node.value, node.prefix, positive);
        return visible.has(node.field) ? keyword(node.field, node.value, node.prefix) : NONE;
      case "range":
        return visible.has(node.field) ? range(node) : NONE;
      case "not": {
        const child = compile(node.child, !positive);
        return child === undefined ? undefined : { sql: `NOT (${child.sql})`, params: child.params };
      }
      case "and":
      case "or": {
        const kids = node.children.map((c) => compile(c, positive)).filter((c) => c !== undefined);
        if (kids.length === 0) return undefined;
        return { sql: kids.map((k) => `(${k.sql})`).join(node.type === "and" ? " AND " : " OR "), params: kids.flatMap((k) => k.params) };
      }
    }
  };

  const where = compile(query, true) ?? NONE;
  return { where, ...(ranked.length ? { rank: ranked.map((e) => `(${e})`).join(" OR ") } : {}) };
}
