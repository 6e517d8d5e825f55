import { parseQuery } from "@ipfed/sdk";
import { describe, expect, it } from "vitest";
import { compilePlan } from "./query-plan.js";

const plan = (q: string, fields?: readonly string[]) => compilePlan(parseQuery(q), fields).root;

describe("compilePlan", () => {
  it("searches free text in every visible text field, each with its weight", () => {
    const root = plan("battery");
    expect(root.op).toBe("or");
    if (root.op !== "or") return;
    expect(root.children.map((c) => (c.op === "text" ? [c.field, c.weight] : c.op))).toEqual([
      ["ti", 3], ["ab", 1.5], ["cl", 1], ["tx", 0.5], ["pa", 1.5], ["in", 1.5], ["ag", 1.5],
    ]);
    expect(plan("battery", ["ab", "pd"])).toMatchObject({ op: "text", field: "ab", slots: [{ term: "batteri", prefix: false }] });
    expect(plan("battery", ["pd"])).toEqual({ op: "none" });
    // Addresses only when the allowed fields name them; an explicit clause always.
    expect(plan("marlborough", ["ti", "addr"])).toMatchObject({ op: "or", children: [{ field: "ti" }, { field: "addr", weight: 1 }] });
    expect(plan("addr:marlborough")).toMatchObject({ op: "text", field: "addr" });
    expect(plan("addr:marlborough", ["ti"])).toEqual({ op: "none" });
  });

  it("makes a word of several tokens a phrase, and a prefix of its last one", () => {
    expect(plan("ti:石墨烯")).toMatchObject({ op: "text", slots: [{ term: "石墨", prefix: false }, { term: "墨烯", prefix: false }] });
    expect(plan("ti:lithium-io*")).toMatchObject({ slots: [{ term: "lithium", prefix: false }, { term: "io", prefix: true }] });
    expect(plan('ti:"the battery of a car"')).toMatchObject({ slots: [{ term: "batteri" }, { term: "car" }] });
  });

  it("leaves out clauses of stop words only, and fields the caller may not see never match", () => {
    expect(plan("the")).toEqual({ op: "none" });
    expect(plan("the AND ti:battery")).toMatchObject({ op: "text", field: "ti" });
    expect(plan("NOT the")).toEqual({ op: "none" });
    expect(plan("NOT cl:secret", ["ti"])).toEqual({ op: "all" });
    expect(plan("cl:secret OR ti:battery", ["ti"])).toMatchObject({ op: "text", field: "ti" });
    expect(plan("cl:secret AND ti:battery", ["ti"])).toEqual({ op: "none" });
    expect(plan("* AND ti:battery")).toMatchObject({ op: "text" });
  });

  it("turns classes, exact values and ranges into lookups", () => {
    expect(plan("ipc:H01M10/052")).toEqual({ op: "keyword", field: "ipc", terms: ["5H01M10/052"] });
    expect(plan("cpc:H0*")).toEqual({ op: "keyword_prefix", field: "cpc", prefix: "2H0" });
    expect(plan("id:cn-1-a")).toEqual({ op: "keyword", field: "id", terms: ["CN-1-A"] });
    expect(plan("ds:Mixed-Case")).toEqual({ op: "keyword", field: "ds", terms: ["Mixed-Case"] });
    expect(plan("nice:{8 TO 11]")).toEqual({ op: "keyword", field: "nice", terms: ["9", "10", "11"] });
    // Strictly after 2010-12-31 and before 2012-01-01; as whole numbers, not necessarily real days.
    expect(plan("pd:{2010 TO 2012}")).toEqual({ op: "range", field: "pd", from: 20101232, to: 20120100 });
    expect(plan("ad:[2010-05 TO *]")).toEqual({ op: "range", field: "ad", from: 20100501, to: 99_999_999 });
  });
});
