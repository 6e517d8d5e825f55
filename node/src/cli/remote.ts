import { credentials, Metadata } from "@grpc/grpc-js";
import type { Client, ServiceError } from "@grpc/grpc-js";
import { CatalogueServiceClient, ExchangeServiceClient, FederationServiceClient, SearchServiceClient } from "@ipfed/proto";
import { fromGrpcError } from "@ipfed/sdk";

/** The generated clients of one node, for CLI commands that talk to a running node. */
export interface Remote {
  readonly catalogue: CatalogueServiceClient;
  readonly search: SearchServiceClient;
  readonly exchange: ExchangeServiceClient;
  readonly federation: FederationServiceClient;
  /** Call options with the deadline. */
  options(): { deadline: Date };
  /** Call metadata: `authorization: Bearer <token>` when there is a token. */
  metadata(): Metadata;
  close(): void;
}

/**
 * Connects to a node's gRPC endpoint (plaintext, for loopback and trusted networks). Calls
 * carry `token` (or IPFED_TOKEN) as `authorization: Bearer`; without one they are anonymous.
 */
export function connect(endpoint: string, timeoutMs = 30_000, token: string | undefined = process.env.IPFED_TOKEN): Remote {
  const c = credentials.createInsecure();
  const opts = { "grpc.max_receive_message_length": 64 * 1024 * 1024 };
  const clients = {
    catalogue: new CatalogueServiceClient(endpoint, c, opts),
    search: new SearchServiceClient(endpoint, c, opts),
    exchange: new ExchangeServiceClient(endpoint, c, opts),
    federation: new FederationServiceClient(endpoint, c, opts),
  };
  return {
    ...clients,
    options: () => ({ deadline: new Date(Date.now() + timeoutMs) }),
    metadata: () => {
      const md = new Metadata();
      if (token) md.set("authorization", `Bearer ${token.trim()}`);
      return md;
    },
    close() {
      for (const x of Object.values(clients) as Client[]) x.close();
    },
  };
}

/** Calls a unary method and rebuilds its error as an IpfedError. */
export function call<Res>(fn: (cb: (err: ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    fn((err, res) => (err ? reject(fromGrpcError(err)) : resolve(res)));
  });
}

/** Iterates a server stream, rebuilding its error as an IpfedError. */
export async function* stream<T>(s: NodeJS.ReadableStream): AsyncGenerator<T> {
  try {
    for await (const m of s as AsyncIterable<T>) yield m;
  } catch (err) {
    throw fromGrpcError(err as ServiceError);
  }
}
