import {
  CatalogueServiceService,
  ExchangeServiceService,
  FederationServiceService,
  SearchServiceService,
} from "@ipfed/proto";
import type { CatalogueServiceServer, ExchangeServiceServer, SearchServiceServer } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import { clientStream, serverStream, unary } from "./handlers.js";
import { createFederationService } from "./federation-service.js";
import { createGrpcServer } from "./grpc-server.js";
import type { GrpcServerOptions } from "./grpc-server.js";
import type { MemberIdentity } from "./member-identity.js";

/** Options of {@link createMemberServer}. */
export interface MemberServerOptions extends GrpcServerOptions {
  /** The HTTP address the member announces beside its gRPC one, if it has an HTTP side. */
  httpAddress?: string;
}

/** What {@link createMemberServer} needs. */
export interface MemberServerInit {
  /** Who the member is. */
  identity: MemberIdentity;
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
 * Creates a conforming ipfed member server: every ipfed.v1 service, plus health and
 * reflection.
 *
 * @example
 * ```ts
 * const server = createMemberServer({ identity });
 * const address = await server.listen("127.0.0.1:0");
 * ```
 */
export function createMemberServer(init: MemberServerInit): MemberServer {
  const { identity, options = {} } = init;
  const grpc = createGrpcServer(options);
  let address: string | undefined;
  const later = (rpc: string): never => {
    throw new IpfedError("UNIMPLEMENTED", `${rpc} is not served yet by this member: it needs a data source`);
  };
  const catalogue: CatalogueServiceServer = {
    listDatasets: unary(async () => later("ListDatasets")),
    getDataset: unary(async () => later("GetDataset")),
    listServices: unary(async () => later("ListServices")),
    // eslint-disable-next-line require-yield
    watchCatalogue: serverStream(async function* () {
      later("WatchCatalogue");
    }),
  };
  const search: SearchServiceServer = {
    // eslint-disable-next-line require-yield
    search: serverStream(async function* () {
      later("Search");
    }),
    getRecord: unary(async () => later("GetRecord")),
  };
  const exchange: ExchangeServiceServer = {
    // eslint-disable-next-line require-yield
    export: serverStream(async function* () {
      later("Export");
    }),
    harvest: unary(async () => later("Harvest")),
    publish: clientStream(async () => later("Publish")),
  };
  grpc.addService("ipfed.v1.CatalogueService", CatalogueServiceService, catalogue);
  grpc.addService("ipfed.v1.SearchService", SearchServiceService, search);
  grpc.addService("ipfed.v1.ExchangeService", ExchangeServiceService, exchange);
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
