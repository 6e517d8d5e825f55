import { randomUUID } from "node:crypto";
import { CompactSign, compactVerify, importJWK } from "jose";
import type { CryptoKey, JWK } from "jose";
import { FORBIDDEN_HEADER_PARAMETERS, IpfedError, importVerificationKey, isTokenIdentifier } from "@ipfed/sdk";
import type { MemberKey, TokenVerificationKey } from "@ipfed/sdk";

/**
 * The `typ` of every gossip message. A network token (`typ: JWT`) is refused here, and the SDK's
 * token verifier refuses this `typ`, so neither can be passed off as the other (RFC 8725 §3.11).
 */
export const GOSSIP_TYP = "ipfed-gossip+jwt";

/** How old a gossip message may be by default, in seconds. */
export const DEFAULT_MAX_GOSSIP_AGE_SECONDS = 600;

/** Clock skew tolerated on `iat` by default, in seconds. */
export const DEFAULT_GOSSIP_CLOCK_SKEW_SECONDS = 60;

/**
 * Largest gossip message accepted by default, in bytes; checked before anything is decoded.
 * Sized for a network configuration of a few hundred members relayed whole (gossipsub's own
 * limit on one RPC is 4 MiB).
 */
export const DEFAULT_MAX_GOSSIP_BYTES = 1024 * 1024;

/** The payload of a gossip message: who wrote it, when, for which topic, and what it says. */
export interface GossipClaims {
  /** The member (or hub) whose key signed the message. */
  readonly iss: string;
  /** When it was signed, seconds since the epoch. */
  readonly iat: number;
  /** A unique id; a second message with the same `iss` and `jti` is a replay. */
  readonly jti: string;
  /** The full gossipsub topic it was written for (`ipfed/<networkId>/members`). */
  readonly topic: string;
  /** What kind of notice it is (`member`, `catalogue`, `revocation`, `config`). */
  readonly type: string;
  /** The notice itself, as JSON; checked by the gossip layer per `type`. */
  readonly body: unknown;
}

/** A gossip message whose signature, age and topic have been checked. */
export interface VerifiedGossip extends GossipClaims {
  /** Id of the key that signed it, within the issuer's keys. */
  readonly kid: string;
  /** The compact JWS as received, for relaying or audit. */
  readonly jws: string;
}

/**
 * Returns the key an issuer signs gossip with, by `kid`, or undefined when the issuer has no
 * such key (or is unknown). Keys come from the signed network configuration and from member
 * announcements already verified; never from the message.
 */
export type GossipKeyLookup = (
  issuer: string,
  kid: string,
) => TokenVerificationKey | undefined | Promise<TokenVerificationKey | undefined>;

/** Options of {@link verifyGossip}. */
export interface VerifyGossipOptions {
  /** Returns the issuer's key with this `kid`. */
  readonly keyFor: GossipKeyLookup;
  /**
   * Tells whether an issuer is a member at all, so that an unknown member
   * (`TOKEN_ISSUER_UNKNOWN`) and an unknown key of a known member (`TOKEN_KEY_UNKNOWN`) are told apart.
   * @defaultValue every issuer without the key is reported as `TOKEN_ISSUER_UNKNOWN`
   */
  readonly issuerKnown?: (issuer: string) => boolean | Promise<boolean>;
  /**
   * The topic the message arrived on; a message written for another topic is refused.
   * @defaultValue no check
   */
  readonly topic?: string;
  /**
   * How old a message may be, in seconds.
   * @defaultValue 600
   */
  readonly maxAgeSeconds?: number;
  /**
   * Clock skew tolerated on `iat`, in seconds.
   * @defaultValue 60
   */
  readonly clockSkewSeconds?: number;
  /**
   * Largest message accepted, in bytes.
   * @defaultValue 1048576 (1 MiB)
   */
  readonly maxBytes?: number;
  /**
   * Returns the current time, for tests.
   * @defaultValue `() => new Date()`
   */
  readonly now?: () => Date;
}

/** Options of {@link signGossip}. */
export interface SignGossipOptions {
  /**
   * Message id.
   * @defaultValue a random UUID
   */
  readonly jti?: string;
  /**
   * The signing time.
   * @defaultValue `new Date()`
   */
  readonly now?: Date;
}

