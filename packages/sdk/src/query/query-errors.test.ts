import { describe, expect, it } from "vitest";
import { IpfedError } from "../errors/ipfed-error.js";
import type { ErrorCode } from "../errors/code.js";
import { parseQuery } from "./query-parser.js";
import type { ParseQueryOptions } from "./query-ast.js";

function failure(input: string, options?: ParseQueryOptions): IpfedError {
  try {
    parseQuery(input, options);
  } catch (err) {
    expect(err).toBeInstanceOf(IpfedError);
    return err as IpfedError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to fail`);
}

describe("parseQuery: syntax errors name position, expectation and what was found", () => {
  it.each<[string, number, string]>([
    ["ti:(graphene", 13, "expected ')' at position 13, found end of query (the '(' at position 4 is not closed)"],
    ["(a OR b))", 9, "expected end of query at position 9, found ')' (no '(' is open)"],
    ["a AND", 6, "expected a query clause at position 6, found end of query"],
    ["a OR  ", 7, "expected a query clause at position 7, found end of query"],
    ["AND a", 1, "expected a query clause at position 1, found 'AND'"],
    ["a OR || b", 6, "expected a query clause at position 6, found '||'"],
    ["NOT", 4, "expected a query clause at position 4, found end of query"],
    ["()", 2, "expected a query clause at position 2, found ')'"],
    ["a : b", 3, "expected a query clause at position 3, found ':'"],
    ["ti:", 4, "expected a value for field 'ti' at position 4, found end of query"],
    ["ti:   AND x", 7, "expected a value for field 'ti' at position 7, found 'AND'"],
    ["ti:-foo", 4, "expected a value for field 'ti' at position 4, found '-'"],
    ["ti:*", 4, "expected a value for field 'ti' at position 4, found '*'"],
    ['"lithium battery', 17, "expected '\"' at position 17, found end of query (the phrase opened at position 1 is not closed)"],
    ['a "b\\"', 7, "expected '\"' at position 7, found end of query (the phrase opened at position 3 is not closed)"],
    ['""', 1, "expected words between the quotes at position 1, found '\"\"'"],
    ["pd:[2010 TO]", 12, "expected a range end (a value or '*') at position 12, found ']'"],
    ["pd:[TO 2012]", 5, "expected a range start (a value or '*') at position 5, found 'TO'"],
    ["pd:[2010 2012]", 10, "expected 'TO' at position 10, found '2012'"],
    ["pd:[2010 TO 2012", 17, "expected ']' or '}' at position 17, found end of query (to close the range opened at position 4)"],
    ["pd:[2012 TO 2010]", 5, "expected a range start no later than its end at position 5, found '2012' after '2010'"],
    ["nice:99", 6, "expected a Nice class from 1 to 45 at position 6, found '99'"],
    ["nice:0", 6, "expected a Nice class from 1 to 45 at position 6, found '0'"],
    ["nice:[1 TO 46]", 12, "expected a Nice class from 1 to 45 at position 12, found '46'"],
    ["pd:2010-13", 4, "expected a date (YYYY, YYYY-MM or YYYY-MM-DD) at position 4, found '2010-13'"],
    ["pd:2011-02-29", 4, "expected a date (YYYY, YYYY-MM or YYYY-MM-DD) at position 4, found '2011-02-29'"],
    ["ad:[2010 TO 2011-13]", 13, "expected a date (YYYY, YYYY-MM or YYYY-MM-DD) at position 13, found '2011-13'"],
    ["pd:2010*", 4, "expected a value without '*' for field 'pd' at position 4, found '2010*'"],
    ["cc:USA", 4, "expected a two-letter country code such as CN at position 4, found 'USA'"],
    ["cc:C*", 4, "expected a value without '*' for field 'cc' at position 4, found 'C*'"],
    ["ipc:XYZ", 5, "expected an IPC symbol such as H01M10/052 at position 5, found 'XYZ'"],
    ["[2010 TO 2012]", 1, "expected a query clause at position 1, found '[' (a range needs a field, as in pd:[2010 TO 2012])"],
    ["ti:[a TO b]", 4, "expected a value for field 'ti' at position 4, found '[' (ranges apply only to pd, ad and nice)"],
    ["ti:(ab:x)", 5, "expected a value for field 'ti' at position 5, found 'ab:' (fields cannot be mixed inside a field group)"],
    ["a \\", 4, "expected a character after '\\' at position 4, found end of query"],
    ["ti：（石墨烯", 8, "expected ')' at position 8, found end of query (the '(' at position 4 is not closed)"],
    ["𠀀 (", 4, "expected a query clause at position 4, found end of query"],
  ])("%s", (input, position, message) => {
    const err = failure(input);
    expect(err.code).toBe("QUERY_SYNTAX");
    expect(err.position).toBe(position);
    expect(err.field).toBe("query");
    expect(err.message).toBe(message);
  });

  it.each([
    ["gra*ene", 4],
    ["*foo", 1],
    ['"abc"*', 6],
  ])("rejects a misplaced '*' in %s at %i", (input, position) => {
    const err = failure(input);
    expect(err.code).toBe("QUERY_SYNTAX");
    expect(err.position).toBe(position);
    expect(err.message).toContain(`'*' at position ${position}`);
  });

  it("reports the first error by position, since tokens are read lazily", () => {
    expect(failure('a) "unterminated').position).toBe(2);
  });

  it("shortens long values in messages", () => {
    const err = failure(`cc:${"x".repeat(100)}`);
    expect(err.message).toBe(`expected a two-letter country code such as CN at position 4, found '${"x".repeat(27)}...'`);
  });
});

describe("parseQuery: unknown fields", () => {
  it.each([
    ["foo:bar", 1, "foo"],
    ["graphene Foo:bar", 10, "Foo"],
    ["ti:(a) x:y", 8, "x"],
  ])("%s", (input, position, name) => {
    const err = failure(input);
    expect(err.code).toBe<ErrorCode>("QUERY_FIELD_UNKNOWN");
    expect(err.position).toBe(position);
    expect(err.metadata).toEqual({ name });
    expect(err.message).toContain(`unknown field '${name}' at position ${position}; known fields: ti (title), ab (abstract),`);
    expect(err.message).toContain("ipc, cpc, nice, cc (country), kind, pd (pubdate), ad (appdate), id, ds (dataset), fam (family)");
  });

  it("does not read an escaped or spaced colon as a field", () => {
    expect(() => parseQuery("foo\\:bar")).not.toThrow();
    expect(failure("foo :bar").code).toBe("QUERY_SYNTAX");
  });
});

describe("parseQuery: limits", () => {
  it("allows maxClauses clauses and refuses one more", () => {
    const terms = Array.from({ length: 1024 }, (_, i) => `t${i}`);
    expect(() => parseQuery(terms.join(" "))).not.toThrow();
    const err = failure([...terms, "extra"].join(" "));
    expect(err.code).toBe("QUERY_TOO_COMPLEX");
    expect(err.position).toBe(terms.join(" ").length + 2);
  });

  it("honours a custom maxClauses", () => {
    const err = failure("a b c", { maxClauses: 2 });
    expect(err).toMatchObject({ code: "QUERY_TOO_COMPLEX", position: 5 });
    expect(err.message).toBe("too many clauses: at most 2 are allowed, one more at position 5");
  });

  it("allows maxDepth nested groups and refuses one more", () => {
    expect(() => parseQuery(`${"(".repeat(32)}a${")".repeat(32)}`)).not.toThrow();
    const err = failure(`${"(".repeat(33)}a${")".repeat(33)}`);
    expect(err).toMatchObject({ code: "QUERY_TOO_COMPLEX", position: 33 });
  });

  it("counts negations as depth", () => {
    expect(failure("NOT ".repeat(3) + "a", { maxDepth: 2 })).toMatchObject({ code: "QUERY_TOO_COMPLEX", position: 9 });
    expect(failure("-(-(a))", { maxDepth: 3 })).toMatchObject({ code: "QUERY_TOO_COMPLEX", position: 4 });
  });

  it("fails fast, without a stack overflow, on absurd nesting", () => {
    expect(failure("(".repeat(100_000)).code).toBe("QUERY_TOO_COMPLEX");
    expect(failure("-".repeat(100_000)).code).toBe("QUERY_TOO_COMPLEX");
    expect(failure(`${"+".repeat(100_000)}`).code).toBe("QUERY_SYNTAX");
  });
});
