import { describe, expect, it } from "vitest";
import { MemberKind, NetworkConfig, Tier } from "@ipfed/proto";
import type { Member } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import { generateMemberKey } from "../keys/member-key.js";
import type { MemberKey } from "../keys/member-key.js";
import { keyMessages } from "../server/federation-service.js";
import { issueToken } from "../tokens/issue-token.js";
import { createStaticKeyResolver } from "../tokens/key-resolvers.js";
import { verifyToken } from "../tokens/verify-token.js";
import { canonicalJson } from "./canonical-json.js";
import { canonicalNetworkConfig, inspectNetworkConfig, signNetworkConfig, verifyNetworkConfig } from "./network-config.js";
import { networkIssuers } from "./network-issuers.js";

const NOW = new Date("2030-01-01T00:00:00.000Z");
const hubKey = await generateMemberKey(NOW);
const tiscKey = await generateMemberKey(NOW);

function member(id: string, key: MemberKey, maxTier: Tier, kind = MemberKind.MEMBER_KIND_TISC): Member {
  return { id, names: [{ lang: "en", text: id }], kind, region: "510000", endpoints: [], keys: keyMessages([key]), maxTier, health: 0, parentId: "", peerId: "", tlsFingerprint: "", tlsCertificate: Buffer.alloc(0) };
}

function config(over: Partial<NetworkConfig> = {}): NetworkConfig {
  return NetworkConfig.fromPartial({
    networkId: "ipfed",
    hubId: "hub",
    version: 3,
    issuedTime: NOW.toISOString(),
    expiresTime: new Date(NOW.getTime() + 24 * 3600_000).toISOString(),
    graceSeconds: 3600,
    members: [member("hub", hubKey, Tier.TIER_CONFIDENTIAL, MemberKind.MEMBER_KIND_HUB), member("sc-tisc", tiscKey, Tier.TIER_REGISTERED)],
    revocations: [{ jti: "stolen-1", issuer: "sc-tisc", expiresTime: new Date(NOW.getTime() + 3600_000).toISOString() }],
    ...over,
  });
}

const at = (hours: number): Date => new Date(NOW.getTime() + hours * 3600_000);

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "none";
  } catch (err) {
    return err instanceof IpfedError ? err.code : String(err);
  }
}

describe("canonicalJson", () => {
  it("sorts keys at every level and leaves out undefined properties", () => {
    expect(canonicalJson({ b: 1, a: [true, { d: null, c: "x", e: undefined }] })).toBe('{"a":[true,{"c":"x","d":null}],"b":1}');
  });
  it("refuses what JSON cannot say", () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson([undefined])).toThrow(TypeError);
  });
});

