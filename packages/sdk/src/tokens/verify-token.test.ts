import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { Tier } from "@ipfed/proto";
import type { ErrorCode } from "../errors/code.js";
import { IpfedError } from "../errors/ipfed-error.js";
import { generateMemberKey } from "../keys/member-key.js";
import type { MemberKey } from "../keys/member-key.js";
import { issueToken } from "./issue-token.js";
import { createStaticKeyResolver } from "./key-resolvers.js";
import { verifyToken } from "./verify-token.js";
import type { VerifyTokenOptions } from "./verify-token.js";

// Tokens in this file are built by hand (base64url parts, signatures from node:crypto), since
// jose refuses to produce most of them.

const T = 1_700_000_000;
const A = "member-a";
const B = "member-b";
const SELF = "member-v";
const NETWORK = "net-1";
// Placed in every token's subject: no error message may ever repeat it.
const CANARY = "canary-subject-7f3a";

let keyA: MemberKey;
let keyB: MemberKey;
let privA: KeyObject;
let privB: KeyObject;
let options: VerifyTokenOptions;

beforeAll(async () => {
  keyA = await generateMemberKey();
  keyB = await generateMemberKey();
  privA = createPrivateKey({ key: keyA.privateJwk as never, format: "jwk" });
  privB = createPrivateKey({ key: keyB.privateJwk as never, format: "jwk" });
  options = {
    keys: createStaticKeyResolver({
      [A]: { keys: [keyA.publicJwk], maxTier: Tier.TIER_RESTRICTED },
      [B]: { keys: [keyB.publicJwk], maxTier: Tier.TIER_CONFIDENTIAL },
    }),
    audience: [SELF, NETWORK],
    isRevoked: (jti, issuer) => jti === "revoked-jti" && issuer === A,
    now: () => new Date(T * 1000),
  };
});

const b64 = (value: unknown): string =>
  Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    iss: A,
    sub: CANARY,
    aud: NETWORK,
    iat: T,
    nbf: T,
    exp: T + 3600,
    jti: "jti-1",
    tier: "registered",
    scope: "search read",
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

