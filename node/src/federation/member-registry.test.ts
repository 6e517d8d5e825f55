import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EndpointKind, MemberHealth, MemberKind, Tier } from "@ipfed/proto";
import { generateMemberKey } from "@ipfed/sdk";
import type { MemberKey } from "@ipfed/sdk";
import { hubFixture, memberOf } from "./federation.fixtures.js";
import { MemberRegistry } from "./member-registry.js";
import { registrySublevel } from "./registry-sublevel.js";
import type { HubFixture } from "./federation.fixtures.js";

let hub: HubFixture;
let tiscKey: MemberKey;

beforeEach(async () => {
  hub = await hubFixture();
  tiscKey = await generateMemberKey();
  await hub.registry.upsertSelf(hub.self());
});

afterEach(async () => {
  await hub.close();
});

const tisc = () => memberOf("sc-tisc", [tiscKey]);

describe("registration", () => {
  it("records a registration without a token as pending, then an admin admits it", async () => {
    const v0 = hub.registry.version;
    const out = await hub.registry.register(tisc());
    expect(out.state).toBe("pending");
    expect(hub.registry.version).toBe(v0); // pending members are not in the configuration
    expect((await hub.registry.get("sc-tisc"))?.member.maxTier).toBe(Tier.TIER_UNSPECIFIED);

    const admitted = await hub.registry.admit("sc-tisc", Tier.TIER_REGISTERED);
    expect(admitted).toMatchObject({ state: "admitted", member: { maxTier: Tier.TIER_REGISTERED } });
    expect(hub.registry.version).toBe(v0 + 1);
    // Admitting again with the same cap changes nothing the configuration shows.
    await hub.registry.admit("sc-tisc");
    expect(hub.registry.version).toBe(v0 + 1);
    expect((await hub.registry.list({ states: ["admitted"] })).map((r) => r.member.id)).toEqual(["hub", "sc-tisc"]);
  });

  it("keeps only what a member may say about itself", async () => {
    await hub.registry.register({ ...tisc(), maxTier: Tier.TIER_CONFIDENTIAL, health: MemberHealth.MEMBER_HEALTH_UP, lastSeen: "2029-01-01T00:00:00Z" });
    const r = await hub.registry.get("sc-tisc");
    // Last seen is when the hub heard the registration, whatever the member claimed.
    expect(r?.member).toMatchObject({ maxTier: Tier.TIER_UNSPECIFIED, health: MemberHealth.MEMBER_HEALTH_UNSPECIFIED, lastSeen: hub.clock.now().toISOString() });
  });

  it("refuses the hub's own id and malformed ids", async () => {
    await expect(hub.registry.register(memberOf("hub", [tiscKey]))).rejects.toMatchObject({ code: "REGISTRATION_INVALID" });
    await expect(hub.registry.register(memberOf("Bad Id", [tiscKey]))).rejects.toMatchObject({ code: "REGISTRATION_INVALID" });
  });

  it("limits how many registrations wait at once", async () => {
    const small = new MemberRegistry(registrySublevel(hub.db), { hubId: "hub", keys: () => hub.keys, maxPending: 1, now: hub.clock.now });
    await small.open();
    await small.register(memberOf("a-1", [tiscKey]));
    await small.register(memberOf("a-1", [tiscKey])); // the same member again is fine
    await expect(small.register(memberOf("a-2", [tiscKey]))).rejects.toMatchObject({ code: "RESOURCE_EXHAUSTED" });
  });
});

