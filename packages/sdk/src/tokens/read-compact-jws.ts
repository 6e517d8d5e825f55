import { IpfedError } from "../errors/ipfed-error.js";
import { isJsonObject, isTokenIdentifier } from "./token-claims.js";

/**
 * Header parameters that carry a key or point to one. A token never gets to say which key
 * checks it: keys come from the network configuration only.
 *
 * @example
 * ```ts
 * FORBIDDEN_HEADER_PARAMETERS.includes("jwk"); // true: a token never names its own key
 * ```
 */
export const FORBIDDEN_HEADER_PARAMETERS: readonly string[] = ["jwk", "jku", "x5u", "x5c"];

/**
 * The protected header of a token, as far as ipfed reads it.
 *
 * @example
 * ```ts
 * const header: TokenHeader = readCompactJws(token, DEFAULT_MAX_TOKEN_BYTES).header;
 * // { alg: "EdDSA", kid: "GdFlrI9-…", typ: "JWT" }
 * ```
 */
export interface TokenHeader {
  /** Always `EdDSA`: nothing else passes. */
  readonly alg: "EdDSA";
  /** Key id, within the issuer's keys. */
  readonly kid: string;
  /** Media type, when the issuer set one (`JWT`). */
  readonly typ?: string;
}

/**
 * A compact JWS taken apart, before its signature is checked: nothing in it is trusted yet.
 *
 * @example
 * ```ts
 * const { header, payload }: UncheckedJws = readCompactJws(token, 8192);
 * console.log(header.kid, payload.iss); // nothing here is trusted before the signature is checked
 * ```
 */
export interface UncheckedJws {
  /** The header, already checked for size, shape, `alg`, key parameters, `kid` and `typ`. */
  readonly header: TokenHeader;
  /** The decoded payload object; its claims are not checked. */
  readonly payload: Record<string, unknown>;
}

/**
 * Takes an untrusted token apart: the checks that come before any key is looked up. In order:
 * size (`TOKEN_TOO_LARGE`; empty is `TOKEN_MISSING`), three base64url parts with a JSON object
 * header (`TOKEN_MALFORMED`), `alg` exactly `EdDSA` (`TOKEN_ALG_NOT_ALLOWED`), no `jwk`, `jku`,
 * `x5u` or `x5c` (`TOKEN_HEADER_KEY_NOT_ALLOWED`), then `kid` present, `typ` absent or JWT,
 * no `crit`/`b64`, and a JSON object payload (`TOKEN_MALFORMED`).
 *
 * @internal The first stage of {@link verifyToken}; exported for tools that inspect tokens.
 * @example
 * ```ts
 * const { header, payload } = readCompactJws(token, 8192);
 * header.kid; // which key to look up, within payload.iss
 * ```
 */
export function readCompactJws(token: string, maxBytes: number): UncheckedJws {
  // Size first, so that nothing below ever splits, decodes or parses a huge input.
  if (typeof token !== "string") throw new IpfedError("TOKEN_MALFORMED", "token is not a string");
  if (token === "") throw new IpfedError("TOKEN_MISSING", "token is empty");
  if (token.length > maxBytes || Buffer.byteLength(token, "utf8") > maxBytes) {
    throw new IpfedError("TOKEN_TOO_LARGE", `token is larger than the ${maxBytes} bytes allowed`);
  }

  const parts = token.split(".");
  const [encodedHeader, encodedPayload, encodedSignature] = parts;
  if (
    parts.length !== 3 ||
    !isBase64url(encodedHeader, false) ||
    !isBase64url(encodedPayload, false) ||
    // An empty signature passes here so that an unsigned `alg: none` token is reported as such.
    !isBase64url(encodedSignature, true)
  ) {
    throw new IpfedError("TOKEN_MALFORMED", "token is not a compact JWS: three base64url parts separated by dots");
  }
  const header = decodeJsonObject(encodedHeader);
  if (header === undefined) throw new IpfedError("TOKEN_MALFORMED", "token header is not a base64url-encoded JSON object");

  // Exactly EdDSA: refusing everything else closes `none`, HMAC-with-the-public-key and
  // RSA/EC confusion before any key is even looked at.
  if (header["alg"] !== "EdDSA") {
    throw new IpfedError("TOKEN_ALG_NOT_ALLOWED", `token alg ${shown(header["alg"])} is not allowed: only EdDSA is accepted`, {
      field: "alg",
    });
  }
  for (const name of FORBIDDEN_HEADER_PARAMETERS) {
    if (Object.hasOwn(header, name)) {
      throw new IpfedError(
        "TOKEN_HEADER_KEY_NOT_ALLOWED",
        `token header carries ${name}: keys come from the network configuration, never from the token`,
        { field: name },
      );
    }
  }
  const kid = header["kid"];
  if (!isTokenIdentifier(kid)) throw new IpfedError("TOKEN_MALFORMED", "token header has no valid kid", { field: "kid" });
  const typ = header["typ"];
  // Explicit typing (RFC 8725 §3.11): another object a member signs must not pass as a token.
  if (typ !== undefined && (typeof typ !== "string" || !ACCEPTED_TYP.has(typ.toLowerCase()))) {
    throw new IpfedError("TOKEN_MALFORMED", "token header typ is not JWT", { field: "typ" });
  }
  // `crit` (and with it `b64: false`) would change what the signature covers; nobody needs it.
  if (Object.hasOwn(header, "crit") || Object.hasOwn(header, "b64")) {
    throw new IpfedError("TOKEN_MALFORMED", "token header uses crit or b64, which are not supported", { field: "crit" });
  }

  const payload = decodeJsonObject(encodedPayload);
  if (payload === undefined) throw new IpfedError("TOKEN_MALFORMED", "token payload is not a base64url-encoded JSON object");
  return { header: { alg: "EdDSA", kid, ...(typ !== undefined ? { typ } : {}) }, payload };
}

// What a message may repeat from a token: short, plain identifiers. Anything else (spaces,
// quotes, control characters, long strings) could be used to forge log lines or leak secrets.
const SHOWABLE = /^[A-Za-z0-9._:@+-]{1,128}$/;

/**
 * Returns a token value fit for an error message: itself when it is a short plain identifier,
 * `(not shown)` otherwise.
 *
 * @internal Shared by the verifier's stages.
 */
export function shown(value: unknown): string {
  return typeof value === "string" && SHOWABLE.test(value) ? value : "(not shown)";
}

/**
 * Returns `{ [name]: value }` for error metadata when the value is a plain identifier, `{}` otherwise.
 *
 * @internal Shared by the verifier's stages.
 */
export function safeMetadata(name: string, value: string): Record<string, string> {
  return SHOWABLE.test(value) ? { [name]: value } : {};
}

const ACCEPTED_TYP = new Set(["jwt", "application/jwt"]);

const BASE64URL = /^[A-Za-z0-9_-]*$/;

const utf8 = new TextDecoder("utf-8", { fatal: true });

function isBase64url(part: string | undefined, allowEmpty: boolean): part is string {
  if (part === undefined || (part === "" && !allowEmpty)) return false;
  // A length of 1 mod 4 cannot come from any byte string.
  return part.length % 4 !== 1 && BASE64URL.test(part);
}

function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(utf8.decode(Buffer.from(part, "base64url")));
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
