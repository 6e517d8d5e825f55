import { Tier } from "@ipfed/proto";

/**
 * The four tiers a caller can hold and a field, record or dataset can need, lowest first:
 * PUBLIC < REGISTERED < RESTRICTED < CONFIDENTIAL.
 *
 * @example
 * ```ts
 * TIERS.map(tierName); // ["public", "registered", "restricted", "confidential"]
 * ```
 */
export const TIERS: readonly Tier[] = Object.freeze([
  Tier.TIER_PUBLIC,
  Tier.TIER_REGISTERED,
  Tier.TIER_RESTRICTED,
  Tier.TIER_CONFIDENTIAL,
]);

/**
 * Returns the tier a field, record or dataset needs, with the proto3 defaults resolved:
 * `TIER_UNSPECIFIED` counts as PUBLIC (an unmarked field is public), and any value this code
 * does not know (`UNRECOGNIZED`, a tier added by a later protocol version) counts as
 * CONFIDENTIAL, so that an unknown requirement fails closed.
 *
 * @example
 * ```ts
 * effectiveTier(Tier.TIER_UNSPECIFIED); // Tier.TIER_PUBLIC
 * effectiveTier(Tier.TIER_RESTRICTED); // Tier.TIER_RESTRICTED
 * ```
 */
export function effectiveTier(tier: Tier): Tier {
  if (tier === Tier.TIER_UNSPECIFIED) return Tier.TIER_PUBLIC;
  if (tier >= Tier.TIER_PUBLIC && tier <= Tier.TIER_CONFIDENTIAL && Number.isInteger(tier)) return tier;
  return Tier.TIER_CONFIDENTIAL;
}

/**
 * Returns the clearance a caller's tier grants: the tier itself when it is one of the four,
 * and `TIER_UNSPECIFIED` ("no clearance", below PUBLIC) for an unset or unknown value, so that
 * a caller whose tier could not be read sees nothing rather than everything.
 *
 * @example
 * ```ts
 * clearanceTier(Tier.TIER_REGISTERED); // Tier.TIER_REGISTERED
 * clearanceTier(Tier.UNRECOGNIZED); // Tier.TIER_UNSPECIFIED
 * ```
 */
export function clearanceTier(tier: Tier): Tier {
  return tier >= Tier.TIER_PUBLIC && tier <= Tier.TIER_CONFIDENTIAL && Number.isInteger(tier) ? tier : Tier.TIER_UNSPECIFIED;
}

/**
 * Tells whether a caller holding tier `held` may see something that needs tier `needed`.
 *
 * The two sides read the defaults differently, as tier.proto says: an unset `needed` is PUBLIC
 * (see {@link effectiveTier}), an unset `held` is no clearance at all (see {@link clearanceTier}).
 * So `tierAtLeast(TIER_UNSPECIFIED, TIER_PUBLIC)` is false, `tierAtLeast(TIER_PUBLIC,
 * TIER_UNSPECIFIED)` is true.
 *
 * @example
 * ```ts
 * tierAtLeast(Tier.TIER_REGISTERED, Tier.TIER_PUBLIC); // true
 * tierAtLeast(Tier.TIER_PUBLIC, Tier.TIER_RESTRICTED); // false
 * ```
 */
export function tierAtLeast(held: Tier, needed: Tier): boolean {
  return clearanceTier(held) >= effectiveTier(needed);
}

/**
 * Returns the higher of two needed tiers, each read as {@link effectiveTier} reads it: the tier
 * something needs when it sits inside something else that needs a tier too.
 *
 * @example
 * ```ts
 * maxTier(Tier.TIER_UNSPECIFIED, Tier.TIER_REGISTERED); // Tier.TIER_REGISTERED
 * ```
 */
export function maxTier(a: Tier, b: Tier): Tier {
  const x = effectiveTier(a);
  const y = effectiveTier(b);
  return x >= y ? x : y;
}

const NAMES: readonly string[] = ["unspecified", "public", "registered", "restricted", "confidential"];

/**
 * Returns the lower-case name of a tier as the documentation and the CLI write it (`public`,
 * `registered`, `restricted`, `confidential`, `unspecified`); `unknown(7)` for a value this
 * code does not know.
 *
 * @example
 * ```ts
 * tierName(Tier.TIER_RESTRICTED); // "restricted"
 * ```
 */
export function tierName(tier: Tier): string {
  return (Number.isInteger(tier) ? NAMES[tier] : undefined) ?? `unknown(${String(tier)})`;
}
