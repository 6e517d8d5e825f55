import { IpfedError, resolveField } from "@ipfed/sdk";
import type { FieldName, QueryNode, RangeNode } from "@ipfed/sdk";
import { analyze, analyzeQueryTerm } from "./analyzer.js";
import { FIELD_WEIGHTS } from "./bm25.js";
import { classLookup } from "./class-terms.js";
import { TEXT_FIELDS } from "./index-document.js";
import type { KeywordField, TextField } from "./index-document.js";

/** Most indexed words one text prefix (`batt*`) may expand to. */
export const MAX_TEXT_PREFIX_TERMS = 1024;
/** Most values one exact-field prefix (`ipc:H01M*`, `id:CN-1123*`) may expand to. */
export const MAX_KEYWORD_PREFIX_TERMS = 16_384;

/** One word of a text clause: an exact token, or (last word only) every token it begins. */
export interface PlanSlot {
  readonly term: string;
  readonly prefix: boolean;
}

/**
 * A query compiled against the index's fields: what each engine evaluates. Text clauses are
 * analysed, fields the caller may not see are already `none`, classes and ranges are lookups.
 */
export type PlanNode =
  | { readonly op: "none" }
  | { readonly op: "all" }
  /** Slots at consecutive positions in one field; scored with BM25 (`leaf` numbers the clause). */
  | { readonly op: "text"; readonly leaf: number; readonly field: TextField; readonly slots: readonly PlanSlot[]; readonly weight: number }
  /** Any of the exact values (none: matches nothing). */
  | { readonly op: "keyword"; readonly field: KeywordField; readonly terms: readonly string[] }
  /** Any value starting with `prefix`. */
  | { readonly op: "keyword_prefix"; readonly field: KeywordField; readonly prefix: string }
  /** A `yyyymmdd` date between `from` and `to`, both inclusive. */
  | { readonly op: "range"; readonly field: "pd" | "ad"; readonly from: number; readonly to: number }
  | { readonly op: "and"; readonly children: readonly PlanNode[] }
  | { readonly op: "or"; readonly children: readonly PlanNode[] }
  | { readonly op: "not"; readonly child: PlanNode };

/** A compiled query with the number of its text clauses. */
export interface QueryPlan {
  readonly root: PlanNode;
  readonly leaves: number;
}

const NONE: PlanNode = { op: "none" };
const ALL: PlanNode = { op: "all" };

/**
 * Compiles a parsed query for evaluation under the no-oracle rule: a field missing from
 * `fields` (when given) never matches, also not through free text, which searches the visible
 * text fields among ti, ab, cl, tx, pa, in and ag, and `addr` (addresses of natural persons)
 * only when `fields` is given and names it: without a list of allowed fields, an address is
 * found only by an explicit `addr:` clause.
 *
 * Clauses that analyse to no token at all (a stop word such as `the`) are left out of their
 * group, as if not written; a query of nothing else matches nothing.
 */
