import { EndpointKind, Tier } from "@ipfed/proto";
import type { CatalogueSummary, FederationServiceServer, Member, NetworkConfig } from "@ipfed/proto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { Federation, memberJwks, pemToDer, selfMember, summariseCatalogue, verifyNetworkConfig, IpfedError } from "@ipfed/sdk";
import type { ChannelSecurity, FederationDirectory, FederationTarget, IssuerKeys, MemberIdentity, TlsIdentity } from "@ipfed/sdk";
import { grpcCertificateOf } from "./member-record.js";
import type { JWK } from "jose";
import type { NodeConfig } from "../config/node-config.js";
import type { Logger } from "../logger.js";
import type { NodeStore } from "../store/node-store.js";
import type { NodeTrust } from "../trust/node-trust.js";
import { AdminInbox } from "./admin/admin-inbox.js";
import { writeBackup } from "../backup/backup.js";
import { applyAdminRequest } from "./admin/admin-actions.js";
import { CatalogueBook } from "./catalogue-book.js";
import { ConfigPublisher } from "./config-publisher.js";
import { HubMembership } from "./hub-membership.js";
import { createHubFederationService } from "./hub-service.js";
import { MemberRegistry } from "./member-registry.js";
import { NetworkConfigClient } from "./network-config-client.js";
import { NetworkGossip } from "./network-gossip.js";
import type { GossipConfigSource } from "./network-gossip.js";
import type { NetworkConfigState, NetworkTrustSource } from "./network-trust.js";

/** What {@link NodeFederation} needs from the node. */
export interface NodeFederationInit {
  readonly dir: string;
  readonly config: NodeConfig;
  readonly trust: NodeTrust;
  readonly store: NodeStore;
  readonly identity: MemberIdentity;
  readonly log: Logger;
  /** The node's bound addresses, once it listens. */
  readonly endpoints: () => { grpc?: string; http?: string };
  /** The node's TLS certificate and key, when it serves TLS (presented to members and the hub it calls). */
  readonly tls?: TlsIdentity | undefined;
}

/** Summarises a node's catalogue for heartbeats and federated planning (the SDK's summary of its datasets). */
export async function catalogueSummary(store: NodeStore): Promise<CatalogueSummary> {
  return summariseCatalogue(await store.store.listDatasets());
}

/**
 * How a member reaches its hub: `hub.tls` of ipfed.json (`true`: the system's roots; a path:
 * that PEM file, pinned or as a CA), presenting the member's own certificate; else plaintext.
 */
export async function hubSecurity(dir: string, config: NodeConfig, own: TlsIdentity | undefined): Promise<ChannelSecurity> {
  const tls = config.hub?.tls;
  const allowPlaintext = config.allowPlaintext ?? false;
  if (!tls) return { allowPlaintext };
  let ca: string | undefined;
  if (typeof tls === "string") {
    const file = resolve(dir, tls);
    try {
      ca = await readFile(file, "utf8");
      pemToDer(ca);
    } catch (err) {
      throw new IpfedError("TLS_INVALID", `hub.tls: cannot read a PEM certificate from ${file}: ${(err as Error).message}`, { field: "hub.tls", cause: err });
    }
  }
  return { tls: { ...(ca ? { ca } : {}), ...(own ? { cert: own.cert, key: own.key } : {}) }, allowPlaintext };
}

/** The hub's keys as a configuration lists them (what a member trusts the hub with). */
function hubKeysOf(config: NetworkConfig | undefined): JWK[] {
  const hub = config?.members.find((m) => m.id === config.hubId);
  return hub ? memberJwks(hub) : [];
}

const grpcAddress = (m: Member): string | undefined => m.endpoints.find((e) => e.kind === EndpointKind.ENDPOINT_KIND_GRPC)?.address;

/**
 * The node's part in the network: on a hub, the member registry, the signed network
 * configuration and the admin inbox; on a member that names a hub, the verified network
 * configuration and the registration and heartbeat loop; on every node, the federation
 * engine and the directory it plans from, and (unless `federation.p2p.enabled` is false) the
 * gossip layer ({@link NetworkGossip}): new configurations, and with them revocations, reach
 * every live member at once, and catalogue summaries spread between members, so that
 * planning works on members too, and while the hub is down.
 */
export class NodeFederation {
  readonly #init: NodeFederationInit;
  readonly searcher: Federation;
  /** The hub's FederationService; undefined on members. */
  federationService: FederationServiceServer | undefined;
  #registry: MemberRegistry | undefined;
  #publisher: ConfigPublisher | undefined;
  #inbox: AdminInbox | undefined;
  #network: NetworkConfigClient | undefined;
  #membership: HubMembership | undefined;
  #gossip: NetworkGossip | undefined;
  readonly #catalogues = new CatalogueBook();
  #catalogueTimer: NodeJS.Timeout | undefined;
  #hubSecurity: ChannelSecurity | undefined;

