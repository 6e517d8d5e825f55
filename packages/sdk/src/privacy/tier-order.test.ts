import { Tier } from "@ipfed/proto";
import { describe, expect, it } from "vitest";
import { TIERS, clearanceTier, effectiveTier, maxTier, tierAtLeast, tierName } from "./tier-order.js";

const { TIER_UNSPECIFIED: U, TIER_PUBLIC: P, TIER_REGISTERED: G, TIER_RESTRICTED: R, TIER_CONFIDENTIAL: C } = Tier;

describe("tier order", () => {
  it("lists the four tiers lowest first", () => {
    expect(TIERS).toEqual([P, G, R, C]);
  });

  it("reads an unset needed tier as PUBLIC and an unknown one as CONFIDENTIAL", () => {
    expect(effectiveTier(U)).toBe(P);
    for (const t of TIERS) expect(effectiveTier(t)).toBe(t);
    expect(effectiveTier(Tier.UNRECOGNIZED)).toBe(C);
    expect(effectiveTier(9 as Tier)).toBe(C);
    expect(effectiveTier(1.5 as Tier)).toBe(C);
  });

  it("reads an unset or unknown clearance as none", () => {
    expect(clearanceTier(U)).toBe(U);
    expect(clearanceTier(Tier.UNRECOGNIZED)).toBe(U);
    expect(clearanceTier(9 as Tier)).toBe(U);
    for (const t of TIERS) expect(clearanceTier(t)).toBe(t);
  });

  it("compares a clearance with a needed tier, at every pair", () => {
    const held = [U, P, G, R, C];
    const needed = [U, P, G, R, C];
    const table = held.map((h) => needed.map((n) => (tierAtLeast(h, n) ? 1 : 0)));
    expect(table).toEqual([
      // needed: U  P  G  R  C
      [0, 0, 0, 0, 0], // held U: no clearance sees nothing, not even PUBLIC
      [1, 1, 0, 0, 0], // held P
      [1, 1, 1, 0, 0], // held G
      [1, 1, 1, 1, 0], // held R
      [1, 1, 1, 1, 1], // held C
    ]);
  });

  it("fails closed on unknown values", () => {
    expect(tierAtLeast(Tier.UNRECOGNIZED, P)).toBe(false);
    expect(tierAtLeast(9 as Tier, P)).toBe(false);
    expect(tierAtLeast(R, Tier.UNRECOGNIZED)).toBe(false);
    expect(tierAtLeast(C, Tier.UNRECOGNIZED)).toBe(true);
  });

  it("takes the higher of two needed tiers", () => {
    expect(maxTier(U, U)).toBe(P);
    expect(maxTier(U, G)).toBe(G);
    expect(maxTier(C, R)).toBe(C);
    expect(maxTier(P, Tier.UNRECOGNIZED)).toBe(C);
  });

  it("names tiers in lower case", () => {
    expect([U, P, G, R, C].map(tierName)).toEqual(["unspecified", "public", "registered", "restricted", "confidential"]);
    expect(tierName(Tier.UNRECOGNIZED)).toBe("unknown(-1)");
    expect(tierName(7 as Tier)).toBe("unknown(7)");
  });
});
