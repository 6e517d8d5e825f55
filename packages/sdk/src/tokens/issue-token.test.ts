import { decodeJwt, decodeProtectedHeader } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { Tier } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import { generateMemberKey } from "../keys/member-key.js";
import type { MemberKey } from "../keys/member-key.js";
import { issueToken, parseDuration } from "./issue-token.js";
import type { IssueTokenOptions } from "./issue-token.js";
import { createStaticKeyResolver } from "./key-resolvers.js";
import { verifyToken } from "./verify-token.js";

const T = 1_700_000_000;
const now = new Date(T * 1000 + 750);
let key: MemberKey;

beforeAll(async () => {
  key = await generateMemberKey();
});

const base: IssueTokenOptions = {
  issuer: "platform-p",
  subject: "user-1842",
  audience: "net-1",
  tier: Tier.TIER_REGISTERED,
  scopes: ["read", "search"],
  ttlSeconds: 3600,
  jti: "jti-fixed",
  now,
};

async function issueFailure(options: IssueTokenOptions): Promise<IpfedError> {
  try {
    await issueToken(key, options);
  } catch (err) {
    expect(err).toBeInstanceOf(IpfedError);
    return err as IpfedError;
  }
  throw new Error("expected issueToken to refuse");
}

describe("issueToken", () => {
  it("signs a compact EdDSA JWS with kid and typ", async () => {
    const token = await issueToken(key, base);
    expect(token.split(".")).toHaveLength(3);
    expect(decodeProtectedHeader(token)).toStrictEqual({ alg: "EdDSA", kid: key.kid, typ: "JWT" });
    expect(decodeJwt(token)).toStrictEqual({
      iss: "platform-p",
      sub: "user-1842",
      aud: "net-1",
      exp: T + 3600,
      nbf: T,
      iat: T,
      jti: "jti-fixed",
      tier: "registered",
      scope: "search read",
    });
  });

  it("writes datasets, act, expiresAt and notBefore", async () => {
    const { ttlSeconds: _ttl, ...rest } = base;
    const token = await issueToken(key, {
      ...rest,
      audience: ["member-b", "net-1", "member-b"],
      datasets: ["ds-2", "ds-1", "ds-2"],
      act: { sub: "hub", iss: "hub" },
      expiresAt: new Date((T + 120) * 1000),
      notBefore: new Date((T + 10) * 1000),
    });
    expect(decodeJwt(token)).toMatchObject({
      aud: ["member-b", "net-1"],
      datasets: ["ds-2", "ds-1"],
      act: { sub: "hub", iss: "hub" },
      exp: T + 120,
      nbf: T + 10,
    });
  });

  it("gives each token a random UUID jti by default", async () => {
    const { jti: _jti, ...rest } = base;
    const [a, b] = await Promise.all([issueToken(key, rest), issueToken(key, rest)]);
    expect(decodeJwt(a).jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(decodeJwt(a).jti).not.toBe(decodeJwt(b).jti);
  });

  it("round-trips to the exact caller through verifyToken", async () => {
    const token = await issueToken(key, { ...base, datasets: ["ds-1"], act: { sub: "member-r", act: { sub: "hub" } } });
    const { caller } = await verifyToken(token, {
      keys: createStaticKeyResolver({ "platform-p": { keys: [key.publicJwk], maxTier: Tier.TIER_RESTRICTED } }),
      audience: ["member-v", "net-1"],
      now: () => now,
    });
    expect(caller).toStrictEqual({
      anonymous: false,
      subject: "user-1842",
      issuer: "platform-p",
      tier: Tier.TIER_REGISTERED,
      scopes: new Set(["search", "read"]),
      datasets: new Set(["ds-1"]),
      act: { sub: "member-r", act: { sub: "hub" } },
      tokenId: "jti-fixed",
      expiresAt: T + 3600,
    });
  });

  it("refuses a tier above maxTier with TIER_EXCEEDS_ISSUER", async () => {
    const err = await issueFailure({ ...base, tier: Tier.TIER_CONFIDENTIAL, maxTier: Tier.TIER_RESTRICTED });
    expect(err.code).toBe("TIER_EXCEEDS_ISSUER");
    expect(err.message).toBe("tier confidential exceeds restricted, the most issuer platform-p may grant");
    await expect(issueToken(key, { ...base, tier: Tier.TIER_RESTRICTED, maxTier: Tier.TIER_RESTRICTED })).resolves.toBeTypeOf("string");
  });

  it.each<[string, Partial<IssueTokenOptions> & Record<string, unknown>, string]>([
    ["an empty issuer", { issuer: "" }, "issuer"],
    ["a subject with a newline", { subject: "a\nb" }, "subject"],
    ["an empty audience list", { audience: [] }, "audience"],
    ["TIER_UNSPECIFIED", { tier: Tier.TIER_UNSPECIFIED }, "tier"],
    ["no scopes", { scopes: [] }, "scopes"],
    ["an unknown scope", { scopes: ["delete" as never] }, "scopes"],
    ["an empty datasets list", { datasets: [] }, "datasets"],
    ["a zero ttl", { ttlSeconds: 0 }, "ttlSeconds"],
    ["a NaN ttl", { ttlSeconds: Number.NaN }, "ttlSeconds"],
    ["both ttlSeconds and expiresAt", { expiresAt: new Date((T + 60) * 1000) }, "ttlSeconds"],
    ["notBefore after expiry", { notBefore: new Date((T + 7200) * 1000) }, "ttlSeconds"],
    ["an invalid date", { now: new Date(Number.NaN) }, "now"],
    ["an empty jti", { jti: "" }, "jti"],
    ["an act without sub", { act: { iss: "x" } as never }, "act"],
  ])("refuses %s", async (_name, overrides, field) => {
    const err = await issueFailure({ ...base, ...overrides } as IssueTokenOptions);
    expect(err.code).toBe("INVALID_ARGUMENT");
    expect(err.field).toBe(field);
  });

  it("refuses an expiresAt in the past", async () => {
    const { ttlSeconds: _ttl, ...rest } = base;
    const err = await issueFailure({ ...rest, expiresAt: new Date((T - 1) * 1000) });
    expect(err).toMatchObject({ code: "INVALID_ARGUMENT", field: "expiresAt" });
  });

  it("refuses a key that is not an Ed25519 private key", async () => {
    const err = await (async () => {
      try {
        await issueToken({ ...key, privateJwk: key.publicJwk }, base);
      } catch (e) {
        return e as IpfedError;
      }
      throw new Error("expected a refusal");
    })();
    expect(err).toMatchObject({ code: "INVALID_ARGUMENT", field: "key" });
  });
});

describe("parseDuration", () => {
  it.each<[string, number]>([
    ["90s", 90],
    ["30m", 1800],
    ["1h", 3600],
    ["7d", 604_800],
    [" 15m ", 900],
    ["999999999s", 999_999_999],
  ])("%j is %i seconds", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(["", "1", "h", "1H", "1.5h", "-1h", "0s", "1h30m", "1 h", "1w", "10000000000s", "1e3s"])("refuses %j", (text) => {
    expect(() => parseDuration(text)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT", field: "duration" }));
  });

  it("says what it expected and what it found", () => {
    expect(() => parseDuration("soon")).toThrow('expected a positive duration such as 90s, 30m, 1h or 7d, found "soon"');
  });
});
