import type { Tier } from "@ipfed/proto";
import type { Caller, ScopeName } from "../auth/caller.js";
import { IpfedError } from "../errors/ipfed-error.js";
import type { MemberKey } from "../keys/member-key.js";
import { withActor } from "./actor-chain.js";
import { issueToken } from "./issue-token.js";
import { tierToName } from "./token-claims.js";

/**
 * Lifetime of a derived token when none is asked for, in seconds.
 *
 * @example
 * ```ts
 * const downstream = await deriveToken(caller, ownKey, { issuer: "sc-regional", audience: "scu-tisc", ttlSeconds: DEFAULT_DERIVED_TTL_SECONDS });
 * ```
 */
export const DEFAULT_DERIVED_TTL_SECONDS = 60;

/**
 * Options of {@link deriveToken}.
 *
 * @example
 * ```ts
 * const options: DeriveTokenOptions = { issuer: "sc-regional", audience: "scu-tisc", scopes: ["search"], ttlSeconds: 30 };
 * const downstream = await deriveToken(caller, ownKey, options);
 * ```
 */
export interface DeriveTokenOptions {
  /** The deriving member's id: the new token's issuer, whose key signs. */
  readonly issuer: string;
  /** The downstream member (or members) the new token is for. */
  readonly audience: string | readonly string[];
  /**
   * Who acts for the caller, recorded outermost in the `act` chain.
   * @defaultValue `issuer`
   */
  readonly actor?: string;
  /**
   * Clearance of the new token; at most the caller's.
   * @defaultValue the caller's tier, lowered to `maxTier` if that is lower
   */
  readonly tier?: Tier;
  /**
   * Scopes of the new token; each must be one the caller has.
   * @defaultValue the caller's scopes
   */
  readonly scopes?: Iterable<ScopeName>;
  /**
   * Datasets the new token is limited to; each must be one the caller may use.
   * @defaultValue the caller's limit (none when the caller has none)
   */
  readonly datasets?: Iterable<string>;
  /**
   * Lifetime in seconds; the token never outlives the caller's.
   * @defaultValue 60
   */
  readonly ttlSeconds?: number;
  /**
   * The highest tier the deriving member may grant (from the network configuration), so that
   * downstream members do not refuse the token with `TIER_EXCEEDS_ISSUER`.
   * @defaultValue no cap
   */
  readonly maxTier?: Tier;
  /**
   * Token id.
   * @defaultValue a random UUID
   */
  readonly jti?: string;
  /**
   * The current time, for tests.
   * @defaultValue `new Date()`
   */
  readonly now?: Date;
}

/**
 * Mints a short-lived token for a downstream member from a verified caller, instead of
 * forwarding the caller's own token. The new token can only narrow what the caller holds: tier
 * at most the caller's, scopes and datasets subsets of the caller's, expiry no later than the
 * caller's. The subject stays the caller's, and `act` gains the deriving member outermost, so
 * the downstream member (and its audit log) sees who acted for whom.
 *
 * @throws IpfedError `ANONYMOUS_NOT_ALLOWED` for an anonymous caller, `TOKEN_EXPIRED` when the
 *   caller's token has run out, `TIER_EXCEEDS_ISSUER` / `SCOPE_MISSING` / `DATASET_NOT_ALLOWED`
 *   when asked to widen tier, scopes or datasets, and `INVALID_ARGUMENT` for bad options.
 * @example
 * ```ts
 * const { caller } = await verifier.verify(incomingToken);
 * const downstream = await deriveToken(caller, ownKey, {
 *   issuer: "sc-regional",
 *   audience: "sc-chengdu-tisc",
 *   scopes: ["search"],
 * });
 * ```
 */
export async function deriveToken(parent: Caller, key: MemberKey, options: DeriveTokenOptions): Promise<string> {
  if (parent.anonymous) {
    throw new IpfedError("ANONYMOUS_NOT_ALLOWED", "an anonymous caller has no token to derive from");
  }
  const now = options.now ?? new Date();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (parent.expiresAt <= nowSeconds) {
    throw new IpfedError("TOKEN_EXPIRED", "the caller's token has expired; nothing can be derived from it");
  }
  const ttl = options.ttlSeconds ?? DEFAULT_DERIVED_TTL_SECONDS;
  if (!Number.isFinite(ttl) || ttl <= 0) {
    throw new IpfedError("INVALID_ARGUMENT", "ttlSeconds must be a positive number", { field: "ttlSeconds" });
  }

  return issueToken(key, {
    issuer: options.issuer,
    subject: parent.subject,
    audience: options.audience,
    tier: narrowTier(parent, options),
    scopes: narrowScopes(parent, options.scopes),
    ...narrowDatasets(parent, options.datasets),
    act: withActor(parent.act, options.actor ?? options.issuer, options.issuer),
    expiresAt: new Date(Math.min(parent.expiresAt, nowSeconds + Math.floor(ttl)) * 1000),
    now,
    ...(options.maxTier !== undefined ? { maxTier: options.maxTier } : {}),
    ...(options.jti !== undefined ? { jti: options.jti } : {}),
  });
}

function narrowTier(parent: Caller, options: DeriveTokenOptions): Tier {
  if (options.tier === undefined) {
    // Lowering to the deriving member's own allowance is attenuation, always allowed.
    return options.maxTier !== undefined && options.maxTier < parent.tier ? options.maxTier : parent.tier;
  }
  if (options.tier > parent.tier) {
    throw new IpfedError(
      "TIER_EXCEEDS_ISSUER",
      `cannot derive tier ${tierToName(options.tier)} from a caller with tier ${tierToName(parent.tier)}`,
      { field: "tier" },
    );
  }
  return options.tier;
}

function narrowScopes(parent: Caller, scopes: Iterable<ScopeName> | undefined): ScopeName[] {
  if (scopes === undefined) return [...parent.scopes];
  const wanted = [...scopes];
  for (const scope of wanted) {
    if (!parent.scopes.has(scope)) {
      throw new IpfedError("SCOPE_MISSING", `cannot derive scope ${scope}: the caller does not have it`, { field: "scopes" });
    }
  }
  return wanted;
}

function narrowDatasets(parent: Caller, datasets: Iterable<string> | undefined): { datasets?: string[] } {
  if (datasets === undefined) return parent.datasets === undefined ? {} : { datasets: [...parent.datasets] };
  const wanted = [...datasets];
  if (parent.datasets !== undefined) {
    const allowed = parent.datasets;
    const outside = wanted.filter((d) => !allowed.has(d));
    if (outside.length > 0) {
      throw new IpfedError(
        "DATASET_NOT_ALLOWED",
        `cannot derive access to ${outside.length} dataset(s) the caller may not use`,
        { field: "datasets", metadata: { datasets: outside.slice(0, 10).join(",") } },
      );
    }
  }
  return { datasets: wanted };
}
