import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Member, MemberKind, NetworkConfig } from "@ipfed/proto";
import { generateMemberKey } from "@ipfed/sdk";
import type { MemberKey } from "@ipfed/sdk";
import { Gossip } from "./gossip.js";
import type { GossipKind, GossipRejectReason } from "./gossip-topics.js";
import { GOSSIP_KINDS, GOSSIP_REJECT_REASONS } from "./gossip-topics.js";
import { HUB_ID, NETWORK_ID, identity, memberOf, signedConfig, startNode, summaryAt, tempDir, until } from "./p2p.fixtures.js";
import type { FixtureNode, Identity } from "./p2p.fixtures.js";
import { signGossip } from "./signed-message.js";

let hub: Identity;
let a: Identity;
let b: Identity;
let c: Identity;
let members: Member[];

beforeAll(async () => {
  hub = await identity(HUB_ID, MemberKind.MEMBER_KIND_HUB);
  a = await identity("sc-chengdu-tisc");
  b = await identity("sc-regional", MemberKind.MEMBER_KIND_REGIONAL);
  c = await identity("sc-mianyang-lib", MemberKind.MEMBER_KIND_LIBRARY);
  members = [hub.member, a.member, b.member, c.member];
});

const running: FixtureNode[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map(async (n) => (await n.gossip.stop(), await n.host.stop())));
  await Promise.all(cleanups.splice(0).map((f) => f()));
});

async function node(me: Identity, options: Parameters<typeof startNode>[3] = {}, gossip: Parameters<typeof startNode>[4] = {}): Promise<FixtureNode> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const n = await startNode(me, members, dir, options, gossip);
  running.push(n);
  return n;
}

/** Waits until every node sees at least `count` peers on every topic; returns how long it took. */
async function subscribed(nodes: readonly [FixtureNode, number][]): Promise<number> {
  const start = Date.now();
  await Promise.all(nodes.flatMap(([n, count]) => GOSSIP_KINDS.map((k) => n.gossip.waitForPeers(k, count, 5000))));
  return Date.now() - start;
}

/** Publishes a message as is, bypassing the sender's own checks: what a faulty or hostile peer can do. */
async function raw(from: FixtureNode, kind: GossipKind, jws: string): Promise<void> {
  await from.host.pubsub.publish(from.gossip.topics[kind], new TextEncoder().encode(jws));
}

function sign(who: Identity, kind: GossipKind, body: unknown, options: { key?: MemberKey; topicOf?: GossipKind; now?: Date } = {}): Promise<string> {
  const topic = `ipfed/${NETWORK_ID}/${{ member: "members", catalogue: "catalogue", revocation: "revocations", config: "config" }[options.topicOf ?? kind]}`;
  return signGossip(options.key ?? who.key, who.id, topic, kind, body, options.now === undefined ? {} : { now: options.now });
}

function rejected(n: FixtureNode, expected: Partial<Record<GossipRejectReason, number>>): Record<GossipRejectReason, number> {
  return Object.fromEntries(GOSSIP_REJECT_REASONS.map((r) => [r, expected[r] ?? 0])) as Record<GossipRejectReason, number>;
}

/** True once `count` messages have reached `n`'s checks and every check has answered. */
function settled(n: FixtureNode, count: number): boolean {
  const { received, accepted, rejected: r } = n.gossip.stats();
  return received === count && accepted + Object.values(r).reduce((x, y) => x + y, 0) === count;
}

const heardNothing = (n: FixtureNode): boolean => GOSSIP_KINDS.every((k) => n.heard[k].length === 0);
const exp = (): number => Math.floor(Date.now() / 1000) + 3600;

