import type { FieldName } from "./query-fields.js";

/**
 * What every query node carries: where it starts in the query, for error reporting.
 *
 * @example
 * ```ts
 * const { position } = parseQuery("graphene AND cc:CN"); // 1
 * ```
 */
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
 *
 * @example
 * ```ts
 * parseQuery("ti:battery"); // { type: "term", field: "ti", value: "battery", prefix: false, position: 1 }
 * ```
 */
export interface TermNode extends QueryNodeBase {
  /** What the node is. */
  readonly type: "term";
  /** The field searched; absent for free text. */
  readonly field?: FieldName;
  /** The term, escapes removed, without the trailing `*`. */
  readonly value: string;
  /** True when the term ended with an unescaped `*`: match every word it begins. */
  readonly prefix: boolean;
}

/**
 * A quoted phrase: `"lithium battery"`, `ti:"solid electrolyte"`.
 *
 * @example
 * ```ts
 * parseQuery('ti:"solid electrolyte"'); // { type: "phrase", field: "ti", value: "solid electrolyte", position: 1 }
 * ```
 */
export interface PhraseNode extends QueryNodeBase {
  /** What the node is. */
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
 *
 * @example
 * ```ts
 * parseQuery("pd:[2010 TO 2012]");
 * // { type: "range", field: "pd", from: "2010-01-01", to: "2012-12-31", inclusiveFrom: true, inclusiveTo: true, position: 1 }
 * ```
 */
export interface RangeNode extends QueryNodeBase {
  /** What the node is. */
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

/**
 * Every child must match: `a AND b`, `a b`, `a && b`.
 *
 * @example
 * ```ts
 * const node = parseQuery("graphene AND cc:CN");
 * if (node.type === "and") node.children.length; // 2
 * ```
 */
export interface AndNode extends QueryNodeBase {
  /** What the node is. */
  readonly type: "and";
  /** The clauses, at least two, in query order. */
  readonly children: readonly QueryNode[];
}

/**
 * At least one child must match: `a OR b`, `a || b`.
 *
 * @example
 * ```ts
 * const node = parseQuery("a OR b");
 * if (node.type === "or") node.children.map((c) => c.position); // [1, 6]
 * ```
 */
export interface OrNode extends QueryNodeBase {
  /** What the node is. */
  readonly type: "or";
  /** The alternatives, at least two, in query order. */
  readonly children: readonly QueryNode[];
}

/**
 * The child must not match: `NOT a`, `-a`.
 *
 * @example
 * ```ts
 * parseQuery("NOT cc:US"); // { type: "not", child: { type: "term", field: "cc", value: "US", ... }, position: 1 }
 * ```
 */
export interface NotNode extends QueryNodeBase {
  /** What the node is. */
  readonly type: "not";
  /** The negated clause. */
  readonly child: QueryNode;
}

/**
 * Every record: `*`, or the empty query.
 *
 * @example
 * ```ts
 * parseQuery("*"); // { type: "match_all", position: 1 }
 * ```
 */
export interface MatchAllNode extends QueryNodeBase {
  /** What the node is. */
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

/**
 * The `type` of a query node.
 *
 * @example
 * ```ts
 * const type: QueryNodeType = parseQuery("a OR b").type; // "or"
 * ```
 */
export type QueryNodeType = QueryNode["type"];

/**
 * Limits that `parseQuery` enforces so that one query cannot tie up a node.
 *
 * @example
 * ```ts
 * const options: ParseQueryOptions = { maxClauses: 64, maxDepth: 8 };
 * parseQuery("ti:battery AND pd:[2020 TO *]", options);
 * ```
 */
export interface ParseQueryOptions {
  /** Most leaf clauses (terms, phrases, ranges, `*`) in one query; default 1024. */
  maxClauses?: number;
  /** Most nested parentheses and negations; default 32. */
  maxDepth?: number;
}
