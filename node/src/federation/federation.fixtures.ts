import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Level } from "level";
import { EndpointKind, FederationServiceService, Member, MemberKind, Tier } from "@ipfed/proto";
import { createAuthInterceptor, createGrpcServer, createStaticKeyResolver, generateMemberKey, keyMessages, selfMember, verifyToken } from "@ipfed/sdk";
import type { Authenticate, MemberIdentity, MemberKey } from "@ipfed/sdk";
import { ConfigPublisher } from "./config-publisher.js";
import { createHubFederationService } from "./hub-service.js";
import { MemberRegistry } from "./member-registry.js";
import { registrySublevel } from "./registry-sublevel.js";
import { NetworkConfigClient } from "./network-config-client.js";
import type { NetworkConfigClientInit } from "./network-config-client.js";
import type { FederationLogger } from "./network-trust.js";

/** A clock tests move by hand. */
export class TestClock {
  #t: number;
  constructor(start = "2030-01-01T00:00:00.000Z") {
    this.#t = Date.parse(start);
  }
  /** The current time. */
  readonly now = (): Date => new Date(this.#t);
  /** Moves the clock forward. */
  advance(seconds: number): void {
    this.#t += seconds * 1000;
  }
}

/** A temporary directory, removed by `remove()`. */
export async function tempDir(prefix = "ipfed-fed-"): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A member's self-description with its keys, as it would register. */
export function memberOf(id: string, keys: readonly MemberKey[], over: Partial<Member> = {}): Member {
  return Member.fromPartial({
    id,
    names: [{ lang: "en", text: id }],
    kind: MemberKind.MEMBER_KIND_TISC,
    region: "510100",
    endpoints: [{ kind: EndpointKind.ENDPOINT_KIND_GRPC, address: `${id}.example:7400`, tls: false }],
    keys: keyMessages(keys),
    ...over,
  });
}

/** A hub with a registry on real LevelDB in a temporary directory. */
export interface HubFixture {
  readonly dir: { path: string; remove(): Promise<void> };
  readonly db: Level<string, Uint8Array>;
  readonly registry: MemberRegistry;
  readonly clock: TestClock;
  readonly keys: MemberKey[];
  readonly identity: MemberIdentity;
  /** The hub's own entry (tier cap CONFIDENTIAL). */
  self(): Member;
  /** Opens a second registry over the same store, as after a restart. */
  reopen(): Promise<MemberRegistry>;
  close(): Promise<void>;
}

/** Creates a hub fixture (`hub`, network `ipfed`). */
export async function hubFixture(clock = new TestClock()): Promise<HubFixture> {
  const dir = await tempDir();
  let db = new Level<string, Uint8Array>(join(dir.path, "store"), { valueEncoding: "view" });
  await db.open();
  const keys = [await generateMemberKey(clock.now())];
  const identity: MemberIdentity = { id: "hub", kind: MemberKind.MEMBER_KIND_HUB, region: "110000", names: [{ lang: "en", text: "Hub" }], networkId: "ipfed", keys: () => keys };
  const make = (): MemberRegistry => new MemberRegistry(registrySublevel(db), { hubId: "hub", keys: () => keys, now: clock.now });
  const registry = make();
  await registry.open();
  return {
    dir,
    get db() {
      return db;
    },
    registry,
    clock,
    keys,
    identity,
    self: () => selfMember(identity, { endpoints: { grpc: "hub.example:7400" }, maxTier: Tier.TIER_CONFIDENTIAL }),
    async reopen() {
      await db.close();
      db = new Level<string, Uint8Array>(join(dir.path, "store"), { valueEncoding: "view" });
      await db.open();
      const r = make();
      await r.open();
      return r;
    },
    async close() {
      await db.close();
      await dir.remove();
    },
  };
}

/** A hub serving its FederationService on loopback, with the token check a hub node runs. */
export interface HubServer {
  readonly address: string;
  readonly publisher: ConfigPublisher;
  /** Stops serving (the registry stays open). */
  close(): Promise<void>;
}

/**
 * Serves the hub's FederationService on 127.0.0.1: the auth interceptor verifies tokens
 * against the configuration the hub publishes, as NodeTrust does once it takes the publisher
 * as its network source.
 */
export async function startHubServer(hub: HubFixture): Promise<HubServer> {
  const publisher = new ConfigPublisher({ registry: hub.registry, networkId: "ipfed", self: hub.self, keys: () => hub.keys, now: hub.clock.now });
  await publisher.start();
  const authenticate: Authenticate = async (md) => {
    const values = md.get("authorization");
    if (values.length === 0) return { anonymous: true, subject: "anonymous", issuer: "", tier: Tier.TIER_PUBLIC, scopes: new Set(["search", "read"] as const), tokenId: "", expiresAt: 0 };
    const token = String(values[0]).replace(/^Bearer /i, "");
    const keys = createStaticKeyResolver(publisher.issuers());
    return (await verifyToken(token, { keys, audience: ["hub", "ipfed"], isRevoked: (j, i) => publisher.revoked(j, i), now: hub.clock.now })).caller;
  };
  const grpc = createGrpcServer({ interceptors: [createAuthInterceptor({ authenticate })], shutdownGraceMs: 100 });
  let address = "";
  grpc.addService("ipfed.v1.FederationService", FederationServiceService, createHubFederationService({ identity: hub.identity, registry: hub.registry, publisher, endpoints: () => ({ grpc: address }), now: hub.clock.now }));
  address = await grpc.listen("127.0.0.1:0");
  return {
    address,
    publisher,
    async close() {
      publisher.stop();
      await grpc.close();
    },
  };
}

/** A member (`sc-tisc`) of the hub, with its own data directory. */
export interface MemberFixture {
  readonly dir: { path: string; remove(): Promise<void> };
  readonly keys: MemberKey[];
  readonly logs: { level: string; msg: string }[];
  readonly logger: FederationLogger;
  self(): Member;
  /** A configuration client for this member's directory. */
  client(hubAddress: string | undefined, over?: Partial<NetworkConfigClientInit>): NetworkConfigClient;
}

/** Creates a member fixture. */
export async function memberFixture(clock: TestClock, id = "sc-tisc"): Promise<MemberFixture> {
  const dir = await tempDir("ipfed-member-");
  const keys = [await generateMemberKey(clock.now())];
  const logs: { level: string; msg: string }[] = [];
  const at = (level: string) => (_: object, msg: string) => void logs.push({ level, msg });
  const logger: FederationLogger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  return {
    dir,
    keys,
    logs,
    logger,
    self: () => memberOf(id, keys),
    client: (hubAddress, over = {}) =>
      new NetworkConfigClient({ dir: dir.path, networkId: "ipfed", ...(hubAddress ? { hubAddress } : {}), savePin: async () => undefined, logger, now: clock.now, retryMs: 50, ...over }),
  };
}