function header(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = { alg: "EdDSA", kid: keyA.kid, typ: "JWT" };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

/** A compact JWS over encoded parts, signed with Ed25519 by `key`. */
function ed25519(key: KeyObject, h: unknown, p: unknown): string {
  const input = `${b64(h)}.${b64(p)}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString("base64url")}`;
}

/** A token of member A with these claim and header changes, properly signed by A. */
function signedByA(claimOverrides: Record<string, unknown> = {}, headerOverrides: Record<string, unknown> = {}): string {
  return ed25519(privA, header(headerOverrides), claims(claimOverrides));
}

async function failure(token: string, extra: Partial<VerifyTokenOptions> = {}): Promise<IpfedError> {
  try {
    await verifyToken(token, { ...options, ...extra });
  } catch (err) {
    expect(err).toBeInstanceOf(IpfedError);
    return err as IpfedError;
  }
  throw new Error("expected the token to be refused");
}

interface AttackRow {
  readonly name: string;
  readonly token: () => string;
  readonly code: ErrorCode;
  /** The claim or header parameter the error names, when it names one. */
  readonly field?: string;
  readonly options?: () => Partial<VerifyTokenOptions>;
}

const attacks: readonly AttackRow[] = [
  // Size and shape
  { name: "a 1 MB token", token: () => `${b64(header())}.${"A".repeat(1 << 20)}.sig`, code: "TOKEN_TOO_LARGE" },
  { name: "one byte over maxTokenBytes", token: () => "a".repeat(8193), code: "TOKEN_TOO_LARGE" },
  {
    name: "over a custom maxTokenBytes",
    token: () => signedByA(),
    code: "TOKEN_TOO_LARGE",
    options: () => ({ maxTokenBytes: 64 }),
  },
  { name: "an empty token", token: () => "", code: "TOKEN_MISSING" },
  { name: "two parts", token: () => `${b64(header())}.${b64(claims())}`, code: "TOKEN_MALFORMED" },
  { name: "four parts", token: () => `${signedByA()}.xyz`, code: "TOKEN_MALFORMED" },
  { name: "a header that is not base64url", token: () => `!!!.${b64(claims())}.c2ln`, code: "TOKEN_MALFORMED" },
  { name: "a header of impossible base64 length", token: () => `eyJhb.${b64(claims())}.c2ln`, code: "TOKEN_MALFORMED" },
  { name: "a header that is not JSON", token: () => `${b64("not json")}.${b64(claims())}.c2ln`, code: "TOKEN_MALFORMED" },
  { name: "a header that is a JSON array", token: () => `${b64(["EdDSA"])}.${b64(claims())}.c2ln`, code: "TOKEN_MALFORMED" },
  {
    name: "a header that is not UTF-8",
    token: () => `${Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("base64url")}.${b64(claims())}.c2ln`,
    code: "TOKEN_MALFORMED",
  },
  { name: "padding in a part", token: () => `${b64(header())}=.${b64(claims())}.c2ln`, code: "TOKEN_MALFORMED" },

  // Algorithm confusion
  { name: "alg none, unsigned", token: () => `${b64(header({ alg: "none" }))}.${b64(claims())}.`, code: "TOKEN_ALG_NOT_ALLOWED", field: "alg" },
  { name: "alg None, unsigned", token: () => `${b64(header({ alg: "None" }))}.${b64(claims())}.`, code: "TOKEN_ALG_NOT_ALLOWED" },
  {
    name: "HS256 keyed with the member's raw public key bytes",
    token: () => hmac(Buffer.from(keyA.publicJwk.x as string, "base64url")),
    code: "TOKEN_ALG_NOT_ALLOWED",
  },
  {
    name: "HS256 keyed with the member's public key PEM",
    token: () => hmac(Buffer.from(createPublicKey({ key: keyA.publicJwk as never, format: "jwk" }).export({ type: "spki", format: "pem" }))),
    code: "TOKEN_ALG_NOT_ALLOWED",
  },
  { name: "RS256 signed by some RSA key", token: () => rsa(), code: "TOKEN_ALG_NOT_ALLOWED" },
  { name: "ES256 signed by some P-256 key", token: () => es256(), code: "TOKEN_ALG_NOT_ALLOWED" },
  { name: "alg Ed25519 (not the agreed name)", token: () => signedByA({}, { alg: "Ed25519" }), code: "TOKEN_ALG_NOT_ALLOWED" },
  { name: "alg eddsa (wrong case)", token: () => signedByA({}, { alg: "eddsa" }), code: "TOKEN_ALG_NOT_ALLOWED" },
  { name: "alg missing", token: () => signedByA({}, { alg: undefined }), code: "TOKEN_ALG_NOT_ALLOWED" },
  { name: "alg as an array", token: () => signedByA({}, { alg: ["EdDSA"] }), code: "TOKEN_ALG_NOT_ALLOWED" },

  // Keys smuggled in the header
  {
    name: "an embedded jwk of the attacker's own key",
    token: () => {
      const attacker = generateKeyPairSync("ed25519");
      return ed25519(attacker.privateKey, header({ jwk: attacker.publicKey.export({ format: "jwk" }) }), claims());
    },
    code: "TOKEN_HEADER_KEY_NOT_ALLOWED",
    field: "jwk",
  },
  { name: "a jku", token: () => signedByA({}, { jku: "https://attacker.example/jwks.json" }), code: "TOKEN_HEADER_KEY_NOT_ALLOWED", field: "jku" },
  { name: "an x5u", token: () => signedByA({}, { x5u: "https://attacker.example/cert.pem" }), code: "TOKEN_HEADER_KEY_NOT_ALLOWED", field: "x5u" },
  { name: "an x5c", token: () => signedByA({}, { x5c: ["MIIB"] }), code: "TOKEN_HEADER_KEY_NOT_ALLOWED", field: "x5c" },

  // Other header problems
  { name: "no kid", token: () => signedByA({}, { kid: undefined }), code: "TOKEN_MALFORMED", field: "kid" },
  { name: "a numeric kid", token: () => signedByA({}, { kid: 7 }), code: "TOKEN_MALFORMED", field: "kid" },
  { name: "a typ other than JWT", token: () => signedByA({}, { typ: "dpop+jwt" }), code: "TOKEN_MALFORMED", field: "typ" },
  { name: "a crit header", token: () => signedByA({}, { crit: ["exp"], exp: 1 }), code: "TOKEN_MALFORMED", field: "crit" },
  { name: "b64: false", token: () => signedByA({}, { b64: false, crit: ["b64"] }), code: "TOKEN_MALFORMED", field: "crit" },
  { name: "a payload that is not JSON", token: () => ed25519(privA, header(), "not json"), code: "TOKEN_MALFORMED" },

  // Issuer and key
  { name: "no iss", token: () => signedByA({ iss: undefined }), code: "TOKEN_CLAIM_INVALID", field: "iss" },
  { name: "an unknown iss", token: () => signedByA({ iss: "member-x" }), code: "TOKEN_ISSUER_UNKNOWN" },
  { name: "iss __proto__", token: () => signedByA({ iss: "__proto__" }), code: "TOKEN_ISSUER_UNKNOWN" },
  { name: "iss constructor", token: () => signedByA({ iss: "constructor" }), code: "TOKEN_ISSUER_UNKNOWN" },
  { name: "a kid not in the issuer's keys", token: () => signedByA({}, { kid: "zP1x4a2rS0m3r4nd0mK1d" }), code: "TOKEN_KEY_UNKNOWN" },
  { name: "B's kid, signed by A's key, iss A", token: () => signedByA({}, { kid: keyB.kid }), code: "TOKEN_KEY_UNKNOWN" },
  { name: "B's kid, signed by A's key, iss B", token: () => signedByA({ iss: B }, { kid: keyB.kid }), code: "TOKEN_SIGNATURE_INVALID" },
  { name: "A's kid, iss B", token: () => signedByA({ iss: B }), code: "TOKEN_KEY_UNKNOWN" },

  // Signature
  {
    name: "a tampered payload (tier raised, signature kept)",
    token: () => {
      const [h, , s] = signedByA().split(".");
      return `${h}.${b64(claims({ tier: "restricted" }))}.${s}`;
    },
    code: "TOKEN_SIGNATURE_INVALID",
  },
  {
    name: "a tampered header (kid swapped, signature kept)",
    token: () => {
      const [, p, s] = ed25519(privB, header({ kid: keyB.kid }), claims({ iss: B })).split(".");
      return `${b64(header({ kid: keyB.kid, typ: "jwt" }))}.${p}.${s}`;
    },
    code: "TOKEN_SIGNATURE_INVALID",
  },
  {
    name: "one flipped signature bit",
    token: () => {
      const [h, p, s] = signedByA().split(".");
      const sig = Buffer.from(s as string, "base64url");
      sig[10] = (sig[10] as number) ^ 1;
      return `${h}.${p}.${sig.toString("base64url")}`;
    },
    code: "TOKEN_SIGNATURE_INVALID",
  },
  { name: "a truncated signature", token: () => signedByA().slice(0, -8), code: "TOKEN_SIGNATURE_INVALID" },
  { name: "an empty signature", token: () => signedByA().replace(/[^.]+$/, ""), code: "TOKEN_SIGNATURE_INVALID" },
  { name: "signed by a stranger's Ed25519 key", token: () => ed25519(generateKeyPairSync("ed25519").privateKey, header(), claims()), code: "TOKEN_SIGNATURE_INVALID" },

  // Time
  { name: "expired an hour ago", token: () => signedByA({ iat: T - 7200, nbf: T - 7200, exp: T - 3600 }), code: "TOKEN_EXPIRED" },
  { name: "expired 61 s ago (skew 60 s)", token: () => signedByA({ exp: T - 61, iat: T - 600, nbf: T - 600 }), code: "TOKEN_EXPIRED" },
  { name: "expired 60 s ago (skew 60 s)", token: () => signedByA({ exp: T - 60, iat: T - 600, nbf: T - 600 }), code: "TOKEN_EXPIRED" },
  {
    name: "expired 1 s ago with no skew",
    token: () => signedByA({ exp: T - 1, iat: T - 600, nbf: T - 600 }),
    code: "TOKEN_EXPIRED",
    options: () => ({ clockSkewSeconds: 0 }),
  },
  {
    name: "expired 301 s ago with skew configured to 900 s (capped at 300)",
    token: () => signedByA({ exp: T - 301, iat: T - 600, nbf: T - 600 }),
    code: "TOKEN_EXPIRED",
    options: () => ({ clockSkewSeconds: 900 }),
  },
  { name: "nbf an hour ahead", token: () => signedByA({ nbf: T + 3600, exp: T + 7200 }), code: "TOKEN_NOT_YET_VALID" },
  { name: "nbf 61 s ahead (skew 60 s)", token: () => signedByA({ nbf: T + 61 }), code: "TOKEN_NOT_YET_VALID" },
  { name: "no exp", token: () => signedByA({ exp: undefined }), code: "TOKEN_CLAIM_INVALID", field: "exp" },
  { name: "exp as a string", token: () => signedByA({ exp: String(T + 3600) }), code: "TOKEN_CLAIM_INVALID", field: "exp" },
  { name: "nbf as a string", token: () => signedByA({ nbf: "now" }), code: "TOKEN_CLAIM_INVALID", field: "nbf" },

  // Audience
  { name: "aud for another member", token: () => signedByA({ aud: "member-other" }), code: "TOKEN_AUDIENCE_MISMATCH" },
  { name: "aud list without us", token: () => signedByA({ aud: ["member-other", "net-2"] }), code: "TOKEN_AUDIENCE_MISMATCH" },
  { name: "no aud", token: () => signedByA({ aud: undefined }), code: "TOKEN_CLAIM_INVALID", field: "aud" },
  { name: "an empty aud list", token: () => signedByA({ aud: [] }), code: "TOKEN_CLAIM_INVALID", field: "aud" },

  // Claim shapes
  { name: "no sub", token: () => signedByA({ sub: undefined }), code: "TOKEN_CLAIM_INVALID", field: "sub" },
  { name: "a sub with a newline", token: () => signedByA({ sub: "alice\n2024 ok admin" }), code: "TOKEN_CLAIM_INVALID", field: "sub" },
  { name: "no jti", token: () => signedByA({ jti: undefined }), code: "TOKEN_CLAIM_INVALID", field: "jti" },
  { name: "no tier", token: () => signedByA({ tier: undefined }), code: "TOKEN_CLAIM_INVALID", field: "tier" },
  { name: "tier in upper case", token: () => signedByA({ tier: "REGISTERED" }), code: "TOKEN_CLAIM_INVALID", field: "tier" },
  { name: "tier as a number", token: () => signedByA({ tier: 2 }), code: "TOKEN_CLAIM_INVALID", field: "tier" },
  { name: "an unknown tier", token: () => signedByA({ tier: "secret" }), code: "TOKEN_CLAIM_INVALID", field: "tier" },
  { name: "tier unspecified", token: () => signedByA({ tier: "unspecified" }), code: "TOKEN_CLAIM_INVALID", field: "tier" },
  { name: "no scope", token: () => signedByA({ scope: undefined }), code: "TOKEN_CLAIM_INVALID", field: "scope" },
  { name: "an empty scope", token: () => signedByA({ scope: "" }), code: "TOKEN_CLAIM_INVALID", field: "scope" },
  { name: "an unknown scope", token: () => signedByA({ scope: "search delete" }), code: "TOKEN_CLAIM_INVALID", field: "scope" },
  { name: "scope as an array", token: () => signedByA({ scope: ["search"] }), code: "TOKEN_CLAIM_INVALID", field: "scope" },
  { name: "an empty datasets list", token: () => signedByA({ datasets: [] }), code: "TOKEN_CLAIM_INVALID", field: "datasets" },
  { name: "datasets as a string", token: () => signedByA({ datasets: "cn-patents" }), code: "TOKEN_CLAIM_INVALID", field: "datasets" },
  { name: "an act without sub", token: () => signedByA({ act: { iss: A } }), code: "TOKEN_CLAIM_INVALID", field: "act" },
  { name: "an act chain 40 deep", token: () => signedByA({ act: deepAct(40) }), code: "TOKEN_CLAIM_INVALID", field: "act" },

  // Revocation and tier allowance
  { name: "a revoked jti", token: () => signedByA({ jti: "revoked-jti" }), code: "TOKEN_REVOKED" },
  { name: "a tier above the issuer's cap", token: () => signedByA({ tier: "confidential" }), code: "TIER_EXCEEDS_ISSUER", field: "tier" },
  {
    name: "a tier above the cap given by the maxTier option",
    token: () => signedByA({ tier: "registered" }),
    code: "TIER_EXCEEDS_ISSUER",
    options: () => ({ maxTier: () => Tier.TIER_PUBLIC }),
  },
];

describe("verifyToken: attacks", () => {
  it.each(attacks)("refuses $name with $code", async (row) => {
    const token = row.token();
    const err = await failure(token, row.options?.());
    expect(err.code).toBe(row.code);
    if (row.field !== undefined) expect(err.field).toBe(row.field);
    // Messages say which check failed, never what the token said.
    expect(err.message).not.toContain(CANARY);
    for (const part of token.split(".")) if (part.length > 8) expect(err.message).not.toContain(part);
    expect(err.message).not.toMatch(/attacker|MIIB|member-other|secret/);
  });
});

describe("verifyToken: order of checks", () => {
  it.each<[string, () => string, ErrorCode]>([
    ["alg none from an unknown issuer", () => `${b64(header({ alg: "none" }))}.${b64(claims({ iss: "member-x" }))}.`, "TOKEN_ALG_NOT_ALLOWED"],
    ["a jku in a token without kid", () => signedByA({}, { jku: "https://x.example", kid: undefined }), "TOKEN_HEADER_KEY_NOT_ALLOWED"],
    ["an unknown issuer with a random kid", () => signedByA({ iss: "member-x" }, { kid: "nope" }), "TOKEN_ISSUER_UNKNOWN"],
    ["an expired token with a bad signature", () => signedByA({ exp: T - 3600 }).slice(0, -4), "TOKEN_SIGNATURE_INVALID"],
    ["an expired token for another audience", () => signedByA({ exp: T - 3600, aud: "member-other" }), "TOKEN_EXPIRED"],
    ["a wrong audience and a bad tier claim", () => signedByA({ aud: "member-other", tier: "x" }), "TOKEN_AUDIENCE_MISMATCH"],
    ["a revoked token above the issuer's cap", () => signedByA({ jti: "revoked-jti", tier: "confidential" }), "TOKEN_REVOKED"],
    ["bad sub and bad scope", () => signedByA({ sub: 7, scope: 7 }), "TOKEN_CLAIM_INVALID"],
  ])("%s fails with %s", async (_name, token, code) => {
    expect((await failure(token())).code).toBe(code);
  });
});

describe("verifyToken: acceptance", () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>?, Partial<VerifyTokenOptions>?]>([
    ["a plain token", {}],
    ["59 s past exp with 60 s skew", { exp: T - 59, iat: T - 600, nbf: T - 600 }],
    ["nbf 59 s ahead with 60 s skew", { nbf: T + 59 }],
    ["299 s past exp with skew 900 (capped to 300)", { exp: T - 299, iat: T - 900, nbf: T - 900 }, {}, { clockSkewSeconds: 900 }],
    ["no nbf and no iat", { nbf: undefined, iat: undefined }],
    ["aud as a list naming this member", { aud: ["member-other", SELF] }],
    ["no typ", {}, { typ: undefined }],
    ["typ application/jwt", {}, { typ: "application/jwt" }],
    ["unknown extra claims", { org: "acme", roles: ["x"] }],
    ["tier at the issuer's cap", { tier: "restricted" }],
  ])("accepts %s", async (_name, claimOverrides, headerOverrides = {}, extra = {}) => {
    const { caller } = await verifyToken(signedByA(claimOverrides, headerOverrides), { ...options, ...extra });
    expect(caller.issuer).toBe(A);
    expect(caller.subject).toBe(CANARY);
  });

  it("returns the exact caller, claims and header", async () => {
    const act = { sub: "member-r", iss: "member-r", act: { sub: "hub" } };
    const token = signedByA({ tier: "restricted", scope: "read search read", datasets: ["ds-1", "ds-2"], act });
    const result = await verifyToken(token, options);
    expect(result.caller).toStrictEqual({
      anonymous: false,
      subject: CANARY,
      issuer: A,
      tier: Tier.TIER_RESTRICTED,
      scopes: new Set(["read", "search"]),
      datasets: new Set(["ds-1", "ds-2"]),
      act,
      tokenId: "jti-1",
      expiresAt: T + 3600,
    });
    expect(result.header).toStrictEqual({ alg: "EdDSA", kid: keyA.kid, typ: "JWT" });
    expect(result.claims.datasets).toEqual(["ds-1", "ds-2"]);
    expect(Object.isFrozen(result.caller)).toBe(true);
    expect(Object.isFrozen(result.claims.act)).toBe(true);
  });

  it("keeps only sub, iss and act of each actor", async () => {
    const { caller } = await verifyToken(signedByA({ act: { sub: "m1", client_id: "x", act: { sub: "m0", extra: 1 } } }), options);
    expect(caller.act).toStrictEqual({ sub: "m1", act: { sub: "m0" } });
  });

  it("verifies a token minted by issueToken", async () => {
    const token = await issueToken(keyB, {
      issuer: B,
      subject: "user-9",
      audience: [SELF],
      tier: Tier.TIER_CONFIDENTIAL,
      scopes: ["admin"],
      ttlSeconds: 60,
      now: new Date(T * 1000),
    });
    const { caller } = await verifyToken(token, options);
    expect(caller.tier).toBe(Tier.TIER_CONFIDENTIAL);
    expect([...caller.scopes]).toEqual(["admin"]);
    expect(caller.datasets).toBeUndefined();
  });

  it("accepts keys a custom resolver returns as JWKs, and refuses keys that are not Ed25519 public keys", async () => {
    const jwkResolver = { issuerKnown: (iss: string) => iss === A, key: (_iss: string, kid: string) => (kid === keyA.kid ? keyA.publicJwk : undefined) };
    await expect(verifyToken(signedByA(), { ...options, keys: jwkResolver })).resolves.toBeDefined();
    const privateResolver = { issuerKnown: () => true, key: () => keyA.privateJwk };
    expect((await failure(signedByA(), { keys: privateResolver })).code).toBe("TOKEN_KEY_UNKNOWN");
    const octResolver = { issuerKnown: () => true, key: () => ({ kty: "oct", k: keyA.publicJwk.x as string }) };
    expect((await failure(signedByA(), { keys: octResolver })).code).toBe("TOKEN_KEY_UNKNOWN");
  });

  it("answers async resolvers and revocation checks", async () => {
    const keys = {
      issuerKnown: async (iss: string) => iss === A,
      key: async (_iss: string, kid: string) => (kid === keyA.kid ? keyA.publicJwk : undefined),
      maxTier: () => Tier.TIER_RESTRICTED,
    };
    await expect(verifyToken(signedByA(), { ...options, keys, isRevoked: async () => false })).resolves.toBeDefined();
    expect((await failure(signedByA(), { keys, isRevoked: async () => true })).code).toBe("TOKEN_REVOKED");
    expect((await failure(signedByA({ tier: "confidential" }), { keys })).code).toBe("TIER_EXCEEDS_ISSUER");
  });

  it("names the check, and plain identifiers only, in messages", async () => {
    expect((await failure(signedByA({ tier: "confidential" }))).message).toBe(
      "token tier confidential exceeds restricted, the most issuer member-a may grant",
    );
    expect((await failure(signedByA({ iss: "evil\u2028issuer" }))).message).toBe("claim iss is invalid: expected an identifier of 1 to 256 characters");
    expect((await failure(signedByA({ iss: "evil issuer" }))).message).toBe("issuer (not shown) is not a member of the network");
    const keyErr = await failure(signedByA({}, { kid: "kid-9" }));
    expect(keyErr.message).toBe("issuer member-a has no key kid-9");
    expect(keyErr.metadata).toEqual({ issuer: A, kid: "kid-9" });
    expect((await failure(signedByA({ exp: T - 3600 }))).message).toBe(
      "token expired at 2023-11-14T21:13:20.000Z (clock skew allowed: 60 s)",
    );
  });

  it("refuses bad options", async () => {
    expect((await failure(signedByA(), { audience: [] })).code).toBe("INVALID_ARGUMENT");
    expect((await failure(signedByA(), { clockSkewSeconds: -1 })).code).toBe("INVALID_ARGUMENT");
    expect((await failure(signedByA(), { maxTokenBytes: 0 })).code).toBe("INVALID_ARGUMENT");
  });
});

function hmac(secret: Buffer): string {
  const input = `${b64(header({ alg: "HS256" }))}.${b64(claims())}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

function rsa(): string {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const input = `${b64(header({ alg: "RS256" }))}.${b64(claims())}`;
  return `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
}

function es256(): string {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const input = `${b64(header({ alg: "ES256" }))}.${b64(claims())}`;
  return `${input}.${sign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
}

function deepAct(depth: number): Record<string, unknown> {
  let act: Record<string, unknown> = { sub: "m0" };
  for (let i = 1; i < depth; i++) act = { sub: `m${i}`, act };
  return act;
}
