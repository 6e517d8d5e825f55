import { Channel, credentials } from "@grpc/grpc-js";
import type { ChannelOptions } from "@grpc/grpc-js";
import {
  CatalogueServiceClient,
  ExchangeServiceClient,
  FederationServiceClient,
  SearchServiceClient,
} from "@ipfed/proto";
import type { TlsOptions } from "./client-options.js";
import { memberTlsChannel } from "../tls/tls-credentials.js";

/**
 * The generated grpc-js clients of the four ipfed.v1 services, sharing one channel (one
 * HTTP/2 connection) to a member.
 *
 * @example
 * ```ts
 * const { search } = createTransport("127.0.0.1:7400", undefined, {});
 * ```
 */
export interface Transport {
  readonly catalogue: CatalogueServiceClient;
  readonly search: SearchServiceClient;
  readonly exchange: ExchangeServiceClient;
  readonly federation: FederationServiceClient;
  /** Closes the channel; calls in flight fail. Idempotent. */
  close(): void;
}

/**
 * Opens the channel to a member and the four service clients over it.
 *
 * @example
 * ```ts
 * const transport = createTransport("127.0.0.1:7400", undefined, {});
 * transport.catalogue.listServices({}, (err, res) => {});
 * ```
 */
export function createTransport(endpoint: string, tls: TlsOptions | undefined, channelOptions: ChannelOptions): Transport {
  const secure = tls ? memberTlsChannel(endpoint, tls.ca?.toString(), tls.cert && tls.key ? { cert: tls.cert.toString(), key: tls.key.toString() } : undefined) : undefined;
  const creds = secure?.credentials ?? credentials.createInsecure();
  const channel = new Channel(endpoint, creds, { ...secure?.options, ...channelOptions });
  const options = { channelOverride: channel };
  let closed = false;
  return {
    catalogue: new CatalogueServiceClient(endpoint, creds, options),
    search: new SearchServiceClient(endpoint, creds, options),
    exchange: new ExchangeServiceClient(endpoint, creds, options),
    federation: new FederationServiceClient(endpoint, creds, options),
    close() {
      if (closed) return;
      closed = true;
      channel.close();
    },
  };
}
