import { describe, expect, it } from "vitest";
import { IpfedError } from "../errors/ipfed-error.js";
import type { QueryNode } from "./query-ast.js";
import { formatQuery } from "./query-format.js";
import { parseQuery } from "./query-parser.js";

function shape(node: QueryNode): unknown {
  return JSON.parse(JSON.stringify(node, (key, value: unknown) => (key === "position" ? undefined : value)));
}

describe("formatQuery: canonical form", () => {
  it.each([
    ["", "*"],
    ["graphene", "graphene"],
    ["title:graphene", "ti:graphene"],
    ["a b OR c", "a AND b OR c"],
    ["a (b OR c)", "a AND (b OR c)"],
    ["a || (b && c)", "a OR b AND c"],
    ["(a OR b) OR c", "(a OR b) OR c"],
    ["(a b) c", "(a AND b) AND c"],
    ["-(a b)", "NOT (a AND b)"],
    ["-a +b", "NOT a AND b"],
    ["NOT (a)", "NOT a"],
    ["ti:(graphene OR 石墨烯) pd:[2010 TO 2012]", "(ti:graphene OR ti:石墨烯) AND pd:[2010-01-01 TO 2012-12-31]"],
    ["ti：（石墨烯 || graphene） -cc:cn pd:2010", "(ti:石墨烯 OR ti:graphene) AND NOT cc:CN AND pd:2010"],
    ['title:"solid   electrolyte"', 'ti:"solid electrolyte"'],
    ['“锂电池”', '"锂电池"'],
    ["pd:2010-05", "pd:2010-05"],
    ["pd:[2010-01-01 TO 2010-12-31]", "pd:2010"],
    ["pd:[2012-02-01 TO 2012-02-29]", "pd:2012-02"],
    ["pd:20100504", "pd:2010-05-04"],
    ["pd:[2010 TO *]", "pd:[2010-01-01 TO *]"],
    ["pd:{2010 TO 2012}", "pd:{2010-12-31 TO 2012-01-01}"],
    ["pd:[2010-05 TO 2010-05]", "pd:2010-05"],
    ["nice:[09 TO 9]", "nice:[9 TO 9]"],
    ["nice:09 cc:cn kind:GI", "nice:9 AND cc:CN AND kind:gi"],
    ["ipc:h01m10/*", "ipc:H01M10/*"],
    ["batter*", "batter*"],
    ["a\\:b", "a\\:b"],
    ["\\AND", "\\AND"],
    ["\\-x \\+y x-y", "\\-x AND \\+y AND x-y"],
    ["foo\\*", "foo\\*"],
    ["a\\ b", "a\\ b"],
    // Only a pair needs breaking: `\||` is a `|` then a lone `|`.
    ["a\\&&b \\|\\|", "a\\&&b AND \\||"],
    ["\\（x\\）", "\\（x\\）"],
    ['ds:"my dataset"', "ds:my\\ dataset"],
    ['"say \\"hi\\""', '"say \\"hi\\""'],
  ])("%s -> %s", (input, canonical) => {
    const node = parseQuery(input);
    expect(formatQuery(node)).toBe(canonical);
    expect(shape(parseQuery(canonical))).toEqual(shape(node));
  });
});

describe("formatQuery: hand-built ASTs", () => {
  const a: QueryNode = { type: "term", value: "a", prefix: false, position: 1 };
  const b: QueryNode = { type: "term", value: "b", prefix: false, position: 1 };
  const c: QueryNode = { type: "term", value: "c", prefix: false, position: 1 };

  it("parenthesises nested operators so the structure survives a round trip", () => {
    const nested: QueryNode = {
      type: "and",
      position: 1,
      children: [a, { type: "and", position: 1, children: [b, c] }, { type: "or", position: 1, children: [a, b] }],
    };
    expect(formatQuery(nested)).toBe("a AND (b AND c) AND (a OR b)");
    expect(shape(parseQuery(formatQuery(nested)))).toEqual(shape(nested));
  });

  it("writes one-child groups as their child, judging precedence on the child", () => {
    const orInside: QueryNode = { type: "or", position: 1, children: [a, b] };
    const single: QueryNode = { type: "and", position: 1, children: [c, { type: "and", position: 1, children: [orInside] }] };
    expect(formatQuery(single)).toBe("c AND (a OR b)");
    expect(formatQuery({ type: "not", position: 1, child: { type: "or", position: 1, children: [orInside] } })).toBe("NOT (a OR b)");
  });

  it("writes empty groups as the queries they mean", () => {
    expect(formatQuery({ type: "and", position: 1, children: [] })).toBe("*");
    expect(formatQuery({ type: "or", position: 1, children: [] })).toBe("NOT *");
    expect(formatQuery({ type: "and", position: 1, children: [a, { type: "and", position: 1, children: [] }] })).toBe("a AND *");
  });

  it("escapes characters the lexer would normalise, so they come back as they were", () => {
    const node: QueryNode = { type: "term", field: "ti", value: "ＡＢ（c）“d”", prefix: true, position: 1 };
    const text = formatQuery(node);
    expect(text).toBe("ti:\\Ａ\\Ｂ\\（c\\）\\“d\\”*");
    expect(shape(parseQuery(text))).toEqual(shape(node));
  });

  it("keeps unusual white space inside phrases", () => {
    const node: QueryNode = { type: "phrase", value: " a  b\tc ", position: 1 };
    const text = formatQuery(node);
    expect(text).toBe('"\\ a\\ \\ b\\\tc\\ "');
    expect(shape(parseQuery(text))).toEqual(shape(node));
  });

  it("writes open and exclusive range bounds", () => {
    const node: QueryNode = { type: "range", field: "ad", to: "2012-01-01", inclusiveFrom: false, inclusiveTo: false, position: 1 };
    expect(formatQuery(node)).toBe("ad:{* TO 2012-01-01}");
    expect(shape(parseQuery(formatQuery(node)))).toEqual(shape(node));
  });

  it("refuses empty values, which no query can express", () => {
    expect(() => formatQuery({ type: "term", value: "", prefix: false, position: 1 })).toThrow(IpfedError);
    expect(() => formatQuery({ type: "phrase", value: "", position: 1 })).toThrow(/empty value/);
  });
});
