import { describe, expect, it } from "vitest";
import type { CatalogueSummary } from "@ipfed/proto";
import { CatalogueBook } from "./catalogue-book.js";

const summary = (records: number): CatalogueSummary => ({ datasetCount: 1, recordCount: records, kinds: [], countries: ["CN"], regions: [], version: records, datasetIds: ["cn"] });

describe("CatalogueBook", () => {
  it("keeps the report made last, whichever way it came", () => {
    const book = new CatalogueBook();
    expect(book.note("a", summary(1), { at: 1000, version: 3 })).toBe(true);
    expect(book.note("a", summary(2), { at: 2000 })).toBe(true); // a heartbeat made later
    expect(book.note("a", summary(9), { at: 1500, version: 99 })).toBe(false); // an older notice, late
    expect(book.get("a")?.recordCount).toBe(2);
    expect(book.get("b")).toBeUndefined();
  });

  it("orders reports of the same second by catalogue version, so a notice overtaken in transit loses", () => {
    const book = new CatalogueBook();
    book.note("a", summary(5), { at: 1000, version: 5 });
    expect(book.note("a", summary(4), { at: 1000, version: 4 })).toBe(false);
    expect(book.note("a", summary(5), { at: 1000, version: 5 })).toBe(true); // the same notice again
    expect(book.note("a", summary(6), { at: 1000, version: 6 })).toBe(true);
    expect(book.sighting("a")).toMatchObject({ at: 1000, version: 6 });
  });

  it("ignores a report without a valid time, and forgets members that left", () => {
    const book = new CatalogueBook();
    expect(book.note("a", summary(1), { at: Number.NaN })).toBe(false);
    book.note("a", summary(1), { at: 1 });
    book.note("b", summary(1), { at: 1 });
    book.retain(new Set(["b"]));
    expect(book.get("a")).toBeUndefined();
    expect(book.get("b")).toBeDefined();
  });
});
