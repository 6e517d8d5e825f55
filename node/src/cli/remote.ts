import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Metadata } from "@grpc/grpc-js";
import type { Client, ServiceError } from "@grpc/grpc-js";
import { CatalogueServiceClient, ExchangeServiceClient, FederationServiceClient, SearchServiceClient } from "@ipfed/proto";
import { channelFor, fromGrpcError, IpfedError } from "@ipfed/sdk";
import type { ChannelSecurity } from "@ipfed/sdk";

/** Help of the `--tls [file]` option of the commands that call a node. */
export const TLS_HELP = "the node serves TLS: verify it with this PEM file (its tls/cert.pem, pinned, or its CA), or with the system's roots when no file is given (default: IPFED_TLS)";

/** `--tls` as given (`true`, a file, or the IPFED_TLS value `1`/a file) as channel material. */
function tlsMaterial(tls: string | boolean | undefined): ChannelSecurity["tls"] {
  if (tls === undefined || tls === false || tls === "" || tls === "0") return false;
  if (tls === true || tls === "1" || tls === "true") return true;
  const file = resolve(tls);
  try {
    return { ca: readFileSync(file, "utf8") };
  } catch (err) {
    throw new IpfedError("TLS_INVALID", `--tls: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { field: "--tls", cause: err });
  }
}

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
export function connect(endpoint: string, timeoutMs = 30_000, token: string | undefined = process.env.IPFED_TOKEN, tls: string | boolean | undefined = process.env.IPFED_TLS): Remote {
  const channel = channelFor(endpoint, { tls: tlsMaterial(tls) });
  const c = channel.credentials;
  const opts = { "grpc.max_receive_message_length": 64 * 1024 * 1024, ...channel.options };
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