/**
 * Signs a gossip message: a compact JWS (EdDSA) with header
 * `{ alg: "EdDSA", kid, typ: "ipfed-gossip+jwt" }` and payload
 * `{ iss, iat, jti, topic, type, body }`.
 *
 * @throws IpfedError `INVALID_ARGUMENT` for an issuer, topic or type that is not a plain
 *   identifier, a body that is not JSON, or a key without private part.
 * @example
 * ```ts
 * const jws = await signGossip(key, "sc-chengdu-tisc", "ipfed/cn-ip-net/members", "member", Member.toJSON(me));
 * ```
 */
export async function signGossip(
  key: MemberKey,
  issuer: string,
  topic: string,
  type: string,
  body: unknown,
  options: SignGossipOptions = {},
): Promise<string> {
  for (const [field, value] of [["issuer", issuer], ["topic", topic], ["type", type]] as const) {
    if (!isTokenIdentifier(value)) throw new IpfedError("INVALID_ARGUMENT", `gossip ${field} must be a plain identifier`, { field });
  }
  if (body === undefined) throw new IpfedError("INVALID_ARGUMENT", "gossip body is missing", { field: "body" });
  const jti = options.jti ?? randomUUID();
  if (!isTokenIdentifier(jti)) throw new IpfedError("INVALID_ARGUMENT", "gossip jti must be a plain identifier", { field: "jti" });
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims: GossipClaims = { iss: issuer, iat, jti, topic, type, body };
  let payload: string;
  try {
    payload = JSON.stringify(claims);
  } catch (err) {
    throw new IpfedError("INVALID_ARGUMENT", "gossip body is not JSON", { field: "body", cause: err });
  }
  return new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: GOSSIP_TYP })
    .sign(await signingKey(key.privateJwk));
}

/**
 * Verifies a gossip message and returns what it says.
 *
 * Checks run in this order, the first failure thrown as an {@link IpfedError}: size
 * (`TOKEN_TOO_LARGE`), shape (`TOKEN_MALFORMED`), `alg` exactly `EdDSA`
 * (`TOKEN_ALG_NOT_ALLOWED`), no key in the header (`TOKEN_HEADER_KEY_NOT_ALLOWED`), `typ`
 * exactly `ipfed-gossip+jwt` and a `kid` (`TOKEN_MALFORMED`), `iss` (`TOKEN_CLAIM_INVALID`),
 * the signer's key (`TOKEN_ISSUER_UNKNOWN` / `TOKEN_KEY_UNKNOWN`), the signature
 * (`TOKEN_SIGNATURE_INVALID`), `iat` in the future (`TOKEN_NOT_YET_VALID`) or older than
 * `maxAgeSeconds` (`TOKEN_EXPIRED`), then `jti`, `topic` (the one it arrived on), `type` and
 * `body` (`TOKEN_CLAIM_INVALID`, `field` = the claim).
 *
 * Replays are not detected here: the gossip layer remembers the `jti`s it has accepted.
 *
 * @example
 * ```ts
 * const msg = await verifyGossip(jws, { keyFor: (iss, kid) => book.keyFor(iss, kid), topic });
 * msg.iss; // the member whose key signed it
 * ```
 */
