import { EndpointKind, Tier } from "@ipfed/proto";
import type { CatalogueSummary, FederationServiceServer, Member, NetworkConfig } from "@ipfed/proto";
import { Federation } from "@ipfed/sdk";
import type { FederationDirectory, FederationTarget, MemberIdentity } from "@ipfed/sdk";
import type { NodeConfig } from "../config/node-config.js";
import type { Logger } from "../logger.js";
import type { NodeStore } from "../store/node-store.js";
import type { NodeTrust } from "../trust/node-trust.js";
import { AdminInbox } from "./admin/admin-inbox.js";
import { applyAdminRequest } from "./admin/admin-actions.js";
import { ConfigPublisher } from "./config-publisher.js";
import { HubMembership } from "./hub-membership.js";
import { createHubFederationService } from "./hub-service.js";
import { MemberRegistry } from "./member-registry.js";
import { selfMember } from "./member-record.js";
import { NetworkConfigClient } from "./network-config-client.js";

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
}

/** Summarises a node's catalogue for heartbeats and federated planning. */
export async function catalogueSummary(store: NodeStore): Promise<CatalogueSummary> {
  const datasets = await store.store.listDatasets();
  return {
    datasetCount: datasets.length,
    recordCount: datasets.reduce((n, d) => n + d.recordCount, 0),
    kinds: [...new Set(datasets.flatMap((d) => d.kinds))].sort((a, b) => a - b),
    countries: [...new Set(datasets.flatMap((d) => d.coverage?.countries ?? []))].sort(),
    regions: [...new Set(datasets.flatMap((d) => d.coverage?.regions ?? []))].sort(),
    version: datasets.reduce((n, d) => n + d.version, 0),
    datasetIds: datasets.map((d) => d.id),
  };
}

const grpcAddress = (m: Member): string | undefined => m.endpoints.find((e) => e.kind === EndpointKind.ENDPOINT_KIND_GRPC)?.address;

/**
 * The node's part in the network: on a hub, the member registry, the signed network
 * configuration and the admin inbox; on a member that names a hub, the verified network
 * configuration and the registration and heartbeat loop; on every node, the federation
 * engine and the directory it plans from.
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
  readonly #catalogues = new Map<string, CatalogueSummary>();
  #catalogueTimer: NodeJS.Timeout | undefined;

  private constructor(init: NodeFederationInit) {
    this.#init = init;
    const cfg = init.config;
    const directory: FederationDirectory = {
      selfId: () => cfg.id,
      targets: () => this.#targets(),
      members: () => this.#members(),
      signingKey: () => init.trust.signingKey(),
      maxTier: () => init.trust.selfMaxTier() ?? Tier.TIER_PUBLIC,
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
    const { config, trust, store, identity, log, dir } = init;
    if (config.kind === "hub") {
      const registry = (f.#registry = new MemberRegistry(store.federation, { hubId: config.id, keys: () => trust.keys() }));
      await registry.open();
      const publisher = (f.#publisher = new ConfigPublisher({
        registry,
        networkId: config.networkId,
        self: () => selfMember(identity, { endpoints: init.endpoints(), maxTier: trust.selfMaxTier() }),
        keys: () => trust.keys(),
        logger: log,
      }));
      await publisher.start();
      trust.useNetwork(publisher);
      f.federationService = createHubFederationService({ identity, registry, publisher, endpoints: init.endpoints });
      f.#inbox = new AdminInbox({ dir, apply: (r) => applyAdminRequest(registry, r), logger: log });
      await f.#inbox.start();
      const refresh = async (): Promise<void> => {
        for (const r of await registry.list({ states: ["admitted"] })) if (r.member.catalogue) f.#catalogues.set(r.member.id, r.member.catalogue);
      };
      await refresh();
      f.#catalogueTimer = setInterval(() => void refresh().catch(() => undefined), 2000);
      f.#catalogueTimer.unref();
    } else if (config.hub) {
      const network = (f.#network = new NetworkConfigClient({
        dir,
        networkId: config.networkId,
        hubAddress: config.hub.address,
        ...(config.hub.fingerprint ? { fingerprint: config.hub.fingerprint } : {}),
        logger: log,
      }));
      await network.start();
      trust.useNetwork(network);
    }
    return f;
  }

  /** Starts what needs the node's bound addresses: the hub's first configuration, a member's registration. */
  async afterListen(): Promise<void> {
    const { config, trust, identity, log, store } = this.#init;
    if (this.#publisher) await this.#publisher.latest();
    if (this.#network && config.hub) {
      this.#membership = new HubMembership({
        network: this.#network,
        hubAddress: config.hub.address,
        self: () => selfMember(identity, { endpoints: this.#init.endpoints(), ...(config.parent ? { parentId: config.parent } : {}) }),
        keys: () => trust.keys(),
        catalogue: () => catalogueSummary(store),
        ...(process.env.IPFED_ENROLMENT_TOKEN ? { enrolmentToken: process.env.IPFED_ENROLMENT_TOKEN } : {}),
        ...(config.federation?.heartbeatSeconds ? { intervalSeconds: config.federation.heartbeatSeconds } : {}),
        logger: log,
      });
      this.#membership.start();
    }
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
      return [{ id: m.id, kind: m.kind, region: m.region, address, ...(catalogue ? { catalogue } : {}) }];
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

  /** Stops loops and closes connections; the store is closed by the node. */
  async stop(): Promise<void> {
    this.#membership?.stop();
    this.#network?.stop();
    this.#inbox?.stop();
    this.#publisher?.stop();
    if (this.#catalogueTimer) clearInterval(this.#catalogueTimer);
    this.searcher.close();
  }
}
