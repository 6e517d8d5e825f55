import { CompactSign, importJWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { Tier } from "@ipfed/proto";
import { generateMemberKey, issueToken } from "@ipfed/sdk";
import type { IpfedError, MemberKey } from "@ipfed/sdk";
import { GOSSIP_TYP, signGossip, verifyGossip } from "./signed-message.js";
import type { VerifyGossipOptions } from "./signed-message.js";

const TOPIC = "ipfed/cn-ip-net/members";
const T0 = new Date("2025-06-01T08:00:00Z");
let key: MemberKey;
let other: MemberKey;
let options: VerifyGossipOptions;

beforeAll(async () => {
  key = await generateMemberKey();
  other = await generateMemberKey();
  options = {
    keyFor: (iss, kid) => (iss === "sc-tisc" && kid === key.kid ? key.publicJwk : undefined),
    issuerKnown: (iss) => iss === "sc-tisc",
    topic: TOPIC,
    now: () => T0,
  };
});

const codeOf = (p: Promise<unknown>): Promise<unknown> => p.then(() => "accepted", (e: IpfedError) => e.code);
const sign = (body: unknown = { hello: "world" }, at = T0, k = key) => signGossip(k, "sc-tisc", TOPIC, "member", body, { now: at });

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

describe("signGossip / verifyGossip", () => {
  it("round-trips: header and claims as specified", async () => {
    const jws = await signGossip(key, "sc-tisc", TOPIC, "member", { id: "sc-tisc" }, { now: T0, jti: "m-1" });
    const [h, p] = jws.split(".");
    expect(JSON.parse(Buffer.from(h!, "base64url").toString())).toEqual({ alg: "EdDSA", kid: key.kid, typ: GOSSIP_TYP });
    expect(JSON.parse(Buffer.from(p!, "base64url").toString())).toEqual({
      iss: "sc-tisc",
      iat: T0.getTime() / 1000,
      jti: "m-1",
      topic: TOPIC,
      type: "member",
      body: { id: "sc-tisc" },
    });
    const msg = await verifyGossip(jws, options);
    expect(msg).toMatchObject({ iss: "sc-tisc", kid: key.kid, jti: "m-1", topic: TOPIC, type: "member", body: { id: "sc-tisc" }, jws });
    expect(Object.isFrozen(msg)).toBe(true);
  });

  it("gives every message a fresh jti", async () => {
    const a = await verifyGossip(await sign(), options);
    const b = await verifyGossip(await sign(), options);
    expect(a.jti).not.toBe(b.jti);
  });

  it("tells an unknown member from an unknown key of a known member", async () => {
    const stranger = await signGossip(other, "xx-stranger", TOPIC, "member", {}, { now: T0 });
    expect(await codeOf(verifyGossip(stranger, options))).toBe("TOKEN_ISSUER_UNKNOWN");
    expect(await codeOf(verifyGossip(await sign({}, T0, other), options))).toBe("TOKEN_KEY_UNKNOWN");
    const { issuerKnown: _, ...withoutIssuerKnown } = options;
    expect(await codeOf(verifyGossip(await sign({}, T0, other), withoutIssuerKnown))).toBe("TOKEN_ISSUER_UNKNOWN");
  });

  it("refuses a tampered payload and a signature from another key", async () => {
    const [h, , s] = (await sign({ version: 1 })).split(".");
    const claims = JSON.parse(Buffer.from((await sign({ version: 1 })).split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    const tampered = `${h}.${b64({ ...claims, body: { version: 2 } })}.${s}`;
    expect(await codeOf(verifyGossip(tampered, options))).toBe("TOKEN_SIGNATURE_INVALID");
    // Signed by another key that claims the trusted kid.
    const forged = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: GOSSIP_TYP })
      .sign(await importJWK(other.privateJwk, "EdDSA"));
    expect(await codeOf(verifyGossip(forged, options))).toBe("TOKEN_SIGNATURE_INVALID");
  });

  it("refuses messages older than maxAgeSeconds and messages from the future", async () => {
    const old = await sign({}, new Date(T0.getTime() - 601_000));
    expect(await codeOf(verifyGossip(old, options))).toBe("TOKEN_EXPIRED");
    expect(await codeOf(verifyGossip(old, { ...options, maxAgeSeconds: 3600 }))).toBe("accepted");
    expect(await codeOf(verifyGossip(await sign({}, new Date(T0.getTime() - 600_000)), options))).toBe("accepted");
    expect(await codeOf(verifyGossip(await sign({}, new Date(T0.getTime() + 61_000)), options))).toBe("TOKEN_NOT_YET_VALID");
    expect(await codeOf(verifyGossip(await sign({}, new Date(T0.getTime() + 59_000)), options))).toBe("accepted");
  });

  it("refuses a message written for another topic", async () => {
    const jws = await signGossip(key, "sc-tisc", "ipfed/cn-ip-net/catalogue", "catalogue", {}, { now: T0 });
    const err = (await verifyGossip(jws, options).catch((e: unknown) => e)) as IpfedError;
    expect(err).toMatchObject({ code: "TOKEN_CLAIM_INVALID", field: "topic" });
    expect(await codeOf(verifyGossip(jws, { ...options, topic: "ipfed/cn-ip-net/catalogue" }))).toBe("accepted");
  });

  it("refuses malformed input before looking up any key", async () => {
    let lookups = 0;
    const counting: VerifyGossipOptions = { ...options, keyFor: (...args) => (lookups++, options.keyFor(...args)) };
    const good = await sign();
    const [h, p, s] = good.split(".") as [string, string, string];
    const header = JSON.parse(Buffer.from(h, "base64url").toString()) as Record<string, unknown>;
    const cases: [string, string][] = [
      ["", "TOKEN_MALFORMED"],
      ["a.b", "TOKEN_MALFORMED"],
      [`${h}.${p}.${s}.x`, "TOKEN_MALFORMED"],
      [`${h}.${p}.`, "TOKEN_MALFORMED"],
      [`${b64("x")}.${p}.${s}`, "TOKEN_MALFORMED"],
      [`${b64({ ...header, alg: "HS256" })}.${p}.${s}`, "TOKEN_ALG_NOT_ALLOWED"],
      [`${b64({ ...header, alg: "none" })}.${p}.${s}`, "TOKEN_ALG_NOT_ALLOWED"],
      [`${b64({ ...header, jwk: other.publicJwk })}.${p}.${s}`, "TOKEN_HEADER_KEY_NOT_ALLOWED"],
      [`${b64({ ...header, typ: "JWT" })}.${p}.${s}`, "TOKEN_MALFORMED"],
      [`${b64({ ...header, crit: ["b64"], b64: false })}.${p}.${s}`, "TOKEN_MALFORMED"],
      [`${b64({ alg: "EdDSA", typ: GOSSIP_TYP })}.${p}.${s}`, "TOKEN_MALFORMED"],
      [`${h}.${b64([1, 2])}.${s}`, "TOKEN_MALFORMED"],
      [`${h}.${b64({ iat: 1 })}.${s}`, "TOKEN_CLAIM_INVALID"],
      ["x".repeat(1_100_000), "TOKEN_TOO_LARGE"],
    ];
    for (const [jws, code] of cases) expect(await codeOf(verifyGossip(jws, counting)), jws.slice(0, 40)).toBe(code);
    expect(lookups).toBe(0);
  });

  it("does not take a network token for a gossip message", async () => {
    const token = await issueToken(key, {
      issuer: "sc-tisc",
      subject: "alice",
      audience: "cn-ip-net",
      tier: Tier.TIER_PUBLIC,
      scopes: ["search"],
      ttlSeconds: 60,
      now: T0,
    });
    expect(await codeOf(verifyGossip(token, options))).toBe("TOKEN_MALFORMED");
  });

  it("refuses to sign with a public key or for a non-identifier issuer", async () => {
    await expect(signGossip({ ...key, privateJwk: key.publicJwk }, "sc-tisc", TOPIC, "member", {})).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(signGossip(key, "", TOPIC, "member", {})).rejects.toMatchObject({ code: "INVALID_ARGUMENT", field: "issuer" });
    await expect(signGossip(key, "sc-tisc", TOPIC, "member", undefined)).rejects.toMatchObject({ code: "INVALID_ARGUMENT", field: "body" });
  });
});
