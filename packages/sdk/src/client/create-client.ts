import type { CatalogueClient } from "./catalogue-client.js";
import { createCatalogueClient } from "./catalogue-client.js";
import { resolveClientOptions } from "./client-options.js";
import type { ClientOptions } from "./client-options.js";
import type { ExchangeClient } from "./exchange-client.js";
import { createExchangeClient } from "./exchange-client.js";
import type { FederationClient } from "./federation-client.js";
import { createFederationClient } from "./federation-client.js";
import { RpcInvoker } from "./rpc-invoker.js";
import type { SearchClient } from "./search-client.js";
import { createSearchClient } from "./search-client.js";
import { TokenSource } from "./token-source.js";
import { createTransport } from "./transport.js";

/**
 * A client of one ipfed member: typed methods over every RPC of ipfed.v1 a client calls.
 * Every failure is an IpfedError with a stable `code`, whose stack leads back to the call.
 *
 * @example
 * ```ts
 * const client = createClient({ endpoint: "127.0.0.1:7400", token });
 * try {
 *   const { hits, done } = await client.searchAll("ti:石墨烯");
 * } finally {
 *   client.close();
 * }
 * ```
 */
export interface IpfedClient extends SearchClient, ExchangeClient {
  /** CatalogueService: datasets, public services, catalogue changes. */
  readonly catalogue: CatalogueClient;
  /** FederationService: members, network configuration, keys. */
  readonly federation: FederationClient;
  /**
   * Cancels the calls in flight (CANCELLED) and closes the connection; later calls fail with
   * FAILED_PRECONDITION. Idempotent.
   *
   * @example
   * ```ts
   * client.close();
   * ```
   */
  close(): void;
}

/**
 * Creates a client of one ipfed member. Options are checked here (INVALID_ARGUMENT); the
 * connection opens on the first call.
 *
 * Layers, each a file, none calling back up: the typed clients (`catalogue-client.ts`, ...)
 * build requests; the call layer (`rpc-invoker.ts`) adds the token, deadline, cancellation and
 * retries and rebuilds errors; the transport (`transport.ts`) is one grpc-js channel.
 *
 * @example
 * ```ts
 * const ac = new AbortController();
 * const client = createClient({
 *   endpoint: "127.0.0.1:7400",
 *   tokenProvider: () => myPlatform.token(),
 *   retry: { maxAttempts: 6 },
 *   signal: ac.signal,
 * });
 * const datasets = await client.catalogue.list();
 * for await (const batch of client.export({ datasetId: datasets[0]!.id })) console.log(batch.records.length);
 * ```
 */
export function createClient(options: ClientOptions): IpfedClient {
  const resolved = resolveClientOptions(options);
  const transport = createTransport(resolved.endpoint, resolved.tls, resolved.channelOptions);
  const invoker = new RpcInvoker({
    tokens: new TokenSource({ token: resolved.token, provider: resolved.tokenProvider, refreshBeforeSeconds: resolved.refreshBeforeSeconds }),
    retry: resolved.retry,
    deadlineMs: resolved.deadlineMs,
    signal: resolved.signal,
  });
  return {
    ...createSearchClient(transport, invoker),
    ...createExchangeClient(transport, invoker),
    catalogue: createCatalogueClient(transport, invoker),
    federation: createFederationClient(transport, invoker),
    close() {
      invoker.close();
      transport.close();
    },
  };
}
