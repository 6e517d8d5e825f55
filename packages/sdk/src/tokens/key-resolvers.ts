import { importJWK } from "jose";
import type { CryptoKey, JSONWebKeySet, JWK } from "jose";
import { Tier } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import { isTokenIdentifier } from "./token-claims.js";

/**
 * A key a token may be checked against: an Ed25519 public key as a JWK (`kty: OKP`,
 * `crv: Ed25519`, `x`) or as an imported `CryptoKey`. Anything else is refused by the verifier.
 *
 * @example
 * ```ts
 * const keyForKid: TokenVerificationKey = key.publicJwk; // or an imported CryptoKey
 * ```
 */
export type TokenVerificationKey = JWK | CryptoKey;

/**
 * Where the verifier learns whom to trust: which issuers exist, their keys by `kid`, and the
 * highest tier each may grant. The network configuration is the usual source.
 *
 * Issuer and key lookups are apart so that "we have never heard of this issuer"
 * (`TOKEN_ISSUER_UNKNOWN`) and "this issuer has no such key" (`TOKEN_KEY_UNKNOWN`) stay distinct
 * answers, and so that a key is only ever looked up within its own issuer: a `kid` of another
 * member never matches.
 *
 * @example
 * ```ts
 * const resolver: IssuerKeyResolver = {
 *   issuerKnown: (issuer) => issuer === "scu-tisc",
 *   key: (issuer, kid) => (issuer === "scu-tisc" && kid === key.kid ? key.publicJwk : undefined),
 * };
 * ```
 */
export interface IssuerKeyResolver {
  /** Tells whether tokens from this issuer are accepted at all. */
  issuerKnown(issuer: string): boolean | Promise<boolean>;
  /** Returns the issuer's verification key with this `kid`, or undefined when it has none. */
  key(issuer: string, kid: string): TokenVerificationKey | undefined | Promise<TokenVerificationKey | undefined>;
  /**
   * Returns the highest tier the issuer may grant; undefined means no cap. The verifier's own
   * `maxTier` option, when given, is used instead.
   */
  maxTier?(issuer: string): Tier | undefined;
}

/**
 * One issuer's entry in a static key table.
 *
 * @example
 * ```ts
 * const entry: IssuerKeys = { keys: [key.publicJwk], maxTier: Tier.TIER_REGISTERED };
 * const resolver = createStaticKeyResolver({ "scu-tisc": entry });
 * ```
 */
export interface IssuerKeys {
  /** The issuer's public keys; only Ed25519 signing keys are used. */
  readonly keys: readonly JWK[];
  /** The highest tier the issuer may grant. */
  readonly maxTier: Tier;
}

/**
 * An {@link IssuerKeyResolver} that always knows each issuer's tier allowance.
 *
 * @example
 * ```ts
 * const resolver: StaticKeyResolver = createStaticKeyResolver({ "scu-tisc": { keys: [key.publicJwk], maxTier: Tier.TIER_REGISTERED } });
 * resolver.maxTier("scu-tisc"); // Tier.TIER_REGISTERED
 * ```
 */
export interface StaticKeyResolver extends IssuerKeyResolver {
  /** Returns the highest tier the issuer may grant, or undefined for an unknown issuer. */
  maxTier(issuer: string): Tier | undefined;
}

/**
 * Builds a resolver from a fixed table of issuers, each with its public keys and tier allowance
 * (what the network configuration lists). Keys are imported on first use and the imported keys
 * kept, so repeated verifications do not parse JWKs again. To change the table, build a new
 * resolver (and bump a verify cache's `version`).
 *
 * Lookups go through a `Map`, never through the object passed in, so that an `iss` of
 * `__proto__` or `constructor` cannot find `Object.prototype`.
 *
 * @throws IpfedError `INVALID_ARGUMENT` for a bad issuer id or tier, an Ed25519 key without
 *   `kid`, with private material (`d`), with a malformed `x`, or a `kid` used twice by one issuer.
 * @example
 * ```ts
 * const resolver = createStaticKeyResolver({
 *   "sc-chengdu-tisc": { keys: [key.publicJwk], maxTier: Tier.TIER_RESTRICTED },
 * });
 * await verifyToken(token, { keys: resolver, audience: ["sc-chengdu-tisc", "cn-ip-net"] });
 * ```
 */
