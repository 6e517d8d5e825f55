import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NetworkConfig, Tier } from "@ipfed/proto";
import { IpfedError, createStaticKeyResolver, generateMemberKey, issueToken, signNetworkConfig, verifyToken } from "@ipfed/sdk";
import { hubFixture, memberFixture, startHubServer } from "./federation.fixtures.js";
import type { HubFixture, HubServer, MemberFixture } from "./federation.fixtures.js";
import { NETWORK_CONFIG_FILE } from "./network-config-client.js";
import type { NetworkConfigClient } from "./network-config-client.js";

let hub: HubFixture;
let server: HubServer;
let member: MemberFixture;
const clients: NetworkConfigClient[] = [];

beforeEach(async () => {
  hub = await hubFixture();
  server = await startHubServer(hub);
  member = await memberFixture(hub.clock);
  // The member is admitted, so that its tokens are in the configuration.
  await hub.registry.register(member.self());
  await hub.registry.admit("sc-tisc", Tier.TIER_REGISTERED);
  await server.publisher.latest();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.stop();
  await server.close();
  await hub.close();
  await member.dir.remove();
});

function client(...args: Parameters<MemberFixture["client"]>): NetworkConfigClient {
  const c = member.client(...args);
  clients.push(c);
  return c;
}

/** Checks a token of the member the way a node's verifier does with the client's issuers. */
async function trusts(c: NetworkConfigClient, tier = Tier.TIER_REGISTERED): Promise<string> {
  const token = await issueToken(member.keys[0]!, { issuer: "sc-tisc", subject: "alice", audience: "ipfed", tier, scopes: ["search"], ttlSeconds: 600, now: hub.clock.now() });
  try {
    await verifyToken(token, { keys: createStaticKeyResolver(c.issuers()), audience: ["ipfed"], isRevoked: (j, i) => c.revoked(j, i), now: hub.clock.now });
    return "ok";
  } catch (err) {
    return (err as IpfedError).code;
  }
}

