import { Tier } from "@ipfed/proto";
import { SCOPE_NAMES } from "../auth/caller.js";
import type { ActorChain, ScopeName } from "../auth/caller.js";
import { IpfedError } from "../errors/ipfed-error.js";

/**
 * A tier as it is written in a token's `tier` claim: lower case.
 *
 * @example
 * ```ts
 * const name: TierName = tierToName(Tier.TIER_REGISTERED); // "registered"
 * ```
 */
export type TierName = "public" | "registered" | "restricted" | "confidential";

/**
 * Every tier name, lowest clearance first.
 *
 * @example
 * ```ts
 * TIER_NAMES; // ["public", "registered", "restricted", "confidential"]
 * ```
 */
export const TIER_NAMES: readonly TierName[] = ["public", "registered", "restricted", "confidential"];

/**
 * The claim set of an ipfed network token, as it travels (after validation by
 * {@link parseTokenClaims}). Unknown claims are ignored, so that issuers can add claims
 * without breaking older verifiers.
 *
 * @example
 * ```ts
 * const claims: TokenClaims = parseTokenClaims(readCompactJws(token, 8192).payload); // shape only: not verified
 * console.log(claims.iss, claims.sub, claims.tier, claims.scope); // "scu-tisc" "alice" "registered" "search read"
 * ```
 */
export interface TokenClaims {
  /** Issuer: the member id whose key signed the token. */
  readonly iss: string;
  /** Subject: the user (or member) the token speaks for. */
  readonly sub: string;
  /** Audience: member ids or the network id the token is meant for. */
  readonly aud: string | readonly string[];
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
  /** Not before, seconds since the epoch. */
  readonly nbf?: number;
  /** Issued at, seconds since the epoch. */
  readonly iat?: number;
  /** Token id, for revocation and audit. */
  readonly jti: string;
  /** Clearance, lower case. */
  readonly tier: TierName;
  /** Granted scopes, space-separated (`"search read"`). */
  readonly scope: string;
  /** Datasets the token is limited to; absent means no limit. Never empty. */
  readonly datasets?: readonly string[];
  /** RFC 8693 actor chain: who acted for the subject, latest actor outermost. */
  readonly act?: ActorChain;
}

/**
 * Longest identifier (`iss`, `sub`, `jti`, `kid`, dataset id, member id) a token may carry.
 *
 * @example
 * ```ts
 * isTokenIdentifier("x".repeat(MAX_IDENTIFIER_LENGTH + 1)); // false
 * ```
 */
export const MAX_IDENTIFIER_LENGTH = 256;

/**
 * Deepest `act` nesting accepted; a deeper chain is a loop or an attack, not a federation.
 *
 * @example
 * ```ts
 * actChainToList(claims.act).length <= MAX_ACT_DEPTH; // always true for a token that verified
 * ```
 */
export const MAX_ACT_DEPTH = 32;

// C0 and C1 controls and the Unicode line separators: identifiers end up in audit logs and
// messages, where these would let a token forge log lines.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_CHARS_ALL = new RegExp(CONTROL_CHARS.source, "g");

/**
 * Tells whether a value can serve as an identifier in a token: a non-empty string of at most
 * {@link MAX_IDENTIFIER_LENGTH} characters without control characters.
 *
 * @example
 * ```ts
 * isTokenIdentifier("sc-chengdu-tisc"); // true
 * isTokenIdentifier("a\nb"); // false
 * ```
 */
export function isTokenIdentifier(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length > 0 &&
    value.length <= MAX_IDENTIFIER_LENGTH &&
    !CONTROL_CHARS.test(value)
  );
}

/**
 * Returns the tier a lower-case tier name stands for, or undefined for anything else.
 *
 * Matching is exact (no case folding) because the same function reads untrusted token claims;
 * a CLI that wants to be lenient lower-cases its input first.
 *
 * @example
 * ```ts
 * tierFromName("restricted"); // Tier.TIER_RESTRICTED
 * tierFromName("Restricted"); // undefined
 * ```
 */
export function tierFromName(name: string): Tier | undefined {
  switch (name) {
    case "public":
      return Tier.TIER_PUBLIC;
    case "registered":
      return Tier.TIER_REGISTERED;
    case "restricted":
      return Tier.TIER_RESTRICTED;
    case "confidential":
      return Tier.TIER_CONFIDENTIAL;
    default:
      return undefined;
  }
}

/**
 * Returns the lower-case name of a tier, as written in a token.
 *
 * @throws IpfedError `INVALID_ARGUMENT` for `TIER_UNSPECIFIED` or a number that is no tier:
 *   a token must state a clearance.
 * @example
 * ```ts
 * tierToName(Tier.TIER_PUBLIC); // "public"
 * ```
 */
