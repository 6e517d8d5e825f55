import { randomUUID } from "node:crypto";
import { SignJWT, importJWK } from "jose";
import type { CryptoKey, JWK } from "jose";
import type { Tier } from "@ipfed/proto";
import type { ActorChain, ScopeName } from "../auth/caller.js";
import { IpfedError } from "../errors/ipfed-error.js";
import type { MemberKey } from "../keys/member-key.js";
import { formatScope, isTokenIdentifier, parseTokenClaims, tierToName } from "./token-claims.js";
import type { TokenClaims } from "./token-claims.js";

/**
 * What every token states, whatever its lifetime.
 *
 * @example
 * ```ts
 * const claims: IssueTokenClaimOptions = { issuer: "scu-tisc", subject: "alice", audience: "ipfed", tier: Tier.TIER_PUBLIC, scopes: ["search"] };
 * const token = await issueToken(key, { ...claims, expiresAt: new Date("2030-01-01T00:00:00Z") });
 * ```
 */
export interface IssueTokenClaimOptions {
  /** The issuing member's id (`iss`): the member whose key signs. */
  readonly issuer: string;
  /** Whom the token speaks for (`sub`): a user of the platform, or a member. */
  readonly subject: string;
  /** The member id(s) or the network id the token is for (`aud`). */
  readonly audience: string | readonly string[];
  /** Clearance granted. */
  readonly tier: Tier;
  /** Scopes granted; at least one. */
  readonly scopes: Iterable<ScopeName>;
  /**
   * Datasets the token is limited to; at least one when given.
   * @defaultValue no limit
   */
  readonly datasets?: Iterable<string>;
  /**
   * Actor chain (RFC 8693 `act`), when the token is minted on someone else's behalf.
   * @defaultValue none
   */
  readonly act?: ActorChain;
  /**
   * Start of validity (`nbf`).
   * @defaultValue `now`
   */
  readonly notBefore?: Date;
  /**
   * Token id (`jti`).
   * @defaultValue a random UUID
   */
  readonly jti?: string;
  /**
   * The current time, for tests.
   * @defaultValue `new Date()`
   */
  readonly now?: Date;
  /**
   * The highest tier this issuer may grant (from the network configuration); a higher `tier`
   * is refused here rather than by every verifier later.
   * @defaultValue no check
   */
  readonly maxTier?: Tier;
}

/**
 * How long a token lives: a lifetime in seconds, or a fixed expiry; exactly one of them.
 *
 * @example
 * ```ts
 * const lifetime: TokenLifetime = { ttlSeconds: parseDuration("15m") }; // or { expiresAt: someDate }
 * ```
 */
export type TokenLifetime =
  | {
      /** Lifetime in seconds from `now`. */
      readonly ttlSeconds: number;
      /** Not with `ttlSeconds`. */
      readonly expiresAt?: never;
    }
  | {
      /** Expiry (`exp`). */
      readonly expiresAt: Date;
      /** Not with `expiresAt`. */
      readonly ttlSeconds?: never;
    };

/**
 * Options of {@link issueToken}.
 *
 * @example
 * ```ts
 * const options: IssueTokenOptions = { issuer: "scu-tisc", subject: "alice", audience: "ipfed", tier: Tier.TIER_REGISTERED, scopes: ["search", "read"], ttlSeconds: 900 };
 * const token = await issueToken(key, options);
 * ```
 */
export type IssueTokenOptions = IssueTokenClaimOptions & TokenLifetime;

/**
 * Mints a network token: a JWT signed with the member's Ed25519 key (compact JWS, header
 * `{ alg: "EdDSA", kid, typ: "JWT" }`). A platform uses it to give its logged-in users a token
 * every member of the network accepts.
 *
 * @throws IpfedError `INVALID_ARGUMENT` (with `field`) for a bad option, and
 *   `TIER_EXCEEDS_ISSUER` when `tier` is above `maxTier`.
 * @example
 * ```ts
 * const token = await issueToken(key, {
 *   issuer: "sc-chengdu-tisc",
 *   subject: "user-1842",
 *   audience: "cn-ip-net",
 *   tier: Tier.TIER_REGISTERED,
 *   scopes: ["search", "read"],
 *   ttlSeconds: 3600,
 * });
 * ```
 */
export async function issueToken(key: MemberKey, options: IssueTokenOptions): Promise<string> {
  const now = options.now ?? new Date();
  const iat = seconds(now, "now");
  requireIdentifier(options.issuer, "issuer");
  requireIdentifier(options.subject, "subject");
  const aud = audienceOf(options.audience);
  const tier = tierToName(options.tier);
  if (options.maxTier !== undefined && options.tier > options.maxTier) {
    throw new IpfedError(
      "TIER_EXCEEDS_ISSUER",
      `tier ${tier} exceeds ${tierToName(options.maxTier)}, the most issuer ${options.issuer} may grant`,
      { field: "tier" },
    );
  }
  const scope = formatScope(options.scopes);
  const datasets = options.datasets === undefined ? undefined : datasetsOf(options.datasets);
  const jti = options.jti ?? randomUUID();
  requireIdentifier(jti, "jti");
  const nbf = options.notBefore === undefined ? iat : seconds(options.notBefore, "notBefore");
  const exp = expiryOf(options, iat);
  if (exp <= iat || exp <= nbf) {
    throw new IpfedError("INVALID_ARGUMENT", "the token would never be valid: its expiry is not after now and notBefore", {
      field: options.expiresAt !== undefined ? "expiresAt" : "ttlSeconds",
    });
  }

  const claims = checkedClaims({
    iss: options.issuer,
    sub: options.subject,
    aud,
    iat,
    nbf,
    exp,
    jti,
    tier,
    scope,
    ...(datasets !== undefined ? { datasets } : {}),
    ...(options.act !== undefined ? { act: options.act } : {}),
  });
  return new SignJWT({ ...claims, aud: typeof claims.aud === "string" ? claims.aud : [...claims.aud] })
    .setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: "JWT" })
    .sign(await signingKey(key));
}

