import {
  CatalogueServiceService,
  ExchangeServiceService,
  FederationServiceService,
  SearchServiceService,
} from "@ipfed/proto";
import { createCatalogueService } from "./catalogue-service.js";
import type { DataSource } from "./data-source.js";
import { createExchangeService } from "./exchange-service.js";
import type { ExchangeLimits } from "./exchange-service.js";
import { createFederationService } from "./federation-service.js";
import { createGrpcServer } from "./grpc-server.js";
import type { GrpcServerOptions } from "./grpc-server.js";
import type { MemberIdentity } from "./member-identity.js";
import { createSearchService } from "./search-service.js";
import type { SearchLimits } from "./search-service.js";

/** Options of {@link createMemberServer}. */
export interface MemberServerOptions extends GrpcServerOptions {
  /** The HTTP address the member announces beside its gRPC one, if it has an HTTP side. */
  httpAddress?: string;
  /** Page and facet limits of Search. */
  search?: SearchLimits;
  /** Batch limits of Export, Harvest and Publish. */
  exchange?: ExchangeLimits;
}

/** What {@link createMemberServer} needs. */
export interface MemberServerInit {
  /** Who the member is. */
  identity: MemberIdentity;
  /** The member's data: datasets, records, changes, services. */
  dataSource: DataSource;
  /** Server options. */
  options?: MemberServerOptions;
}

/** A running (or ready to run) ipfed member. */
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
  const grpc = createGrpcServer(options);
  let address: string | undefined;
  grpc.addService("ipfed.v1.CatalogueService", CatalogueServiceService, createCatalogueService(dataSource));
  grpc.addService("ipfed.v1.SearchService", SearchServiceService, createSearchService(dataSource, identity.id, options.search));
  grpc.addService("ipfed.v1.ExchangeService", ExchangeServiceService, createExchangeService(dataSource, options.exchange));
  grpc.addService(
    "ipfed.v1.FederationService",
    FederationServiceService,
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
