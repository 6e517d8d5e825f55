import { RecordKind } from "@ipfed/proto";
import { describe, expect, it } from "vitest";
import { classLookup, classTerms, normalizeRecordClassSymbol } from "./class-terms.js";
import { dateNumber, POSITION_GAP, toIndexDocument } from "./index-document.js";
import { fixtureRecord } from "./search-index.fixtures.js";

describe("class terms", () => {
  it("indexes every level of a symbol's hierarchy, tagged with its level", () => {
    expect(classTerms("H01M10/052")).toEqual(["1H", "2H01", "3H01M", "4H01M10", "5H01M10/052"]);
    expect(classTerms("A61K")).toEqual(["1A", "2A61", "3A61K"]);
    expect(classTerms("not a symbol")).toEqual([]);
    expect(normalizeRecordClassSymbol("h01m  10/0525 (2010.01)")).toBe("H01M10/0525");
    expect(normalizeRecordClassSymbol("10/052")).toBeUndefined();
  });

  it("looks a query value up on one level: exactly, or expanding the level it cuts into", () => {
    expect(classLookup("H01M10/052", false)).toEqual({ exact: "5H01M10/052" });
    expect(classLookup("H01M", false)).toEqual({ exact: "3H01M" });
    expect(classLookup("H", true)).toEqual({ exact: "1H" });
    expect(classLookup("H0", true)).toEqual({ prefix: "2H0" });
    expect(classLookup("H01", true)).toEqual({ exact: "2H01" });
    expect(classLookup("H01M", true)).toEqual({ exact: "3H01M" });
    expect(classLookup("H01M1", true)).toEqual({ prefix: "4H01M1" });
    expect(classLookup("H01M10/", true)).toEqual({ prefix: "5H01M10/" });
    expect(classLookup("H01M10/05", true)).toEqual({ prefix: "5H01M10/05" });
  });
});

describe("toIndexDocument", () => {
  const doc = toIndexDocument(
    fixtureRecord({
      id: "cn-1-a",
      ds: "cnipa",
      pd: "2019-05-10",
      ad: "2018",
      ti: [["zh", "石墨烯电池"], ["en", "Graphene batteries"]],
      ab: "An anode.",
      cl: ["A battery.", "The battery of claim 1."],
      desc: "Described at length.",
      pa: ["ACME Corp", "Beta Ltd"],
      owners: ["ACME Corp"],
      inv: ["Smith, John"],
      ipc: ["H01M 10/052", "H01M 4/583", "C01B 32/184", "junk"],
      cpc: ["Y02E 60/10"],
      fam: "F1",
    }),
  );

  it("analyses text fields with a gap between values, tx being the other parts together", () => {
    expect(doc.text.ti.terms).toEqual(["石墨", "墨烯", "烯电", "电池", "graphen", "batteri"]);
    expect(doc.text.ti.positions).toEqual([0, 1, 2, 3, 4 + POSITION_GAP, 5 + POSITION_GAP]);
    expect(doc.text.cl.terms).toEqual(["batteri", "batteri", "claim", "1"]);
    expect(doc.text.cl.positions).toEqual([0, 1 + POSITION_GAP, 2 + POSITION_GAP, 3 + POSITION_GAP]);
    expect(doc.description.terms).toEqual(["describ", "length"]);
    const parts = [doc.text.ti, doc.text.ab, doc.text.cl, doc.description];
    expect(doc.text.tx.terms).toEqual(parts.flatMap((p) => p.terms));
    expect(doc.text.tx.terms.length).toBe(parts.reduce((n, p) => n + p.terms.length, 0));
    expect(doc.text.pa.terms).toEqual(["acm", "corp", "beta", "ltd"]);
    expect(doc.text.in.terms).toEqual(["smith", "john"]);
    expect(doc.text.ag.terms).toEqual([]);
  });

  it("keeps exact values, dates and facets", () => {
    expect(doc.keywords.ipc).toEqual(["1H", "2H01", "3H01M", "4H01M10", "5H01M10/052", "4H01M4", "5H01M4/583", "1C", "2C01", "3C01B", "4C01B32", "5C01B32/184"]);
    expect(doc.keywords.cpc).toEqual(["1Y", "2Y02", "3Y02E", "4Y02E60", "5Y02E60/10"]);
    expect(doc.keywords).toMatchObject({ cc: ["CN"], kind: ["patent"], id: ["CN-1-A"], ds: ["cnipa"], fam: ["F1"], nice: [] });
    expect([doc.pd, doc.ad]).toEqual([20190510, 20180101]);
    expect(doc.facets).toEqual({
      kind: "patent",
      country: "CN",
      year: "2019",
      ipcSections: ["H", "C"],
      ipcClasses: ["H01", "C01"],
      nice: [],
      applicant: "ACME Corp",
      dataset: "cnipa",
    });
  });

  it("indexes a trademark's mark as its title and its Nice classes", () => {
    const tm = toIndexDocument(fixtureRecord({ id: "CN-TM1-T", ds: "x", kind: RecordKind.RECORD_KIND_TRADEMARK, tm: { mark: "ACME", classes: [[35, "advertising"], [9, "phones"]] } }));
    expect(tm.text.ti.terms).toEqual(["acm"]);
    expect(tm.text.tx.terms).toEqual(["acm", "advertis", "phone"]);
    expect(tm.keywords.nice).toEqual(["9", "35"]);
    expect(tm.facets).toMatchObject({ kind: "trademark", nice: ["9", "35"], year: "" });
    expect(tm.pd).toBe(0);
  });

  it("reads dates as yyyymmdd, 0 when absent or invalid", () => {
    expect([dateNumber("2020-02-29"), dateNumber("20200229"), dateNumber(""), dateNumber("2021-02-29")]).toEqual([20200229, 20200229, 0, 0]);
  });
});
