import { KeyObject, verify } from "node:crypto";
import type { webcrypto } from "node:crypto";
import type { CryptoKey } from "jose";
import type { Tier } from "@ipfed/proto";
import type { Caller } from "../auth/caller.js";
import { IpfedError } from "../errors/ipfed-error.js";
import { importVerificationKey } from "./key-resolvers.js";
import type { IssuerKeyResolver } from "./key-resolvers.js";
import { readCompactJws, safeMetadata, shown } from "./read-compact-jws.js";
import type { TokenHeader } from "./read-compact-jws.js";
import {
  isTokenIdentifier,
  parseScope,
  parseTokenClaims,
  readAudienceClaim,
  readIdentifierClaim,
  readNumericDateClaim,
  tierFromName,
  tierToName,
} from "./token-claims.js";
import type { TokenClaims } from "./token-claims.js";

// Re-exported so that the header types sit beside the verifier that produces them.
export { FORBIDDEN_HEADER_PARAMETERS } from "./read-compact-jws.js";
export type { TokenHeader } from "./read-compact-jws.js";

/**
 * Clock skew allowed by default, in seconds.
 *
 * @example
 * ```ts
 * effectiveClockSkew(undefined) === DEFAULT_CLOCK_SKEW_SECONDS; // true: 60 s
 * ```
 */
export const DEFAULT_CLOCK_SKEW_SECONDS = 60;

/**
 * The most clock skew a verifier allows, in seconds, whatever it is configured with.
 *
 * @example
 * ```ts
 * effectiveClockSkew(3600); // 300: capped at MAX_CLOCK_SKEW_SECONDS
 * ```
 */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/**
 * Largest token accepted by default, in bytes.
 *
 * @example
 * ```ts
 * await verifyToken(token, { keys, audience: ["ipfed"], maxTokenBytes: DEFAULT_MAX_TOKEN_BYTES * 2 });
 * ```
 */
export const DEFAULT_MAX_TOKEN_BYTES = 8192;

/**
 * Options of {@link verifyToken}.
 *
 * @example
 * ```ts
 * const options: VerifyTokenOptions = {
 *   keys: createStaticKeyResolver({ "scu-tisc": { keys: [key.publicJwk], maxTier: Tier.TIER_REGISTERED } }),
 *   audience: ["scu-tisc", "ipfed"],
 * };
 * const { caller } = await verifyToken(token, options);
 * ```
 */
export interface VerifyTokenOptions {
  /** Which issuers exist, their keys, and (optionally) their tier allowances. */
  readonly keys: IssuerKeyResolver;
  /**
   * The audiences this verifier answers to: the member's own id and the network id. A token's
   * `aud` must name at least one of them.
   */
  readonly audience: readonly string[];
  /**
   * Returns the highest tier an issuer may grant; undefined means no cap.
   * @defaultValue `keys.maxTier`, or no cap when the resolver has none
   */
  readonly maxTier?: (issuer: string) => Tier | undefined;
  /**
   * Tells whether a token id of an issuer has been revoked.
   * @defaultValue nothing is revoked
   */
  readonly isRevoked?: (jti: string, issuer: string) => boolean | Promise<boolean>;
  /**
   * Clock skew tolerated on `exp` and `nbf`, in seconds; values above
   * {@link MAX_CLOCK_SKEW_SECONDS} are capped.
   * @defaultValue 60
   */
  readonly clockSkewSeconds?: number;
  /**
   * Largest token accepted, in bytes; checked before anything is decoded.
   * @defaultValue 8192
   */
  readonly maxTokenBytes?: number;
  /**
   * Returns the current time, for tests.
   * @defaultValue `() => new Date()`
   */
  readonly now?: () => Date;
}

/**
 * What {@link verifyToken} returns: the caller the token establishes, and what it said. Frozen.
 *
 * @example
 * ```ts
 * const { caller, claims, header }: VerifiedToken = await verifyToken(token, options);
 * console.log(claims.sub, claims.scope, header.kid, tierName(caller.tier)); // "alice" "search read" "GdFl…" "registered"
 * ```
 */
export interface VerifiedToken {
  /** The verified identity, for handlers, redaction and audit. */
  readonly caller: Caller;
  /** The checked claim set. */
  readonly claims: TokenClaims;
  /** The checked protected header. */
  readonly header: TokenHeader;
}

