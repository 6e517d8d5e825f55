import { parseQuery } from "@ipfed/sdk";
import { describe, expect, it } from "vitest";
import { translateFts5 } from "./fts5-index.js";
import { translateFlex } from "./flexsearch-index.js";

const FREE = "{ti ab cl tx pa inventor ag}";

describe("translateFts5", () => {
  it("searches ipfed's free-text columns, one column per field, and a prefix for a class", () => {
    expect(translateFts5(parseQuery("graphene"), "porter")).toEqual({ ok: true, query: { match: `${FREE} : "graphene"` } });
    expect(translateFts5(parseQuery('ti:"solid electrolyte"'), "unicode61")).toEqual({ ok: true, query: { match: 'ti : "solid electrolyte"' } });
    expect(translateFts5(parseQuery("in:Smith"), "unicode61")).toEqual({ ok: true, query: { match: 'inventor : "Smith"' } });
    expect(translateFts5(parseQuery("ipc:H01M"), "unicode61")).toEqual({ ok: true, query: { match: 'ipc : "H01M"*' } });
  });

  it("turns a date range beside an AND into a window on pd, and NOT into FTS5's binary NOT", () => {
    expect(translateFts5(parseQuery("ti:电池 AND pd:[2015 TO 2018]"), "unicode61")).toEqual({
      ok: true,
      query: { match: '(ti : "电池")', pdFrom: 20150101, pdTo: 20181231 },
    });
    expect(translateFts5(parseQuery("wafer NOT nitride"), "unicode61")).toEqual({
      ok: true,
      query: { match: `((${FREE} : "wafer")) NOT ((${FREE} : "nitride"))` },
    });
  });

  it("says why a query cannot be run: trigram needs three characters, no ranges inside OR, no fields without a column", () => {
    expect(translateFts5(parseQuery("电池"), "trigram")).toEqual({ ok: false, reason: "trigram matches 3 characters or more" });
    expect(translateFts5(parseQuery("石墨烯"), "trigram")).toEqual({ ok: true, query: { match: `${FREE} : "石墨烯"` } });
    expect(translateFts5(parseQuery("a OR pd:2010"), "unicode61")).toMatchObject({ ok: false });
    expect(translateFts5(parseQuery("cc:CN"), "unicode61")).toEqual({ ok: false, reason: "field cc has no FTS5 column" });
  });
});

describe("translateFlex", () => {
  it("asks flexsearch English words and ANDs of words only", () => {
    expect(translateFlex(parseQuery("graphene AND battery"))).toEqual({ ok: true, field: "free", words: "graphene battery" });
    expect(translateFlex(parseQuery("ab:wafer"))).toEqual({ ok: true, field: "ab", words: "wafer" });
    expect(translateFlex(parseQuery('"solid electrolyte"'))).toMatchObject({ ok: false });
    expect(translateFlex(parseQuery("石墨烯"))).toEqual({ ok: false, reason: "not an English word" });
  });
});