describe("NetworkConfigClient", () => {
  it("trusts the hub's key on first use, with a warning, pins it, and keeps the configuration on disk", async () => {
    const pins: string[] = [];
    const c = client(server.address, { savePin: async (kid) => void pins.push(kid) });
    expect(c.state()).toBe("none");
    expect(await trusts(c)).toBe("TOKEN_ISSUER_UNKNOWN");
    await c.start();
    expect(c.state()).toBe("valid");
    expect(pins).toEqual([hub.keys[0]!.kid]);
    expect(member.logs.some((l) => l.level === "warn" && l.msg.includes("on first use"))).toBe(true);
    expect((await readFile(join(member.dir.path, NETWORK_CONFIG_FILE), "utf8")).trim()).toBe(c.signed());
    expect(await trusts(c)).toBe("ok");
    // The configuration's cap holds.
    expect(await trusts(c, Tier.TIER_RESTRICTED)).toBe("TIER_EXCEEDS_ISSUER");
  });

  it("refuses a hub whose key does not match the pinned fingerprint", async () => {
    const other = await generateMemberKey();
    const c = client(server.address, { fingerprint: other.kid });
    await expect(c.refresh()).rejects.toMatchObject({ code: "NETWORK_CONFIG_INVALID" });
    expect(c.current()).toBeUndefined();
    const pinned = client(server.address, { fingerprint: hub.keys[0]!.kid });
    expect(await pinned.refresh()).toBe(true);
  });

  it("keeps trusting from its stored configuration while the hub is down (after a restart too)", async () => {
    const c = client(server.address, { fingerprint: hub.keys[0]!.kid });
    await c.start();
    const version = c.current()!.version;
    c.stop();
    await server.close();

    const restarted = client(server.address, { fingerprint: hub.keys[0]!.kid });
    await restarted.start(); // the hub is unreachable: no throw, the stored configuration serves
    expect(restarted.current()?.version).toBe(version);
    expect(restarted.state()).toBe("valid");
    expect(await trusts(restarted)).toBe("ok");
    await expect(restarted.refresh()).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(await trusts(restarted)).toBe("ok");
  });

  it("reports expiry: still trusted in grace, nothing trusted past it, revocations kept", async () => {
    await hub.registry.revoke({ jti: "stolen", issuer: "sc-tisc", expiresTime: new Date(hub.clock.now().getTime() + 7 * 86_400_000).toISOString() });
    const c = client(server.address);
    await c.start();
    await server.close(); // no refresh from here on
    expect(c.revoked("stolen", "sc-tisc")).toBe(true);
    hub.clock.advance(24 * 3600 + 1800);
    expect(c.state()).toBe("expired-in-grace");
    expect(await trusts(c)).toBe("ok");
    hub.clock.advance(1800);
    expect(c.state()).toBe("past-grace");
    expect(c.issuers().size).toBe(0);
    expect(await trusts(c)).toBe("TOKEN_ISSUER_UNKNOWN");
    expect(c.revoked("stolen", "sc-tisc")).toBe(true);
    expect(c.trustVersion()).toMatch(/\/past-grace$/);
  });

  it("takes newer configurations offered by peers, never an older one, never another hub's", async () => {
    const c = client(undefined, { fingerprint: hub.keys[0]!.kid });
    const first = (await server.publisher.latest()).signed;
    expect(await c.offer(first)).toBe(true);
    await hub.registry.remove("sc-tisc");
    const second = (await server.publisher.latest()).signed;
    expect(await c.offer(second)).toBe(true);
    expect(await trusts(c)).toBe("TOKEN_ISSUER_UNKNOWN");
    expect(await c.offer(first)).toBe(false);
    expect(c.current()!.members.map((m) => m.id)).toEqual(["hub"]);

    // A rogue "hub" signs a newer configuration with its own key.
    const rogue = await generateMemberKey();
    const forged = NetworkConfig.fromPartial({ ...c.current()!, version: 99, members: [{ ...c.current()!.members[0]!, keys: [{ kid: rogue.kid, alg: "EdDSA", crv: "Ed25519", x: String(rogue.publicJwk.x) }] }] });
    await expect(c.offer(await signNetworkConfig(forged, rogue))).rejects.toMatchObject({ code: "NETWORK_CONFIG_INVALID" });
    // Another network's configuration is refused outright.
    const elsewhere = NetworkConfig.fromPartial({ ...c.current()!, networkId: "other-net", version: 100 });
    await expect(c.offer(await signNetworkConfig(elsewhere, hub.keys[0]!))).rejects.toMatchObject({ code: "NETWORK_CONFIG_INVALID" });
  });

  it("takes no offer before it trusts a hub key", async () => {
    const c = client(undefined);
    await expect(c.offer((await server.publisher.latest()).signed)).rejects.toMatchObject({ code: "NETWORK_CONFIG_INVALID" });
  });

  it("follows a hub key rotation: the old key vouches for the new one, and the pin moves", async () => {
    const pins: string[] = [];
    const c = client(server.address, { fingerprint: hub.keys[0]!.kid, savePin: async (kid) => void pins.push(kid) });
    await c.start();
    const oldKey = hub.keys[0]!;
    const newKey = await generateMemberKey(hub.clock.now());
    hub.keys.unshift(newKey); // rotated: the new key is active, the old one still in the ring
    const during = await server.publisher.latest();
    expect(during.kid).toBe(oldKey.kid); // still signed by the key members know ...
    expect(during.config.members[0]!.keys.map((k) => k.kid)).toEqual([newKey.kid, oldKey.kid]); // ... listing the new one
    expect(await c.refresh()).toBe(true);

    hub.keys.pop(); // the old key leaves the ring
    const after = await server.publisher.latest();
    expect(after.kid).toBe(newKey.kid);
    expect(await c.refresh()).toBe(true);
    expect(c.pinnedKid()).toBe(newKey.kid);
    expect(pins).toEqual([newKey.kid]);
  });

  it("re-signs at half-life as a new version, which the member fetches", async () => {
    const c = client(server.address);
    await c.start();
    const v = c.current()!.version;
    hub.clock.advance(11 * 3600);
    expect((await server.publisher.latest()).config.version).toBe(v);
    hub.clock.advance(3600);
    expect((await server.publisher.latest()).config.version).toBe(v + 1);
    expect(await c.refresh()).toBe(true);
    expect(c.current()!.expiresTime).toBe(new Date(hub.clock.now().getTime() + 86_400_000).toISOString());
  });
});
