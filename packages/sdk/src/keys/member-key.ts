import { generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint } from "jose";
import type { JWK } from "jose";

/**
 * A member's Ed25519 signing key, as JWKs.
 *
 * @example
 * ```ts
 * const key: MemberKey = await generateMemberKey();
 * await writeFile("member-key.json", JSON.stringify(key), { mode: 0o600 }); // plain JSON: keep it secret
 * ```
 */
export interface MemberKey {
  /** Key id: the RFC 7638 thumbprint of the public key. */
  readonly kid: string;
  /** The private key (`kty: OKP`, `crv: Ed25519`, with `d`). Keep it secret. */
  readonly privateJwk: JWK;
  /** The public key (`kty: OKP`, `crv: Ed25519`, `x` only). */
  readonly publicJwk: JWK;
  /** When the key was created, ISO 8601. */
  readonly createdAt: string;
  /** When the key stopped signing (rotated out), ISO 8601; it still verifies until then plus the longest token lifetime. */
  readonly retiredAt?: string;
}

/**
 * Generates a new Ed25519 member key.
 *
 * @example
 * ```ts
 * const key = await generateMemberKey();
 * console.log(key.kid, key.publicJwk.x);
 * ```
 */
export async function generateMemberKey(now: Date = new Date()): Promise<MemberKey> {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const privateJwk = privateKey.export({ format: "jwk" }) as JWK;
  const publicJwk = publicKey.export({ format: "jwk" }) as JWK;
  const kid = await calculateJwkThumbprint(publicJwk, "sha256");
  return {
    kid,
    privateJwk: { ...privateJwk, kid, alg: "EdDSA", use: "sig" },
    publicJwk: { ...publicJwk, kid, alg: "EdDSA", use: "sig" },
    createdAt: now.toISOString(),
  };
}

/**
 * Returns the public JWKS (RFC 7517) document of a set of member keys.
 *
 * @example
 * ```ts
 * const jwks = toJwks([key]); // { keys: [{ kty: "OKP", crv: "Ed25519", x, kid, alg: "EdDSA", use: "sig" }] }
 * ```
 */
export function toJwks(keys: readonly MemberKey[]): {
  /** The public keys, in the order given. */
  keys: JWK[];
} {
  return { keys: keys.map((k) => ({ ...k.publicJwk })) };
}