/**
 * Verifies a network token and returns the caller it establishes.
 *
 * Checks run in a fixed order and the first failure is thrown as an {@link IpfedError} with its
 * own code: size (`TOKEN_TOO_LARGE`), shape (`TOKEN_MALFORMED`), `alg` exactly `EdDSA`
 * (`TOKEN_ALG_NOT_ALLOWED`), no `jwk`/`jku`/`x5u`/`x5c` in the header
 * (`TOKEN_HEADER_KEY_NOT_ALLOWED`), `kid` present (`TOKEN_MALFORMED`), `iss` present
 * (`TOKEN_CLAIM_INVALID`), issuer known (`TOKEN_ISSUER_UNKNOWN`), key for (`iss`, `kid`)
 * (`TOKEN_KEY_UNKNOWN`), signature (`TOKEN_SIGNATURE_INVALID`), `exp` (`TOKEN_EXPIRED`), `nbf`
 * (`TOKEN_NOT_YET_VALID`), `aud` (`TOKEN_AUDIENCE_MISMATCH`), the other claims
 * (`TOKEN_CLAIM_INVALID`, `field` = the claim), revocation (`TOKEN_REVOKED`), and the tier
 * against the issuer's allowance (`TIER_EXCEEDS_ISSUER`).
 *
 * Nothing is trusted before the signature is checked except what is needed to find the key,
 * and messages never repeat the token or its claims: only the issuer, `kid` and `jti`, and
 * only when they look like plain identifiers.
 *
 * @example
 * ```ts
 * const { caller } = await verifyToken(token, {
 *   keys: createStaticKeyResolver(network.issuers),
 *   audience: ["sc-chengdu-tisc", "cn-ip-net"],
 *   isRevoked: (jti, issuer) => revocations.has(`${issuer}/${jti}`),
 * });
 * if (!caller.scopes.has("export")) throw new IpfedError("SCOPE_MISSING", "export needs the export scope");
 * ```
 */
export async function verifyToken(token: string, options: VerifyTokenOptions): Promise<VerifiedToken> {
  const { audience, skew, maxBytes } = settingsOf(options);

  const { header, payload } = readCompactJws(token, maxBytes);
  const { kid } = header;
  const iss = readIdentifierClaim(payload, "iss");
  const about = { ...safeMetadata("issuer", iss), ...safeMetadata("kid", kid) };

  if (!(await options.keys.issuerKnown(iss))) {
    throw new IpfedError("TOKEN_ISSUER_UNKNOWN", `issuer ${shown(iss)} is not a member of the network`, { metadata: about });
  }
  // The lookup is per issuer, so a kid belonging to another member finds nothing here.
  const resolved = await options.keys.key(iss, kid);
  if (resolved === undefined) {
    throw new IpfedError("TOKEN_KEY_UNKNOWN", `issuer ${shown(iss)} has no key ${shown(kid)}`, { metadata: about });
  }
  const publicKey = await importVerificationKey(resolved);
  if (publicKey === undefined) {
    throw new IpfedError("TOKEN_KEY_UNKNOWN", `the key ${shown(kid)} configured for issuer ${shown(iss)} is not an Ed25519 public key`, {
      metadata: about,
    });
  }
  await checkSignature(token, publicKey, iss, kid, about);

  // The signature holds: from here on the claims are the issuer's word.
  const now = Math.floor((options.now === undefined ? Date.now() : options.now().getTime()) / 1000);
  const exp = readNumericDateClaim(payload, "exp", true);
  if (now >= exp + skew) {
    throw new IpfedError("TOKEN_EXPIRED", `token expired at ${isoTime(exp)} (clock skew allowed: ${skew} s)`, { metadata: about });
  }
  const nbf = readNumericDateClaim(payload, "nbf", false);
  if (nbf !== undefined && now + skew < nbf) {
    throw new IpfedError("TOKEN_NOT_YET_VALID", `token is not valid before ${isoTime(nbf)} (clock skew allowed: ${skew} s)`, {
      metadata: about,
    });
  }
  const aud = readAudienceClaim(payload);
  if (!(typeof aud === "string" ? audience.has(aud) : aud.some((a) => audience.has(a)))) {
    throw new IpfedError("TOKEN_AUDIENCE_MISMATCH", "token audience names neither this member nor its network", { metadata: about });
  }

  const claims = parseTokenClaims(payload);
  const jtiShown = { ...about, ...safeMetadata("jti", claims.jti) };
  if (options.isRevoked !== undefined && (await options.isRevoked(claims.jti, iss))) {
    throw new IpfedError("TOKEN_REVOKED", `token ${shown(claims.jti)} of issuer ${shown(iss)} has been revoked`, { metadata: jtiShown });
  }
  const tier = tierFromName(claims.tier) as Tier;
  const cap = options.maxTier !== undefined ? options.maxTier(iss) : options.keys.maxTier?.(iss);
  if (cap !== undefined && tier > cap) {
    throw new IpfedError(
      "TIER_EXCEEDS_ISSUER",
      `token tier ${claims.tier} exceeds ${capName(cap)}, the most issuer ${shown(iss)} may grant`,
      { field: "tier", metadata: jtiShown },
    );
  }

  deepFreeze(claims);
  const caller: Caller = {
    anonymous: false,
    subject: claims.sub,
    issuer: claims.iss,
    tier,
    scopes: parseScope(claims.scope),
    ...(claims.datasets !== undefined ? { datasets: new Set(claims.datasets) } : {}),
    ...(claims.act !== undefined ? { act: claims.act } : {}),
    tokenId: claims.jti,
    expiresAt: claims.exp,
  };
  return Object.freeze({ caller: Object.freeze(caller), claims, header: Object.freeze(header) });
}

