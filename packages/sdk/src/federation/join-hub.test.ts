import { Metadata, Server, ServerCredentials } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FederationServiceService, MemberKind, NetworkConfig, RegistrationState, Tier } from "@ipfed/proto";
import type { FederationServiceServer, HeartbeatRequest, Member } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import { generateMemberKey } from "../keys/member-key.js";
import type { MemberKey } from "../keys/member-key.js";
import { keyMessages } from "../server/federation-service.js";
import { unary } from "../server/handlers.js";
import type { MemberIdentity } from "../server/member-identity.js";
import { deriveToken } from "../tokens/derive-token.js";
import { issueToken } from "../tokens/issue-token.js";
import { createStaticKeyResolver } from "../tokens/key-resolvers.js";
import { verifyToken } from "../tokens/verify-token.js";
import { joinHub } from "./join-hub.js";
import type { HubLink } from "./join-hub.js";
import { signNetworkConfig } from "./network-config.js";
import { verifyRegistration } from "./registration.js";

// A small hub in this process: it signs a network configuration, admits a registration that
// carries the expected enrolment token and a valid signature, and records heartbeats after
// checking their token. Enough to see that joinHub speaks the protocol.
const hubKey = await generateMemberKey();
const libraryKey = await generateMemberKey();
const ENROLMENT = "enrol-123";
const heartbeats: { request: HeartbeatRequest; subject: string; audience: readonly string[] }[] = [];
let members: Member[] = [];
let version = 1;
let server: Server;
let hubAddress = "";
let link: HubLink;

const hubMember: Member = {
  id: "hub", names: [], kind: MemberKind.MEMBER_KIND_HUB, region: "100000", endpoints: [], keys: keyMessages([hubKey]),
  maxTier: Tier.TIER_CONFIDENTIAL, health: 0, parentId: "", peerId: "", tlsFingerprint: "", tlsCertificate: Buffer.alloc(0),
};

async function signed(): Promise<string> {
  return signNetworkConfig(
    NetworkConfig.fromPartial({
      networkId: "net", hubId: "hub", version, issuedTime: new Date().toISOString(), expiresTime: new Date(Date.now() + 3_600_000).toISOString(),
      graceSeconds: 600, members: [hubMember, ...members], revocations: [],
    }),
    hubKey,
  );
}

const hub: FederationServiceServer = {
  getNetworkConfig: unary(async () => ({ signed: await signed(), notModified: false })),
  register: unary(async (req) => {
    await verifyRegistration(req.signature, req.member!);
    if (req.enrolmentToken !== ENROLMENT) return { state: RegistrationState.REGISTRATION_STATE_PENDING, message: "waiting for an admin" };
    members = [{ ...req.member!, maxTier: Tier.TIER_REGISTERED }];
    version += 1;
    return { state: RegistrationState.REGISTRATION_STATE_ADMITTED, member: members[0], message: "admitted with an enrolment token" };
  }),
  heartbeat: unary(async (req, ctx) => {
    const token = String(ctx.call.metadata.get("authorization")[0] ?? "").slice(7);
    const resolver = createStaticKeyResolver({ "sz-library": { keys: [libraryKey.publicJwk], maxTier: Tier.TIER_REGISTERED } });
    const { claims, caller } = await verifyToken(token, { keys: resolver, audience: ["hub"] });
    if (!caller.scopes.has("admin")) throw new IpfedError("SCOPE_MISSING", "heartbeats need admin");
    heartbeats.push({ request: req, subject: claims.sub, audience: [claims.aud].flat() });
    return { configVersion: version, serverTime: new Date().toISOString(), intervalSeconds: 60 };
  }),
  listMembers: unary(async () => ({ members })),
  getKeys: unary(async () => ({ keys: [], jwks: "" })),
};

const identity = (key: MemberKey, id = "sz-library"): MemberIdentity => ({
  id, kind: MemberKind.MEMBER_KIND_LIBRARY, region: "440300", names: [{ lang: "en", text: "Library" }], networkId: "net", keys: () => [key],
});

