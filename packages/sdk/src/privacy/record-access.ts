import { Tier } from "@ipfed/proto";
import type { Record } from "@ipfed/proto";
import { maxTier, tierAtLeast } from "./tier-order.js";

/**
 * Returns the tier a caller needs to see a record at all: the higher of the record's
 * `access_tier` and its dataset's `tier`, each unset value counting as PUBLIC.
 *
 * The dataset's tier is a floor, not a default: a record marked PUBLIC in a REGISTERED dataset
 * still needs REGISTERED, since the dataset itself is invisible below that.
 *
 * @example
 * ```ts
 * recordAccessTier({ accessTier: Tier.TIER_UNSPECIFIED }, Tier.TIER_REGISTERED); // Tier.TIER_REGISTERED
 * recordAccessTier({ accessTier: Tier.TIER_CONFIDENTIAL }, Tier.TIER_PUBLIC); // Tier.TIER_CONFIDENTIAL
 * ```
 */
export function recordAccessTier(record: Pick<Record, "accessTier">, datasetTier: Tier = Tier.TIER_UNSPECIFIED): Tier {
  return maxTier(record.accessTier, datasetTier);
}

/**
 * Tells whether a caller may see a record at all. A record that needs more than the caller
 * holds (an unpublished application is CONFIDENTIAL; a dataset may need REGISTERED) is
 * invisible altogether: not returned, not counted, not redacted and shown. A caller without
 * clearance (`TIER_UNSPECIFIED`) sees nothing.
 *
 * Check this before `redactRecord`, which trims fields of a record the caller may see.
 *
 * @example
 * ```ts
 * canSeeRecord(record, caller.tier, dataset.tier) ? redactRecord(record, caller.tier, policy) : undefined;
 * ```
 */
export function canSeeRecord(record: Pick<Record, "accessTier">, callerTier: Tier, datasetTier: Tier = Tier.TIER_UNSPECIFIED): boolean {
  return tierAtLeast(callerTier, recordAccessTier(record, datasetTier));
}
