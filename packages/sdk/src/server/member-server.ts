import {
  CatalogueServiceService,
  ExchangeServiceService,
  FederationServiceService,
  SearchServiceService,
} from "@ipfed/proto";
import { Tier } from "@ipfed/proto";
import type { FederationServiceServer } from "@ipfed/proto";
import { createAuthInterceptor } from "../auth/auth-interceptor.js";
import type { Authenticate, PeerCheck } from "../auth/auth-interceptor.js";
import { IpfedError } from "../errors/ipfed-error.js";
import { AccessPolicy } from "./access-policy.js";
import type { PrivacyOptions } from "./access-policy.js";
import type { AuditSink } from "./audit-sink.js";
import { createCatalogueService } from "./catalogue-service.js";
import type { DataSource } from "./data-source.js";
import { createExchangeService } from "./exchange-service.js";
import type { ExchangeLimits } from "./exchange-service.js";
import { createFederationService } from "./federation-service.js";
import { createGrpcServer } from "./grpc-server.js";
import type { GrpcServerOptions } from "./grpc-server.js";
import type { MemberIdentity } from "./member-identity.js";
import type { ServerObserver } from "./server-observer.js";
import { CallLimiter } from "./call-limits.js";
import type { CallLimitsOptions, DEFAULT_CALL_LIMITS } from "./call-limits.js";
import { createSearchService } from "./search-service.js";
import type { FederatedSearcher, SearchLimits } from "./search-service.js";

/**
 * Options of {@link createMemberServer}.
 *
 * @example
 * ```ts
 * const options: MemberServerOptions = { authenticate, audit, search: { maxPageSize: 100 }, shutdownGraceMs: 1000 };
 * const server = createMemberServer({ identity, dataSource, options });
 * ```
 */
export interface MemberServerOptions extends GrpcServerOptions {
  /** The HTTP address the member announces beside its gRPC one, if it has an HTTP side. */
  httpAddress?: string;
  /** Page and facet limits of Search. */
  search?: SearchLimits;
  /** Batch limits of Export, Harvest and Publish. */
  exchange?: ExchangeLimits;
  /**
   * Establishes the caller of every call (token check, anonymous policy).
   * @defaultValue anonymous PUBLIC callers with `search read`; every token refused
   */
  authenticate?: Authenticate;
  /** Where every call is recorded; none when absent. */
  audit?: AuditSink;
  /** Privacy rules (small-count threshold). */
  privacy?: PrivacyOptions;
  /** Answers `federate: true` searches (`Federation`); without it they are answered locally. */
  federation?: FederatedSearcher;
  /** FederationService handlers to serve instead of the member's own (a hub serves its registry). */
  federationService?: FederationServiceServer;
  /**
   * Told how every ipfed.v1 call ended and how every member took part in each federated
   * search, to feed the platform's own metrics; see {@link ServerObserver}.
   *
   * @example
   * ```ts
   * const server = createMemberServer({ identity, dataSource, options: { observe: { rpc: (e) => log.info(e, "rpc") } } });
   * ```
   */
  observe?: ServerObserver;
  /**
   * Per-caller rate limits (token buckets by tier) and the cap on open streams per caller;
   * `false` turns them off. Refused calls are `RATE_LIMITED` / `TOO_MANY_STREAMS`
   * (`RESOURCE_EXHAUSTED`, with a `retry-after-ms` trailer).
   * @defaultValue {@link DEFAULT_CALL_LIMITS}
   */
  limits?: CallLimitsOptions | false;
  /**
   * Binds other members' calls to their TLS client certificates; see
   * {@link memberCertificateCheck}. Needs `credentials` that ask for client certificates
   * ({@link MemberServerCredentials}).
   */
  peerCheck?: PeerCheck;
}

/** Anonymous PUBLIC callers only: what a member serves before it trusts any issuer. */
const anonymousOnly: Authenticate = async (metadata) => {
  if (metadata.get("authorization").length) throw new IpfedError("TOKEN_ISSUER_UNKNOWN", "this member trusts no token issuer");
  return { anonymous: true, subject: "anonymous", issuer: "", tier: Tier.TIER_PUBLIC, scopes: new Set(["search", "read"] as const), tokenId: "", expiresAt: 0 };
};

/**
 * What {@link createMemberServer} needs.
 *
 * @example
 * ```ts
 * const init: MemberServerInit = { identity, dataSource, options: { authenticate: link.authenticate } };
 * const server = createMemberServer(init);
 * ```
 */
export interface MemberServerInit {
  /** Who the member is. */
  identity: MemberIdentity;
  /** The member's data: datasets, records, changes, services. */
  dataSource: DataSource;
  /** Server options. */
  options?: MemberServerOptions;
}

/**
 * A running (or ready to run) ipfed member.
 *
 * @example
 * ```ts
 * const server: MemberServer = createMemberServer({ identity, dataSource });
 * await server.listen("127.0.0.1:7410");
 * console.log(server.address); // "127.0.0.1:7410"
 * await server.close();
 * ```
 */
export interface MemberServer {
  /** Binds and serves; returns the bound `host:port`. */
  listen(address: string): Promise<string>;
  /** Stops serving; idempotent. */
  close(): Promise<void>;
  /** The bound address, once listening. */
  readonly address: string | undefined;
}

/**
 * Creates a conforming ipfed member server over a data source: every ipfed.v1 service,
 * plus health and reflection.
 *
 * @example
 * ```ts
 * const server = createMemberServer({ identity, dataSource });
 * const address = await server.listen("127.0.0.1:0");
 * ```
 */
export function createMemberServer(init: MemberServerInit): MemberServer {
  const { identity, dataSource, options = {} } = init;
  const interceptor = createAuthInterceptor({
    authenticate: options.authenticate ?? anonymousOnly,
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.observe ? { observe: options.observe } : {}),
    ...(options.limits === false ? {} : { limits: new CallLimiter(options.limits ?? {}) }),
    ...(options.peerCheck ? { peerCheck: options.peerCheck } : {}),
  });
  const grpc = createGrpcServer({ ...options, interceptors: [interceptor, ...(options.interceptors ?? [])] });
  const access = new AccessPolicy(dataSource, options.privacy);
  let address: string | undefined;
  grpc.addService("ipfed.v1.CatalogueService", CatalogueServiceService, createCatalogueService(dataSource, access));
  grpc.addService("ipfed.v1.SearchService", SearchServiceService, createSearchService(dataSource, access, identity.id, options.search, options.federation));
  grpc.addService("ipfed.v1.ExchangeService", ExchangeServiceService, createExchangeService(dataSource, access, options.exchange));
  grpc.addService(
    "ipfed.v1.FederationService",
    FederationServiceService,
    options.federationService ??
      createFederationService(identity, {
        endpoints: () => ({ ...(address ? { grpc: address } : {}), ...(options.httpAddress ? { http: options.httpAddress } : {}) }),
      }),
  );
  return {
    async listen(addr) {
      address = await grpc.listen(addr);
      return address;
    },
    async close() {
      await grpc.close();
    },
    get address() {
      return address;
    },
  };
}
