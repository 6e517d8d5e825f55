import { EndpointKind, Member, MemberHealth, MemberKind } from "@ipfed/proto";

/**
 * Counts of the network view, for the portal's indicator tiles.
 *
 * @example
 * ```ts
 * const { tiscs, availability }: NetworkIndicators = networkIndicators(members, null);
 * ```
 */
export interface NetworkIndicators {
  /** Members listed (this node included). */
  members: number;
  /** Members per kind (`hub`, `regional`, `tisc`, `library`, ...). */
  byKind: Record<string, number>;
  /** Members of kind `tisc`. */
  tiscs: number;
  /** Datasets, summed over the members' catalogue summaries. */
  datasets: number;
  /** Records, summed over the members' catalogue summaries (a record two members hold counts twice). */
  records: number;
  /** Search calls this node has served; null when the node does not count them. */
  queriesServed: number | null;
  /** Members whose health is UP, of all members, and the ratio (0 to 1; 1 for an empty network). */
  availability: { up: number; total: number; ratio: number };
}

/**
 * The short name of a member kind: `MEMBER_KIND_TISC` becomes `tisc`.
 *
 * @example
 * ```ts
 * kindName(MemberKind.MEMBER_KIND_LIBRARY); // "library"
 * ```
 */
export function kindName(kind: MemberKind): string {
  return (MemberKind[kind] ?? "MEMBER_KIND_UNSPECIFIED").replace(/^MEMBER_KIND_/, "").toLowerCase();
}

/**
 * The members of the network as this node sees them, this node included (listed first when
 * the list does not hold it) with its own current catalogue summary and health.
 *
 * @example
 * ```ts
 * const members = withSelf(await client.federation.members(), self);
 * ```
 */
export function withSelf(members: readonly Member[], self: Member): Member[] {
  const listed = members.find((m) => m.id === self.id);
  if (!listed) return [self, ...members];
  // The list's entry has the keys and addresses the network knows; this node knows its own
  // catalogue and health better than any heartbeat.
  const merged: Member = { ...listed, health: self.health, lastSeen: self.lastSeen, ...(self.catalogue ? { catalogue: self.catalogue } : {}) };
  return members.map((m) => (m.id === self.id ? merged : m));
}

/**
 * Computes the indicators of the network view from its members.
 *
 * @example
 * ```ts
 * networkIndicators(members, 12).tiscs; // 1
 * ```
 */
export function networkIndicators(members: readonly Member[], queriesServed: number | null): NetworkIndicators {
  const byKind: Record<string, number> = {};
  for (const m of members) byKind[kindName(m.kind)] = (byKind[kindName(m.kind)] ?? 0) + 1;
  const up = members.filter((m) => m.health === MemberHealth.MEMBER_HEALTH_UP).length;
  return {
    members: members.length,
    byKind,
    tiscs: byKind.tisc ?? 0,
    datasets: members.reduce((n, m) => n + (m.catalogue?.datasetCount ?? 0), 0),
    records: members.reduce((n, m) => n + (m.catalogue?.recordCount ?? 0), 0),
    queriesServed,
    availability: { up, total: members.length, ratio: members.length === 0 ? 1 : up / members.length },
  };
}

/**
 * The gRPC address a member lists, if any.
 *
 * @example
 * ```ts
 * grpcEndpointOf(member); // "127.0.0.1:7401"
 * ```
 */
export function grpcEndpointOf(m: Member): string | undefined {
  return m.endpoints.find((e) => e.kind === EndpointKind.ENDPOINT_KIND_GRPC)?.address;
}


/**
 * A member in the canonical JSON mapping, with its kind's short name beside it for simple
 * clients.
 *
 * @example
 * ```ts
 * memberJson(member); // { id: "scu-tisc", kind: "MEMBER_KIND_TISC", kindName: "tisc", ... }
 * ```
 */
export function memberJson(m: Member): unknown {
  return { ...(Member.toJSON(m) as object), kindName: kindName(m.kind) };
}
