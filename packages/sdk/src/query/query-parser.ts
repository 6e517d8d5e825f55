import type { ParseQueryOptions, QueryNode, RangeNode } from "./query-ast.js";
import { expectedError, quoteForMessage, tooComplexError, unknownFieldError } from "./query-errors.js";
import { fieldKind, resolveField } from "./query-fields.js";
import type { FieldName } from "./query-fields.js";
import { QueryLexer } from "./query-lexer.js";
import type { QueryToken } from "./query-lexer.js";
import { makeValueNode, readRangeBound } from "./query-value-nodes.js";

/**
 * Default most leaf clauses in one query.
 *
 * @example
 * ```ts
 * parseQuery(userInput, { maxClauses: DEFAULT_MAX_CLAUSES / 4 }); // a tighter limit for a public form
 * ```
 */
export const DEFAULT_MAX_CLAUSES = 1024;
/**
 * Default most nested parentheses and negations.
 *
 * @example
 * ```ts
 * parseQuery(userInput, { maxDepth: DEFAULT_MAX_DEPTH }); // the default, spelt out
 * ```
 */
export const DEFAULT_MAX_DEPTH = 32;

/**
 * Parses a query of the ipfed query language into its typed AST.
 *
 * Precedence is NOT > AND > OR; adjacent clauses are joined by AND. A field before a group
 * (`ti:(a OR b)`) applies to every clause inside it. Dates become ranges of days. The empty
 * query and `*` match everything.
 *
 * @throws IpfedError `QUERY_SYNTAX` (with the 1-based `position`) when the query is malformed or
 * a value is invalid, `QUERY_FIELD_UNKNOWN` for an unknown field, and `QUERY_TOO_COMPLEX` past
 * `maxClauses` leaf clauses or `maxDepth` nesting.
 *
 * @example
 * ```ts
 * parseQuery("ti:(graphene OR 石墨烯) AND pd:[2010 TO 2012]");
 * // { type: "and", position: 1, children: [
 * //   { type: "or", position: 5, children: [
 * //     { type: "term", field: "ti", value: "graphene", prefix: false, position: 5 },
 * //     { type: "term", field: "ti", value: "石墨烯", prefix: false, position: 17 } ] },
 * //   { type: "range", field: "pd", from: "2010-01-01", to: "2012-12-31",
 * //     inclusiveFrom: true, inclusiveTo: true, position: 26 } ] }
 * ```
 */
export function parseQuery(input: string, options: ParseQueryOptions = {}): QueryNode {
  return new QueryParser(input, options).parse();
}

class QueryParser {
  private readonly lexer: QueryLexer;
  private readonly ahead: QueryToken[] = [];
  private readonly maxClauses: number;
  private readonly maxDepth: number;
  private clauses = 0;
  private depth = 0;

  constructor(input: string, options: ParseQueryOptions) {
    this.lexer = new QueryLexer(input);
    this.maxClauses = options.maxClauses ?? DEFAULT_MAX_CLAUSES;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  }

  parse(): QueryNode {
    const first = this.peek();
    if (first.type === "eof") return this.leaf({ type: "match_all", position: 1 });
    const node = this.parseOr(undefined);
    const t = this.peek();
    if (t.type !== "eof") {
      const note = t.type === "rparen" ? "no '(' is open" : undefined;
      throw expectedError("end of query", t.position, found(t), note);
    }
    return node;
  }

  private parseOr(field: FieldName | undefined): QueryNode {
    const position = this.peek().position;
    const children = [this.parseAnd(field)];
    while (this.peek().type === "or") {
      this.take();
      children.push(this.parseAnd(field));
    }
    return children.length === 1 ? (children[0] as QueryNode) : { type: "or", children, position };
  }

  private parseAnd(field: FieldName | undefined): QueryNode {
    const position = this.peek().position;
    const children = [this.parseUnary(field)];
    for (;;) {
      const t = this.peek();
      if (t.type === "or" || t.type === "rparen" || t.type === "eof") break;
      if (t.type === "and") this.take();
      children.push(this.parseUnary(field));
    }
    return children.length === 1 ? (children[0] as QueryNode) : { type: "and", children, position };
  }

  private parseUnary(field: FieldName | undefined): QueryNode {
    // `+` only says "required", which every AND clause already is; a loop, not recursion,
    // so `++++a` cannot dig deep.
    while (this.peek().type === "plus") this.take();
    const t = this.peek();
    if (t.type === "not" || t.type === "minus") {
      this.take();
      this.enter(t.position);
      const child = this.parseUnary(field);
      this.depth--;
      return { type: "not", child, position: t.position };
    }
    return this.parsePrimary(field);
  }

