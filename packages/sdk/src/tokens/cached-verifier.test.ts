import { beforeAll, describe, expect, it } from "vitest";
import { Tier } from "@ipfed/proto";
import { generateMemberKey } from "../keys/member-key.js";
import type { MemberKey } from "../keys/member-key.js";
import { createCachedVerifier } from "./cached-verifier.js";
import type { CachedVerifierOptions } from "./cached-verifier.js";
import { issueToken } from "./issue-token.js";
import { createStaticKeyResolver } from "./key-resolvers.js";
import type { IssuerKeyResolver } from "./key-resolvers.js";

const T = 1_700_000_000;
let key: MemberKey;
let resolver: IssuerKeyResolver;

beforeAll(async () => {
  key = await generateMemberKey();
  resolver = createStaticKeyResolver({ "member-a": { keys: [key.publicJwk], maxTier: Tier.TIER_RESTRICTED } });
});

function token(jti: string, ttlSeconds = 600): Promise<string> {
  return issueToken(key, {
    issuer: "member-a",
    subject: "user-1",
    audience: "net-1",
    tier: Tier.TIER_REGISTERED,
    scopes: ["search"],
    ttlSeconds,
    jti,
    now: new Date(T * 1000),
  });
}

/** A verifier over a resolver that counts key lookups, i.e. full verifications. */
function counting(extra: Partial<CachedVerifierOptions> = {}): { verifier: ReturnType<typeof createCachedVerifier>; lookups: () => number } {
  let lookups = 0;
  const keys: IssuerKeyResolver = {
    issuerKnown: (iss) => resolver.issuerKnown(iss),
    key: (iss, kid) => {
      lookups++;
      return resolver.key(iss, kid);
    },
    maxTier: (iss) => resolver.maxTier?.(iss),
  };
  const verifier = createCachedVerifier({ keys, audience: ["member-v", "net-1"], now: () => new Date(T * 1000), ...extra });
  return { verifier, lookups: () => lookups };
}

describe("createCachedVerifier", () => {
  it("returns the same frozen result for a repeated token, verifying once", async () => {
    const { verifier, lookups } = counting();
    const t = await token("jti-1");
    const first = await verifier.verify(t);
    const second = await verifier.verify(t);
    expect(second).toBe(first);
    expect(second.caller).toBe(first.caller);
    expect(Object.isFrozen(second.caller)).toBe(true);
    expect(lookups()).toBe(1);
    expect(verifier.size).toBe(1);
  });

  it("honours a revocation made after the token was cached, even without a version hook", async () => {
    const revoked = new Set<string>();
    const { verifier } = counting({ isRevoked: (jti) => revoked.has(jti) });
    const t = await token("jti-2");
    await verifier.verify(t);
    revoked.add("jti-2");
    await expect(verifier.verify(t)).rejects.toMatchObject({ code: "TOKEN_REVOKED" });
    expect(verifier.size).toBe(0);
    revoked.delete("jti-2");
    await expect(verifier.verify(t)).resolves.toBeDefined();
  });

  it("verifies again when the version changes", async () => {
    let version = 1;
    let cap: Tier = Tier.TIER_RESTRICTED;
    const { verifier, lookups } = counting({ version: () => version, maxTier: () => cap });
    const t = await token("jti-3");
    await verifier.verify(t);
    await verifier.verify(t);
    expect(lookups()).toBe(1);
    // The network configuration lowers the issuer's allowance and bumps its serial.
    cap = Tier.TIER_PUBLIC;
    version = 2;
    await expect(verifier.verify(t)).rejects.toMatchObject({ code: "TIER_EXCEEDS_ISSUER" });
    expect(lookups()).toBe(2);
  });

  it("stops serving a token once it has expired, with the verifier's skew", async () => {
    let nowSeconds = T;
    const { verifier, lookups } = counting({ now: () => new Date(nowSeconds * 1000) });
    const t = await token("jti-4", 100);
    await verifier.verify(t);
    nowSeconds = T + 100 + 59;
    await verifier.verify(t);
    expect(lookups()).toBe(1);
    nowSeconds = T + 100 + 60;
    await expect(verifier.verify(t)).rejects.toMatchObject({ code: "TOKEN_EXPIRED" });
    expect(verifier.size).toBe(0);
  });

  it("does not remember failures", async () => {
    const { verifier, lookups } = counting({ audience: ["member-v"] });
    const t = await token("jti-5");
    await expect(verifier.verify(t)).rejects.toMatchObject({ code: "TOKEN_AUDIENCE_MISMATCH" });
    await expect(verifier.verify(t)).rejects.toMatchObject({ code: "TOKEN_AUDIENCE_MISMATCH" });
    expect(lookups()).toBe(2);
    expect(verifier.size).toBe(0);
  });

  it("evicts the least recently used token beyond maxEntries", async () => {
    const { verifier, lookups } = counting({ maxEntries: 2 });
    const [a, b, c] = await Promise.all([token("a"), token("b"), token("c")]);
    await verifier.verify(a);
    await verifier.verify(b);
    await verifier.verify(a); // a is now the most recent
    await verifier.verify(c); // evicts b
    expect(verifier.size).toBe(2);
    expect(lookups()).toBe(3);
    await verifier.verify(a);
    expect(lookups()).toBe(3);
    await verifier.verify(b);
    expect(lookups()).toBe(4);
    verifier.clear();
    expect(verifier.size).toBe(0);
  });

  it("refuses oversized tokens without caching them", async () => {
    const { verifier } = counting();
    await expect(verifier.verify("x".repeat(10_000))).rejects.toMatchObject({ code: "TOKEN_TOO_LARGE" });
    expect(() => createCachedVerifier({ keys: resolver, audience: ["net-1"], maxEntries: 0 })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
  });
});
