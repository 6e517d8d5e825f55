import { EndpointKind, Member, MemberHealth, MemberKind } from "@ipfed/proto";
import { createMemberServer, derToPem, memberCertificateCheck, MemberServerCredentials } from "@ipfed/sdk";
import type { MemberIdentity, MemberServer } from "@ipfed/sdk";
import { loadNodeTls } from "./config/node-tls.js";
import { join } from "node:path";
import type { MemberKindName, NodeConfig } from "./config/node-config.js";
import { AuditLog } from "./audit/audit-log.js";
import { NodeTrust } from "./trust/node-trust.js";
import { NodeFederation } from "./federation/node-federation.js";
import { HubMirror } from "./federation/hub-mirror.js";
import { createHttpSide } from "./http-server.js";
import { createGateway, GATEWAY_PREFIX } from "./gateway/gateway.js";
import type { Gateway } from "./gateway/gateway.js";
import { portalFiles } from "./gateway/portal-files.js";
import { catalogueSummary } from "./federation/node-federation.js";
import type { HttpSide } from "./http-server.js";
import { createLogger } from "./logger.js";
import { openNodeStore } from "./store/node-store.js";
import type { NodeStore } from "./store/node-store.js";
import { StoreDataSource } from "./store-data-source.js";
import type { Logger } from "./logger.js";
import { METRICS_PATH, NodeMetrics } from "./metrics/node-metrics.js";

/**
 * Options of {@link IpfedNode}.
 *
 * @example
 * ```ts
 * const init: IpfedNodeInit = { dir: "./data/sc", listen: "127.0.0.1:0", http: "127.0.0.1:0" };
 * const node = new IpfedNode(init);
 * ```
 */
export interface IpfedNodeInit {
  /** The node's data directory (holds `ipfed.json`, `keys.json`, the store). */
  dir: string;
  /** Logger; one is created from the environment when absent. */
  logger?: Logger;
  /** Override the configured gRPC address (`127.0.0.1:0` in tests). */
  listen?: string;
  /** Override the configured HTTP address. */
  http?: string;
}

const KIND_TO_PROTO: Record<MemberKindName, MemberKind> = {
  hub: MemberKind.MEMBER_KIND_HUB,
  regional: MemberKind.MEMBER_KIND_REGIONAL,
  local: MemberKind.MEMBER_KIND_LOCAL,
  tisc: MemberKind.MEMBER_KIND_TISC,
  university: MemberKind.MEMBER_KIND_UNIVERSITY,
  library: MemberKind.MEMBER_KIND_LIBRARY,
  other: MemberKind.MEMBER_KIND_OTHER,
};

/**
 * The reference node: one member of the network on one machine, built on the SDK's server
 * kit. `start()` and `stop()` are idempotent.
 *
 * @example
 * ```ts
 * const node = new IpfedNode({ dir: "/var/lib/ipfed" });
 * await node.start();
 * console.log(node.grpcAddress);
 * await node.stop();
 * ```
 */
export class IpfedNode {
  readonly #init: IpfedNodeInit;
  #config: NodeConfig | undefined;
  #trust: NodeTrust | undefined;
  #audit: AuditLog | undefined;
  #federation: NodeFederation | undefined;
  #mirror: HubMirror | undefined;
  #server: MemberServer | undefined;
  #http: HttpSide | undefined;
  #gateway: Gateway | undefined;
  #store: NodeStore | undefined;
  #log: Logger | undefined;
  #ready = false;
  #starting: Promise<void> | undefined;
  #unwatchConfig: (() => void) | undefined;

  /** Creates the node for a data directory; nothing is opened before {@link IpfedNode.start}. */
  constructor(init: IpfedNodeInit) {
    this.#init = init;
  }

  /** The node's configuration, once started. */
  get config(): NodeConfig | undefined {
    return this.#config;
  }

  /** The bound gRPC address, once started. */
  get grpcAddress(): string | undefined {
    return this.#server?.address;
  }

  /** The bound HTTP address, once started. */
  httpAddress: string | undefined;

  /**
   * The node's metrics (served at `/metrics`): one registry per node, kept across restarts
   * of the same node object. `metrics.queriesServed()` counts the searches it answered.
   */
  readonly metrics = new NodeMetrics();

