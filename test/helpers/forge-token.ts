import { createHmac, createPrivateKey, generateKeyPairSync, sign } from "node:crypto";
import type { JsonWebKey } from "node:crypto";

const b64 = (v: unknown): string => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");

/** A private Ed25519 JWK with its kid, as keys.json stores it. */
export interface PrivateJwk extends JsonWebKey {
  kid: string;
}

/**
 * Builds a compact JWS by hand, so that tests can make tokens no honest issuer would: any
 * header, any payload, signed with any Ed25519 key, with HMAC, or not at all.
 */
export function forgeToken(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signer: { ed25519: PrivateJwk } | { hmac: Buffer | string } | "none",
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  if (signer === "none") return `${input}.`;
  if ("hmac" in signer) return `${input}.${createHmac("sha256", signer.hmac).update(input).digest("base64url")}`;
  const key = createPrivateKey({ key: signer.ed25519, format: "jwk" });
  return `${input}.${sign(null, Buffer.from(input), key).toString("base64url")}`;
}

/** A fresh Ed25519 key that no member holds. */
export function strangerKey(kid = "stranger-key"): PrivateJwk {
  const { privateKey } = generateKeyPairSync("ed25519");
  return { ...(privateKey.export({ format: "jwk" }) as JsonWebKey), kid };
}

/** Standard claims for a token of `iss` to `aud`, valid for an hour from now. */
export function claims(iss: string, aud: string | string[], over: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss, sub: "tester", aud, iat: now, nbf: now - 5, exp: now + 3600, jti: `jti-${Math.random().toString(36).slice(2)}`, tier: "registered", scope: "search read export", ...over };
}
