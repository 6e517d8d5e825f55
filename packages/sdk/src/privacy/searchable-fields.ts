import { Tier } from "@ipfed/proto";
import type { FieldName } from "../query/query-fields.js";
import { FieldTierPolicy } from "./field-tiers.js";
import { clearanceTier, maxTier } from "./tier-order.js";

/**
 * A record field that feeds a query field or facet: a field path of the Record, and whether it
 * is read only from natural persons (their personal tier then applies).
 *
 * @example
 * ```ts
 * const source: FieldSource = { path: "inventors.address", naturalPerson: true };
 * ```
 */
export interface FieldSource {
  /** Field path in proto names (`inventors.name`, `trademark.mark_text`). */
  readonly path: string;
  /** True when only natural persons' values feed it, so the personal tier applies. */
  readonly naturalPerson?: boolean;
}

/**
 * A field a query can match on: the query language's fields, among them `addr`, the addresses of
 * natural persons (a RESTRICTED text field).
 *
 * @example
 * ```ts
 * const fields: SearchableField[] = searchableQueryFields(Tier.TIER_PUBLIC); // no "cl", no "addr"
 * ```
 */
export type SearchableField = FieldName;

const PARTY_LISTS = ["applicants", "inventors", "owners", "agents"] as const;
const ADDRESS_PARTS = ["city", "state", "address", "postcode"] as const;

/**
 * The record fields each query field is built from, as the reference node's index builds them
 * (`toIndexDocument`). The no-oracle rule reads it: a query field is searchable only when
 * every record field feeding it is visible to the caller, since a match on a hidden word would
 * tell the caller what the redacted record does not show. Leaf paths are listed (`claims.text`,
 * not `claims`) so that an override of either the list or its text takes effect.
 *
 * Keep in step with the indexer: a field fed from a source missing here leaks.
 *
 * @example
 * ```ts
 * QUERY_FIELD_SOURCES.cl; // [{ path: "claims.text" }]: `cl:` is searchable only by who may see the claims
 * ```
 */
export const QUERY_FIELD_SOURCES: { readonly [F in SearchableField]: readonly FieldSource[] } = {
  ti: [{ path: "titles.text" }, { path: "trademark.mark_text" }, { path: "geographical_indication.product.text" }],
  ab: [{ path: "abstracts.text" }],
  cl: [{ path: "claims.text" }],
  tx: [
    { path: "titles.text" },
    { path: "trademark.mark_text" },
    { path: "geographical_indication.product.text" },
    { path: "abstracts.text" },
    { path: "claims.text" },
    { path: "descriptions.text" },
    { path: "law.text.text" },
    { path: "trademark.classes.goods_services" },
  ],
  pa: [{ path: "applicants.name" }, { path: "owners.name" }],
  in: [{ path: "inventors.name" }],
  ag: [{ path: "agents.name" }],
  ipc: [{ path: "ipc" }],
  cpc: [{ path: "cpc" }],
  nice: [{ path: "nice" }, { path: "trademark.classes.number" }],
  cc: [{ path: "country" }],
  kind: [{ path: "kind" }],
  pd: [{ path: "publication_date" }],
  ad: [{ path: "application_date" }],
  id: [{ path: "id" }],
  ds: [{ path: "dataset_id" }],
  fam: [{ path: "family_id" }],
  addr: PARTY_LISTS.flatMap((list) => ADDRESS_PARTS.map((part) => ({ path: `${list}.${part}`, naturalPerson: true }))),
};

/**
 * The record fields each facet counts, as the reference node's index computes facet values.
 * Facets with no source (`dataset`, `member`) count what the caller already sees in the
 * catalogue and the answer's member states, and are visible to every caller with clearance.
 *
 * @example
 * ```ts
 * FACET_SOURCES.applicant; // [{ path: "applicants.name" }]
 * ```
 */
export const FACET_SOURCES: { readonly [facet: string]: readonly FieldSource[] } = {
  kind: [{ path: "kind" }],
  country: [{ path: "country" }],
  year: [{ path: "publication_date" }],
  ipc_section: [{ path: "ipc" }],
  ipc_class: [{ path: "ipc" }],
  nice: [{ path: "nice" }, { path: "trademark.classes.number" }],
  applicant: [{ path: "applicants.name" }],
  dataset: [],
  member: [],
};

/** The tier a caller needs to use something fed by `sources` (PUBLIC when fed by nothing). */
function sourcesTier(sources: readonly FieldSource[], policy: FieldTierPolicy): Tier {
  let tier: Tier = Tier.TIER_PUBLIC;
  for (const s of sources) tier = maxTier(tier, policy.tierOfPath(s.path, s.naturalPerson === true));
  return tier;
}

const fieldCache = new WeakMap<FieldTierPolicy, SearchableField[][]>();

/**
 * Lists the query fields a caller may match on under the no-oracle rule: only those whose every
 * feeding record field (see {@link QUERY_FIELD_SOURCES}) is visible at the caller's tier under
 * the policy, dataset overrides included. So a PUBLIC caller cannot search `cl` or `tx` (claims
 * and descriptions are REGISTERED) nor `addr` (RESTRICTED), and cannot find a record by a word
 * that only occurs in them; free text must search only the listed text fields.
 *
 * @example
 * ```ts
 * searchableQueryFields(Tier.TIER_PUBLIC, FieldTierPolicy.schema());
 * // ["ti", "ab", "pa", "in", "ag", "ipc", "cpc", "nice", "cc", "kind", "pd", "ad", "id", "ds", "fam"]
 * ```
 */
export function searchableQueryFields(callerTier: Tier, policy: FieldTierPolicy = FieldTierPolicy.schema()): SearchableField[] {
  const held = clearanceTier(callerTier);
  let byTier = fieldCache.get(policy);
  if (!byTier) {
    byTier = [];
    fieldCache.set(policy, byTier);
  }
  let fields = byTier[held];
  if (!fields) {
    fields = [];
    for (const [name, sources] of Object.entries(QUERY_FIELD_SOURCES) as [SearchableField, readonly FieldSource[]][]) {
      if (held !== Tier.TIER_UNSPECIFIED && held >= sourcesTier(sources, policy)) fields.push(name);
    }
    byTier[held] = fields;
  }
  return [...fields];
}

/**
 * Keeps the requested facets a caller may see, in the order requested: a facet that counts a
 * field the caller cannot see (applicants raised to REGISTERED drop `applicant`) is left out, as
 * is a facet this module does not know (it cannot vouch for what that counts). A caller without
 * clearance gets none.
 *
 * @example
 * ```ts
 * visibleFacets(Tier.TIER_PUBLIC, policy, ["applicant", "year", "dataset"]); // ["year", "dataset"] when applicants are REGISTERED
 * ```
 */
export function visibleFacets(callerTier: Tier, policy: FieldTierPolicy, requested: readonly string[]): string[] {
  const held = clearanceTier(callerTier);
  if (held === Tier.TIER_UNSPECIFIED) return [];
  return requested.filter((name) => {
    const sources = Object.hasOwn(FACET_SOURCES, name) ? FACET_SOURCES[name] : undefined;
    return sources !== undefined && held >= sourcesTier(sources, policy);
  });
}
