import { Metadata, credentials } from "@grpc/grpc-js";
import { Command } from "commander";
import type { ServiceError } from "@grpc/grpc-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FederationServiceClient, ListMembersRequest, MemberHealth, MemberKind, RegistrationState, Tier } from "@ipfed/proto";
import type { ListMembersResponse } from "@ipfed/proto";
import { IpfedError, fromGrpcError, generateMemberKey, issueToken, signRegistration } from "@ipfed/sdk";
import type { MemberKey } from "@ipfed/sdk";
import { membersCommand } from "../cli/commands/members.js";
import { createKeyRing } from "../config/key-store.js";
import { loadConfig, saveConfig } from "../config/node-config.js";
import { hubFixture, memberFixture, memberOf, startHubServer, tempDir } from "./federation.fixtures.js";
import type { HubFixture, HubServer, MemberFixture } from "./federation.fixtures.js";
import { connectHub } from "./hub-client.js";
import type { HubClient } from "./hub-client.js";
import { HubMembership } from "./hub-membership.js";
import type { NetworkConfigClient } from "./network-config-client.js";

let hub: HubFixture;
let server: HubServer;
let member: MemberFixture;
let client: NetworkConfigClient;
let membership: HubMembership;
let raw: HubClient;

beforeEach(async () => {
  hub = await hubFixture();
  server = await startHubServer(hub);
  member = await memberFixture(hub.clock);
  client = member.client(server.address);
  membership = new HubMembership({
    network: client,
    hubAddress: server.address,
    self: member.self,
    keys: () => member.keys,
    catalogue: async () => ({ datasetCount: 3, recordCount: 4200, kinds: [], countries: ["CN"], regions: ["510100"], version: 9, datasetIds: ["a", "b", "c"] }),
    now: hub.clock.now,
  });
  raw = connectHub(server.address);
});

afterEach(async () => {
  raw.close();
  membership.stop();
  client.stop();
  await server.close();
  await hub.close();
  await member.dir.remove();
});

async function listMembers(req: Partial<ListMembersRequest> = {}): Promise<ListMembersResponse> {
  const c = new FederationServiceClient(server.address, credentials.createInsecure());
  try {
    return await new Promise((resolve, reject) =>
      c.listMembers(ListMembersRequest.fromPartial(req), new Metadata(), (err: ServiceError | null, res: ListMembersResponse) => (err ? reject(fromGrpcError(err)) : resolve(res))),
    );
  } finally {
    c.close();
  }
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "none";
  } catch (err) {
    return err instanceof IpfedError ? err.code : String(err);
  }
}

describe("Register, Heartbeat, ListMembers over gRPC", () => {
  it("pending until an admin admits; then heartbeats report health and the new configuration version", async () => {
    expect((await membership.register()).state).toBe(RegistrationState.REGISTRATION_STATE_PENDING);
    expect(membership.state()).toBe("pending");
    // Not in the configuration yet, so the hub does not know its tokens.
    expect(await codeOf(membership.heartbeat())).toBe("TOKEN_ISSUER_UNKNOWN");
    expect((await listMembers()).members.map((m) => m.id)).toEqual(["hub"]);

    await hub.registry.admit("sc-tisc", Tier.TIER_REGISTERED);
    const { config } = await server.publisher.latest();
    const before = client.current()!.version;
    expect(config.version).toBeGreaterThan(before);
    const res = await membership.heartbeat();
    expect(res).toMatchObject({ configVersion: config.version, intervalSeconds: 30, serverTime: hub.clock.now().toISOString() });
    await expect.poll(() => client.current()?.version).toBe(config.version);

    const listed = (await listMembers()).members.find((m) => m.id === "sc-tisc")!;
    expect(listed).toMatchObject({ health: MemberHealth.MEMBER_HEALTH_UP, maxTier: Tier.TIER_REGISTERED, catalogue: { datasetCount: 3, recordCount: 4200 } });
    hub.clock.advance(200);
    expect((await listMembers()).members.find((m) => m.id === "sc-tisc")?.health).toBe(MemberHealth.MEMBER_HEALTH_DOWN);
  });

  it("admits at once with an enrolment token, which is spent", async () => {
    const { token } = await hub.registry.createEnrolment("sc-tisc", { maxTier: Tier.TIER_RESTRICTED, ttlSeconds: 3600 });
    const res = await membership.register(token);
    expect(res).toMatchObject({ state: RegistrationState.REGISTRATION_STATE_ADMITTED, member: { id: "sc-tisc", maxTier: Tier.TIER_RESTRICTED } });
    // The hub trusts the member before answering: the first heartbeat goes through.
    await membership.heartbeat();
    await hub.registry.remove("sc-tisc");
    expect((await membership.register(token)).state).toBe(RegistrationState.REGISTRATION_STATE_REFUSED);
  });

  it("takes key changes only when signed by a key on record", async () => {
    const { token } = await hub.registry.createEnrolment("sc-tisc", { maxTier: Tier.TIER_PUBLIC, ttlSeconds: 3600 });
    await membership.register(token);
    const old = member.keys[0]!;
    const rotated: MemberKey = await generateMemberKey(hub.clock.now());

    // Someone else claiming the id with a key of their own is refused.
    const impostor = memberOf("sc-tisc", [rotated], { endpoints: [] });
    const signature = await signRegistration(impostor, rotated);
    expect(await codeOf(raw.register({ member: impostor, signature, enrolmentToken: "" }))).toBe("REGISTRATION_INVALID");

    // The member rotates: the new key signs first, is refused, and the old key signs instead.
    member.keys.unshift(rotated);
    expect((await membership.register()).state).toBe(RegistrationState.REGISTRATION_STATE_ADMITTED);
    expect((await hub.registry.get("sc-tisc"))?.member.keys.map((k) => k.kid)).toEqual([rotated.kid, old.kid]);
    await server.publisher.latest();
    await membership.heartbeat(); // signed with the new key, now in the configuration
  });

  it("takes heartbeats only from the member itself", async () => {
    const { token } = await hub.registry.createEnrolment("sc-tisc", { maxTier: Tier.TIER_REGISTERED, ttlSeconds: 3600 });
    await membership.register(token);
    await client.refresh();
    const beat = { memberId: "sc-tisc", health: MemberHealth.MEMBER_HEALTH_UP, configVersion: 0, endpoints: [] };
    const now = hub.clock.now();
    const byHub = await issueToken(hub.keys[0]!, { issuer: "hub", subject: "sc-tisc", audience: "hub", tier: Tier.TIER_PUBLIC, scopes: ["admin"], ttlSeconds: 60, now });
    expect(await codeOf(raw.heartbeat(beat, byHub))).toBe("MEMBER_NOT_ADMITTED");
    const forUser = await issueToken(member.keys[0]!, { issuer: "sc-tisc", subject: "alice", audience: "hub", tier: Tier.TIER_PUBLIC, scopes: ["admin"], ttlSeconds: 60, now });
    expect(await codeOf(raw.heartbeat(beat, forUser))).toBe("MEMBER_NOT_ADMITTED");
    const noAdmin = await issueToken(member.keys[0]!, { issuer: "sc-tisc", subject: "sc-tisc", audience: "hub", tier: Tier.TIER_PUBLIC, scopes: ["read"], ttlSeconds: 60, now });
    expect(await codeOf(raw.heartbeat(beat, noAdmin))).toBe("SCOPE_MISSING");
    const own = await issueToken(member.keys[0]!, { issuer: "sc-tisc", subject: "sc-tisc", audience: "hub", tier: Tier.TIER_PUBLIC, scopes: ["admin"], ttlSeconds: 60, now });
    expect((await raw.heartbeat(beat, own)).intervalSeconds).toBe(30);
  });

  it("filters ListMembers by kind and region prefix", async () => {
    for (const [id, kind, region] of [["sc-tisc", MemberKind.MEMBER_KIND_TISC, "510100"], ["gd-lib", MemberKind.MEMBER_KIND_LIBRARY, "440300"]] as const) {
      await hub.registry.register(memberOf(id, member.keys, { kind, region }));
      await hub.registry.admit(id);
    }
    expect((await listMembers({ kinds: [MemberKind.MEMBER_KIND_LIBRARY] })).members.map((m) => m.id)).toEqual(["gd-lib"]);
    expect((await listMembers({ regions: ["51", "11"] })).members.map((m) => m.id)).toEqual(["hub", "sc-tisc"]);
  });
});