/**
 * Returns the effective clock skew for a configured value: the default when unset, never more
 * than {@link MAX_CLOCK_SKEW_SECONDS}.
 *
 * @throws IpfedError `INVALID_ARGUMENT` for a negative or non-finite value.
 * @example
 * ```ts
 * effectiveClockSkew(undefined); // 60
 * effectiveClockSkew(900); // 300
 * ```
 */
export function effectiveClockSkew(clockSkewSeconds: number | undefined): number {
  if (clockSkewSeconds === undefined) return DEFAULT_CLOCK_SKEW_SECONDS;
  if (!Number.isFinite(clockSkewSeconds) || clockSkewSeconds < 0) {
    throw new IpfedError("INVALID_ARGUMENT", "clockSkewSeconds must be a non-negative number", { field: "clockSkewSeconds" });
  }
  return Math.min(clockSkewSeconds, MAX_CLOCK_SKEW_SECONDS);
}

interface Settings {
  readonly audience: ReadonlySet<string>;
  readonly skew: number;
  readonly maxBytes: number;
}

function settingsOf(options: VerifyTokenOptions): Settings {
  // Derived on every call (a few hundred nanoseconds) rather than cached per options object,
  // so that options changed between calls are never silently ignored.
  if (!Array.isArray(options.audience) || options.audience.length === 0 || !options.audience.every(isTokenIdentifier)) {
    throw new IpfedError("INVALID_ARGUMENT", "audience must list this member's id and/or the network id", { field: "audience" });
  }
  const maxBytes = options.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes <= 0) {
    throw new IpfedError("INVALID_ARGUMENT", "maxTokenBytes must be a positive integer", { field: "maxTokenBytes" });
  }
  return { audience: new Set(options.audience), skew: effectiveClockSkew(options.clockSkewSeconds), maxBytes };
}

/** The node:crypto key of each imported key: verifying with it is about twice as fast as WebCrypto's. */
const keyObjects = new WeakMap<CryptoKey, KeyObject>();

function keyObjectOf(key: CryptoKey): KeyObject {
  let k = keyObjects.get(key);
  if (k === undefined) {
    k = KeyObject.from(key as unknown as webcrypto.CryptoKey);
    keyObjects.set(key, k);
  }
  return k;
}

async function checkSignature(
  token: string,
  publicKey: CryptoKey,
  iss: string,
  kid: string,
  about: Record<string, string>,
): Promise<void> {
  // The JWS was checked by readCompactJws: three base64url parts, alg EdDSA, no crit/b64.
  // Ed25519 over the signing input, with only the resolved key: nothing in the token
  // chooses the algorithm or the key.
  const dot = token.lastIndexOf(".");
  const signature = Buffer.from(token.slice(dot + 1), "base64url");
  let ok = false;
  try {
    ok = signature.length === 64 && verify(null, Buffer.from(token.slice(0, dot), "ascii"), keyObjectOf(publicKey), signature);
  } catch (err) {
    throw new IpfedError("INTERNAL", "token signature could not be checked", { metadata: about, cause: err });
  }
  if (!ok) {
    throw new IpfedError("TOKEN_SIGNATURE_INVALID", `token signature does not verify with key ${shown(kid)} of issuer ${shown(iss)}`, { metadata: about });
  }
}

function capName(tier: Tier): string {
  try {
    return tierToName(tier);
  } catch {
    return `tier ${String(tier)}`;
  }
}

function isoTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds}` : date.toISOString();
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