describe("Gossip", () => {
  it("two nodes joined by the bootstrap list exchange signed notices on every topic", async () => {
    const h = await node(hub);
    const n = await node(a, { bootstrap: [h.address], bootstrapDelayMs: 0 });
    expect(await subscribed([[h, 1], [n, 1]])).toBeLessThan(2000);

    await n.gossip.publishMember(a.member);
    await n.gossip.publishCatalogue(summaryAt(7));
    await n.gossip.publishRevocation({ jti: "tok-1", issuer: a.id, exp: 1_900_000_000 });
    await until(() => h.heard.member.length + h.heard.catalogue.length + h.heard.revocation.length === 3, "the hub to hear a's notices", 2000);
    expect(h.heard.member[0]).toMatchObject({ body: a.member, from: a.id });
    expect(h.heard.catalogue[0]).toMatchObject({ body: { memberId: a.id, version: 7, summary: summaryAt(7) }, from: a.id });
    expect(h.heard.revocation[0]).toMatchObject({ body: { jti: "tok-1", issuer: a.id, exp: 1_900_000_000 }, from: a.id });

    const jws = await signedConfig(hub, members, 3);
    await h.gossip.publishConfig(jws);
    await h.gossip.publishRevocation({ jti: "tok-2", issuer: a.id, exp: 1_900_000_000 }); // the hub may revoke anyone's
    await h.gossip.publishMember(b.member); // the hub may announce any member
    await until(() => n.heard.config.length + n.heard.revocation.length + n.heard.member.length === 3, "a to hear the hub", 2000);
    expect(n.heard.config[0]!.body).toMatchObject({ jws, config: { networkId: NETWORK_ID, version: 3, hubId: HUB_ID } });
    expect(n.heard.revocation[0]).toMatchObject({ body: { jti: "tok-2", issuer: a.id }, from: HUB_ID });
    expect(n.heard.member[0]).toMatchObject({ body: b.member, from: HUB_ID });

    expect(h.gossip.stats()).toEqual({ received: 3, accepted: 3, rejected: rejected(h, {}) });
    expect(n.gossip.stats()).toEqual({ received: 3, accepted: 3, rejected: rejected(n, {}) });
  });

  it("three nodes joined by explicit dials each hear the others once", async () => {
    const x = await node(a);
    const y = await node(b);
    const z = await node(c);
    await y.host.connect(x.address);
    await z.host.connect(x.address);
    await z.host.connect(y.address);
    expect(await subscribed([[x, 2], [y, 2], [z, 2]])).toBeLessThan(2000);

    await Promise.all([x, y, z].map((n) => n.gossip.publishMember(n.me.member)));
    for (const n of [x, y, z]) {
      await until(() => n.heard.member.length === 2, `${n.me.id} to hear two announcements`, 2000);
      expect(n.heard.member.map((m) => m.from).sort()).toEqual([x, y, z].filter((o) => o !== n).map((o) => o.me.id).sort());
    }
    // An announcement can reach z both directly and through the third node; the copy is
    // dropped by gossipsub before any check, so each is handled once and none counts as a replay.
    await until(() => z.heard.member.length === 2 && z.gossip.stats().accepted === 2, "z to settle");
    expect(z.gossip.stats().rejected.replayed).toBe(0);
  });

  it("carries a member announcement across a middle node to one it has no connection to, with the hub down", async () => {
    const x = await node(a);
    const mid = await node(b);
    const z = await node(c);
    await x.host.connect(mid.address);
    await z.host.connect(mid.address);
    const ms = await subscribed([[x, 1], [mid, 2], [z, 1]]);
    expect(ms).toBeLessThan(2000);

    // A forged announcement first: the middle node drops it and never passes it on.
    const stranger = await identity("xx-stranger");
    await raw(x, "member", await sign(stranger, "member", Member.toJSON(stranger.member)));
    const start = Date.now();
    await x.gossip.publishMember(a.member);
    await until(() => z.heard.member.length === 1, "the announcement to reach z through the middle node", 3000);
    const relayMs = Date.now() - start;
    expect(relayMs).toBeLessThan(2000);

    expect(z.heard.member[0]).toMatchObject({ body: a.member, from: a.id });
    expect(z.host.connectedPeers().some((p) => p.equals(x.host.peerId))).toBe(false);
    expect(x.host.connectedPeers().some((p) => p.equals(z.host.peerId))).toBe(false);
    await until(() => settled(mid, 2) && settled(z, 1), "the middle node to check both");
    expect(mid.gossip.stats()).toEqual({ received: 2, accepted: 1, rejected: rejected(mid, { "unknown-signer": 1 }) });
    expect(z.gossip.stats()).toEqual({ received: 1, accepted: 1, rejected: rejected(z, {}) });
  });

  it("drops messages signed by an unknown member or an unknown key before any handler runs", async () => {
    const h = await node(hub);
    const n = await node(a);
    await n.host.connect(h.address);
    await subscribed([[h, 1], [n, 1]]);

    const stranger = await identity("xx-stranger");
    await raw(n, "member", await sign(stranger, "member", Member.toJSON(stranger.member)));
    const unlisted = await generateMemberKey();
    await raw(n, "catalogue", await sign(a, "catalogue", { memberId: a.id, version: 1, summary: {} }, { key: unlisted }));
    await until(() => settled(h, 2), "the hub to check both");
    expect(h.gossip.stats()).toEqual({ received: 2, accepted: 0, rejected: rejected(h, { "unknown-signer": 2 }) });
    expect(heardNothing(h)).toBe(true);
  });

  it("drops a tampered message, and accepts the original", async () => {
    const h = await node(hub);
    const n = await node(a);
    await n.host.connect(h.address);
    await subscribed([[h, 1], [n, 1]]);

    const original = await sign(a, "catalogue", { memberId: a.id, version: 1, summary: {} });
    const [head, payload, sig] = original.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as { body: { version: number } };
    claims.body.version = 99;
    await raw(n, "catalogue", `${head}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${sig}`);
    await until(() => h.gossip.stats().rejected["bad-signature"] === 1, "the hub to refuse the tampered copy");
    expect(heardNothing(h)).toBe(true);

    await raw(n, "catalogue", original);
    await until(() => h.heard.catalogue.length === 1, "the original");
    expect(h.heard.catalogue[0]!.body).toMatchObject({ version: 1 });
  });

  it("drops a revocation signed by neither the token's issuer nor the hub", async () => {
    const h = await node(hub);
    const n = await node(a);
    await n.host.connect(h.address);
    await subscribed([[h, 1], [n, 1]]);

    await expect(n.gossip.publishRevocation({ jti: "tok-9", issuer: b.id, exp: exp() })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await raw(n, "revocation", await sign(a, "revocation", { jti: "tok-9", issuer: b.id, exp: exp() }));
    await until(() => settled(h, 1), "the hub to check it");
    expect(h.gossip.stats().rejected["not-allowed"]).toBe(1);
    expect(h.heard.revocation).toEqual([]);
  });

  it("hands a replayed message to the handlers once", async () => {
    const h = await node(hub);
    const n = await node(a);
    await n.host.connect(h.address);
    await subscribed([[h, 1], [n, 1]]);

    const jws = await sign(a, "member", Member.toJSON(a.member));
    await raw(n, "member", jws);
    await raw(n, "member", jws);
    await raw(n, "member", jws);
    await until(() => settled(h, 3), "the hub to check all three");
    expect(h.gossip.stats()).toEqual({ received: 3, accepted: 1, rejected: rejected(h, { replayed: 2 }) });
    expect(h.heard.member).toHaveLength(1);
  });

  it("drops what its signer may not say, and what is stale or on the wrong topic", async () => {
    const h = await node(hub);
    const n = await node(a);
    await n.host.connect(h.address);
    await subscribed([[h, 1], [n, 1]]);

    const newKey = await generateMemberKey();
    const takeover = memberOf(a.id, MemberKind.MEMBER_KIND_TISC, [newKey]);
    const sent: [GossipKind, Promise<string>][] = [
      // Announcing another member, and a self-signed takeover with a key nobody trusts.
      ["member", sign(a, "member", Member.toJSON(b.member))],
      ["member", sign(a, "member", Member.toJSON(takeover), { key: newKey })],
      // Announcing itself without the key it signed with.
      ["member", sign(a, "member", Member.toJSON(memberOf(a.id, MemberKind.MEMBER_KIND_TISC, [newKey])))],
      // Speaking for another member's catalogue.
      ["catalogue", sign(a, "catalogue", { memberId: b.id, version: 2, summary: {} })],
      // A network configuration signed by a member, and one of another network signed by the hub.
      ["config", sign(a, "config", { jws: await signedConfig(a, members) })],
      ["config", sign(a, "config", { jws: await signedConfig(hub, members, 1, "other-net") })],
      // Stale, written for another topic, typed for another topic, and a body that is not one.
      ["member", sign(a, "member", Member.toJSON(a.member), { now: new Date(Date.now() - 3_600_000) })],
      ["catalogue", sign(a, "member", Member.toJSON(a.member))],
      ["catalogue", sign(a, "member", Member.toJSON(a.member), { topicOf: "catalogue" })],
      ["revocation", sign(a, "revocation", { jti: "tok", issuer: a.id })],
    ];
    for (const [kind, jws] of sent) await raw(n, kind, await jws);
    await until(() => settled(h, sent.length), "the hub to check them all");
    expect(h.gossip.stats()).toEqual({
      received: sent.length,
      accepted: 0,
      rejected: rejected(h, { "not-allowed": 5, "unknown-signer": 1, "too-old": 1, "wrong-topic": 2, "invalid-body": 1 }),
    });
    expect(heardNothing(h)).toBe(true);
  });

  it("learns a member's new key from an announcement signed with the key it already trusts", async () => {
    const h = await node(hub);
    const n = await node(a);
    await n.host.connect(h.address);
    await subscribed([[h, 1], [n, 1]]);

    const newKey = await generateMemberKey();
    const before = await sign(a, "catalogue", { memberId: a.id, version: 1, summary: {} }, { key: newKey });
    await raw(n, "catalogue", before);
    await until(() => h.gossip.stats().rejected["unknown-signer"] === 1, "the hub to refuse the unknown key");

    await n.gossip.publishMember(memberOf(a.id, MemberKind.MEMBER_KIND_TISC, [a.key, newKey]));
    await until(() => h.heard.member.length === 1, "the rotation announcement");
    await raw(n, "catalogue", await sign(a, "catalogue", { memberId: a.id, version: 2, summary: {} }, { key: newKey }));
    await until(() => h.heard.catalogue.length === 1, "a notice signed with the new key");
    expect(h.heard.catalogue[0]!.msg.kid).toBe(newKey.kid);
  });

  it("lets the node verify network configurations itself, and still checks network and hub", async () => {
    const h = await node(hub);
    const verifyConfig = async (jws: string): Promise<NetworkConfig> => {
      const config = NetworkConfig.fromJSON(JSON.parse(Buffer.from(jws.split(".")[1]!, "base64url").toString()));
      if (config.version < 2) throw new Error(`version ${config.version} is older than the one held`);
      return config;
    };
    const n = await node(a, {}, { verifyConfig });
    await n.host.connect(h.address);
    await subscribed([[h, 1], [n, 1]]);

    await h.gossip.publishConfig(await signedConfig(hub, members, 1));
    await h.gossip.publishConfig(await signedConfig(hub, members, 2, "other-net"));
    await h.gossip.publishConfig(await signedConfig(hub, members, 2));
    await until(() => settled(n, 3), "a to check the three configurations");
    expect(n.gossip.stats().rejected["not-allowed"]).toBe(2);
    expect(n.heard.config.map((c) => (c.body as { config: NetworkConfig }).config.version)).toEqual([2]);
  });

  it("starts and stops idempotently, and refuses to publish while stopped", async () => {
    const n = await node(a);
    await n.gossip.start();
    expect(n.host.pubsub.getTopics().sort()).toEqual(Object.values(n.gossip.topics).sort());
    await n.gossip.stop();
    await n.gossip.stop();
    expect(n.host.pubsub.getTopics()).toEqual([]);
    expect(n.host.pubsub.topicValidators.size).toBe(0);
    await expect(n.gossip.publishMember(a.member)).rejects.toMatchObject({ code: "FAILED_PRECONDITION" });
    await expect(n.gossip.waitForPeers("member", 1, 50)).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
    await n.gossip.start();
    // Alone on the network, a publish succeeds and reaches nobody.
    expect(await n.gossip.publishMember(a.member)).toMatchObject({ recipients: 0 });

    // Stopping the host first is fine; starting on a stopped host is refused.
    await n.host.stop();
    await n.gossip.stop();
    await expect(n.gossip.start()).rejects.toMatchObject({ code: "FAILED_PRECONDITION" });
    expect(n.host.pubsub.topicValidators.size).toBe(0);

    const init = { networkId: NETWORK_ID, memberId: a.id, hubId: HUB_ID, signingKey: a.key, keyFor: n.book.keyFor };
    expect(() => new Gossip(n.host, { ...init, networkId: "a/b" })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT", field: "networkId" }));
    expect(() => new Gossip(n.host, { ...init, maxAgeSeconds: 0 })).toThrow(expect.objectContaining({ field: "maxAgeSeconds" }));
  });
});
