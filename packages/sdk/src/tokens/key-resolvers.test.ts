import { generateKeyPairSync } from "node:crypto";
import type { JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { Tier } from "@ipfed/proto";
import { generateMemberKey, toJwks } from "../keys/member-key.js";
import type { MemberKey } from "../keys/member-key.js";
import { createJwksKeyResolver, createStaticKeyResolver, importVerificationKey, isEd25519VerificationJwk } from "./key-resolvers.js";

let a1: MemberKey;
let a2: MemberKey;
let b1: MemberKey;

beforeAll(async () => {
  [a1, a2, b1] = await Promise.all([generateMemberKey(), generateMemberKey(), generateMemberKey()]);
});

describe("createStaticKeyResolver", () => {
  it("knows issuers, their keys by kid, and their tier allowance", async () => {
    const resolver = createStaticKeyResolver({
      "member-a": { keys: [a1.publicJwk, a2.publicJwk], maxTier: Tier.TIER_RESTRICTED },
      "member-b": { keys: [b1.publicJwk], maxTier: Tier.TIER_PUBLIC },
    });
    expect(resolver.issuerKnown("member-a")).toBe(true);
    expect(resolver.issuerKnown("member-x")).toBe(false);
    expect(resolver.maxTier("member-b")).toBe(Tier.TIER_PUBLIC);
    expect(resolver.maxTier("member-x")).toBeUndefined();
    const key = await resolver.key("member-a", a2.kid);
    expect(key).toMatchObject({ type: "public", algorithm: { name: "Ed25519" } });
    // Lookups are per issuer: B's kid means nothing for A.
    expect(resolver.key("member-a", b1.kid)).toBeUndefined();
    expect(resolver.key("member-x", a1.kid)).toBeUndefined();
  });

  it("imports each key once and then answers without a promise", async () => {
    const resolver = createStaticKeyResolver({ "member-a": { keys: [a1.publicJwk], maxTier: Tier.TIER_PUBLIC } });
    const first = resolver.key("member-a", a1.kid);
    expect(first).toBeInstanceOf(Promise);
    const imported = await first;
    expect(resolver.key("member-a", a1.kid)).toBe(imported);
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])("does not find %s on Object.prototype", (issuer) => {
    const resolver = createStaticKeyResolver({ "member-a": { keys: [a1.publicJwk], maxTier: Tier.TIER_PUBLIC } });
    expect(resolver.issuerKnown(issuer)).toBe(false);
    expect(resolver.maxTier(issuer)).toBeUndefined();
    expect(resolver.key(issuer, "constructor")).toBeUndefined();
  });

  it("accepts a Map and skips keys that are not Ed25519 signing keys", () => {
    const ec = { ...(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }) as JWK), kid: "ec-1" };
    const x25519 = { kty: "OKP", crv: "X25519", x: a1.publicJwk.x, kid: "x-1" };
    const enc = { ...a2.publicJwk, use: "enc" };
    const resolver = createStaticKeyResolver(new Map([["member-a", { keys: [ec, x25519, enc, a1.publicJwk], maxTier: Tier.TIER_PUBLIC }]]));
    expect(resolver.key("member-a", "ec-1")).toBeUndefined();
    expect(resolver.key("member-a", "x-1")).toBeUndefined();
    expect(resolver.key("member-a", a2.kid)).toBeUndefined();
    expect(resolver.key("member-a", a1.kid)).toBeDefined();
  });

  it.each<[string, () => unknown]>([
    ["a private key", () => ({ "member-a": { keys: [a1.privateJwk], maxTier: Tier.TIER_PUBLIC } })],
    ["a key without kid", () => ({ "member-a": { keys: [{ ...a1.publicJwk, kid: undefined }], maxTier: Tier.TIER_PUBLIC } })],
    ["a short x", () => ({ "member-a": { keys: [{ ...a1.publicJwk, x: "AAAA" }], maxTier: Tier.TIER_PUBLIC } })],
    ["a kid used twice", () => ({ "member-a": { keys: [a1.publicJwk, { ...a2.publicJwk, kid: a1.kid }], maxTier: Tier.TIER_PUBLIC } })],
    ["TIER_UNSPECIFIED as allowance", () => ({ "member-a": { keys: [a1.publicJwk], maxTier: Tier.TIER_UNSPECIFIED } })],
    ["an empty issuer id", () => ({ "": { keys: [a1.publicJwk], maxTier: Tier.TIER_PUBLIC } })],
  ])("refuses %s", (_name, table) => {
    expect(() => createStaticKeyResolver(table() as never)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});

describe("createJwksKeyResolver", () => {
  it("resolves keys from each issuer's JWKS and has no tier allowance", async () => {
    const resolver = createJwksKeyResolver({ "member-a": toJwks([a1, a2]), "member-b": toJwks([b1]) });
    expect(resolver.maxTier).toBeUndefined();
    expect(resolver.issuerKnown("member-b")).toBe(true);
    expect(await resolver.key("member-b", b1.kid)).toMatchObject({ type: "public" });
    expect(resolver.key("member-b", a1.kid)).toBeUndefined();
  });

  it("refuses a document without a keys array", () => {
    expect(() => createJwksKeyResolver({ "member-a": {} as never })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});

describe("importVerificationKey and isEd25519VerificationJwk", () => {
  it("takes Ed25519 public keys only", async () => {
    expect(isEd25519VerificationJwk(a1.publicJwk)).toBe(true);
    expect(isEd25519VerificationJwk(a1.privateJwk)).toBe(false);
    expect(isEd25519VerificationJwk({ ...a1.publicJwk, alg: "ES256" })).toBe(false);
    expect(isEd25519VerificationJwk({ ...a1.publicJwk, key_ops: ["sign"] })).toBe(false);
    const key = await importVerificationKey(a1.publicJwk);
    expect(key).toMatchObject({ type: "public", algorithm: { name: "Ed25519" } });
    expect(await importVerificationKey(a1.publicJwk)).toBe(key);
    expect(await importVerificationKey(key!)).toBe(key);
    expect(await importVerificationKey({ kty: "oct", k: "c2VjcmV0" })).toBeUndefined();
  });
});
