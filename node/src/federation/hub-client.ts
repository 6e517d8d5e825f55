import { Metadata } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { FederationServiceClient, GetNetworkConfigRequest } from "@ipfed/proto";
import type { GetNetworkConfigResponse, HeartbeatRequest, HeartbeatResponse, RegisterRequest, RegisterResponse } from "@ipfed/proto";
import { channelFor, fromGrpcError } from "@ipfed/sdk";
import type { ChannelSecurity } from "@ipfed/sdk";

/** The hub's FederationService as a member uses it; every error arrives as an IpfedError. */
export interface HubClient {
  /** Fetches the signed configuration; `not_modified` when `knownVersion` is current. */
  getNetworkConfig(knownVersion: number): Promise<GetNetworkConfigResponse>;
  /** Sends a signed registration. */
  register(request: RegisterRequest): Promise<RegisterResponse>;
  /** Sends a heartbeat with a token the member signed for the hub. */
  heartbeat(request: HeartbeatRequest, token: string): Promise<HeartbeatResponse>;
  /** Closes the channel. */
  close(): void;
}

/**
 * Connects to a hub's gRPC endpoint: over TLS when `security.tls` says so (mutual TLS with
 * the member's own certificate), else plaintext, which only a loopback address allows
 * without `allowPlaintext`. The signed configuration does not depend on the channel being
 * private; tokens and registrations do.
 *
 * @example
 * ```ts
 * const hub = connectHub("hub.example.cn:7400");
 * const { signed } = await hub.getNetworkConfig(0);
 * ```
 */
export function connectHub(address: string, timeoutMs = 10_000, security: ChannelSecurity = {}): HubClient {
  const channel = channelFor(address, security);
  const client = new FederationServiceClient(address, channel.credentials, { "grpc.max_receive_message_length": 16 * 1024 * 1024, ...channel.options });
  const options = () => ({ deadline: new Date(Date.now() + timeoutMs) });
  const call = <Res>(fn: (cb: (err: ServiceError | null, res: Res) => void) => unknown): Promise<Res> =>
    new Promise((resolve, reject) => {
      fn((err, res) => (err ? reject(fromGrpcError(err)) : resolve(res)));
    });
  return {
    getNetworkConfig: (knownVersion) => call((cb) => client.getNetworkConfig(GetNetworkConfigRequest.fromPartial({ knownVersion }), new Metadata(), options(), cb)),
    register: (request) => call((cb) => client.register(request, new Metadata(), options(), cb)),
    heartbeat: (request, token) => {
      const md = new Metadata();
      md.set("authorization", `Bearer ${token}`);
      return call((cb) => client.heartbeat(request, md, options(), cb));
    },
    close: () => client.close(),
  };
}
