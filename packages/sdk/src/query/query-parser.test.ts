import { describe, expect, it } from "vitest";
import type { QueryNode } from "./query-ast.js";
import type { FieldName } from "./query-fields.js";
import { parseQuery } from "./query-parser.js";

/** Removes positions, to compare shapes where positions are not the point. */
function shape(node: QueryNode): unknown {
  return JSON.parse(JSON.stringify(node, (key, value: unknown) => (key === "position" ? undefined : value)));
}

const term = (value: string, field?: FieldName, prefix = false) => ({
  type: "term",
  ...(field ? { field } : {}),
  value,
  prefix,
});
const phrase = (value: string, field?: FieldName) => ({ type: "phrase", ...(field ? { field } : {}), value });
const range = (field: FieldName, from?: string, to?: string, inclusiveFrom = true, inclusiveTo = true) => ({
  type: "range",
  field,
  ...(from !== undefined ? { from } : {}),
  ...(to !== undefined ? { to } : {}),
  inclusiveFrom,
  inclusiveTo,
});
const and = (...children: unknown[]) => ({ type: "and", children });
const or = (...children: unknown[]) => ({ type: "or", children });
const not = (child: unknown) => ({ type: "not", child });
const all = { type: "match_all" };

describe("parseQuery: ASTs with positions", () => {
  it("parses a free text term", () => {
    expect(parseQuery("graphene")).toEqual({ type: "term", value: "graphene", prefix: false, position: 1 });
  });

  it("keeps Chinese text without spaces as one term", () => {
    expect(parseQuery("石墨烯电池")).toEqual({ type: "term", value: "石墨烯电池", prefix: false, position: 1 });
  });

  it("parses a field term at the field's position", () => {
    expect(parseQuery("  ti:graphene")).toEqual({ type: "term", field: "ti", value: "graphene", prefix: false, position: 3 });
  });

  it("joins adjacent clauses with AND and records each position", () => {
    expect(parseQuery("lithium  ti:battery")).toEqual({
      type: "and",
      position: 1,
      children: [
        { type: "term", value: "lithium", prefix: false, position: 1 },
        { type: "term", field: "ti", value: "battery", prefix: false, position: 10 },
      ],
    });
  });

  it("parses the field group and range example", () => {
    expect(parseQuery("ti:(graphene OR 石墨烯) AND pd:[2010 TO 2012]")).toEqual({
      type: "and",
      position: 1,
      children: [
        {
          type: "or",
          position: 5,
          children: [
            { type: "term", field: "ti", value: "graphene", prefix: false, position: 5 },
            { type: "term", field: "ti", value: "石墨烯", prefix: false, position: 17 },
          ],
        },
        { type: "range", field: "pd", from: "2010-01-01", to: "2012-12-31", inclusiveFrom: true, inclusiveTo: true, position: 26 },
      ],
    });
  });

  it("positions NOT at the operator and its child at the child", () => {
    expect(parseQuery("NOT cc:US")).toEqual({
      type: "not",
      position: 1,
      child: { type: "term", field: "cc", value: "US", prefix: false, position: 5 },
    });
  });

  it("counts positions in code points, so a character beyond the BMP counts once", () => {
    expect(parseQuery("𠀀 b")).toEqual({
      type: "and",
      position: 1,
      children: [
        { type: "term", value: "𠀀", prefix: false, position: 1 },
        { type: "term", value: "b", prefix: false, position: 3 },
      ],
    });
  });

  it("treats the empty query, blanks and * as match_all", () => {
    expect(parseQuery("")).toEqual({ type: "match_all", position: 1 });
    expect(parseQuery(" \t\u3000")).toEqual({ type: "match_all", position: 1 });
    expect(parseQuery("  *")).toEqual({ type: "match_all", position: 3 });
  });
});

