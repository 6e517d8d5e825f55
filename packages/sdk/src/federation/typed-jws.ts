import { CompactSign, compactVerify, importJWK } from "jose";
import type { CryptoKey, JWK } from "jose";
import type { ErrorCode } from "../errors/code.js";
import { IpfedError } from "../errors/ipfed-error.js";
import type { MemberKey } from "../keys/member-key.js";
import { importVerificationKey } from "../tokens/key-resolvers.js";
import { FORBIDDEN_HEADER_PARAMETERS, shown } from "../tokens/read-compact-jws.js";
import { isJsonObject, isTokenIdentifier } from "../tokens/token-claims.js";

/** How a typed JWS is checked: its media type, the error it fails with, and a size limit. */
export interface TypedJwsRules {
  /** The exact `typ` header expected; explicit typing keeps one signed object from passing as another. */
  readonly typ: string;
  /** The error code every failure is reported with. */
  readonly code: ErrorCode;
  /** What the object is, for messages (`network configuration`). */
  readonly what: string;
  /** Largest accepted input, in bytes; checked before anything is decoded. */
  readonly maxBytes: number;
}

/** A typed JWS taken apart before its signature is checked: nothing in it is trusted yet. */
export interface UncheckedTypedJws {
  /** The signing key's id, from the protected header. */
  readonly kid: string;
  /** The decoded payload, a JSON object. */
  readonly payload: Record<string, unknown>;
}

/**
 * Signs a JSON text as a compact JWS with an Ed25519 member key, header
 * `{ alg: "EdDSA", kid, typ }`.
 *
 * @internal Shared by the network configuration and registration signatures.
 */
export async function signTypedJws(key: MemberKey, typ: string, payload: string): Promise<string> {
  return new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ }).sign(await privateKeyOf(key));
}

/**
 * Takes a typed JWS apart and checks its header: size, three base64url parts, `alg` exactly
 * EdDSA, the expected `typ`, a `kid`, and no header parameter that brings or points to a key.
 *
 * @internal The first stage of {@link verifyTypedJws}; also used to pick the key to check with.
 */
export function readTypedJws(jws: string, rules: TypedJwsRules): UncheckedTypedJws {
  const fail = (why: string): never => {
    throw new IpfedError(rules.code, `${rules.what} ${why}`);
  };
  if (typeof jws !== "string" || jws === "") fail("is missing");
  if (jws.length > rules.maxBytes || Buffer.byteLength(jws, "utf8") > rules.maxBytes) fail(`is larger than the ${rules.maxBytes} bytes allowed`);
  const parts = jws.split(".");
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) fail("is not a compact JWS");
  const header = decodeObject(parts[0]!);
  if (header === undefined) return fail("has no JSON header");
  if (header["alg"] !== "EdDSA") fail("is not signed with EdDSA");
  if (header["typ"] !== rules.typ) fail(`is not of type ${rules.typ}`);
  for (const name of [...FORBIDDEN_HEADER_PARAMETERS, "crit", "b64"]) {
    if (Object.hasOwn(header, name)) fail(`header carries ${name}, which is not allowed`);
  }
  const kid = header["kid"];
  if (!isTokenIdentifier(kid)) return fail("header has no valid kid");
  const payload = decodeObject(parts[1]!);
  if (payload === undefined) return fail("payload is not a JSON object");
  return { kid, payload };
}

/**
 * Checks a typed JWS with the key `keyFor` returns for its `kid` and returns the verified
 * payload. Nothing but the header is read before the signature holds.
 *
 * @internal Shared by the network configuration and registration signatures.
 */
export async function verifyTypedJws(
  jws: string,
  rules: TypedJwsRules,
  keyFor: (kid: string, unchecked: UncheckedTypedJws) => JWK | undefined | Promise<JWK | undefined>,
): Promise<UncheckedTypedJws> {
  const unchecked = readTypedJws(jws, rules);
  const jwk = await keyFor(unchecked.kid, unchecked);
  if (jwk === undefined) throw new IpfedError(rules.code, `${rules.what} is signed with key ${shown(unchecked.kid)}, which is not trusted here`);
  const key = await importVerificationKey(jwk);
  if (key === undefined) throw new IpfedError(rules.code, `key ${shown(unchecked.kid)} is not an Ed25519 public key`);
  try {
    await compactVerify(jws, key, { algorithms: ["EdDSA"] });
  } catch (err) {
    throw new IpfedError(rules.code, `${rules.what} signature does not verify with key ${shown(unchecked.kid)}`, { cause: err });
  }
  return unchecked;
}

// Importing a JWK costs more than signing, and a hub signs often with one key.
const privateKeys = new WeakMap<JWK, Promise<CryptoKey>>();

function privateKeyOf(key: MemberKey): Promise<CryptoKey> {
  const jwk = key.privateJwk;
  let pending = privateKeys.get(jwk);
  if (pending === undefined) {
    if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.d !== "string" || !isTokenIdentifier(key.kid)) {
      throw new IpfedError("INVALID_ARGUMENT", "the signing key is not an Ed25519 private key with a kid", { field: "key" });
    }
    pending = (importJWK(jwk, "EdDSA") as Promise<CryptoKey>).catch((err: unknown) => {
      privateKeys.delete(jwk);
      throw err;
    });
    privateKeys.set(jwk, pending);
  }
  return pending;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(utf8.decode(Buffer.from(part, "base64url")));
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