export function compilePlan(query: QueryNode, fields?: readonly string[]): QueryPlan {
  const visible = fields === undefined ? undefined : new Set(fields.map((f) => resolveField(f)).filter((f) => f !== undefined));
  let leaves = 0;
  const canSee = (field: FieldName): boolean => visible === undefined || visible.has(field);
  const freeText = TEXT_FIELDS.filter((f) => (f === "addr" ? visible?.has(f) === true : canSee(f)));

  const text = (field: TextField | undefined, tokens: readonly string[], prefix: boolean): PlanNode | undefined => {
    if (tokens.length === 0) return undefined;
    const slots = tokens.map((term, i) => ({ term, prefix: prefix && i === tokens.length - 1 }));
    const targets = field === undefined ? freeText : canSee(field) ? [field] : [];
    const nodes: PlanNode[] = targets.map((f) => ({ op: "text", leaf: leaves++, field: f, slots, weight: FIELD_WEIGHTS[f] }));
    if (nodes.length === 0) return NONE;
    return nodes.length === 1 ? nodes[0] : { op: "or", children: nodes };
  };

  const compile = (node: QueryNode): PlanNode | undefined => {
    switch (node.type) {
      case "match_all":
        return ALL;
      case "phrase":
        return text(node.field as TextField | undefined, analyze(node.value), false);
      case "term":
        if (node.field === undefined || isTextField(node.field)) {
          return text(node.field, analyzeQueryTerm(node.value, { prefix: node.prefix }), node.prefix);
        }
        return canSee(node.field) ? exact(node.field, node.value, node.prefix) : NONE;
      case "range":
        return canSee(node.field) ? range(node) : NONE;
      case "not": {
        const child = compile(node.child);
        if (child === undefined) return undefined;
        if (child.op === "none") return ALL;
        if (child.op === "all") return NONE;
        return { op: "not", child };
      }
      case "and": {
        const kids = node.children.map(compile).filter((c) => c !== undefined);
        if (kids.length === 0) return undefined;
        if (kids.some((c) => c.op === "none")) return NONE;
        // AND with everything is the other clause; its score is unchanged (it adds 0).
        const rest = kids.filter((c) => c.op !== "all");
        if (rest.length === 0) return ALL;
        return rest.length === 1 ? rest[0] : { op: "and", children: rest };
      }
      case "or": {
        const kids = node.children.map(compile).filter((c) => c !== undefined);
        if (kids.length === 0) return undefined;
        const rest = kids.filter((c) => c.op !== "none");
        if (rest.length === 0) return NONE;
        return rest.length === 1 ? rest[0] : { op: "or", children: rest };
      }
    }
  };

  const root = compile(query) ?? NONE;
  return { root, leaves };
}

/** Tells whether a query field is analysed text. */
export function isTextField(field: string): field is TextField {
  return (TEXT_FIELDS as readonly string[]).includes(field);
}

/** The error for a prefix that expands to more than `max` indexed values. */
export function tooManyTermsError(field: string, prefix: string, max: number): IpfedError {
  return new IpfedError("QUERY_TOO_COMPLEX", `the prefix '${prefix}*' of field '${field}' matches more than ${max} indexed values; make it longer`, {
    field: "query",
  });
}

function exact(field: FieldName, value: string, prefix: boolean): PlanNode {
  switch (field) {
    case "ipc":
    case "cpc": {
      const lookup = classLookup(value, prefix);
      if (lookup === undefined) return NONE;
      return "exact" in lookup ? { op: "keyword", field, terms: [lookup.exact] } : { op: "keyword_prefix", field, prefix: lookup.prefix };
    }
    case "id":
    case "ds":
    case "fam": {
      // Canonical record ids are upper case; dataset and family ids are matched as written.
      const v = field === "id" ? value.toUpperCase() : value;
      return prefix ? { op: "keyword_prefix", field, prefix: v } : { op: "keyword", field, terms: [v] };
    }
    case "nice":
    case "cc":
    case "kind":
      return { op: "keyword", field, terms: [value] };
    default:
      return NONE;
  }
}

function range(node: RangeNode): PlanNode {
  if (node.field === "nice") {
    const lo = node.from === undefined ? 1 : Number(node.from) + (node.inclusiveFrom ? 0 : 1);
    const hi = node.to === undefined ? 45 : Number(node.to) - (node.inclusiveTo ? 0 : 1);
    const terms: string[] = [];
    for (let n = Math.max(1, lo); n <= Math.min(45, hi); n++) terms.push(String(n));
    return terms.length === 0 ? NONE : { op: "keyword", field: "nice", terms };
  }
  if (node.field !== "pd" && node.field !== "ad") return NONE;
  // Dates are whole numbers yyyymmdd, so an exclusive bound is the next or previous number.
  const from = node.from === undefined ? 1 : dateInt(node.from) + (node.inclusiveFrom ? 0 : 1);
  const to = node.to === undefined ? 99_999_999 : dateInt(node.to) - (node.inclusiveTo ? 0 : 1);
  return from > to ? NONE : { op: "range", field: node.field, from, to };
}

function dateInt(value: string): number {
  return Number(value.replace(/-/g, ""));
}
