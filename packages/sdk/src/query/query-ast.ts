import type { FieldName } from "./query-fields.js";

/** What every query node carries: where it starts in the query, for error reporting. */
export interface QueryNodeBase {
  /** 1-based position, in characters (code points), of the first character of the node. */
  readonly position: number;
}

/**
 * A single term: `graphene`, `ti:battery`, `ipc:H01M10/*`, `cc:CN`.
 *
 * Values of `ipc`, `cpc`, `cc`, `kind`, `nice` and `id` are normalised (upper or lower case, no
 * leading zeros); text values are kept as written, since the index analyses them. A class
 * symbol is meant to match itself and everything below it in the hierarchy; `prefix` says the
 * query ended it with `*` (`H01M10/*` is the value `H01M10/` with `prefix: true`).
 */
export interface TermNode extends QueryNodeBase {
  readonly type: "term";
  /** The field searched; absent for free text. */
  readonly field?: FieldName;
  /** The term, escapes removed, without the trailing `*`. */
  readonly value: string;
  /** True when the term ended with an unescaped `*`: match every word it begins. */
  readonly prefix: boolean;
}

/** A quoted phrase: `"lithium battery"`, `ti:"solid electrolyte"`. */
export interface PhraseNode extends QueryNodeBase {
  readonly type: "phrase";
  /** The field searched; absent for free text. */
  readonly field?: FieldName;
  /** The words, escapes removed, runs of white space collapsed to one space. */
  readonly value: string;
}

/**
 * A range: `pd:[2010 TO 2012]`, `pd:{2010-01-01 TO *]`, `nice:[9 TO 12]`, and every date
 * (`pd:2010` is the range 2010-01-01 to 2010-12-31).
 *
 * Date bounds are whole days (`YYYY-MM-DD`); nice bounds are class numbers.
 */
export interface RangeNode extends QueryNodeBase {
  readonly type: "range";
  /** The field, one of `pd`, `ad` or `nice`. */
  readonly field: FieldName;
  /** Lower bound; absent when open (`*`). */
  readonly from?: string;
  /** Upper bound; absent when open (`*`). */
  readonly to?: string;
  /** True for `[`, false for `{`. */
  readonly inclusiveFrom: boolean;
  /** True for `]`, false for `}`. */
  readonly inclusiveTo: boolean;
}

/** Every child must match: `a AND b`, `a b`, `a && b`. */
export interface AndNode extends QueryNodeBase {
  readonly type: "and";
  readonly children: readonly QueryNode[];
}

/** At least one child must match: `a OR b`, `a || b`. */
export interface OrNode extends QueryNodeBase {
  readonly type: "or";
  readonly children: readonly QueryNode[];
}

/** The child must not match: `NOT a`, `-a`. */
export interface NotNode extends QueryNodeBase {
  readonly type: "not";
  readonly child: QueryNode;
}

/** Every record: `*`, or the empty query. */
export interface MatchAllNode extends QueryNodeBase {
  readonly type: "match_all";
}

/**
 * A parsed query: a tree of the nodes above, discriminated on `type`.
 *
 * @example
 * ```ts
 * function leaves(node: QueryNode): number {
 *   switch (node.type) {
 *     case "and":
 *     case "or":
 *       return node.children.reduce((n, child) => n + leaves(child), 0);
 *     case "not":
 *       return leaves(node.child);
 *     default:
 *       return 1;
 *   }
 * }
 * ```
 */
export type QueryNode = TermNode | PhraseNode | RangeNode | AndNode | OrNode | NotNode | MatchAllNode;

/** The `type` of a query node. */
export type QueryNodeType = QueryNode["type"];

/** Limits that `parseQuery` enforces so that one query cannot tie up a node. */
export interface ParseQueryOptions {
  /** Most leaf clauses (terms, phrases, ranges, `*`) in one query; default 1024. */
  maxClauses?: number;
  /** Most nested parentheses and negations; default 32. */
  maxDepth?: number;
}
