import { EndpointKind, Member, Tier } from "@ipfed/proto";
import type { MemberIdentity } from "../server/member-identity.js";
import { keyMessages } from "../server/federation-service.js";
import { certificateFingerprint, pemToDer } from "../tls/tls-certificate.js";

/**
 * What {@link selfMember} needs beside the identity.
 *
 * @example
 * ```ts
 * const init: SelfMemberInit = { endpoints: { grpc: "10.0.0.7:7400", http: "10.0.0.7:7480" }, parentId: "sc-regional" };
 * ```
 */
export interface SelfMemberInit {
  /** The member's announced addresses: gRPC and HTTP `host:port`, libp2p multiaddrs ending in `/p2p/<peer id>`. */
  readonly endpoints: {
    /** gRPC `host:port`. */
    readonly grpc?: string;
    /** HTTP `host:port`. */
    readonly http?: string;
    /** libp2p multiaddrs, each ending in `/p2p/<peer id>`. */
    readonly libp2p?: readonly string[];
  };
  /** True when the HTTP endpoint serves HTTPS. */
  readonly httpTls?: boolean;
  /** Its tier cap (the hub's own `selfMaxTier`); members leave it to the hub. */
  readonly maxTier?: Tier;
  /** The member it federates under. */
  readonly parentId?: string;
  /** Its libp2p peer id. */
  readonly peerId?: string;
}

/**
 * Describes a member as a `Member` message: what it registers with the hub, what its
 * ListMembers answers, or, on the hub, its own entry in the network configuration. Keys are read from the identity on every call, so that
 * a rotation shows at once.
 *
 * @example
 * ```ts
 * const me = selfMember(identity, { endpoints: { grpc: "10.0.0.7:7400" } });
 * ```
 */
export function selfMember(identity: MemberIdentity, init: SelfMemberInit): Member {
  const ep = init.endpoints;
  const tls = identity.tlsCertificate !== undefined;
  const der = tls ? pemToDer(identity.tlsCertificate as string) : undefined;
  return Member.fromPartial({
    id: identity.id,
    names: [...identity.names],
    kind: identity.kind,
    region: identity.region,
    endpoints: [
      ...(ep.grpc ? [{ kind: EndpointKind.ENDPOINT_KIND_GRPC, address: ep.grpc, tls }] : []),
      ...(ep.http ? [{ kind: EndpointKind.ENDPOINT_KIND_HTTP, address: ep.http, tls: init.httpTls ?? false }] : []),
      // libp2p connections are always encrypted (noise); `tls` speaks of TLS only.
      ...(ep.libp2p ?? []).map((address) => ({ kind: EndpointKind.ENDPOINT_KIND_LIBP2P, address, tls: false })),
    ],
    keys: keyMessages(identity.keys()),
    maxTier: init.maxTier ?? Tier.TIER_UNSPECIFIED,
    parentId: init.parentId ?? "",
    peerId: init.peerId ?? "",
    ...(der ? { tlsCertificate: der, tlsFingerprint: certificateFingerprint(der) } : {}),
  });
}