export async function verifyGossip(jws: string, options: VerifyGossipOptions): Promise<VerifiedGossip> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_GOSSIP_BYTES;
  if (typeof jws !== "string" || jws === "") throw new IpfedError("TOKEN_MALFORMED", "gossip message is empty");
  if (jws.length > maxBytes || Buffer.byteLength(jws, "utf8") > maxBytes) {
    throw new IpfedError("TOKEN_TOO_LARGE", `gossip message is larger than the ${maxBytes} bytes allowed`);
  }
  const parts = jws.split(".");
  if (parts.length !== 3 || !parts.every((p) => p !== "" && p.length % 4 !== 1 && BASE64URL.test(p))) {
    throw new IpfedError("TOKEN_MALFORMED", "gossip message is not a compact JWS");
  }
  const header = decodeJsonObject(parts[0]!);
  if (header === undefined) throw new IpfedError("TOKEN_MALFORMED", "gossip header is not a JSON object");
  if (header["alg"] !== "EdDSA") throw new IpfedError("TOKEN_ALG_NOT_ALLOWED", "gossip alg must be EdDSA", { field: "alg" });
  for (const name of FORBIDDEN_HEADER_PARAMETERS) {
    if (Object.hasOwn(header, name)) {
      throw new IpfedError("TOKEN_HEADER_KEY_NOT_ALLOWED", `gossip header carries ${name}: keys come from the network configuration`, {
        field: name,
      });
    }
  }
  if (header["typ"] !== GOSSIP_TYP) throw new IpfedError("TOKEN_MALFORMED", `gossip typ must be ${GOSSIP_TYP}`, { field: "typ" });
  if (Object.hasOwn(header, "crit") || Object.hasOwn(header, "b64")) {
    throw new IpfedError("TOKEN_MALFORMED", "gossip header uses crit or b64", { field: "crit" });
  }
  const kid = header["kid"];
  if (!isTokenIdentifier(kid)) throw new IpfedError("TOKEN_MALFORMED", "gossip header has no valid kid", { field: "kid" });
  const payload = decodeJsonObject(parts[1]!);
  if (payload === undefined) throw new IpfedError("TOKEN_MALFORMED", "gossip payload is not a JSON object");
  const iss = payload["iss"];
  if (!isTokenIdentifier(iss)) throw new IpfedError("TOKEN_CLAIM_INVALID", "gossip iss is missing or invalid", { field: "iss" });

  const about = { issuer: iss, kid };
  const resolved = await options.keyFor(iss, kid);
  if (resolved === undefined) {
    const known = options.issuerKnown !== undefined && (await options.issuerKnown(iss));
    throw known
      ? new IpfedError("TOKEN_KEY_UNKNOWN", `member ${iss} has no key ${kid}`, { metadata: about })
      : new IpfedError("TOKEN_ISSUER_UNKNOWN", `${iss} is not a known member`, { metadata: about });
  }
  const publicKey = await importVerificationKey(resolved);
  if (publicKey === undefined) {
    throw new IpfedError("TOKEN_KEY_UNKNOWN", `the key ${kid} of ${iss} is not an Ed25519 public key`, { metadata: about });
  }
  try {
    await compactVerify(jws, publicKey, { algorithms: ["EdDSA"] });
  } catch (err) {
    throw new IpfedError("TOKEN_SIGNATURE_INVALID", `gossip signature does not verify with key ${kid} of ${iss}`, {
      metadata: about,
      cause: err,
    });
  }

  // The signature holds: from here on the claims are the issuer's word.
  const now = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  const skew = options.clockSkewSeconds ?? DEFAULT_GOSSIP_CLOCK_SKEW_SECONDS;
  const maxAge = options.maxAgeSeconds ?? DEFAULT_MAX_GOSSIP_AGE_SECONDS;
  const iat = payload["iat"];
  if (typeof iat !== "number" || !Number.isSafeInteger(iat) || iat < 0) {
    throw new IpfedError("TOKEN_CLAIM_INVALID", "gossip iat is missing or invalid", { field: "iat", metadata: about });
  }
  // A message dated in the future would outlive the replay set; refuse it.
  if (iat > now + skew) throw new IpfedError("TOKEN_NOT_YET_VALID", "gossip message is dated in the future", { metadata: about });
  if (now - iat > maxAge) {
    throw new IpfedError("TOKEN_EXPIRED", `gossip message is older than ${maxAge} s`, { metadata: about });
  }
  const jti = payload["jti"];
  if (!isTokenIdentifier(jti)) throw new IpfedError("TOKEN_CLAIM_INVALID", "gossip jti is missing or invalid", { field: "jti", metadata: about });
  const topic = payload["topic"];
  if (!isTokenIdentifier(topic) || (options.topic !== undefined && topic !== options.topic)) {
    throw new IpfedError("TOKEN_CLAIM_INVALID", "gossip message was written for another topic", { field: "topic", metadata: about });
  }
  const type = payload["type"];
  if (!isTokenIdentifier(type)) throw new IpfedError("TOKEN_CLAIM_INVALID", "gossip type is missing or invalid", { field: "type", metadata: about });
  if (!Object.hasOwn(payload, "body")) throw new IpfedError("TOKEN_CLAIM_INVALID", "gossip body is missing", { field: "body", metadata: about });
  return Object.freeze({ iss, iat, jti, topic, type, body: payload["body"], kid, jws });
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(utf8.decode(Buffer.from(part, "base64url")));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const signingKeys = new WeakMap<JWK, Promise<CryptoKey>>();

function signingKey(jwk: JWK): Promise<CryptoKey> {
  let pending = signingKeys.get(jwk);
  if (pending === undefined) {
    if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.d !== "string") {
      return Promise.reject(new IpfedError("INVALID_ARGUMENT", "gossip needs an Ed25519 private key to sign", { field: "key" }));
    }
    pending = importJWK(jwk, "EdDSA") as Promise<CryptoKey>;
    // A failed import is not remembered, so a later call may try again.
    pending.catch(() => signingKeys.delete(jwk));
    signingKeys.set(jwk, pending);
  }
  return pending;
}