describe("parseQuery: fields and aliases", () => {
  it.each([
    ["ti", "ti"], ["title", "ti"], ["TITLE", "ti"], ["ab", "ab"], ["abstract", "ab"], ["cl", "cl"],
    ["claims", "cl"], ["tx", "tx"], ["text", "tx"], ["pa", "pa"], ["applicant", "pa"], ["owner", "pa"],
    ["in", "in"], ["inventor", "in"], ["ag", "ag"], ["agent", "ag"], ["ds", "ds"], ["dataset", "ds"],
    ["fam", "fam"], ["family", "fam"], ["id", "id"], ["addr", "addr"], ["Address", "addr"],
  ] as const)("%s: is field %s", (name, field) => {
    expect(shape(parseQuery(`${name}:X1`))).toEqual(term("X1", field));
  });

  it("reads aliases of the validated fields", () => {
    expect(shape(parseQuery("country:cn pubdate:2010 appdate:2010-05"))).toEqual(
      and(term("CN", "cc"), range("pd", "2010-01-01", "2010-12-31"), range("ad", "2010-05-01", "2010-05-31")),
    );
  });

  it("keeps datasets and families exactly and ids in upper case", () => {
    expect(shape(parseQuery("id:CN-112345678-A ds:cnipa-2024 fam:Fam_42"))).toEqual(
      and(term("CN-112345678-A", "id"), term("cnipa-2024", "ds"), term("Fam_42", "fam")),
    );
    expect(shape(parseQuery("id:cn-1123*"))).toEqual(term("CN-1123", "id", true));
  });

  it("normalises and checks class symbols", () => {
    expect(shape(parseQuery("ipc:H01M10/052"))).toEqual(term("H01M10/052", "ipc"));
    expect(shape(parseQuery("ipc:h01m"))).toEqual(term("H01M", "ipc"));
    expect(shape(parseQuery("ipc:H01M10/*"))).toEqual(term("H01M10/", "ipc", true));
    expect(shape(parseQuery("cpc:Y02E60/10"))).toEqual(term("Y02E60/10", "cpc"));
    expect(shape(parseQuery('ipc:"H01M 10/052"'))).toEqual(term("H01M10/052", "ipc"));
    expect(shape(parseQuery("ipc:H0*"))).toEqual(term("H0", "ipc", true));
  });

  it("normalises Nice classes, countries and kinds", () => {
    expect(shape(parseQuery("nice:09 nice:45 cc:ep kind:Utility-Model kind:GI"))).toEqual(
      and(term("9", "nice"), term("45", "nice"), term("EP", "cc"), term("utility_model", "kind"), term("gi", "kind")),
    );
  });

  it("accepts every record kind", () => {
    for (const kind of ["patent", "utility_model", "design", "trademark", "gi", "ic_layout", "legal_event", "law"]) {
      expect(shape(parseQuery(`kind:${kind}`))).toEqual(term(kind, "kind"));
    }
  });

  it("applies a field to a whole group, through NOT and nested groups", () => {
    expect(shape(parseQuery("ti:(a -b (c OR ti:d))"))).toEqual(
      and(term("a", "ti"), not(term("b", "ti")), or(term("c", "ti"), term("d", "ti"))),
    );
  });

  it("reads dates and ranges inside a date field group", () => {
    expect(shape(parseQuery("pd:([2010 TO 2011] OR 2015-06)"))).toEqual(
      or(range("pd", "2010-01-01", "2011-12-31"), range("pd", "2015-06-01", "2015-06-30")),
    );
  });
});

describe("parseQuery: operators and precedence", () => {
  it.each([
    ["a AND b OR c", or(and(term("a"), term("b")), term("c"))],
    ["a OR b AND c", or(term("a"), and(term("b"), term("c")))],
    ["a OR b c", or(term("a"), and(term("b"), term("c")))],
    ["NOT a AND b", and(not(term("a")), term("b"))],
    ["a NOT b", and(term("a"), not(term("b")))],
    ["a OR NOT b", or(term("a"), not(term("b")))],
    ["-a +b", and(not(term("a")), term("b"))],
    ["a && b || c", or(and(term("a"), term("b")), term("c"))],
    ["a&&b", and(term("a"), term("b"))],
    ["(a OR b) c", and(or(term("a"), term("b")), term("c"))],
    ["(a b) c", and(and(term("a"), term("b")), term("c"))],
    ["((a))", term("a")],
    ["NOT NOT a", not(not(term("a")))],
    ["-(a OR b)", not(or(term("a"), term("b")))],
    ["* NOT cc:US", and(all, not(term("US", "cc")))],
    ["a and b", and(term("a"), term("and"), term("b"))],
    ["AT&T a|b", and(term("AT&T"), term("a|b"))],
    ["TO be", and(term("TO"), term("be"))],
    ["＋ａ ＡＮＤ ｂ", and(term("a"), term("b"))],
  ])("%s", (input, expected) => {
    expect(shape(parseQuery(input))).toEqual(expected);
  });
});