/**
 * Parses a duration such as `90s`, `30m`, `1h` or `7d` into seconds, for command-line options
 * like `--ttl`.
 *
 * @throws IpfedError `INVALID_ARGUMENT` (field `duration`) for anything else, or zero.
 * @example
 * ```ts
 * parseDuration("1h"); // 3600
 * parseDuration("7d"); // 604800
 * ```
 */
export function parseDuration(text: string): number {
  const match = /^(\d{1,9})([smhd])$/.exec(text.trim());
  const amount = match === null ? 0 : Number(match[1]);
  if (match === null || amount === 0) {
    const shown = text.length > 32 ? `${text.slice(0, 32)}…` : text;
    throw new IpfedError(
      "INVALID_ARGUMENT",
      `expected a positive duration such as 90s, 30m, 1h or 7d, found ${JSON.stringify(shown)}`,
      { field: "duration" },
    );
  }
  return amount * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

// Importing a JWK costs more than signing; a member signs many tokens with one key.
const signingKeys = new WeakMap<JWK, Promise<CryptoKey>>();

function signingKey(key: MemberKey): Promise<CryptoKey> {
  let pending = signingKeys.get(key.privateJwk);
  if (pending === undefined) {
    if (key.privateJwk.kty !== "OKP" || key.privateJwk.crv !== "Ed25519" || typeof key.privateJwk.d !== "string") {
      throw new IpfedError("INVALID_ARGUMENT", "the member key is not an Ed25519 private key", { field: "key" });
    }
    if (!isTokenIdentifier(key.kid)) throw new IpfedError("INVALID_ARGUMENT", "the member key has no kid", { field: "key" });
    const jwk = key.privateJwk;
    pending = (importJWK(jwk, "EdDSA") as Promise<CryptoKey>).catch((err: unknown) => {
      signingKeys.delete(jwk);
      throw err;
    });
    signingKeys.set(jwk, pending);
  }
  return pending;
}

/**
 * Runs the verifier's own claim check on what is about to be signed, so that nothing is minted
 * that members would refuse (a malformed `act`, say), and returns the cleaned claims.
 */
function checkedClaims(payload: Record<string, unknown>): TokenClaims {
  try {
    return parseTokenClaims(payload);
  } catch (err) {
    const e = IpfedError.from(err);
    throw new IpfedError("INVALID_ARGUMENT", e.message.replace(/^claim /, "option "), {
      ...(e.field !== undefined ? { field: e.field } : {}),
      cause: err,
    });
  }
}

function expiryOf(lifetime: TokenLifetime, iat: number): number {
  if (lifetime.expiresAt !== undefined) {
    if (lifetime.ttlSeconds !== undefined) {
      throw new IpfedError("INVALID_ARGUMENT", "give either ttlSeconds or expiresAt, not both", { field: "ttlSeconds" });
    }
    return seconds(lifetime.expiresAt, "expiresAt");
  }
  const ttl: unknown = lifetime.ttlSeconds;
  if (typeof ttl !== "number" || !Number.isFinite(ttl) || ttl <= 0) {
    throw new IpfedError("INVALID_ARGUMENT", "ttlSeconds must be a positive number (or give expiresAt)", { field: "ttlSeconds" });
  }
  return iat + Math.floor(ttl);
}

function audienceOf(audience: string | readonly string[]): string | string[] {
  if (typeof audience === "string") {
    requireIdentifier(audience, "audience");
    return audience;
  }
  const list = [...new Set(audience)];
  if (list.length === 0) throw new IpfedError("INVALID_ARGUMENT", "audience must name at least one member or network", { field: "audience" });
  for (const a of list) requireIdentifier(a, "audience");
  return list;
}

function datasetsOf(datasets: Iterable<string>): string[] {
  const list = [...new Set(datasets)];
  // An empty list would be refused by verifiers; say so here, where the mistake is made.
  if (list.length === 0) {
    throw new IpfedError("INVALID_ARGUMENT", "datasets must name at least one dataset; leave it out for no limit", {
      field: "datasets",
    });
  }
  for (const d of list) requireIdentifier(d, "datasets");
  return list;
}

function requireIdentifier(value: unknown, field: string): asserts value is string {
  if (!isTokenIdentifier(value)) {
    throw new IpfedError("INVALID_ARGUMENT", `${field} must be 1 to 256 characters without control characters`, { field });
  }
}

function seconds(date: Date, field: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(ms) || ms < 0) throw new IpfedError("INVALID_ARGUMENT", `${field} must be a valid date`, { field });
  return Math.floor(ms / 1000);
}