export function createStaticKeyResolver(
  issuers: Readonly<Record<string, IssuerKeys>> | ReadonlyMap<string, IssuerKeys>,
): StaticKeyResolver {
  const table = new Map<string, IssuerEntry>();
  for (const [issuer, entry] of entriesOf(issuers)) {
    if (entry.maxTier < Tier.TIER_PUBLIC || entry.maxTier > Tier.TIER_CONFIDENTIAL || !Number.isInteger(entry.maxTier)) {
      throw new IpfedError("INVALID_ARGUMENT", `issuer ${issuer}: maxTier must be a tier from public to confidential`, {
        field: "maxTier",
      });
    }
    table.set(issuer, { maxTier: entry.maxTier, keys: keySlots(issuer, entry.keys) });
  }
  return {
    issuerKnown: (issuer) => table.has(issuer),
    key: (issuer, kid) => {
      const slot = table.get(issuer)?.keys.get(kid);
      return slot === undefined ? undefined : resolveSlot(slot);
    },
    maxTier: (issuer) => table.get(issuer)?.maxTier,
  };
}

/**
 * Builds a resolver from the JWKS documents (RFC 7517 `{ keys: [...] }`) of each issuer, as
 * published by members. It has no tier allowances: pass the verifier a `maxTier` option
 * from the network configuration alongside it.
 *
 * @throws IpfedError `INVALID_ARGUMENT` as {@link createStaticKeyResolver}.
 * @example
 * ```ts
 * const resolver = createJwksKeyResolver({ "sc-chengdu-tisc": toJwks([key]) });
 * ```
 */
export function createJwksKeyResolver(
  jwks: Readonly<Record<string, JSONWebKeySet>> | ReadonlyMap<string, JSONWebKeySet>,
): IssuerKeyResolver {
  const table = new Map<string, Map<string, KeySlot>>();
  for (const [issuer, set] of entriesOf(jwks)) {
    if (set === null || typeof set !== "object" || !Array.isArray(set.keys)) {
      throw new IpfedError("INVALID_ARGUMENT", `issuer ${issuer}: a JWKS document needs a keys array`, { field: "keys" });
    }
    table.set(issuer, keySlots(issuer, set.keys));
  }
  return {
    issuerKnown: (issuer) => table.has(issuer),
    key: (issuer, kid) => {
      const slot = table.get(issuer)?.get(kid);
      return slot === undefined ? undefined : resolveSlot(slot);
    },
  };
}

/**
 * Tells whether a JWK is an Ed25519 public key fit for checking token signatures: `kty: OKP`,
 * `crv: Ed25519`, a 32-byte `x`, no private part, and no `use`, `alg` or `key_ops` that says
 * otherwise.
 *
 * @example
 * ```ts
 * isEd25519VerificationJwk(key.publicJwk); // true
 * isEd25519VerificationJwk(key.privateJwk); // false: carries `d`
 * ```
 */
export function isEd25519VerificationJwk(jwk: JWK): boolean {
  return isEd25519SigningJwk(jwk) && jwk.d === undefined && isRawKey(jwk.x);
}

/**
 * Turns a verification key into an imported `CryptoKey`, or undefined when it is not an
 * Ed25519 public key. JWK imports are remembered per JWK object.
 *
 * @internal Used by the verifier for keys that custom resolvers return as JWKs.
 *
 * @example
 * ```ts
 * const cryptoKey = await importVerificationKey(key.publicJwk); // a CryptoKey of type "public"
 * await importVerificationKey(key.privateJwk); // undefined: not a public key
 * ```
 */
export async function importVerificationKey(key: TokenVerificationKey): Promise<CryptoKey | undefined> {
  if (isCryptoKey(key)) {
    return key.type === "public" && key.algorithm.name === "Ed25519" ? key : undefined;
  }
  if (!isEd25519VerificationJwk(key)) return undefined;
  let pending = imported.get(key);
  if (pending === undefined) {
    pending = importEd25519(key);
    imported.set(key, pending);
  }
  return pending;
}