  private parsePrimary(field: FieldName | undefined): QueryNode {
    const t = this.peek();
    switch (t.type) {
      case "lparen":
        return this.parseGroup(field);
      case "word": {
        const next = this.peek(1);
        if (next.type === "colon" && next.position === t.end && !t.escaped && !t.prefix) {
          return this.parseField(t, field);
        }
        this.take();
        return this.leaf(makeValueNode(field, t, t.position));
      }
      case "phrase":
        this.take();
        return this.leaf(makeValueNode(field, t, t.position));
      case "star":
        if (field !== undefined) throw expectedError(`a value for field '${field}'`, t.position, "'*'");
        this.take();
        return this.leaf({ type: "match_all", position: t.position });
      case "lbracket":
      case "lbrace":
        if (field !== undefined) return this.parseRange(field, t.position);
        throw expectedError("a query clause", t.position, found(t), "a range needs a field, as in pd:[2010 TO 2012]");
      default:
        throw expectedError("a query clause", t.position, found(t));
    }
  }

  private parseGroup(field: FieldName | undefined): QueryNode {
    const open = this.take();
    this.enter(open.position);
    const node = this.parseOr(field);
    this.depth--;
    const close = this.peek();
    if (close.type !== "rparen") {
      throw expectedError("')'", close.position, found(close), `the '(' at position ${open.position} is not closed`);
    }
    this.take();
    return node;
  }

  private parseField(name: QueryToken, outer: FieldName | undefined): QueryNode {
    const field = resolveField(name.text);
    if (field === undefined) throw unknownFieldError(name.text, name.position);
    if (outer !== undefined && field !== outer) {
      const note = "fields cannot be mixed inside a field group";
      throw expectedError(`a value for field '${outer}'`, name.position, `'${name.text}:'`, note);
    }
    this.take();
    this.take();
    const t = this.peek();
    switch (t.type) {
      case "lparen":
        return this.parseGroup(field);
      case "word":
      case "phrase":
        this.take();
        return this.leaf(makeValueNode(field, t, name.position));
      case "lbracket":
      case "lbrace":
        return this.parseRange(field, name.position);
      default:
        throw expectedError(`a value for field '${name.text}'`, t.position, found(t));
    }
  }

  private parseRange(field: FieldName, position: number): RangeNode {
    const open = this.take();
    const kind = fieldKind(field);
    if (kind !== "date" && kind !== "nice") {
      const note = "ranges apply only to pd, ad and nice";
      throw expectedError(`a value for field '${field}'`, open.position, found(open), note);
    }
    const inclusiveFrom = open.type === "lbracket";
    const fromToken = this.takeBound("a range start (a value or '*')");
    const to = this.peek();
    if (to.type !== "word" || to.text !== "TO" || to.escaped) {
      throw expectedError("'TO'", to.position, found(to));
    }
    this.take();
    const toToken = this.takeBound("a range end (a value or '*')");
    const close = this.peek();
    if (close.type !== "rbracket" && close.type !== "rbrace") {
      const note = `to close the range opened at position ${open.position}`;
      throw expectedError("']' or '}'", close.position, found(close), note);
    }
    this.take();
    const inclusiveTo = close.type === "rbracket";
    const from = fromToken && readRangeBound(field, fromToken, inclusiveFrom ? "first" : "last");
    const upTo = toToken && readRangeBound(field, toToken, inclusiveTo ? "last" : "first");
    // Compare the periods as written, so `{2010 TO 2010}` is an empty range rather than an error.
    if (from !== undefined && upTo !== undefined && from.low > upTo.high) {
      const at = fromToken?.position ?? position;
      const written = `${found(fromToken as QueryToken)} after ${found(toToken as QueryToken)}`;
      throw expectedError("a range start no later than its end", at, written);
    }
    return this.leaf({
      type: "range",
      field,
      ...(from !== undefined ? { from: from.value } : {}),
      ...(upTo !== undefined ? { to: upTo.value } : {}),
      inclusiveFrom,
      inclusiveTo,
      position,
    });
  }

  /** Takes a range bound: a word, or `*` for an open bound (returned as `undefined`). */
  private takeBound(expected: string): QueryToken | undefined {
    const t = this.peek();
    if (t.type === "star") {
      this.take();
      return undefined;
    }
    if (t.type !== "word" || (t.text === "TO" && !t.escaped)) throw expectedError(expected, t.position, found(t));
    this.take();
    return t;
  }

  private leaf<T extends QueryNode>(node: T): T {
    this.clauses++;
    if (this.clauses > this.maxClauses) {
      throw tooComplexError(`too many clauses: at most ${this.maxClauses} are allowed, one more`, node.position);
    }
    return node;
  }

  private enter(position: number): void {
    this.depth++;
    if (this.depth > this.maxDepth) {
      throw tooComplexError(`nested too deeply: at most ${this.maxDepth} levels of parentheses and NOT, one more`, position);
    }
  }

  private peek(offset = 0): QueryToken {
    while (this.ahead.length <= offset) this.ahead.push(this.lexer.next());
    return this.ahead[offset] as QueryToken;
  }

  private take(): QueryToken {
    const t = this.peek();
    this.ahead.shift();
    return t;
  }
}

/** Describes a token for "found ..." in messages. */
function found(t: QueryToken): string {
  return t.type === "eof" ? "end of query" : quoteForMessage(t.raw);
}
