import { describe, expect, it } from "vitest";
import { describeKnownFields, FIELD_NAMES, resolveField } from "./query-fields.js";
import { normalizeClassSymbol, normalizeCountry, normalizeNiceClass, normalizeRecordKind, parseDatePeriod } from "./query-values.js";

describe("parseDatePeriod", () => {
  it.each([
    ["2010", { first: "2010-01-01", last: "2010-12-31", precision: "year" }],
    ["2010-5", { first: "2010-05-01", last: "2010-05-31", precision: "month" }],
    ["2010-04", { first: "2010-04-01", last: "2010-04-30", precision: "month" }],
    ["2000-02", { first: "2000-02-01", last: "2000-02-29", precision: "month" }],
    ["2100-02", { first: "2100-02-01", last: "2100-02-28", precision: "month" }],
    ["2010-05-04", { first: "2010-05-04", last: "2010-05-04", precision: "day" }],
    ["20100504", { first: "2010-05-04", last: "2010-05-04", precision: "day" }],
  ])("%s", (value, period) => {
    expect(parseDatePeriod(value)).toEqual(period);
  });

  it.each(["0000", "201", "2010-00", "2010-13", "2010-04-31", "2011-02-29", "2010/05", "20101301", "2010-05-04T00", ""])(
    "rejects %s",
    (value) => {
      expect(parseDatePeriod(value)).toBeUndefined();
    },
  );
});

describe("value normalisers", () => {
  it("normalises class symbols and checks their shape", () => {
    expect(normalizeClassSymbol("h01m 10/052", false)).toBe("H01M10/052");
    expect(normalizeClassSymbol("A61K31/4439", false)).toBe("A61K31/4439");
    expect(normalizeClassSymbol("H01", false)).toBe("H01");
    expect(normalizeClassSymbol("H0", false)).toBeUndefined();
    expect(normalizeClassSymbol("H0", true)).toBe("H0");
    expect(normalizeClassSymbol("H01M10/", false)).toBeUndefined();
    expect(normalizeClassSymbol("H01M10/", true)).toBe("H01M10/");
    expect(normalizeClassSymbol("Z01M", false)).toBeUndefined();
    expect(normalizeClassSymbol("H01M10/0525/1", false)).toBeUndefined();
  });

  it("checks Nice classes, countries and kinds", () => {
    expect(["1", "09", "045", "46", "0", "x", "1.5"].map(normalizeNiceClass)).toEqual(["1", "9", "45", undefined, undefined, undefined, undefined]);
    expect(["cn", "Ep", "USA", "c1"].map(normalizeCountry)).toEqual(["CN", "EP", undefined, undefined]);
    expect(["IC-Layout", "legal_event", "petent"].map(normalizeRecordKind)).toEqual(["ic_layout", "legal_event", undefined]);
  });
});

describe("field table", () => {
  it("resolves names and aliases in any case", () => {
    expect(resolveField("PubDate")).toBe("pd");
    expect(resolveField("IPC")).toBe("ipc");
    expect(resolveField("constructor")).toBeUndefined();
    expect(resolveField("foo")).toBeUndefined();
  });

  it("lists every field for error messages", () => {
    expect(FIELD_NAMES).toHaveLength(18);
    expect(describeKnownFields()).toBe(
      "ti (title), ab (abstract), cl (claims), tx (text), pa (applicant, owner), in (inventor), ag (agent), addr (address), " +
        "ipc, cpc, nice, cc (country), kind, pd (pubdate), ad (appdate), id, ds (dataset), fam (family)",
    );
  });
});