interface IssuerEntry {
  readonly maxTier: Tier;
  readonly keys: Map<string, KeySlot>;
}

interface KeySlot {
  readonly jwk: JWK;
  /** The imported key once ready, so that later lookups answer without awaiting. */
  key?: CryptoKey;
  pending?: Promise<CryptoKey>;
}

const imported = new WeakMap<JWK, Promise<CryptoKey>>();

function resolveSlot(slot: KeySlot): CryptoKey | Promise<CryptoKey> {
  if (slot.key !== undefined) return slot.key;
  slot.pending ??= importEd25519(slot.jwk).then(
    (key) => (slot.key = key),
    (err: unknown) => {
      // Let a later lookup try again instead of remembering a failure forever.
      delete slot.pending;
      throw err;
    },
  );
  return slot.pending;
}

async function importEd25519(jwk: JWK): Promise<CryptoKey> {
  // Import only the public members: a `key_ops` or `ext` left on the JWK must not change
  // what the imported key may do.
  const key = await importJWK({ kty: "OKP", crv: "Ed25519", x: jwk.x }, "EdDSA");
  return key as CryptoKey;
}

function keySlots(issuer: string, jwks: readonly JWK[]): Map<string, KeySlot> {
  const slots = new Map<string, KeySlot>();
  for (const jwk of jwks) {
    // A JWKS may also list encryption or other keys; they are simply not ours to use.
    if (jwk === null || typeof jwk !== "object" || !isEd25519SigningJwk(jwk)) continue;
    if (jwk.d !== undefined) {
      throw new IpfedError("INVALID_ARGUMENT", `issuer ${issuer}: a verification key set must not hold private keys`, {
        field: "keys",
      });
    }
    if (!isTokenIdentifier(jwk.kid)) {
      throw new IpfedError("INVALID_ARGUMENT", `issuer ${issuer}: every Ed25519 key needs a kid`, { field: "keys" });
    }
    if (!isRawKey(jwk.x)) {
      throw new IpfedError("INVALID_ARGUMENT", `issuer ${issuer}: key ${jwk.kid} has no valid 32-byte x`, { field: "keys" });
    }
    if (slots.has(jwk.kid)) {
      throw new IpfedError("INVALID_ARGUMENT", `issuer ${issuer}: kid ${jwk.kid} is used twice`, { field: "keys" });
    }
    slots.set(jwk.kid, { jwk });
  }
  return slots;
}

function isEd25519SigningJwk(jwk: JWK): boolean {
  return (
    jwk.kty === "OKP" &&
    jwk.crv === "Ed25519" &&
    (jwk.use === undefined || jwk.use === "sig") &&
    (jwk.alg === undefined || jwk.alg === "EdDSA" || jwk.alg === "Ed25519") &&
    (jwk.key_ops === undefined || (Array.isArray(jwk.key_ops) && jwk.key_ops.includes("verify")))
  );
}

function isRawKey(x: unknown): boolean {
  // 32 bytes in unpadded base64url are 43 characters.
  return typeof x === "string" && /^[A-Za-z0-9_-]{43}$/.test(x);
}

function isCryptoKey(key: TokenVerificationKey): key is CryptoKey {
  return typeof (key as Partial<CryptoKey>).algorithm === "object" && typeof (key as Partial<CryptoKey>).type === "string";
}

function entriesOf<T>(input: Readonly<Record<string, T>> | ReadonlyMap<string, T>): [string, T][] {
  const entries = input instanceof Map ? [...(input as ReadonlyMap<string, T>).entries()] : Object.entries(input);
  for (const [issuer] of entries) {
    if (!isTokenIdentifier(issuer)) {
      throw new IpfedError("INVALID_ARGUMENT", "issuer ids must be 1 to 256 characters without control characters", {
        field: "issuer",
      });
    }
  }
  return entries;
}
