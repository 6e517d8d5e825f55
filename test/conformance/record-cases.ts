import { GetRecordRequest, Record } from "@ipfed/proto";
import type { GetRecordResponse } from "@ipfed/proto";
import { expect, it } from "vitest";
import { failure, unary } from "./conformance-client.js";
import type { ConformanceClients } from "./conformance-client.js";
import { CONFORMANCE_MEMBER_ID, CONFORMANCE_RECORDS } from "./conformance-fixture.js";
import type { ConformanceHarness } from "./conformance-harness.js";

const getRecord = (c: ConformanceClients, id: string, datasetId = "") =>
  unary<GetRecordResponse>((cb) => c.search.getRecord(GetRecordRequest.fromPartial({ id, datasetId }), cb));

/**
 * A record as the protocol fixes it: everything but provenance, which is each member's own.
 *
 * @example
 * ```ts
 * expect(comparable(received)).toEqual(comparable(expected));
 * ```
 */
export function comparable(r: Record): unknown {
  return Record.toJSON({ ...r, provenance: undefined });
}

const fixture = (id: string) => CONFORMANCE_RECORDS.find((r) => r.id === id)!;

/** Addresses of the people on a record, as a caller receives them. */
const addresses = (r: Record) => r.inventors.map((p) => [p.name, p.city, p.state, p.address, p.postcode]);

/**
 * The SearchService GetRecord cases: a record whole for a caller cleared for all of it,
 * redacted per tier (personal data, claims), and not found alike whether missing or hidden.
 *
 * @example
 * ```ts
 * describe("cases", () => recordCases(() => harness));
 * ```
 */
export function recordCases(h: () => ConformanceHarness): void {
  it("GetRecord returns the record as loaded to a RESTRICTED caller, with this member as holder", async () => {
    for (const r of CONFORMANCE_RECORDS) {
      const res = await getRecord(h().as(h().tokens.restricted), r.id);
      expect(comparable(res.record!)).toEqual(comparable(r));
      expect(res.holders).toEqual([CONFORMANCE_MEMBER_ID]);
    }
  });

  it("GetRecord withholds natural persons' addresses and the claims from a PUBLIC caller, and says so", async () => {
    const r = (await getRecord(h().as(), "CN-114122334-A")).record!;
    expect(r.claims).toEqual([]);
    expect(addresses(r)).toEqual([
      ["李明", "", "", "", ""],
      ["王芳", "", "", "", ""],
    ]);
    // An organisation's address is no personal data.
    expect(r.applicants.map((p) => [p.name, p.city])).toEqual([["深圳市华能新材料科技有限公司", "深圳"]]);
    expect(r.titles).toEqual(fixture("CN-114122334-A").titles);
    expect(r.withheldFields).toEqual(["claims", "inventors.address", "inventors.city", "inventors.postcode", "inventors.state"]);
  });

  it("GetRecord gives a REGISTERED caller the claims but not the addresses", async () => {
    const r = (await getRecord(h().as(h().tokens.registered), "US-11234567-B2")).record!;
    expect(r.claims.map((c) => c.text)).toEqual(["A lithium battery comprising an anode, a cathode and a graphene-coated separator."]);
    expect(addresses(r)).toEqual([["Smith, John A.", "", "", "", ""]]);
    expect(r.withheldFields).toEqual(["inventors.address", "inventors.city", "inventors.postcode", "inventors.state"]);
  });

  it("GetRecord gives a RESTRICTED caller the addresses of natural persons", async () => {
    const r = (await getRecord(h().as(h().tokens.restricted), "CN-113987654-B")).record!;
    expect(addresses(r)).toEqual([["张伟", "北京", "北京", "海淀区清华园1号", "100084"]]);
    expect(r.withheldFields).toEqual([]);
  });

  it("GetRecord answers NOT_FOUND alike for a missing record, a record above the caller's tier and one in a hidden dataset", async () => {
    const anonymous = h().as();
    for (const id of ["CN-999999999-A", "CN-113111222-A", "CN-118000001-A"]) {
      const e = await failure(getRecord(anonymous, id));
      expect([e.code, e.status, e.message, e.field]).toEqual(["RECORD_NOT_FOUND", 5, `no record "${id}"`, "id"]);
    }
    expect((await getRecord(h().as(h().tokens.restricted), "CN-113111222-A")).record!.id).toBe("CN-113111222-A");
  });

  it("GetRecord looks in the dataset named, and refuses a dataset the caller may not see as not found", async () => {
    const tm = await getRecord(h().as(), "CN-TM36054321-T", "trademarks");
    expect(tm.record!.datasetId).toBe("trademarks");
    const elsewhere = await failure(getRecord(h().as(), "CN-TM36054321-T", "patents"));
    expect([elsewhere.code, elsewhere.message]).toEqual(["RECORD_NOT_FOUND", 'no record "CN-TM36054321-T" in dataset "patents"']);
    const hidden = await failure(getRecord(h().as(), "CN-118000001-A", "pending"));
    expect(hidden.code).toBe("DATASET_NOT_FOUND");
    const empty = await failure(getRecord(h().as(), ""));
    expect([empty.code, empty.field]).toEqual(["INVALID_ARGUMENT", "id"]);
  });
}
