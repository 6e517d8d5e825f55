import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Tier } from "@ipfed/proto";
import { generateMemberKey, verifyNetworkConfig } from "@ipfed/sdk";
import { ConfigPublisher } from "./config-publisher.js";
import { hubFixture, memberOf } from "./federation.fixtures.js";
import type { HubFixture } from "./federation.fixtures.js";
import type { MemberRegistry } from "./member-registry.js";

let hub: HubFixture;
const publishers: ConfigPublisher[] = [];

beforeEach(async () => {
  hub = await hubFixture();
});

afterEach(async () => {
  for (const p of publishers.splice(0)) p.stop();
  await hub.close();
});

function publisher(registry: MemberRegistry = hub.registry): ConfigPublisher {
  const p = new ConfigPublisher({ registry, networkId: "ipfed", self: hub.self, keys: () => hub.keys, now: hub.clock.now });
  publishers.push(p);
  return p;
}

describe("ConfigPublisher", () => {
  it("signs a configuration that lists the hub and verifies against its key", async () => {
    const p = publisher();
    await p.start();
    const { signed, config } = p.current()!;
    const v = await verifyNetworkConfig(signed, { pinnedKid: hub.keys[0]!.kid, now: hub.clock.now() });
    expect(v.config).toEqual(config);
    expect(config.members.map((m) => [m.id, m.maxTier])).toEqual([["hub", Tier.TIER_CONFIDENTIAL]]);
    expect(p.state()).toBe("valid");
    expect([...p.issuers().keys()]).toEqual(["hub"]);
  });

  it("signs a new version when the registry changes, and only then", async () => {
    const p = publisher();
    await p.start();
    const v = p.current()!.config.version;
    expect((await p.latest()).config.version).toBe(v);
    let heard = 0;
    p.onChange(() => heard++);
    await hub.registry.register(memberOf("sc-tisc", [await generateMemberKey()]));
    await hub.registry.admit("sc-tisc", Tier.TIER_REGISTERED);
    const next = await p.latest();
    expect(next.config.version).toBe(v + 1);
    expect(heard).toBe(1);
    expect(p.issuers().get("sc-tisc")?.maxTier).toBe(Tier.TIER_REGISTERED);
  });

  it("serves the kept configuration unchanged after a restart", async () => {
    const first = publisher();
    await first.start();
    const before = first.current()!;
    first.stop();
    const restarted = publisher(await hub.reopen());
    await restarted.start();
    const after = restarted.current()!;
    expect({ signed: after.signed, kid: after.kid, version: after.config.version }).toEqual({ signed: before.signed, kid: before.kid, version: before.config.version });
  });
});
