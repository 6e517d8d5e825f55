import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EndpointKind, Member, MemberKind, NetworkConfig } from "@ipfed/proto";
import type { CatalogueSummary } from "@ipfed/proto";
import { generateMemberKey, keyMessages, signNetworkConfig, verifyNetworkConfig } from "@ipfed/sdk";
import type { MemberKey } from "@ipfed/sdk";
import type { Logger } from "../logger.js";
import { until } from "../p2p/p2p.fixtures.js";
import { CatalogueBook } from "./catalogue-book.js";
import { tempDir } from "./federation.fixtures.js";
import { NetworkGossip } from "./network-gossip.js";
import type { GossipConfigSource } from "./network-gossip.js";
import { ChangeListeners } from "./network-trust.js";

const NETWORK = "test-net";
const HUB = "hub";

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent } as unknown as Logger;

/** A node's copy of the configuration: what `ConfigPublisher` or `NetworkConfigClient` is to the real node. */
class Holder {
  readonly listeners = new ChangeListeners();
  cur: { config: NetworkConfig; signed: string } | undefined;
  constructor(readonly hubKey: MemberKey) {}
  async take(signed: string): Promise<boolean> {
    const { config } = await verifyNetworkConfig(signed, { hubKeys: [this.hubKey.publicJwk], hubId: HUB });
    if (this.cur && config.version <= this.cur.config.version) return false;
    this.cur = { config, signed };
    this.listeners.emit();
    return true;
  }
  source(member: boolean): GossipConfigSource {
    return {
      current: () => this.cur,
      onChange: (l) => this.listeners.add(l),
      hubKeys: () => [this.hubKey.publicJwk],
      verify: async (jws) => (await verifyNetworkConfig(jws, { hubKeys: [this.hubKey.publicJwk], hubId: HUB })).config,
      ...(member ? { offer: (jws: string) => this.take(jws) } : {}),
    };
  }
  get version(): number {
    return this.cur?.config.version ?? 0;
  }
}

interface TestNode {
  readonly id: string;
  readonly key: MemberKey;
  readonly dir: string;
  readonly gossip: NetworkGossip;
  readonly holder: Holder;
  readonly catalogues: CatalogueBook;
  catalogue: { version: number; summary: CatalogueSummary };
}

const running: NetworkGossip[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((g) => g.stop()));
  await Promise.all(cleanups.splice(0).map((f) => f()));
});

const summaryOf = (records: number, countries: string[]): CatalogueSummary => ({ datasetCount: 1, recordCount: records, kinds: [], countries, regions: [], version: records, datasetIds: ["d"] });

async function startNode(id: string, key: MemberKey, hubKey: MemberKey, dir?: string): Promise<TestNode> {
  if (dir === undefined) {
    const d = await tempDir("ipfed-netgossip-");
    cleanups.push(d.remove);
    dir = d.path;
  }
  const catalogues = new CatalogueBook();
  let node: TestNode;
  const gossip = await NetworkGossip.start({
    dir,
    networkId: NETWORK,
    memberId: id,
    keys: () => [key],
    self: () => entryOf(id, key, gossip),
    catalogueVersion: async () => node.catalogue.version,
    catalogue: async () => node.catalogue.summary,
    catalogues,
    logger: silent,
    tickMs: 50,
    redialMs: 200,
  });
  running.push(gossip);
  node = { id, key, dir, gossip, holder: new Holder(hubKey), catalogues, catalogue: { version: 1, summary: summaryOf(10, ["CN"]) } };
  return node;
}

function entryOf(id: string, key: MemberKey, gossip: NetworkGossip): Member {
  return Member.fromPartial({
    id,
    kind: id === HUB ? MemberKind.MEMBER_KIND_HUB : MemberKind.MEMBER_KIND_TISC,
    region: "510000",
    keys: keyMessages([key]),
    endpoints: gossip.addresses().map((address) => ({ kind: EndpointKind.ENDPOINT_KIND_LIBP2P, address, tls: false })),
    peerId: gossip.peerId,
  });
}