describe("parseQuery: phrases, prefixes, escapes and full-width punctuation", () => {
  it.each([
    ['"lithium battery"', phrase("lithium battery")],
    ['ti:"solid electrolyte"', phrase("solid electrolyte", "ti")],
    ['"  lithium \t  battery "', phrase("lithium battery")],
    ['pa:"Contemporary Amperex" in:张三', and(phrase("Contemporary Amperex", "pa"), term("张三", "in"))],
    ['"say \\"hi\\" \\\\ ok"', phrase('say "hi" \\ ok')],
    ['ds:"my dataset"', term("my dataset", "ds")],
    ["batter*", term("batter", undefined, true)],
    ["ti:石墨*", term("石墨", "ti", true)],
    ["a\\:b", term("a:b")],
    ["\\AND", term("AND")],
    ["foo\\*", term("foo*")],
    ["\\-x", term("-x")],
    ["a\\ b", term("a b")],
    ["\\(x\\)", term("(x)")],
    ["ti:foo\\:bar", term("foo:bar", "ti")],
    ["ti：（石墨烯 OR 电池）", or(term("石墨烯", "ti"), term("电池", "ti"))],
    ["“锂电池” ＡＢ：ｘ", and(phrase("锂电池"), term("x", "ab"))],
    ["ti:“固态 电解质”", phrase("固态 电解质", "ti")],
    ["\\（", term("（")],
  ])("%s", (input, expected) => {
    expect(shape(parseQuery(input))).toEqual(expected);
  });
});

describe("parseQuery: dates and ranges", () => {
  it.each([
    ["pd:2010", range("pd", "2010-01-01", "2010-12-31")],
    ["pd:2010-05", range("pd", "2010-05-01", "2010-05-31")],
    ["pd:2012-02", range("pd", "2012-02-01", "2012-02-29")],
    ["pd:1900-02", range("pd", "1900-02-01", "1900-02-28")],
    ["pd:2000-02-29", range("pd", "2000-02-29", "2000-02-29")],
    ["pd:2010-05-04", range("pd", "2010-05-04", "2010-05-04")],
    ["pd:20100504", range("pd", "2010-05-04", "2010-05-04")],
    ["pd:[2010 TO 2012]", range("pd", "2010-01-01", "2012-12-31")],
    ["pd:[2010-01-01 TO *]", range("pd", "2010-01-01", undefined)],
    ["pd:[* TO 2012-06]", range("pd", undefined, "2012-06-30")],
    ["pd:[* TO *]", range("pd")],
    ["pd:{2010 TO 2012}", range("pd", "2010-12-31", "2012-01-01", false, false)],
    ["pd:[2010 TO 2012}", range("pd", "2010-01-01", "2012-01-01", true, false)],
    ["ad:{2010-05-04 TO *]", range("ad", "2010-05-04", undefined, false, true)],
    ["pd:{2010 TO 2010}", range("pd", "2010-12-31", "2010-01-01", false, false)],
    ["nice:[9 TO 12]", range("nice", "9", "12")],
    ["nice:{09 TO *]", range("nice", "9", undefined, false, true)],
  ])("%s", (input, expected) => {
    expect(shape(parseQuery(input))).toEqual(expected);
  });

  it("leaves date-like free text alone", () => {
    expect(shape(parseQuery("2010-05"))).toEqual(term("2010-05"));
  });
});
