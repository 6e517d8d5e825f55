import { MemberHealth } from "@ipfed/proto";
import type { FederationServiceServer, Member, MemberKey as MemberKeyMessage } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import { toJwks } from "../keys/member-key.js";
import type { MemberKey } from "../keys/member-key.js";
import { unary } from "./handlers.js";
import type { MemberIdentity } from "./member-identity.js";
import { selfMember } from "../federation/self-member.js";

/**
 * Converts member keys to their protocol form.
 *
 * @example
 * ```ts
 * keyMessages([key]); // [{ kid, alg: "EdDSA", crv: "Ed25519", x, notBefore }]
 * ```
 */
export function keyMessages(keys: readonly MemberKey[]): MemberKeyMessage[] {
  return keys.map((k) => ({
    kid: k.kid,
    alg: "EdDSA",
    crv: "Ed25519",
    x: String(k.publicJwk.x),
    notBefore: k.createdAt,
    ...(k.retiredAt ? { notAfter: k.retiredAt } : {}),
  }));
}

/** What the federation handlers need beyond the identity. */
export interface FederationContext {
  /** The member's own addresses, as announced. */
  readonly endpoints: () => { grpc?: string; http?: string };
}

/**
 * Builds the FederationService handlers of a member that is not (yet) part of a hub's
 * registry: it answers for itself. The hub role replaces Register, Heartbeat and
 * GetNetworkConfig.
 *
 * @example
 * ```ts
 * grpc.addService("ipfed.v1.FederationService", FederationServiceService, createFederationService(identity, { endpoints: () => ({ grpc: "127.0.0.1:7410" }) }));
 * ```
 */
export function createFederationService(identity: MemberIdentity, ctx: FederationContext): FederationServiceServer {
  const self = (): Member => ({
    ...selfMember(identity, { endpoints: ctx.endpoints() }),
    health: MemberHealth.MEMBER_HEALTH_UP,
    lastSeen: new Date().toISOString(),
  });
  const notHub = (rpc: string): never => {
    throw new IpfedError("UNIMPLEMENTED", `${rpc}: member ${identity.id} is not a hub; send it to the network's hub`);
  };
  return {
    register: unary(async () => notHub("Register")),
    heartbeat: unary(async () => notHub("Heartbeat")),
    getNetworkConfig: unary(async () => notHub("GetNetworkConfig")),
    listMembers: unary(async () => ({ members: [self()] })),
    getKeys: unary(async () => {
      const keys = identity.keys();
      return { keys: keyMessages(keys), jwks: JSON.stringify(toJwks(keys)) };
    }),
  };
}
