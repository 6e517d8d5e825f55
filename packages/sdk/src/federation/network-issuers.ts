import { Tier } from "@ipfed/proto";
import type { Member, MemberKey as MemberKeyMessage, NetworkConfig } from "@ipfed/proto";
import type { JWK } from "jose";
import type { IssuerKeys } from "../tokens/key-resolvers.js";
import { isEd25519VerificationJwk } from "../tokens/key-resolvers.js";
import { isTokenIdentifier } from "../tokens/token-claims.js";

/**
 * What a member's token verifier takes from a network configuration.
 *
 * @example
 * ```ts
 * const { issuers, isRevoked }: NetworkIssuers = networkIssuers(config);
 * const verifier = createCachedVerifier({ keys: createStaticKeyResolver(issuers), audience: ["scu-tisc", config.networkId], isRevoked });
 * ```
 */
export interface NetworkIssuers {
  /** Member id → its public keys and the highest tier its tokens may grant; for `createStaticKeyResolver`. */
  readonly issuers: ReadonlyMap<string, IssuerKeys>;
  /** Revoked tokens, as {@link revocationKey} strings. */
  readonly revoked: ReadonlySet<string>;
  /** Tells whether the network revoked a token. */
  isRevoked(jti: string, issuer: string): boolean;
}

/**
 * Returns the key under which a revoked token is kept: issuer and `jti` joined by a NUL, which
 * neither may contain, so that no two pairs collide.
 *
 * @example
 * ```ts
 * revocationKey("6f1c…", "sc-regional"); // "sc-regional\u00006f1c…"
 * ```
 */
export function revocationKey(jti: string, issuer: string): string {
  return `${issuer}\u0000${jti}`;
}

/**
 * Converts a protocol `MemberKey` to a public JWK, or undefined when it is not an Ed25519
 * signing key fit for checking signatures.
 *
 * @example
 * ```ts
 * const jwk = memberKeyToJwk(member.keys[0]!); // { kty: "OKP", crv: "Ed25519", x, kid, alg: "EdDSA", use: "sig" }
 * ```
 */
export function memberKeyToJwk(key: MemberKeyMessage): JWK | undefined {
  if ((key.crv !== "" && key.crv !== "Ed25519") || (key.alg !== "" && key.alg !== "EdDSA") || !isTokenIdentifier(key.kid)) return undefined;
  const jwk: JWK = { kty: "OKP", crv: "Ed25519", x: key.x, kid: key.kid, alg: "EdDSA", use: "sig" };
  return isEd25519VerificationJwk(jwk) ? jwk : undefined;
}

/**
 * Returns a member's usable public keys as JWKs, each `kid` once. Keys past `notAfter` stay:
 * `notAfter` marks when a key stopped signing, and the tokens it signed before are still
 * valid; a member leaves a key out of its registration once those tokens have expired.
 *
 * @example
 * ```ts
 * const keys = memberJwks(hubEntry);
 * ```
 */
export function memberJwks(member: Member): JWK[] {
  const out = new Map<string, JWK>();
  for (const k of member.keys) {
    const jwk = memberKeyToJwk(k);
    if (jwk !== undefined && !out.has(k.kid)) out.set(k.kid, jwk);
  }
  return [...out.values()];
}

/**
 * Builds the issuer table and revocation set of a network configuration: every member listed,
 * with its keys and its highest tier (a member without one may grant PUBLIC only), and every
 * revoked token. Feed the table to `createStaticKeyResolver` and `isRevoked` to the verifier.
 *
 * Only verified configurations should get here: the table is the node's whole trust in the
 * network. Members without a usable key are left out, so that one bad entry cannot make the
 * resolver refuse the whole table.
 *
 * @example
 * ```ts
 * const { config } = await verifyNetworkConfig(jws, { pinnedKid });
 * const network = networkIssuers(config);
 * await verifyToken(token, { keys: createStaticKeyResolver(network.issuers), audience, isRevoked: network.isRevoked });
 * ```
 */
export function networkIssuers(config: NetworkConfig): NetworkIssuers {
  const issuers = new Map<string, IssuerKeys>();
  for (const m of config.members) {
    if (!isTokenIdentifier(m.id) || issuers.has(m.id)) continue;
    const keys = memberJwks(m);
    if (keys.length === 0) continue;
    const maxTier = m.maxTier >= Tier.TIER_PUBLIC && m.maxTier <= Tier.TIER_CONFIDENTIAL ? m.maxTier : Tier.TIER_PUBLIC;
    issuers.set(m.id, { keys, maxTier });
  }
  const revoked = new Set(config.revocations.map((r) => revocationKey(r.jti, r.issuer)));
  return { issuers, revoked, isRevoked: (jti, issuer) => revoked.has(revocationKey(jti, issuer)) };
}