describe("GetNetworkConfig and GetKeys over gRPC", () => {
  it("serves the signed configuration, and not_modified for the current version", async () => {
    const first = await raw.getNetworkConfig(0);
    expect(first.signed.split(".")).toHaveLength(3);
    expect(first.config).toMatchObject({ hubId: "hub", networkId: "ipfed" });
    expect(await raw.getNetworkConfig(first.config!.version)).toMatchObject({ notModified: true, signed: "" });
    await hub.registry.register(member.self());
    await hub.registry.admit("sc-tisc");
    const next = await raw.getNetworkConfig(first.config!.version);
    expect(next.config!.version).toBeGreaterThan(first.config!.version);
    expect(next.config!.members.map((m) => m.id)).toEqual(["hub", "sc-tisc"]);
  });

  it("answers GetKeys with the hub's keys", async () => {
    const c = new FederationServiceClient(server.address, credentials.createInsecure());
    const res = await new Promise<{ keys: { kid: string }[] }>((resolve, reject) => c.getKeys({}, (err, r) => (err ? reject(err) : resolve(r))));
    c.close();
    expect(res.keys.map((k) => k.kid)).toEqual([hub.keys[0]!.kid]);
  });
});

describe("ipfed members join", () => {
  it("pins the hub's key in ipfed.json on first use and registers with the enrolment token", async () => {
    const dir = await tempDir("ipfed-join-");
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
    try {
      await saveConfig(dir.path, { version: 1, id: "gd-lib", kind: "library", region: "440300", names: { en: "Library" }, networkId: "ipfed", listen: "127.0.0.1:7410", http: "127.0.0.1:7490", hub: { address: server.address } });
      await createKeyRing(dir.path);
      const { token } = await hub.registry.createEnrolment("gd-lib", { maxTier: Tier.TIER_PUBLIC, ttlSeconds: 3600 });
      const program = new Command("ipfed").exitOverride().addCommand(membersCommand());
      await program.parseAsync(["node", "ipfed", "members", "join", "--dir", dir.path, "--enrolment-token", token, "--json"]);
      expect(JSON.parse(out.join("\n"))).toMatchObject({ state: "admitted", hub: "hub", hubKey: hub.keys[0]!.kid });
      expect(err.join("")).toContain("on first use");
      expect((await loadConfig(dir.path)).hub).toEqual({ address: server.address, fingerprint: hub.keys[0]!.kid });
      expect((await hub.registry.get("gd-lib"))?.member.endpoints.map((e) => e.address)).toEqual(["127.0.0.1:7410", "127.0.0.1:7490"]);
    } finally {
      log.mockRestore();
      stderr.mockRestore();
      await dir.remove();
    }
  });
});
