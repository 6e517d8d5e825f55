import { describe, expect, it } from "vitest";
import { EndpointKind, Member, MemberKind, Tier } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import { generateMemberKey } from "../keys/member-key.js";
import { keyMessages } from "../server/federation-service.js";
import { createStaticKeyResolver } from "../tokens/key-resolvers.js";
import { verifyToken } from "../tokens/verify-token.js";
import { canonicalMember, signRegistration, verifyRegistration } from "./registration.js";

const key = await generateMemberKey(new Date("2030-01-01T00:00:00Z"));
const next = await generateMemberKey(new Date("2030-02-01T00:00:00Z"));

const member = Member.fromPartial({
  id: "sc-tisc",
  names: [{ lang: "en", text: "Sichuan TISC" }],
  kind: MemberKind.MEMBER_KIND_TISC,
  region: "510000",
  endpoints: [{ kind: EndpointKind.ENDPOINT_KIND_GRPC, address: "10.0.0.7:7400", tls: false }],
  keys: keyMessages([key, next]),
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "none";
  } catch (err) {
    return err instanceof IpfedError ? err.code : String(err);
  }
}

describe("signRegistration / verifyRegistration", () => {
  it("verifies a registration signed by a key the member lists, and names that key", async () => {
    const sig = await signRegistration(member, next);
    expect(JSON.parse(Buffer.from(sig.split(".")[0]!, "base64url").toString())).toEqual({ alg: "EdDSA", kid: next.kid, typ: "ipfed-register+jwt" });
    expect(await verifyRegistration(sig, member)).toEqual({ kid: next.kid });
  });

  it("matches what the hub decodes from the wire (timestamps written another way)", async () => {
    const written = { ...member, keys: member.keys.map((k) => ({ ...k, notBefore: "2030-01-01T00:00:00Z" })) };
    const sig = await signRegistration(written, key);
    const wire = Member.decode(Member.encode(written).finish());
    expect(wire.keys[0]!.notBefore).toBe("2030-01-01T00:00:00.000Z");
    expect(canonicalMember(wire)).toBe(canonicalMember(written));
    expect(await verifyRegistration(sig, wire)).toEqual({ kid: key.kid });
  });

  it("refuses a member changed after signing", async () => {
    const sig = await signRegistration(member, key);
    const moved = { ...member, endpoints: [{ kind: EndpointKind.ENDPOINT_KIND_GRPC, address: "6.6.6.6:7400", tls: false }] };
    expect(await code(verifyRegistration(sig, moved))).toBe("REGISTRATION_INVALID");
    expect(await code(verifyRegistration(sig, { ...member, maxTier: Tier.TIER_CONFIDENTIAL }))).toBe("REGISTRATION_INVALID");
  });

  it("refuses a signature by a key the member does not list (no proof of possession)", async () => {
    const stranger = await generateMemberKey();
    await expect(signRegistration(member, stranger)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    const sig = await signRegistration({ ...member, keys: keyMessages([stranger]) }, stranger);
    expect(await code(verifyRegistration(sig, member))).toBe("REGISTRATION_INVALID");
  });

  it("with keys on record, refuses a signature by a new key and accepts one by a recorded key", async () => {
    const onRecord = { keysOnRecord: [key.publicJwk] };
    expect(await code(verifyRegistration(await signRegistration(member, next), member, onRecord))).toBe("REGISTRATION_INVALID");
    expect(await verifyRegistration(await signRegistration(member, key), member, onRecord)).toEqual({ kid: key.kid });
  });

  it("refuses keys whose kid is not their thumbprint", async () => {
    const relabelled = { ...key, kid: "my-key" };
    const m = { ...member, keys: keyMessages([relabelled]) };
    expect(await code(verifyRegistration(await signRegistration(m, relabelled), m))).toBe("REGISTRATION_INVALID");
  });

  it("cannot be replayed as a bearer token", async () => {
    const sig = await signRegistration(member, key);
    const keys = createStaticKeyResolver({ "sc-tisc": { keys: [key.publicJwk], maxTier: Tier.TIER_PUBLIC } });
    await expect(verifyToken(sig, { keys, audience: ["ipfed"] })).rejects.toMatchObject({ code: "TOKEN_MALFORMED" });
  });
});
