import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CompactSign, importJWK } from "jose";
import { Member, MemberKind, NetworkConfig, RecordKind, Tier } from "@ipfed/proto";
import type { CatalogueSummary } from "@ipfed/proto";
import { generateMemberKey } from "@ipfed/sdk";
import type { MemberKey } from "@ipfed/sdk";
import { Gossip } from "./gossip.js";
import type { GossipInit } from "./gossip.js";
import type { GossipKind } from "./gossip-topics.js";
import { GossipKeyBook } from "./gossip-key-book.js";
import { createP2pHost } from "./p2p-host.js";
import type { P2pHost, P2pHostOptions } from "./p2p-host.js";
import type { VerifiedGossip } from "./signed-message.js";

/** The network every fixture member belongs to. */
export const NETWORK_ID = "cn-ip-net";
/** The hub of that network. */
export const HUB_ID = "cn-hub";

/** Makes a temporary directory and a function that removes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "ipfed-p2p-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Polls `check` every 10 ms until it holds; throws after `timeoutMs` with `what` in the message.
 * Returns how long it took, in milliseconds.
 */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A member of the fixture network: its key and its `Member` record. */
export interface Identity {
  readonly id: string;
  readonly key: MemberKey;
  readonly member: Member;
}

/** Makes a member with a fresh Ed25519 key. */
export async function identity(id: string, kind: MemberKind = MemberKind.MEMBER_KIND_TISC): Promise<Identity> {
  const key = await generateMemberKey();
  return { id, key, member: memberOf(id, kind, [key]) };
}

/** The `Member` record of a member with these keys. */
export function memberOf(id: string, kind: MemberKind, keys: readonly MemberKey[]): Member {
  return Member.fromPartial({
    id,
    names: [{ lang: "en", text: `Member ${id}` }],
    kind,
    region: "510000",
    keys: keys.map((k) => ({ kid: k.kid, alg: "EdDSA", crv: "Ed25519", x: k.publicJwk.x ?? "" })),
    maxTier: Tier.TIER_RESTRICTED,
  });
}

/** A catalogue summary at `version`. */
export function summaryAt(version: number): CatalogueSummary {
  return {
    datasetCount: 2,
    recordCount: 12_345,
    kinds: [RecordKind.RECORD_KIND_PATENT],
    countries: ["CN"],
    regions: ["510000"],
    version,
    datasetIds: ["cnipa-grants", "sc-utility"],
  };
}

/** The network configuration listing `members`, signed by the hub as a compact JWS. */
export async function signedConfig(hub: Identity, members: readonly Member[], version = 1, networkId = NETWORK_ID): Promise<string> {
  const config = NetworkConfig.fromPartial({ networkId, version, hubId: hub.id, members: [...members], graceSeconds: 3600 });
  const payload = new TextEncoder().encode(JSON.stringify(NetworkConfig.toJSON(config)));
  return new CompactSign(payload).setProtectedHeader({ alg: "EdDSA", kid: hub.key.kid, typ: "ipfed-netconf+jwt" }).sign(await importJWK(hub.key.privateJwk, "EdDSA"));
}

/** What a fixture node heard, per kind, in arrival order. */
export type Heard = { readonly [K in GossipKind]: { body: unknown; from: string; msg: VerifiedGossip }[] };

/** A running fixture node: a host, its gossip, its key book, and what it heard. */
export interface FixtureNode {
  readonly me: Identity;
  readonly host: P2pHost;
  readonly gossip: Gossip;
  readonly book: GossipKeyBook;
  readonly heard: Heard;
  /** The address others dial. */
  readonly address: string;
}

/**
 * Starts a host and its gossip for `me`, trusting the keys of `members` (the network
 * configuration), recording every notice its handlers receive and learning the keys of
 * accepted member announcements.
 */
export async function startNode(
  me: Identity,
  members: readonly Member[],
  dir: string,
  hostOptions: Omit<P2pHostOptions, "dir"> = {},
  gossipOptions: Partial<GossipInit> = {},
): Promise<FixtureNode> {
  const host = await createP2pHost({ dir, ...hostOptions });
  const book = new GossipKeyBook({ members });
  const gossip = new Gossip(host, {
    networkId: NETWORK_ID,
    memberId: me.id,
    hubId: HUB_ID,
    signingKey: me.key,
    keyFor: book.keyFor,
    issuerKnown: book.issuerKnown,
    ...gossipOptions,
  });
  const heard: Heard = { member: [], catalogue: [], revocation: [], config: [] };
  for (const kind of ["member", "catalogue", "revocation", "config"] as const) {
    gossip.on(kind, (body, from, msg) => void heard[kind].push({ body, from, msg }));
  }
  // What a node does with an accepted announcement: trust the keys it lists from now on.
  gossip.on("member", (member) => book.learn(member));
  await gossip.start();
  return { me, host, gossip, book, heard, address: host.multiaddrs[0]!.toString() };
}