  private constructor(init: NodeFederationInit) {
    this.#init = init;
    const cfg = init.config;
    const directory: FederationDirectory = {
      selfId: () => cfg.id,
      targets: () => this.#targets(),
      members: () => this.#members(),
      signingKey: () => init.trust.signingKey(),
      maxTier: () => init.trust.selfMaxTier() ?? Tier.TIER_PUBLIC,
      tlsIdentity: () => init.tls,
      allowPlaintext: () => cfg.allowPlaintext ?? false,
    };
    this.searcher = new Federation({
      directory,
      ...(cfg.federation?.defaultDeadlineMs ? { defaultDeadlineMs: cfg.federation.defaultDeadlineMs } : {}),
      ...(cfg.federation?.maxHops ? { maxHops: cfg.federation.maxHops } : {}),
    });
  }

  /** Opens what the node's role needs; call before the node listens. */
  static async open(init: NodeFederationInit): Promise<NodeFederation> {
    const f = new NodeFederation(init);
    try {
      await f.#open();
    } catch (err) {
      await f.stop();
      throw err;
    }
    return f;
  }

  async #open(): Promise<void> {
    const init = this.#init;
    const { config, trust, store, identity, log, dir } = init;
    // The host starts first, so that the first registration (and the hub's own entry in the
    // first configuration it signs) already lists the node's libp2p address and peer id.
    if (config.federation?.p2p?.enabled !== false && (config.kind === "hub" || config.hub)) {
      this.#gossip = await NetworkGossip.start({
        dir,
        networkId: config.networkId,
        memberId: config.id,
        settings: config.federation?.p2p,
        keys: () => trust.keys(),
        self: () => this.#self(),
        catalogueVersion: () => store.store.catalogueVersion(),
        catalogue: () => catalogueSummary(store),
        catalogues: this.#catalogues,
        logger: log,
      });
    }
    if (config.kind === "hub") {
      const registry = (this.#registry = new MemberRegistry(store.federation, {
        hubId: config.id,
        keys: () => trust.keys(),
        // On the hub, federation.heartbeatSeconds is the pace it asks members for (and judges health by).
        ...(config.federation?.heartbeatSeconds ? { heartbeatIntervalSeconds: config.federation.heartbeatSeconds } : {}),
      }));
      await registry.open();
      const publisher = (this.#publisher = new ConfigPublisher({
        registry,
        networkId: config.networkId,
        self: () => this.#self(),
        keys: () => trust.keys(),
        logger: log,
      }));
      await publisher.start();
      trust.useNetwork(this.#withGossipRevocations(publisher));
      this.#gossip?.attach({
        current: () => publisher.current(),
        onChange: (l) => publisher.onChange(l),
        hubKeys: () => trust.keys().map((k) => k.publicJwk),
        verify: async (jws) => (await verifyNetworkConfig(jws, { hubKeys: trust.keys().map((k) => k.publicJwk), hubId: config.id })).config,
      });
      this.federationService = createHubFederationService({ identity, registry, publisher, endpoints: init.endpoints });
      // Heartbeats bring catalogue summaries too; the newest report wins, whichever way it came.
      const refresh = async (): Promise<void> => {
        for (const r of await registry.list({ states: ["admitted"] })) {
          if (r.member.catalogue) this.#catalogues.note(r.member.id, r.member.catalogue, { at: Date.parse(r.member.lastSeen ?? "") });
        }
      };
      await refresh();
      this.#catalogueTimer = setInterval(() => void refresh().catch(() => undefined), 2000);
      this.#catalogueTimer.unref();
    } else if (config.hub) {
      this.#hubSecurity = await hubSecurity(dir, config, init.tls);
      const network = (this.#network = new NetworkConfigClient({
        dir,
        networkId: config.networkId,
        hubAddress: config.hub.address,
        hubSecurity: this.#hubSecurity,
        ...(config.hub.fingerprint ? { fingerprint: config.hub.fingerprint } : {}),
        logger: log,
      }));
      await network.start();
      trust.useNetwork(this.#withGossipRevocations(network));
      const source: GossipConfigSource = {
        current: () => {
          const config = network.current();
          const signed = network.signed();
          return config && signed ? { config, signed } : undefined;
        },
        onChange: (l) => network.onChange(l),
        offer: (jws) => network.offer(jws),
        hubKeys: () => hubKeysOf(network.current()),
        verify: async (jws) => {
          const current = network.current();
          const pinnedKid = network.pinnedKid();
          const v = await verifyNetworkConfig(jws, {
            hubKeys: hubKeysOf(current),
            ...(current ? { hubId: current.hubId } : {}),
            ...(pinnedKid !== undefined ? { pinnedKid } : {}),
          });
          return v.config;
        },
      };
      this.#gossip?.attach(source);
    }
    // The CLI's way into a running node (which holds the store's lock): registry actions on
    // the hub, a backup on every node.
    const registry = this.#registry;
    this.#inbox = new AdminInbox({
      dir,
      apply: async (r) => {
        if (r.action === "backup") {
          return { backup: await writeBackup({ dir, db: store.db, memberId: config.id, kind: config.kind, out: r.out, taken: "serving" }) };
        }
        if (!registry) throw new IpfedError("FAILED_PRECONDITION", `the node in ${dir} is a ${config.kind} node, not a hub: members are managed on the hub`);
        return applyAdminRequest(registry, r);
      },
      logger: log,
    });
    await this.#inbox.start();
  }

  /** This node as it describes itself: in its registration, in the hub's own entry, in its gossip announcements. */
  #self(): Member {
    const { config, identity, trust } = this.#init;
    const endpoints = { ...this.#init.endpoints(), ...(this.#gossip ? { libp2p: this.#gossip.addresses() } : {}) };
    const peerId = this.#gossip?.peerId;
    const httpTls = config.tls !== undefined && config.tls.http !== false;
    if (config.kind === "hub") return selfMember(identity, { endpoints, httpTls, maxTier: trust.selfMaxTier(), ...(peerId ? { peerId } : {}) });
    return selfMember(identity, { endpoints, httpTls, ...(config.parent ? { parentId: config.parent } : {}), ...(peerId ? { peerId } : {}) });
  }

  /** Adds the revocations heard over gossip (from a token's issuer, or the hub) to what the token verifier refuses. */
  #withGossipRevocations(source: NetworkTrustSource): NetworkTrustSource {
    const gossip = this.#gossip;
    if (!gossip) return source;
    return {
      issuers: (): ReadonlyMap<string, IssuerKeys> => source.issuers(),
      revoked: (jti, issuer) => source.revoked(jti, issuer) || gossip.revoked(jti, issuer),
      state: (): NetworkConfigState => source.state(),
      trustVersion: () => `${source.trustVersion()}/g${gossip.revocationVersion}`,
      onChange: (listener) => {
        const a = source.onChange(listener);
        const b = gossip.onRevocation(listener);
        return () => (a(), b());
      },
    };
  }

  /** Starts what needs the node's bound addresses: the hub's first configuration, a member's registration. */
  async afterListen(): Promise<void> {
    const { config, trust, log, store } = this.#init;
    if (this.#publisher) await this.#publisher.latest();
    if (this.#network && config.hub) {
      this.#membership = new HubMembership({
        network: this.#network,
        hubAddress: config.hub.address,
        ...(this.#hubSecurity ? { hubSecurity: this.#hubSecurity } : {}),
        self: () => this.#self(),
        keys: () => trust.keys(),
        catalogue: () => catalogueSummary(store),
        ...(process.env.IPFED_ENROLMENT_TOKEN ? { enrolmentToken: process.env.IPFED_ENROLMENT_TOKEN } : {}),
        ...(config.federation?.heartbeatSeconds ? { intervalSeconds: config.federation.heartbeatSeconds } : {}),
        logger: log,
      });
      this.#membership.start();
    }
  }

  /** Calls `listener` whenever the network configuration this node holds changes; returns the unsubscribe. */
  onConfigChange(listener: () => void): () => void {
    if (this.#publisher) return this.#publisher.onChange(listener);
    if (this.#network) return this.#network.onChange(listener);
    return () => undefined;
  }

  /** The network configuration this node holds, if any. */
  config(): NetworkConfig | undefined {
    return this.#publisher?.current()?.config ?? this.#network?.current();
  }

  #members(): FederationTarget[] {
    const cfg = this.config();
    if (!cfg) return [];
    return cfg.members.flatMap((m) => {
      const address = grpcAddress(m);
      if (!address) return [];
      const catalogue = this.#catalogues.get(m.id) ?? m.catalogue;
      const tlsCertificate = grpcCertificateOf(m);
      return [{ id: m.id, kind: m.kind, region: m.region, address, ...(catalogue ? { catalogue } : {}), ...(tlsCertificate ? { tlsCertificate } : {}) }];
    });
  }

  #targets(): FederationTarget[] {
    const self = this.#init.config.id;
    const cfg = this.config();
    const children = new Set(this.#init.config.federation?.children ?? []);
    const isHub = this.#init.config.kind === "hub";
    const byId = new Map((cfg?.members ?? []).map((m) => [m.id, m]));
    return this.#members().filter((t) => {
      if (t.id === self) return false;
      const parent = byId.get(t.id)?.parentId ?? "";
      return children.has(t.id) || parent === self || (isHub && (parent === "" || !byId.has(parent)));
    });
  }

  /** Gossip counters and connected peers; undefined when the p2p layer is off. */
  gossipStats(): ReturnType<NetworkGossip["stats"]> | undefined {
    return this.#gossip?.stats();
  }

  /** Stops loops and closes connections; the store is closed by the node. */
  async stop(): Promise<void> {
    await this.#gossip?.stop().catch((err: unknown) => this.#init.log.warn({ err }, "p2p host did not stop cleanly"));
    this.#membership?.stop();
    this.#network?.stop();
    this.#inbox?.stop();
    this.#publisher?.stop();
    if (this.#catalogueTimer) clearInterval(this.#catalogueTimer);
    this.searcher.close();
  }
}
