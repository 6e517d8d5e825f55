import { randomUUID } from "node:crypto";
import { SignJWT, createLocalJWKSet, importJWK, jwtVerify } from "jose";
import type { CryptoKey, JWK } from "jose";
import type { Member, MemberKind, Tier } from "@ipfed/proto";
import { IpfedError, tierFromName, tierToName } from "@ipfed/sdk";
import type { MemberKey } from "@ipfed/sdk";
import { kindFromName, kindName } from "./member-record.js";

/**
 * The `typ` of an enrolment token. A verifier of network tokens accepts `JWT` only, so an
 * enrolment token, although it carries `aud` = the hub and `scope: admin`, can never be
 * spent as a bearer token at the hub or anywhere else.
 */
export const ENROLMENT_TYP = "ipfed-enrol+jwt";

/** What an enrolment token grants: admission of one member, once, up to a tier. */
export interface EnrolmentGrant {
  /** Token id; the hub records it and accepts it once. */
  readonly jti: string;
  /** The member it admits (`sub`). */
  readonly memberId: string;
  /** The tier cap the member gets (`tier`). */
  readonly maxTier: Tier;
  /** The kind the member must register with, when the hub fixed it. */
  readonly kind?: MemberKind;
  /** The region the member must register with, when the hub fixed it. */
  readonly region?: string;
  /** Expiry, seconds since the epoch. */
  readonly expiresAt: number;
}

/** What {@link signEnrolment} needs. */
export interface SignEnrolmentOptions {
  /** The hub's member id: issuer and audience. */
  readonly hubId: string;
  /** The member to admit. */
  readonly memberId: string;
  /** The tier cap to grant. */
  readonly maxTier: Tier;
  /** Kind the registration must state. */
  readonly kind?: MemberKind;
  /** Region the registration must state. */
  readonly region?: string;
  /** Lifetime in seconds. */
  readonly ttlSeconds: number;
  /** The current time. */
  readonly now: Date;
}

/**
 * Signs an enrolment token with the hub's key: `iss` = `aud` = the hub, `sub` = the member,
 * `scope: admin`, `tier` = the cap to grant, header `typ: ipfed-enrol+jwt`.
 *
 * @example
 * ```ts
 * const { token, grant } = await signEnrolment(hubKey, { hubId: "hub", memberId: "sc-tisc", maxTier: Tier.TIER_REGISTERED, ttlSeconds: 7 * 86400, now: new Date() });
 * ```
 */
export async function signEnrolment(key: MemberKey, o: SignEnrolmentOptions): Promise<{ token: string; grant: EnrolmentGrant }> {
  if (!Number.isFinite(o.ttlSeconds) || o.ttlSeconds <= 0) throw new IpfedError("INVALID_ARGUMENT", "the enrolment lifetime must be positive", { field: "ttl" });
  const iat = Math.floor(o.now.getTime() / 1000);
  const grant: EnrolmentGrant = {
    jti: randomUUID(),
    memberId: o.memberId,
    maxTier: o.maxTier,
    ...(o.kind !== undefined ? { kind: o.kind } : {}),
    ...(o.region !== undefined ? { region: o.region } : {}),
    expiresAt: iat + Math.floor(o.ttlSeconds),
  };
  const claims = {
    tier: tierToName(o.maxTier),
    scope: "admin",
    ...(o.kind !== undefined ? { kind: kindName(o.kind) } : {}),
    ...(o.region !== undefined ? { region: o.region } : {}),
  };
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: ENROLMENT_TYP })
    .setIssuer(o.hubId)
    .setSubject(o.memberId)
    .setAudience(o.hubId)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(grant.expiresAt)
    .setJti(grant.jti)
    .sign((await importJWK(key.privateJwk, "EdDSA")) as CryptoKey);
  return { token, grant };
}

/**
 * Verifies an enrolment token against the hub's keys and returns what it grants. Whether it
 * was already used is the registry's business.
 *
 * @throws IpfedError `REGISTRATION_INVALID` with the reason (expired, not signed by this hub,
 *   not an enrolment token, bad claims).
 * @example
 * ```ts
 * const grant = await verifyEnrolment(req.enrolmentToken, { hubId: "hub", keys: hubKeys, now: new Date() });
 * ```
 */
export async function verifyEnrolment(token: string, o: { hubId: string; keys: readonly JWK[]; now: Date }): Promise<EnrolmentGrant> {
  if (token.length > 8192) throw new IpfedError("REGISTRATION_INVALID", "the enrolment token is too large");
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, createLocalJWKSet({ keys: o.keys.map((k) => ({ ...k })) }), {
      algorithms: ["EdDSA"],
      typ: ENROLMENT_TYP,
      issuer: o.hubId,
      audience: o.hubId,
      currentDate: o.now,
      clockTolerance: 60,
    }));
  } catch (err) {
    const c = (err as { code?: string }).code;
    const why = c === "ERR_JWT_EXPIRED" ? "has expired" : c === "ERR_JWKS_NO_MATCHING_KEY" || c === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" ? "is not signed by this hub" : "is not a valid enrolment token of this hub";
    throw new IpfedError("REGISTRATION_INVALID", `the enrolment token ${why}`, { cause: err });
  }
  const bad = (claim: string): never => {
    throw new IpfedError("REGISTRATION_INVALID", `the enrolment token has no valid ${claim}`, { field: claim });
  };
  const { sub, jti, exp, tier, scope, kind, region } = payload;
  if (typeof sub !== "string" || sub === "") bad("sub");
  if (typeof jti !== "string" || jti === "") bad("jti");
  if (typeof exp !== "number") bad("exp");
  const maxTier = typeof tier === "string" ? tierFromName(tier) : undefined;
  if (maxTier === undefined) return bad("tier");
  if (scope !== "admin") bad("scope");
  const k = kind === undefined ? undefined : typeof kind === "string" ? kindFromName(kind) : undefined;
  if (kind !== undefined && k === undefined) bad("kind");
  if (region !== undefined && typeof region !== "string") bad("region");
  return {
    jti: jti as string,
    memberId: sub as string,
    maxTier,
    ...(k !== undefined ? { kind: k } : {}),
    ...(typeof region === "string" ? { region } : {}),
    expiresAt: exp as number,
  };
}

/** An enrolment as the hub's registry keeps it. */
export interface StoredEnrolment extends EnrolmentGrant {
  /** When it was issued, ISO 8601. */
  readonly createdAt: string;
  /** When a registration used it, ISO 8601. */
  readonly usedAt?: string;
}

/**
 * Checks a verified grant against the member registering and the hub's record of the token:
 * for this member, issued by this registry, unused, and of the kind and region it names.
 *
 * @throws IpfedError `REGISTRATION_INVALID` with the reason.
 */
export function checkEnrolment(grant: EnrolmentGrant, stored: StoredEnrolment | undefined, member: Member): StoredEnrolment {
  const invalid = (why: string): never => {
    throw new IpfedError("REGISTRATION_INVALID", `the enrolment token ${why}`);
  };
  if (grant.memberId !== member.id) invalid(`is for member ${grant.memberId}, not ${member.id}`);
  if (!stored) return invalid("is unknown to this hub's registry");
  if (stored.usedAt) invalid(`has already been used (${stored.usedAt})`);
  if (grant.kind !== undefined && grant.kind !== member.kind) invalid("is for another kind of member");
  if (grant.region !== undefined && grant.region !== member.region) invalid(`is for region ${grant.region}, not ${member.region}`);
  return stored;
}