async function signed(hubKey: MemberKey, version: number, nodes: readonly TestNode[], revoked: readonly string[] = []): Promise<string> {
  const now = Date.now();
  const config = NetworkConfig.fromPartial({
    networkId: NETWORK,
    version,
    issuedTime: new Date(now).toISOString(),
    expiresTime: new Date(now + 3_600_000).toISOString(),
    members: nodes.map((n) => entryOf(n.id, n.key, n.gossip)),
    revocations: revoked.map((jti) => ({ jti, issuer: "a", expiresTime: new Date(now + 3_600_000).toISOString() })),
    hubId: HUB,
    graceSeconds: 3600,
  });
  return signNetworkConfig(config, hubKey);
}

/** A hub and two members, all holding configuration v1 that lists the three, attached and connected. */
async function network() {
  const [hubKey, aKey, bKey] = await Promise.all([generateMemberKey(), generateMemberKey(), generateMemberKey()]);
  const hub = await startNode(HUB, hubKey, hubKey);
  const a = await startNode("a", aKey, hubKey);
  const b = await startNode("b", bKey, hubKey);
  const v1 = await signed(hubKey, 1, [hub, a, b]);
  for (const n of [hub, a, b]) {
    await n.holder.take(v1);
    n.gossip.attach(n.holder.source(n !== hub));
  }
  await until(() => [hub, a, b].every((n) => n.gossip.stats().peers >= 2), "the three nodes to dial each other", 5000);
  return { hubKey, hub, a, b };
}

describe("NetworkGossip", () => {
  it("spreads each configuration the hub signs at once, and members relay a newer one with the hub gone", async () => {
    const { hubKey, hub, a, b } = await network();
    // The hub signs v2 (a revocation, say): both members take it from gossip.
    await hub.holder.take(await signed(hubKey, 2, [hub, a, b], ["tok-1"]));
    const ms = await until(() => a.holder.version === 2 && b.holder.version === 2, "both members at v2", 3000);
    expect(ms).toBeLessThan(1000);
    expect(b.holder.cur?.config.revocations.map((r) => r.jti)).toEqual(["tok-1"]);

    // The hub goes away after a has fetched v3 from it: a passes it on.
    await hub.gossip.stop();
    await a.holder.take(await signed(hubKey, 3, [hub, a, b]));
    await until(() => b.holder.version === 3, "b at v3, from a", 3000);
  });

  it("brings a restarted member with a stale configuration up to date from its peers, the hub being down", async () => {
    const { hubKey, hub, a, b } = await network();
    await hub.gossip.stop();
    await a.holder.take(await signed(hubKey, 2, [hub, a, b]));
    await until(() => b.holder.version === 2, "b at v2", 3000);
    // b restarts from its directory (same peer id) with v1 on disk; only a is up.
    const stale = await signed(hubKey, 1, [hub, a, b]);
    await b.gossip.stop();
    const b2 = await startNode("b", b.key, hubKey, b.dir);
    expect(b2.gossip.peerId).toBe(b.gossip.peerId);
    await b2.holder.take(stale);
    b2.gossip.attach(b2.holder.source(true));
    // It dials a from the configuration; a hears it subscribe and publishes v2 and its catalogue again.
    await until(() => b2.holder.version === 2, "the restarted b at v2", 5000);
    await until(() => b2.catalogues.get("a") !== undefined, "the restarted b to know a's catalogue", 3000);
  });

  it("spreads catalogue changes and a member's own revocations, and nothing is rejected", async () => {
    const { a, b, hub } = await network();
    await until(() => b.catalogues.get("a")?.recordCount === 10, "b to hear a's first summary", 3000);
    a.catalogue = { version: 2, summary: summaryOf(11, ["CN", "KR"]) };
    await until(() => b.catalogues.get("a")?.countries.includes("KR") === true, "b to hear a's new summary", 3000);
    expect(hub.catalogues.sighting("a")).toMatchObject({ version: 2 });

    // a revokes one of its own tokens, and lists one of the hub's (which is not its to revoke).
    const exp = Math.floor(Date.now() / 1000) + 600;
    await writeFile(join(a.dir, "revocations.json"), JSON.stringify({ revoked: [{ jti: "mine", issuer: "a", exp }, { jti: "theirs", issuer: HUB, exp }] }));
    await until(() => b.gossip.revoked("mine", "a"), "b to hear a's revocation", 3000);
    expect(b.gossip.revoked("theirs", HUB)).toBe(false);
    expect(b.gossip.revocationVersion).toBe(1);
    for (const n of [a, b, hub]) expect(Object.values(n.gossip.stats().rejected).reduce((x, y) => x + y, 0)).toBe(0);
  });
});
