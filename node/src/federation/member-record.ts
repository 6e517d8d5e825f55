import { EndpointKind, Member, MemberHealth, MemberKind } from "@ipfed/proto";
import type { CatalogueSummary, Endpoint } from "@ipfed/proto";
import type { MemberKindName } from "../config/node-config.js";

/** Where a member stands in the hub's registry. */
export type MemberState = "pending" | "admitted" | "removed";

/** One member as the hub records it. */
export interface MemberRecord {
  /** Pending until an admin (or an enrolment token) admits it; removed by an admin. */
  readonly state: MemberState;
  /**
   * The member: its own description (names, kind, region, endpoints, keys, parent, peer id,
   * TLS fingerprint), the tier cap the hub grants (`maxTier`), and what its heartbeats said
   * (`lastSeen`, `catalogue`, and in `health` the health it reported itself).
   */
  readonly member: Member;
  /** When it first registered, ISO 8601. */
  readonly registeredAt: string;
  /** When its state last changed, ISO 8601. */
  readonly changedAt: string;
}

/** How a registration ended. */
export interface RegistrationOutcome {
  /** `refused` carries the reason in `message` and leaves the registry unchanged. */
  readonly state: "pending" | "admitted" | "refused";
  /** The member as recorded (absent when refused). */
  readonly record?: MemberRecord;
  /** For the member's operator. */
  readonly message: string;
}

/** What a heartbeat reports. */
export interface HeartbeatReport {
  /** The health the member reports for itself. */
  readonly health: MemberHealth;
  /** Its catalogue summary, when sent. */
  readonly catalogue?: CatalogueSummary | undefined;
  /** Its endpoints, when they changed (empty: unchanged). */
  readonly endpoints: readonly Endpoint[];
}

/** Heartbeats expected by default, in seconds. */
export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 30;

/**
 * Returns a member's health as the hub sees it at `now`: UP while heartbeats come within two
 * intervals, DEGRADED within five (or when the member reports trouble itself), DOWN after
 * that; UNSPECIFIED for a member never heard from.
 *
 * @example
 * ```ts
 * healthOf(record.member, new Date(), 30); // MemberHealth.MEMBER_HEALTH_UP
 * ```
 */
export function healthOf(member: Member, now: Date, intervalSeconds: number): MemberHealth {
  const seen = Date.parse(member.lastSeen ?? "");
  if (!Number.isFinite(seen)) return MemberHealth.MEMBER_HEALTH_UNSPECIFIED;
  const age = (now.getTime() - seen) / 1000;
  if (age >= 5 * intervalSeconds) return MemberHealth.MEMBER_HEALTH_DOWN;
  const troubled = member.health === MemberHealth.MEMBER_HEALTH_DEGRADED || member.health === MemberHealth.MEMBER_HEALTH_DOWN;
  return age >= 2 * intervalSeconds || troubled ? MemberHealth.MEMBER_HEALTH_DEGRADED : MemberHealth.MEMBER_HEALTH_UP;
}

/**
 * Keeps what a member may say about itself in a registration; what the hub decides (tier cap)
 * or observes (health, last seen, catalogue) is dropped, whatever the request claimed.
 */
export function selfDescription(member: Member): Member {
  return Member.fromPartial({
    id: member.id,
    names: member.names,
    kind: member.kind,
    region: member.region,
    endpoints: member.endpoints,
    keys: member.keys,
    parentId: member.parentId,
    peerId: member.peerId,
    tlsFingerprint: member.tlsFingerprint,
    tlsCertificate: member.tlsCertificate,
  });
}

/**
 * The entry a member gets in the signed network configuration: its self-description and tier
 * cap. Health, last seen and catalogue stay out, so that the configuration (and its version)
 * changes when trust or membership changes, not with every heartbeat; ListMembers serves them live.
 */
export function configEntry(record: MemberRecord): Member {
  return { ...selfDescription(record.member), maxTier: record.member.maxTier };
}

/** Serialises a record for the store. */
export function encodeRecord(record: MemberRecord): Uint8Array {
  return Buffer.from(JSON.stringify({ ...record, member: Member.toJSON(record.member) }));
}

/** Reads a stored record. */
export function decodeRecord(bytes: Uint8Array): MemberRecord {
  const raw = JSON.parse(Buffer.from(bytes).toString("utf8")) as MemberRecord & { member: unknown };
  return { ...raw, member: Member.fromJSON(raw.member) };
}

const KINDS: Readonly<Record<MemberKindName, MemberKind>> = {
  hub: MemberKind.MEMBER_KIND_HUB,
  regional: MemberKind.MEMBER_KIND_REGIONAL,
  local: MemberKind.MEMBER_KIND_LOCAL,
  tisc: MemberKind.MEMBER_KIND_TISC,
  university: MemberKind.MEMBER_KIND_UNIVERSITY,
  library: MemberKind.MEMBER_KIND_LIBRARY,
  other: MemberKind.MEMBER_KIND_OTHER,
};

/** Returns the protocol kind of a kind name (`tisc`), or undefined. */
export function kindFromName(name: string): MemberKind | undefined {
  return Object.hasOwn(KINDS, name) ? KINDS[name as MemberKindName] : undefined;
}

/** Returns the name of a protocol kind (`tisc`), or `unspecified`. */
export function kindName(kind: MemberKind): string {
  return (Object.keys(KINDS) as MemberKindName[]).find((k) => KINDS[k] === kind) ?? "unspecified";
}

/**
 * The certificate (DER) a member's gRPC endpoint serves, when its entry says it serves TLS:
 * what a connection to it is pinned to. Undefined for a plaintext endpoint.
 *
 * @example
 * ```ts
 * const channel = channelFor(address, { tls: grpcCertificateOf(member) ? { ca: grpcCertificateOf(member) } : false });
 * ```
 */
export function grpcCertificateOf(m: Member): Buffer | undefined {
  const tls = m.tlsCertificate.length > 0 && m.endpoints.some((e) => e.kind === EndpointKind.ENDPOINT_KIND_GRPC && e.tls);
  return tls ? m.tlsCertificate : undefined;
}