export function tierToName(tier: Tier): TierName {
  switch (tier) {
    case Tier.TIER_PUBLIC:
      return "public";
    case Tier.TIER_REGISTERED:
      return "registered";
    case Tier.TIER_RESTRICTED:
      return "restricted";
    case Tier.TIER_CONFIDENTIAL:
      return "confidential";
    default:
      throw new IpfedError("INVALID_ARGUMENT", `expected a tier from public to confidential, found ${String(tier)}`, {
        field: "tier",
      });
  }
}

/**
 * Tells whether a string is a scope name.
 *
 * @example
 * ```ts
 * isScopeName("export"); // true
 * ```
 */
export function isScopeName(value: string): value is ScopeName {
  return (SCOPE_NAMES as readonly string[]).includes(value);
}

/**
 * Parses a `scope` claim: scope names separated by single spaces (RFC 6749 §3.3), each one of
 * `search read export publish admin`. Repeated names are allowed and count once.
 *
 * @throws IpfedError `INVALID_ARGUMENT` (field `scope`) for an empty string, doubled or
 *   surrounding spaces, or an unknown name.
 * @example
 * ```ts
 * parseScope("search read"); // Set { "search", "read" }
 * ```
 */
export function parseScope(value: string): ReadonlySet<ScopeName> {
  const scopes = tryParseScope(value);
  if (scopes !== undefined) return scopes;
  const bad = value === "" ? undefined : value.split(" ").find((part) => !isScopeName(part));
  const found = bad === undefined ? "an empty scope" : bad === "" ? "an extra space" : `'${shorten(bad)}'`;
  throw new IpfedError("INVALID_ARGUMENT", `expected scope names from '${SCOPE_NAMES.join(" ")}' separated by single spaces, found ${found}`, {
    field: "scope",
  });
}

/**
 * Writes a set of scopes as a `scope` claim, in the canonical order of `SCOPE_NAMES`, so that
 * equal sets give equal strings.
 *
 * @throws IpfedError `INVALID_ARGUMENT` (field `scopes`) when no scope is given or a name is unknown.
 * @example
 * ```ts
 * formatScope(["read", "search"]); // "search read"
 * ```
 */
export function formatScope(scopes: Iterable<ScopeName>): string {
  const wanted = new Set<string>(scopes);
  for (const s of wanted) {
    if (!isScopeName(s)) throw new IpfedError("INVALID_ARGUMENT", `unknown scope '${shorten(s)}'`, { field: "scopes" });
  }
  if (wanted.size === 0) throw new IpfedError("INVALID_ARGUMENT", "a token must grant at least one scope", { field: "scopes" });
  return SCOPE_NAMES.filter((s) => wanted.has(s)).join(" ");
}

/**
 * Checks an untrusted, already JSON-decoded payload and returns it as a claim set.
 *
 * Claims are checked in a fixed order (`iss sub aud exp nbf iat jti tier scope datasets act`)
 * and the first bad one is reported. Messages name the claim but never repeat its value, since
 * the payload is attacker-controlled and messages end up in logs.
 *
 * @throws IpfedError `TOKEN_MALFORMED` when the payload is not a JSON object, and
 *   `TOKEN_CLAIM_INVALID` (with `field` = the claim) when a claim is missing or has the wrong shape.
 * @example
 * ```ts
 * const claims = parseTokenClaims(JSON.parse(payloadJson));
 * tierFromName(claims.tier);
 * ```
 */
export function parseTokenClaims(payload: unknown): TokenClaims {
  if (!isJsonObject(payload)) throw new IpfedError("TOKEN_MALFORMED", "token payload is not a JSON object");
  const iss = readIdentifierClaim(payload, "iss");
  const sub = readIdentifierClaim(payload, "sub");
  const aud = readAudienceClaim(payload);
  const exp = readNumericDateClaim(payload, "exp", true);
  const nbf = readNumericDateClaim(payload, "nbf", false);
  const iat = readNumericDateClaim(payload, "iat", false);
  const jti = readIdentifierClaim(payload, "jti");

  const tier = payload["tier"];
  if (typeof tier !== "string" || tierFromName(tier) === undefined) {
    throw claimError("tier", tier, `one of ${TIER_NAMES.join(", ")}`);
  }
  const scope = payload["scope"];
  if (typeof scope !== "string" || tryParseScope(scope) === undefined) {
    throw claimError("scope", scope, `scope names from '${SCOPE_NAMES.join(" ")}' separated by single spaces`);
  }
  const datasets = readDatasetsClaim(payload);
  const act = payload["act"] === undefined ? undefined : readActClaim(payload["act"], 1);

  return {
    iss,
    sub,
    aud,
    exp,
    ...(nbf !== undefined ? { nbf } : {}),
    ...(iat !== undefined ? { iat } : {}),
    jti,
    tier: tier as TierName,
    scope,
    ...(datasets !== undefined ? { datasets } : {}),
    ...(act !== undefined ? { act } : {}),
  };
}