  /** True between a successful start and stop. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Loads config and keys, then serves gRPC and HTTP. */
  start(): Promise<void> {
    this.#starting ??= this.#start().catch(async (err: unknown) => {
      this.#starting = undefined;
      await this.stop();
      throw err;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    const trust = (this.#trust = await NodeTrust.load(this.#init.dir));
    const config = (this.#config = trust.config);
    const log = (this.#log = this.#init.logger ?? createLogger({ base: { member: config.id } }));
    const tls = config.tls ? await loadNodeTls(this.#init.dir, config.tls) : undefined;
    const identity: MemberIdentity = {
      id: config.id,
      kind: KIND_TO_PROTO[config.kind],
      region: config.region,
      names: Object.entries(config.names).map(([lang, text]) => ({ lang, text })),
      networkId: config.networkId,
      keys: () => this.#trust?.keys() ?? [],
      ...(tls ? { tlsCertificate: tls.cert } : {}),
    };
    this.#store = await openNodeStore(this.#init.dir, config.id);
    // The store's lock is what keeps a second node off this directory, so the audit log,
    // which has no lock of its own, opens after it.
    this.#audit = await AuditLog.open(join(this.#init.dir, "audit"), {
      logger: log,
      onError: (err) => log.error({ err }, "audit log write failed; retrying"),
    });
    trust.watch();
    const federation = (this.#federation = await NodeFederation.open({
      dir: this.#init.dir,
      config,
      trust,
      store: this.#store,
      identity,
      log,
      endpoints: () => ({ ...(this.grpcAddress ? { grpc: this.grpcAddress } : {}), ...(this.httpAddress ? { http: this.httpAddress } : {}) }),
      tls,
    }));
    // With TLS, the gRPC side accepts the client certificates of the members in the network
    // configuration, and a member's call must come with its own (PEER_CERTIFICATE_MISMATCH).
    const credentials = tls ? new MemberServerCredentials(tls) : undefined;
    const trustPeers = (): void => credentials?.trust((federation.config()?.members ?? []).flatMap((m) => (m.tlsCertificate.length ? [derToPem(m.tlsCertificate)] : [])));
    trustPeers();
    this.#unwatchConfig = federation.onConfigChange(trustPeers);
    const dataSource = new StoreDataSource(this.#store.store, this.#store.index, {
      // Test-only: makes this member slow, to exercise federation deadlines end to end.
      searchDelayMs: Number(process.env.IPFED_TEST_SEARCH_DELAY_MS ?? 0) || 0,
    });
    this.#http = createHttpSide({
      ready: () => this.#ready,
      memberId: config.id,
      ...(tls && config.tls?.http !== false ? { tls } : {}),
      allowPlaintext: config.allowPlaintext ?? false,
    });
    this.metrics.attach({ dir: this.#init.dir, config, store: this.#store, audit: this.#audit });
    this.#http.route(METRICS_PATH, this.metrics.handler);
    const store = this.#store;
    const gateway = (this.#gateway = createGateway({
      grpcAddress: () => this.grpcAddress,
      log,
      stats: () => ({ queriesServed: this.metrics.queriesServed() }),
      ...(tls ? { tlsCertificate: tls.cert } : {}),
      allowPlaintext: config.allowPlaintext ?? false,
      self: async () =>
        Member.fromPartial({
          id: identity.id,
          names: [...identity.names],
          kind: identity.kind,
          region: identity.region,
          endpoints: [
            ...(this.grpcAddress ? [{ kind: EndpointKind.ENDPOINT_KIND_GRPC, address: this.grpcAddress, tls: tls !== undefined }] : []),
            ...(this.httpAddress ? [{ kind: EndpointKind.ENDPOINT_KIND_HTTP, address: this.httpAddress, tls: tls !== undefined && config.tls?.http !== false }] : []),
          ],
          health: this.#ready ? MemberHealth.MEMBER_HEALTH_UP : MemberHealth.MEMBER_HEALTH_DOWN,
          lastSeen: new Date().toISOString(),
          catalogue: await catalogueSummary(store),
        }),
    }));
    this.#http.mount(GATEWAY_PREFIX, (req, res, url) => gateway.handle(req, res, url));
    this.#http.mount("/", portalFiles());
    this.httpAddress = await this.#http.listen(this.#init.http ?? config.http);
    this.#server = createMemberServer({
      identity,
      dataSource,
      options: {
        httpAddress: this.httpAddress,
        authenticate: (metadata) => trust.authenticate(metadata),
        audit: this.#audit,
        limits: config.limits === false ? false : (config.limits ?? {}),
        ...(config.limits && config.limits.maxMessageBytes ? { maxMessageBytes: config.limits.maxMessageBytes } : {}),
        federation: federation.searcher,
        observe: this.metrics.observer,
        ...(credentials ? { credentials, peerCheck: memberCertificateCheck(config.id, (id) => federation.config()?.members.find((m) => m.id === id)?.tlsFingerprint || undefined) } : {}),
        allowPlaintext: config.allowPlaintext ?? false,
        ...(federation.federationService ? { federationService: federation.federationService } : {}),
      },
    });
    const grpcAddress = await this.#server.listen(this.#init.listen ?? config.listen);
    await federation.afterListen();
    if (config.kind === "hub") {
      this.#mirror = new HubMirror({ dir: this.#init.dir, hubId: config.id, store: this.#store, trust, config: () => federation.config(), log, tls, allowPlaintext: config.allowPlaintext ?? false });
      await this.#mirror.start();
    }
    this.#ready = true;
    log.info(
      { grpc: grpcAddress, http: this.httpAddress, kind: config.kind, region: config.region, records: this.#store.index.docCount() },
      "node ready",
    );
  }

  /** Stops serving and closes the store. */
  async stop(): Promise<void> {
    const wasReady = this.#ready;
    this.#ready = false;
    this.metrics.detach();
    const server = this.#server;
    const http = this.#http;
    this.#server = undefined;
    this.#http = undefined;
    this.#starting = undefined;
    const mirror = this.#mirror;
    this.#mirror = undefined;
    await mirror?.stop();
    await Promise.all([server?.close(), http?.close()]);
    this.#gateway?.close();
    this.#gateway = undefined;
    this.#unwatchConfig?.();
    this.#unwatchConfig = undefined;
    const federation = this.#federation;
    this.#federation = undefined;
    await federation?.stop();
    const store = this.#store;
    this.#store = undefined;
    await store?.close();
    this.#trust?.stop();
    const audit = this.#audit;
    this.#audit = undefined;
    await audit?.close();
    if (wasReady) this.#log?.info("node stopped");
  }
}