describe("signNetworkConfig / verifyNetworkConfig", () => {
  it("round-trips a configuration signed by the hub, with header typ ipfed-netconf+jwt", async () => {
    const jws = await signNetworkConfig(config(), hubKey);
    const header = JSON.parse(Buffer.from(jws.split(".")[0]!, "base64url").toString()) as Record<string, unknown>;
    expect(header).toEqual({ alg: "EdDSA", kid: hubKey.kid, typ: "ipfed-netconf+jwt" });
    expect(Buffer.from(jws.split(".")[1]!, "base64url").toString()).toBe(canonicalNetworkConfig(config()));
    const v = await verifyNetworkConfig(jws, { hubId: "hub", hubKeys: [hubKey.publicJwk], now: at(1) });
    expect(v.config).toEqual(config());
    expect(v).toMatchObject({ expired: false, pastGrace: false, kid: hubKey.kid });
    expect(v.hubKeys.map((k) => k.kid)).toEqual([hubKey.kid]);
  });

  it("accepts a pinned fingerprint, taking the key from the hub's own entry", async () => {
    const jws = await signNetworkConfig(config(), hubKey);
    expect((await verifyNetworkConfig(jws, { pinnedKid: hubKey.kid, now: at(1) })).config.version).toBe(3);
    expect(inspectNetworkConfig(jws)).toEqual({ kid: hubKey.kid, hubId: "hub", networkId: "ipfed", version: 3 });
  });

  it("refuses a pinned kid whose key material does not match (a label is not a thumbprint)", async () => {
    // An impostor lists its own key under the hub's kid and signs with it.
    const impostor = await generateMemberKey(NOW);
    const forgedKey = { ...impostor, kid: hubKey.kid };
    const forged = config({ members: [{ ...member("hub", impostor, Tier.TIER_CONFIDENTIAL), keys: keyMessages([forgedKey]) }] });
    const jws = await signNetworkConfig(forged, forgedKey);
    expect(await code(verifyNetworkConfig(jws, { pinnedKid: hubKey.kid, now: at(1) }))).toBe("NETWORK_CONFIG_INVALID");
  });

  it("refuses a tampered payload", async () => {
    const jws = await signNetworkConfig(config(), hubKey);
    const [h, p, s] = jws.split(".") as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, "base64url").toString()) as { members: { id: string; maxTier: string }[] };
    payload.members[1]!.maxTier = "TIER_CONFIDENTIAL";
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
    expect(await code(verifyNetworkConfig(tampered, { hubKeys: [hubKey.publicJwk], now: at(1) }))).toBe("NETWORK_CONFIG_INVALID");
  });

  it("refuses another signer: a member's key, a stranger's key, or another hub id", async () => {
    const byMember = await signNetworkConfig(config({ members: [member("hub", tiscKey, Tier.TIER_CONFIDENTIAL)] }), tiscKey);
    expect(await code(verifyNetworkConfig(byMember, { hubKeys: [hubKey.publicJwk], now: at(1) }))).toBe("NETWORK_CONFIG_INVALID");
    expect(await code(verifyNetworkConfig(byMember, { pinnedKid: hubKey.kid, now: at(1) }))).toBe("NETWORK_CONFIG_INVALID");
    const otherHub = await signNetworkConfig(config({ hubId: "rogue", members: [member("rogue", hubKey, Tier.TIER_CONFIDENTIAL)] }), hubKey);
    expect(await code(verifyNetworkConfig(otherHub, { hubId: "hub", hubKeys: [hubKey.publicJwk], now: at(1) }))).toBe("NETWORK_CONFIG_INVALID");
  });

  it("refuses a network token, or anything else that is not typed as a configuration", async () => {
    const token = await issueToken(hubKey, { issuer: "hub", subject: "x", audience: "ipfed", tier: Tier.TIER_PUBLIC, scopes: ["read"], ttlSeconds: 60 });
    expect(await code(verifyNetworkConfig(token, { hubKeys: [hubKey.publicJwk] }))).toBe("NETWORK_CONFIG_INVALID");
    expect(await code(verifyNetworkConfig("not.a.jws!", { hubKeys: [hubKey.publicJwk] }))).toBe("NETWORK_CONFIG_INVALID");
    expect(await code(verifyNetworkConfig("", {}))).toBe("INVALID_ARGUMENT");
  });

  it("reports expiry and the end of grace instead of throwing", async () => {
    const jws = await signNetworkConfig(config(), hubKey);
    const opts = { hubKeys: [hubKey.publicJwk] };
    expect(await verifyNetworkConfig(jws, { ...opts, now: at(24.5) })).toMatchObject({ expired: true, pastGrace: false });
    expect(await verifyNetworkConfig(jws, { ...opts, now: at(25) })).toMatchObject({ expired: true, pastGrace: true });
    expect(await verifyNetworkConfig(jws, { ...opts, now: at(24.5), graceSeconds: 600 })).toMatchObject({ expired: true, pastGrace: true });
  });

  it("refuses to sign a configuration that does not list the hub with the signing key", async () => {
    expect(await code(signNetworkConfig(config({ members: [] }), hubKey))).toBe("INVALID_ARGUMENT");
    expect(await code(signNetworkConfig(config({ version: 0 }), hubKey))).toBe("INVALID_ARGUMENT");
  });
});

describe("networkIssuers", () => {
  it("gives every member's keys and tier cap, and the revoked tokens", async () => {
    const net = networkIssuers(config());
    expect([...net.issuers.keys()]).toEqual(["hub", "sc-tisc"]);
    expect(net.issuers.get("sc-tisc")).toEqual({ keys: [expect.objectContaining({ kid: tiscKey.kid, x: tiscKey.publicJwk.x })], maxTier: Tier.TIER_REGISTERED });
    expect(net.isRevoked("stolen-1", "sc-tisc")).toBe(true);
    expect(net.isRevoked("stolen-1", "hub")).toBe(false);
  });

  it("drives the token verifier: the configuration's cap holds", async () => {
    const net = networkIssuers(config());
    const opts = { keys: createStaticKeyResolver(net.issuers), audience: ["ipfed"], isRevoked: net.isRevoked };
    const base = { issuer: "sc-tisc", subject: "u", audience: "ipfed", scopes: ["read" as const], ttlSeconds: 60 };
    const ok = await issueToken(tiscKey, { ...base, tier: Tier.TIER_REGISTERED });
    expect((await verifyToken(ok, opts)).caller.issuer).toBe("sc-tisc");
    const tooHigh = await issueToken(tiscKey, { ...base, tier: Tier.TIER_RESTRICTED });
    expect(await code(verifyToken(tooHigh, opts))).toBe("TIER_EXCEEDS_ISSUER");
    const revoked = await issueToken(tiscKey, { ...base, tier: Tier.TIER_PUBLIC, jti: "stolen-1" });
    expect(await code(verifyToken(revoked, opts))).toBe("TOKEN_REVOKED");
  });

  it("treats a member without a tier as PUBLIC and skips members without usable keys", () => {
    const c = config({ members: [member("a", tiscKey, Tier.TIER_UNSPECIFIED), { ...member("b", hubKey, Tier.TIER_PUBLIC), keys: [] }] });
    const net = networkIssuers(c);
    expect(net.issuers.get("a")?.maxTier).toBe(Tier.TIER_PUBLIC);
    expect(net.issuers.has("b")).toBe(false);
  });
});