/**
 * Reads a required identifier claim (`iss`, `sub`, `jti`).
 *
 * @internal Shared with the verifier, which needs `iss` before the rest of the claims.
 */
export function readIdentifierClaim(payload: Readonly<Record<string, unknown>>, name: string): string {
  const value = payload[name];
  if (!isTokenIdentifier(value)) throw claimError(name, value, `an identifier of 1 to ${MAX_IDENTIFIER_LENGTH} characters`);
  return value;
}

/**
 * Reads a NumericDate claim (`exp`, `nbf`, `iat`): a finite, non-negative number of seconds.
 *
 * @internal Shared with the verifier, which checks time before the other claims.
 */
export function readNumericDateClaim(
  payload: Readonly<Record<string, unknown>>,
  name: string,
  required: true,
): number;
export function readNumericDateClaim(
  payload: Readonly<Record<string, unknown>>,
  name: string,
  required: boolean,
): number | undefined;
export function readNumericDateClaim(
  payload: Readonly<Record<string, unknown>>,
  name: string,
  required: boolean,
): number | undefined {
  const value = payload[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw claimError(name, value, "a time in seconds since the epoch");
  }
  return value;
}

/**
 * Reads the `aud` claim: an identifier or a non-empty array of identifiers.
 *
 * @internal Shared with the verifier.
 */
export function readAudienceClaim(payload: Readonly<Record<string, unknown>>): string | readonly string[] {
  const aud = payload["aud"];
  if (isTokenIdentifier(aud)) return aud;
  if (Array.isArray(aud) && aud.length > 0 && aud.every(isTokenIdentifier)) return aud as string[];
  throw claimError("aud", aud, "a member or network id, or a non-empty array of them");
}

/**
 * Tells whether a value is a plain JSON object (not null, not an array).
 *
 * @internal Shared with the token reader.
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readDatasetsClaim(payload: Readonly<Record<string, unknown>>): readonly string[] | undefined {
  const datasets = payload["datasets"];
  if (datasets === undefined) return undefined;
  // An empty list is refused rather than read as "no datasets": elsewhere (a search request)
  // an empty dataset list means "all", and one slip would turn a narrow token into a wide one.
  if (!Array.isArray(datasets) || datasets.length === 0 || !datasets.every(isTokenIdentifier)) {
    throw claimError("datasets", datasets, "a non-empty array of dataset ids");
  }
  return [...new Set(datasets as string[])];
}

function readActClaim(value: unknown, depth: number): ActorChain {
  if (depth > MAX_ACT_DEPTH) {
    throw new IpfedError("TOKEN_CLAIM_INVALID", `claim act is invalid: nested deeper than ${MAX_ACT_DEPTH} actors`, {
      field: "act",
    });
  }
  if (!isJsonObject(value) || !isTokenIdentifier(value["sub"])) {
    throw claimError("act", value, "an actor object { sub, iss?, act? }");
  }
  const iss = value["iss"];
  if (iss !== undefined && !isTokenIdentifier(iss)) throw claimError("act", value, "an actor object { sub, iss?, act? }");
  // Keep only the members we know: other RFC 8693 actor claims are not carried into the Caller.
  const inner = value["act"] === undefined ? undefined : readActClaim(value["act"], depth + 1);
  return {
    sub: value["sub"],
    ...(iss !== undefined ? { iss } : {}),
    ...(inner !== undefined ? { act: inner } : {}),
  };
}

/** Parses a scope string strictly, or returns undefined; for callers that pick their own error. */
function tryParseScope(value: string): ReadonlySet<ScopeName> | undefined {
  if (value === "") return undefined;
  const scopes = new Set<ScopeName>();
  for (const part of value.split(" ")) {
    if (!isScopeName(part)) return undefined;
    scopes.add(part);
  }
  return scopes;
}

function claimError(name: string, value: unknown, expected: string): IpfedError {
  const problem = value === undefined ? "missing" : "invalid";
  return new IpfedError("TOKEN_CLAIM_INVALID", `claim ${name} is ${problem}: expected ${expected}`, { field: name });
}

function shorten(text: string): string {
  const clean = text.replace(CONTROL_CHARS_ALL, "?");
  return clean.length > 32 ? `${clean.slice(0, 32)}…` : clean;
}