describe("enrolment tokens", () => {
  it("admit once, with the token's tier cap", async () => {
    const { token, grant } = await hub.registry.createEnrolment("sc-tisc", { maxTier: Tier.TIER_RESTRICTED, ttlSeconds: 3600 });
    expect(grant).toMatchObject({ memberId: "sc-tisc", maxTier: Tier.TIER_RESTRICTED });
    const first = await hub.registry.register(tisc(), token);
    expect(first.state).toBe("admitted");
    expect(first.record?.member.maxTier).toBe(Tier.TIER_RESTRICTED);

    // Used: an admitted member that sends it again is simply updated ...
    expect((await hub.registry.register(tisc(), token)).state).toBe("admitted");
    // ... but once removed, the used token admits nobody.
    await hub.registry.remove("sc-tisc");
    const again = await hub.registry.register(tisc(), token);
    expect(again).toMatchObject({ state: "refused", message: expect.stringContaining("already been used") });
  });

  it("refuse a token for another member, kind or region, an expired one, and one of another hub", async () => {
    const forOther = await hub.registry.createEnrolment("other", { maxTier: Tier.TIER_PUBLIC, ttlSeconds: 3600 });
    expect(await hub.registry.register(tisc(), forOther.token)).toMatchObject({ state: "refused", message: expect.stringContaining("is for member other") });
    const library = await hub.registry.createEnrolment("sc-tisc", { maxTier: Tier.TIER_PUBLIC, kind: MemberKind.MEMBER_KIND_LIBRARY, ttlSeconds: 3600 });
    expect((await hub.registry.register(tisc(), library.token)).state).toBe("refused");
    const region = await hub.registry.createEnrolment("sc-tisc", { maxTier: Tier.TIER_PUBLIC, region: "440000", ttlSeconds: 3600 });
    expect((await hub.registry.register(tisc(), region.token)).state).toBe("refused");
    const short = await hub.registry.createEnrolment("sc-tisc", { maxTier: Tier.TIER_PUBLIC, ttlSeconds: 60 });
    hub.clock.advance(600);
    expect(await hub.registry.register(tisc(), short.token)).toMatchObject({ state: "refused", message: expect.stringContaining("expired") });

    const rogue = await hubFixture(hub.clock);
    try {
      const foreign = await rogue.registry.createEnrolment("sc-tisc", { maxTier: Tier.TIER_CONFIDENTIAL, ttlSeconds: 3600 });
      expect(await hub.registry.register(tisc(), foreign.token)).toMatchObject({ state: "refused", message: expect.stringContaining("not signed by this hub") });
    } finally {
      await rogue.close();
    }
    // None of the refusals left a record behind.
    expect(await hub.registry.get("sc-tisc")).toBeUndefined();
  });
});

describe("heartbeats and health", () => {
  beforeEach(async () => {
    await hub.registry.register(tisc());
    await hub.registry.admit("sc-tisc", Tier.TIER_REGISTERED);
  });

  const health = async () => hub.registry.view((await hub.registry.get("sc-tisc"))!).health;
  const beat = (h = MemberHealth.MEMBER_HEALTH_UP) => hub.registry.heartbeat("sc-tisc", { health: h, endpoints: [], catalogue: { datasetCount: 2, recordCount: 1234, kinds: [], countries: [], regions: [], version: 7, datasetIds: ["a", "b"] } });

  it("goes up → degraded → down with the heartbeat's age (interval 30 s)", async () => {
    // The registration was contact: up until heartbeats say otherwise, down if none come.
    expect(await health()).toBe(MemberHealth.MEMBER_HEALTH_UP);
    await beat();
    expect(await health()).toBe(MemberHealth.MEMBER_HEALTH_UP);
    hub.clock.advance(59);
    expect(await health()).toBe(MemberHealth.MEMBER_HEALTH_UP);
    hub.clock.advance(1);
    expect(await health()).toBe(MemberHealth.MEMBER_HEALTH_DEGRADED);
    hub.clock.advance(89);
    expect(await health()).toBe(MemberHealth.MEMBER_HEALTH_DEGRADED);
    hub.clock.advance(1);
    expect(await health()).toBe(MemberHealth.MEMBER_HEALTH_DOWN);
    await beat();
    expect(await health()).toBe(MemberHealth.MEMBER_HEALTH_UP);
    await beat(MemberHealth.MEMBER_HEALTH_DEGRADED);
    expect(await health()).toBe(MemberHealth.MEMBER_HEALTH_DEGRADED);
  });

  it("records the catalogue without a new configuration version; new endpoints make one", async () => {
    const v = hub.registry.version;
    await beat();
    expect((await hub.registry.get("sc-tisc"))?.member.catalogue?.recordCount).toBe(1234);
    expect(hub.registry.version).toBe(v);
    await hub.registry.heartbeat("sc-tisc", { health: MemberHealth.MEMBER_HEALTH_UP, endpoints: [{ kind: EndpointKind.ENDPOINT_KIND_GRPC, address: "10.9.9.9:7400", tls: false }] });
    expect(hub.registry.version).toBe(v + 1);
  });

  it("refuses heartbeats of members not admitted", async () => {
    await hub.registry.remove("sc-tisc");
    await expect(beat()).rejects.toMatchObject({ code: "MEMBER_NOT_ADMITTED" });
    await expect(hub.registry.heartbeat("nobody", { health: 1, endpoints: [] })).rejects.toMatchObject({ code: "MEMBER_NOT_ADMITTED" });
  });
});

