import { calculateJwkThumbprint } from "jose";
import type { JWK } from "jose";
import { Member } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import type { MemberKey } from "../keys/member-key.js";
import { shown } from "../tokens/read-compact-jws.js";
import { canonicalJson } from "./canonical-json.js";
import { memberKeyToJwk } from "./network-issuers.js";
import { verifyTypedJws } from "./typed-jws.js";
import type { TypedJwsRules } from "./typed-jws.js";
import { signTypedJws } from "./typed-jws.js";

/**
 * The `typ` of a registration signature, so that it can never pass as a token or a configuration.
 *
 * @example
 * ```ts
 * const signature = await signRegistration(member, key); // a compact JWS whose typ is REGISTRATION_TYP
 * ```
 */
export const REGISTRATION_TYP = "ipfed-register+jwt";

const RULES: TypedJwsRules = { typ: REGISTRATION_TYP, code: "REGISTRATION_INVALID", what: "registration signature", maxBytes: 256 * 1024 };

/**
 * Returns the canonical JSON of a member, the text a registration signs: `Member.toJSON` after a
 * protobuf round trip (so that what the hub decodes from the wire reads the same as what the
 * member signed), with sorted keys.
 *
 * @example
 * ```ts
 * canonicalMember(member); // '{"endpoints":[…],"id":"sc-chengdu-tisc",…}'
 * ```
 */
export function canonicalMember(member: Member): string {
  return canonicalJson(Member.toJSON(Member.decode(Member.encode(member).finish())));
}

/**
 * Signs a registration: a compact JWS (EdDSA, `typ: "ipfed-register+jwt"`) over the canonical
 * JSON of the member, made with one of the keys the member lists, so that the hub knows the
 * registrant holds it (proof of possession). Goes into `RegisterRequest.signature`.
 *
 * @throws IpfedError `INVALID_ARGUMENT` when the key is not among the member's keys.
 * @example
 * ```ts
 * const signature = await signRegistration(member, key);
 * await hub.register({ member, signature, enrolmentToken: "" });
 * ```
 */
export async function signRegistration(member: Member, key: MemberKey): Promise<string> {
  const listed = member.keys.find((k) => k.kid === key.kid);
  if (listed === undefined || listed.x !== key.publicJwk.x) {
    throw new IpfedError("INVALID_ARGUMENT", `key ${key.kid} is not one of the keys member ${member.id} lists`, { field: "key" });
  }
  return signTypedJws(key, REGISTRATION_TYP, canonicalMember(member));
}

/**
 * Options of {@link verifyRegistration}.
 *
 * @example
 * ```ts
 * const { kid } = await verifyRegistration(signature, member, { keysOnRecord: knownKeys });
 * ```
 */
export interface VerifyRegistrationOptions {
  /**
   * Keys on record for this member at the hub. When given, the signature must verify with
   * one of them: changes to a known member must come from a key the hub already trusts.
   * @defaultValue any key the member lists
   */
  readonly keysOnRecord?: readonly JWK[];
}

/**
 * Verifies a registration signature against the member it came with: the signature must be
 * made by one of the member's listed keys (or, with `keysOnRecord`, by a key on record that it
 * still lists), and cover exactly this member. Every listed key must be an Ed25519 key whose
 * `kid` is its RFC 7638 thumbprint, as the protocol requires. Returns the signing key's id.
 *
 * @throws IpfedError `REGISTRATION_INVALID` for any failure.
 * @example
 * ```ts
 * const { kid } = await verifyRegistration(req.signature, req.member);
 * ```
 */
export async function verifyRegistration(signature: string, member: Member, options: VerifyRegistrationOptions = {}): Promise<{
  /** The key that signed the registration. */
  kid: string;
}> {
  const invalid = (why: string): never => {
    throw new IpfedError("REGISTRATION_INVALID", `registration of ${shown(member.id)} ${why}`);
  };
  if (member.keys.length === 0) invalid("lists no key");
  const listed = new Map<string, JWK>();
  for (const k of member.keys) {
    const jwk = memberKeyToJwk(k);
    if (jwk === undefined) return invalid(`lists key ${shown(k.kid)}, which is not an Ed25519 public key with a kid`);
    const thumbprint = await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: jwk.x }, "sha256");
    if (thumbprint !== k.kid) invalid(`lists key ${shown(k.kid)}, whose kid is not its RFC 7638 thumbprint`);
    if (listed.has(k.kid)) invalid(`lists key ${shown(k.kid)} twice`);
    listed.set(k.kid, jwk);
  }
  const { kid, payload } = await verifyTypedJws(signature, RULES, (kid) => {
    if (!listed.has(kid)) return undefined;
    return options.keysOnRecord === undefined ? listed.get(kid) : options.keysOnRecord.find((k) => k.kid === kid);
  });
  let signed: string;
  try {
    // Compared as canonical JSON, so that an implementation that serialises differently
    // (key order, spacing) still matches, while any change of value does not.
    signed = canonicalMember(Member.fromJSON(payload));
  } catch (err) {
    throw new IpfedError("REGISTRATION_INVALID", "registration signature payload is not a Member", { cause: err });
  }
  if (signed !== canonicalMember(member)) invalid("differs from what its signature covers");
  return { kid };
}
