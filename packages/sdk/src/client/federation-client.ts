import { FederationServiceService, GetKeysRequest, GetNetworkConfigRequest, ListMembersRequest } from "@ipfed/proto";
import type { GetKeysResponse, GetNetworkConfigResponse, ListMembersResponse, Member } from "@ipfed/proto";
import type { CallOptions } from "./call-options.js";
import { captureCallSite } from "./caller-stack.js";
import { buildMessage } from "./message-init.js";
import type { MessageInit } from "./message-init.js";
import type { RpcInvoker } from "./rpc-invoker.js";
import type { Transport } from "./transport.js";

/**
 * Which members to list: all (the default), or some kinds and regions.
 *
 * @example
 * ```ts
 * const request: ListMembersInit = { kinds: [MemberKind.MEMBER_KIND_TISC], regions: ["51"] };
 * ```
 */
export type ListMembersInit = MessageInit<ListMembersRequest>;

/**
 * FederationService, the parts a client reads: members, the signed network configuration,
 * and the member's public keys. (Register and Heartbeat are for members, not clients.)
 *
 * @example
 * ```ts
 * const members = await client.federation.members();
 * ```
 */
export interface FederationClient {
  /**
   * Lists the members this member knows (itself, at least).
   *
   * @example
   * ```ts
   * for (const m of await client.federation.members({ regions: ["51"] })) console.log(m.id, m.health);
   * ```
   */
  members(request?: ListMembersInit, options?: CallOptions): Promise<Member[]>;
  /**
   * Returns the network configuration signed by the hub; `notModified` when `knownVersion` is
   * current. A member that is not a hub answers UNIMPLEMENTED. Trust only `signed`, after
   * verifying it.
   *
   * @example
   * ```ts
   * const { config, signed, notModified } = await client.federation.config(held?.version);
   * ```
   */
  config(knownVersion?: number, options?: CallOptions): Promise<GetNetworkConfigResponse>;
  /**
   * Returns the member's public keys, as messages and as a JWKS document.
   *
   * @example
   * ```ts
   * const jwks = JSON.parse((await client.federation.keys()).jwks);
   * ```
   */
  keys(options?: CallOptions): Promise<GetKeysResponse>;
}

const METHODS = FederationServiceService;

/**
 * Builds the federation methods over the call layer.
 *
 * @example
 * ```ts
 * const federation = createFederationClient(transport, invoker);
 * ```
 */
export function createFederationClient(transport: Transport, invoker: RpcInvoker): FederationClient {
  return {
    async members(request, options) {
      const site = captureCallSite();
      const req = buildMessage(ListMembersRequest, request);
      const res = await invoker.unary<ListMembersResponse>({ method: METHODS.listMembers.path, site, options }, (md, o, cb) =>
        transport.federation.listMembers(req, md, o, cb),
      );
      return res.members;
    },
    config(knownVersion, options) {
      const site = captureCallSite();
      const req = GetNetworkConfigRequest.fromPartial({ knownVersion: knownVersion ?? 0 });
      return invoker.unary<GetNetworkConfigResponse>({ method: METHODS.getNetworkConfig.path, site, options }, (md, o, cb) =>
        transport.federation.getNetworkConfig(req, md, o, cb),
      );
    },
    keys(options) {
      const site = captureCallSite();
      return invoker.unary<GetKeysResponse>({ method: METHODS.getKeys.path, site, options }, (md, o, cb) =>
        transport.federation.getKeys(GetKeysRequest.fromPartial({}), md, o, cb),
      );
    },
  };
}