beforeAll(async () => {
  server = new Server();
  server.addService(FederationServiceService, hub);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  hubAddress = `127.0.0.1:${port}`;
  link = await joinHub({
    identity: identity(libraryKey),
    hubAddress,
    hubFingerprint: hubKey.kid,
    enrolmentToken: ENROLMENT,
    endpoints: () => ({ grpc: "127.0.0.1:7999" }),
    catalogue: async () => ({ datasetCount: 1, recordCount: 50, kinds: [], countries: ["CN"], regions: [], version: 3, datasetIds: ["patents"] }),
  });
});

afterAll(() => {
  link?.close();
  server?.forceShutdown();
});

describe("joinHub", () => {
  it("registers with a signed self-description and the enrolment token, and takes the configuration that lists it", () => {
    expect([link.state, link.message]).toEqual(["admitted", "admitted with an enrolment token"]);
    expect(link.config.version).toBe(2);
    expect(link.config.members.map((m) => m.id)).toEqual(["hub", "sz-library"]);
    expect(members[0]!.endpoints.map((e) => e.address)).toEqual(["127.0.0.1:7999"]);
  });

  it("heartbeats with a token it signs for the hub, its catalogue and the configuration version it holds", async () => {
    await link.heartbeat();
    const last = heartbeats.at(-1)!;
    expect(last.subject).toBe("sz-library");
    expect(last.audience).toEqual(["hub"]);
    expect(last.request).toMatchObject({ memberId: "sz-library", configVersion: 2, catalogue: { recordCount: 50, datasetIds: ["patents"] } });
    expect(heartbeats).toHaveLength(2);
  });

  it("authenticates tokens the hub derives for it, anonymous callers as PUBLIC, and refuses strangers", async () => {
    const md = (token?: string) => {
      const m = new Metadata();
      if (token) m.set("authorization", `Bearer ${token}`);
      return m;
    };
    const anonymous = await link.authenticate(md(), "/ipfed.v1.SearchService/Search");
    expect([anonymous.anonymous, anonymous.tier, [...anonymous.scopes]]).toEqual([true, Tier.TIER_PUBLIC, ["search", "read"]]);
    const visitor = await issueToken(hubKey, { issuer: "hub", subject: "alice", audience: "net", tier: Tier.TIER_REGISTERED, scopes: ["search", "read"], ttlSeconds: 60 });
    const hubResolver = createStaticKeyResolver({ hub: { keys: [hubKey.publicJwk], maxTier: Tier.TIER_CONFIDENTIAL } });
    const { caller } = await verifyToken(visitor, { keys: hubResolver, audience: ["net"] });
    const derived = await deriveToken(caller, hubKey, { issuer: "hub", audience: "sz-library", actor: "hub", ttlSeconds: 60 });
    const through = await link.authenticate(md(derived), "/ipfed.v1.SearchService/Search");
    expect([through.subject, through.issuer, through.tier, through.act?.sub]).toEqual(["alice", "hub", Tier.TIER_REGISTERED, "hub"]);
    const stranger = await generateMemberKey();
    const forged = await issueToken(stranger, { issuer: "elsewhere", subject: "mallory", audience: "sz-library", tier: Tier.TIER_PUBLIC, scopes: ["search"], ttlSeconds: 60 });
    await expect(link.authenticate(md(forged), "/ipfed.v1.SearchService/Search")).rejects.toMatchObject({ code: "TOKEN_ISSUER_UNKNOWN" });
    await expect(link.authenticate(md("garbage"), "/ipfed.v1.SearchService/Search")).rejects.toMatchObject({ code: "TOKEN_MALFORMED" });
  });

  it("stays pending without an enrolment token, and refuses a configuration not signed by the pinned key", async () => {
    const other = await generateMemberKey();
    const pending = await joinHub({ identity: identity(other, "sz-branch"), hubAddress, hubFingerprint: hubKey.kid, endpoints: () => ({}) });
    expect([pending.state, pending.message]).toEqual(["pending", "waiting for an admin"]);
    pending.close();
    const err = await joinHub({ identity: identity(other, "sz-branch"), hubAddress, hubFingerprint: other.kid, endpoints: () => ({}) }).catch((e: unknown) => e);
    expect((err as IpfedError).code).toBe("NETWORK_CONFIG_INVALID");
  });
});