describe("the network configuration", () => {
  it("lists every admitted member with keys and cap, and nothing else", async () => {
    await hub.registry.register(tisc());
    await hub.registry.admit("sc-tisc", Tier.TIER_REGISTERED);
    await hub.registry.register(memberOf("waiting", [tiscKey]));
    await hub.registry.heartbeat("sc-tisc", { health: MemberHealth.MEMBER_HEALTH_UP, endpoints: [] });
    const config = await hub.registry.buildNetworkConfig({ networkId: "ipfed" });
    expect(config).toMatchObject({ networkId: "ipfed", hubId: "hub", version: hub.registry.version, graceSeconds: 3600, issuedTime: "2030-01-01T00:00:00.000Z", expiresTime: "2030-01-02T00:00:00.000Z" });
    expect(config.members.map((m) => [m.id, m.maxTier])).toEqual([["hub", Tier.TIER_CONFIDENTIAL], ["sc-tisc", Tier.TIER_REGISTERED]]);
    const entry = config.members[1]!;
    expect(entry.keys.map((k) => k.kid)).toEqual([tiscKey.kid]);
    expect(entry).toMatchObject({ health: MemberHealth.MEMBER_HEALTH_UNSPECIFIED, lastSeen: undefined, catalogue: undefined });
  });

  it("counts versions: changes the configuration shows, and nothing else; kept across restarts", async () => {
    const v = hub.registry.version;
    expect(await hub.registry.upsertSelf(hub.self())).toBe(false);
    await hub.registry.register(tisc());
    await hub.registry.admit("sc-tisc");
    await hub.registry.remove("sc-tisc");
    expect(hub.registry.version).toBe(v + 2);
    hub.keys.push(await generateMemberKey()); // a new hub key changes the hub's own entry
    expect(await hub.registry.upsertSelf(hub.self())).toBe(true);
    expect(hub.registry.version).toBe(v + 3);
    expect((await hub.registry.buildNetworkConfig({ networkId: "ipfed" })).members.map((m) => m.id)).toEqual(["hub"]);
    const reopened = await hub.reopen();
    expect(reopened.version).toBe(v + 3);
    expect((await reopened.get("sc-tisc"))?.state).toBe("removed");
  });

  it("lets revocations expire out of the configuration", async () => {
    const t = (s: number) => new Date(hub.clock.now().getTime() + s * 1000).toISOString();
    await hub.registry.revoke({ jti: "short", issuer: "sc-tisc", expiresTime: t(60) });
    await hub.registry.revoke({ jti: "long", issuer: "sc-tisc", expiresTime: t(7200) });
    expect((await hub.registry.buildNetworkConfig({ networkId: "ipfed" })).revocations.map((r) => r.jti).sort()).toEqual(["long", "short"]);
    hub.clock.advance(120);
    expect((await hub.registry.buildNetworkConfig({ networkId: "ipfed" })).revocations.map((r) => r.jti)).toEqual(["long"]);
  });

  it("needs the hub's own entry first", async () => {
    const empty = await hubFixture();
    try {
      await expect(empty.registry.buildNetworkConfig({ networkId: "ipfed" })).rejects.toMatchObject({ code: "FAILED_PRECONDITION" });
    } finally {
      await empty.close();
    }
  });
});
