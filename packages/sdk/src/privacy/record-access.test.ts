import { Tier } from "@ipfed/proto";
import { describe, expect, it } from "vitest";
import { canSeeRecord, recordAccessTier } from "./record-access.js";

const { TIER_UNSPECIFIED: U, TIER_PUBLIC: P, TIER_REGISTERED: G, TIER_RESTRICTED: R, TIER_CONFIDENTIAL: C } = Tier;
const rec = (accessTier: Tier) => ({ accessTier });

describe("record access", () => {
  it("the record needs the higher of its own tier and its dataset's", () => {
    expect(recordAccessTier(rec(U))).toBe(P);
    expect(recordAccessTier(rec(U), G)).toBe(G);
    expect(recordAccessTier(rec(P), G)).toBe(G);
    expect(recordAccessTier(rec(C), P)).toBe(C);
    expect(recordAccessTier(rec(R), U)).toBe(R);
  });

  it("an unpublished (CONFIDENTIAL) application is invisible below CONFIDENTIAL", () => {
    expect([P, G, R, C].map((t) => canSeeRecord(rec(C), t, P))).toEqual([false, false, false, true]);
  });

  it("a record of a REGISTERED dataset is invisible to PUBLIC callers, whatever the record says", () => {
    expect([P, G, R, C].map((t) => canSeeRecord(rec(U), t, G))).toEqual([false, true, true, true]);
    expect([P, G, R, C].map((t) => canSeeRecord(rec(P), t, G))).toEqual([false, true, true, true]);
  });

  it("an unmarked record of an unmarked dataset is public", () => {
    expect([P, G, R, C].map((t) => canSeeRecord(rec(U), t, U))).toEqual([true, true, true, true]);
    expect(canSeeRecord(rec(U), P)).toBe(true);
  });

  it("a caller without clearance sees nothing; an unknown record tier fails closed", () => {
    expect(canSeeRecord(rec(U), U, U)).toBe(false);
    expect(canSeeRecord(rec(U), Tier.UNRECOGNIZED, U)).toBe(false);
    expect(canSeeRecord(rec(Tier.UNRECOGNIZED), R, P)).toBe(false);
    expect(canSeeRecord(rec(9 as Tier), R, P)).toBe(false);
  });
});
