import { MemberHealth, RegistrationState } from "@ipfed/proto";
import type {
  FederationServiceServer,
  GetNetworkConfigRequest,
  GetNetworkConfigResponse,
  HeartbeatRequest,
  HeartbeatResponse,
  ListMembersRequest,
  ListMembersResponse,
  Member,
  RegisterRequest,
  RegisterResponse,
} from "@ipfed/proto";
import { certificateFingerprint, IpfedError, createFederationService, memberJwks, unary, verifyRegistration } from "@ipfed/sdk";
import type { MemberIdentity } from "@ipfed/sdk";
import type { ConfigPublisher } from "./config-publisher.js";
import type { MemberRegistry } from "./member-registry.js";

/** What the hub's FederationService needs. */
export interface HubServiceInit {
  /** The hub's identity (GetKeys answers with its keys). */
  readonly identity: MemberIdentity;
  /** The registry of members. */
  readonly registry: MemberRegistry;
  /** The signer of the network configuration. */
  readonly publisher: ConfigPublisher;
  /** The hub's own addresses, as announced. */
  readonly endpoints: () => { grpc?: string; http?: string };
  /** The clock. @defaultValue `() => new Date()` */
  readonly now?: () => Date;
}

const LIMITS = { keys: 8, endpoints: 16, names: 16, text: 512 } as const;

/**
 * Builds the hub's FederationService handlers. `Register` admits members (with an enrolment
 * token) or records them as pending; `Heartbeat` takes a member's report when the call carries
 * a token the member signed for itself; `ListMembers` lists admitted members with their health;
 * `GetNetworkConfig` serves the signed configuration; `GetKeys` answers like any member's.
 *
 * @example
 * ```ts
 * grpc.addService("ipfed.v1.FederationService", FederationServiceService, createHubFederationService({ identity, registry, publisher, endpoints }));
 * ```
 */
export function createHubFederationService(init: HubServiceInit): FederationServiceServer {
  const { registry, publisher } = init;
  const now = init.now ?? (() => new Date());
  const base = createFederationService(init.identity, { endpoints: init.endpoints });
  return {
    ...base,
    register: unary(async (req: RegisterRequest): Promise<RegisterResponse> => {
      const member = req.member;
      if (member === undefined) throw new IpfedError("REGISTRATION_INVALID", "the registration carries no member", { field: "member" });
      checkShape(member);
      const existing = await registry.get(member.id);
      // Once the hub knows a member's keys, only those keys may change its registration:
      // anyone can sign a registration with a key of their own.
      const keysOnRecord = existing && existing.state !== "removed" ? memberJwks(existing.member) : undefined;
      await verifyRegistration(req.signature, member, keysOnRecord ? { keysOnRecord } : {});
      const outcome = await registry.register(member, req.enrolmentToken || undefined);
      // Before answering, so that the member's first heartbeat meets a hub that trusts it.
      if (outcome.state === "admitted") await publisher.latest();
      return {
        state:
          outcome.state === "admitted" ? RegistrationState.REGISTRATION_STATE_ADMITTED
          : outcome.state === "pending" ? RegistrationState.REGISTRATION_STATE_PENDING
          : RegistrationState.REGISTRATION_STATE_REFUSED,
        ...(outcome.record ? { member: registry.view(outcome.record) } : {}),
        message: outcome.message,
      };
    }),
    heartbeat: unary(async (req: HeartbeatRequest, ctx): Promise<HeartbeatResponse> => {
      const c = ctx.caller;
      // The member's own word only: a token it issued about itself. Tokens it issues for its
      // users name the member as issuer too, but never as subject.
      if (c.anonymous || c.issuer !== req.memberId || c.subject !== req.memberId) {
        throw new IpfedError("MEMBER_NOT_ADMITTED", `a heartbeat for ${req.memberId || "(no member)"} must carry a token that member signed for itself`, { field: "member_id" });
      }
      await registry.heartbeat(req.memberId, {
        health: req.health || MemberHealth.MEMBER_HEALTH_UP,
        catalogue: req.catalogue,
        endpoints: req.endpoints.slice(0, LIMITS.endpoints),
      });
      const { config } = await publisher.latest();
      return { configVersion: config.version, serverTime: now().toISOString(), intervalSeconds: registry.heartbeatIntervalSeconds };
    }),
    listMembers: unary(async (req: ListMembersRequest): Promise<ListMembersResponse> => {
      const records = await registry.list({ states: ["admitted"], kinds: req.kinds, regions: req.regions });
      return { members: records.map((r) => registry.view(r)) };
    }),
    getNetworkConfig: unary(async (req: GetNetworkConfigRequest): Promise<GetNetworkConfigResponse> => {
      const { config, signed } = await publisher.latest();
      if (req.knownVersion !== 0 && req.knownVersion === config.version) return { signed: "", notModified: true };
      return { config, signed, notModified: false };
    }),
  };
}

/** Refuses registrations too big to be honest, before any signature work. */
function checkShape(m: Member): void {
  const bad = (field: string, why: string): never => {
    throw new IpfedError("REGISTRATION_INVALID", `registration ${why}`, { field: `member.${field}` });
  };
  if (m.keys.length === 0 || m.keys.length > LIMITS.keys) bad("keys", `must list 1 to ${LIMITS.keys} keys`);
  if (m.endpoints.length > LIMITS.endpoints) bad("endpoints", `may list at most ${LIMITS.endpoints} endpoints`);
  if (m.names.length > LIMITS.names) bad("names", `may list at most ${LIMITS.names} names`);
  const texts = [m.region, m.parentId, m.peerId, m.tlsFingerprint, ...m.names.map((n) => n.text), ...m.endpoints.map((e) => e.address)];
  if (texts.some((t) => t.length > LIMITS.text)) bad("names", `has a field longer than ${LIMITS.text} characters`);
  if (m.tlsCertificate.length > 16 * 1024) bad("tlsCertificate", "is larger than 16 KiB");
  if (m.tlsCertificate.length > 0 || m.tlsFingerprint) {
    let fingerprint = "";
    try {
      fingerprint = certificateFingerprint(m.tlsCertificate);
    } catch {
      bad("tlsCertificate", "is not an X.509 certificate (DER)");
    }
    if (fingerprint !== m.tlsFingerprint) bad("tlsFingerprint", `is not the SHA-256 of tls_certificate (${fingerprint})`);
  }
}
