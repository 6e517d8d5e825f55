import { memberHealthToJSON } from "@ipfed/proto";
import { IpfedError, TIER_NAMES, tierFromName, tierToName } from "@ipfed/sdk";
import { MEMBER_KINDS } from "../../config/node-config.js";
import type { MemberKindName, TierWord } from "../../config/node-config.js";
import { kindFromName, kindName } from "../member-record.js";
import type { MemberRecord } from "../member-record.js";
import type { MemberRegistry } from "../member-registry.js";
import type { BackupSummary } from "../../backup/backup.js";

/** One admin action on the hub's registry, as the CLI asks for it. */
export type AdminRequest =
  | { readonly action: "list" }
  | { readonly action: "admit"; readonly memberId: string; readonly maxTier?: TierWord }
  | { readonly action: "remove"; readonly memberId: string }
  | { readonly action: "enrol"; readonly memberId: string; readonly maxTier: TierWord; readonly ttlSeconds: number; readonly kind?: MemberKindName; readonly region?: string }
  | { readonly action: "revoke"; readonly jti: string; readonly issuer: string; readonly expiresAt: string }
  /** A snapshot of the running node written to `out` (an absolute path); every node answers it, not only the hub. */
  | { readonly action: "backup"; readonly out: string };

/** A member as the admin commands show it. */
export interface MemberSummary {
  readonly id: string;
  readonly state: MemberRecord["state"];
  readonly kind: string;
  readonly region: string;
  readonly maxTier: string;
  /** `up`, `degraded`, `down`, or `unknown` (never heard from). */
  readonly health: string;
  readonly lastSeen: string | null;
  readonly datasets: number;
  readonly records: number;
  readonly endpoints: readonly string[];
  readonly keys: readonly string[];
  readonly registeredAt: string;
  readonly changedAt: string;
}

/** What an enrolment action returns: the token to hand to the member's operator. */
export interface EnrolmentIssued {
  readonly memberId: string;
  readonly maxTier: string;
  readonly token: string;
  readonly jti: string;
  readonly expiresAt: string;
}

/** What each action returns. */
export type AdminResult =
  | { readonly members: readonly MemberSummary[] }
  | { readonly member: MemberSummary }
  | { readonly enrolment: EnrolmentIssued }
  | { readonly revoked: { readonly jti: string; readonly issuer: string; readonly expiresAt: string } }
  | { readonly backup: BackupSummary };

/**
 * Applies one admin request to the registry: the same code whether the CLI opened the store
 * itself (hub stopped) or the running hub took the request from its inbox.
 *
 * @throws IpfedError `MEMBER_NOT_FOUND` for an unknown member, `INVALID_ARGUMENT` for bad values.
 * @example
 * ```ts
 * await applyAdminRequest(registry, { action: "admit", memberId: "sc-tisc", maxTier: "registered" });
 * ```
 */
export async function applyAdminRequest(registry: MemberRegistry, req: AdminRequest): Promise<AdminResult> {
  switch (req.action) {
    case "list":
      return { members: (await registry.list()).map((r) => summarise(registry, r)) };
    case "admit":
      return { member: summarise(registry, await registry.admit(req.memberId, req.maxTier === undefined ? undefined : tierFromName(req.maxTier))) };
    case "remove":
      return { member: summarise(registry, await registry.remove(req.memberId)) };
    case "enrol": {
      const kind = req.kind === undefined ? undefined : kindFromName(req.kind);
      const { token, grant } = await registry.createEnrolment(req.memberId, {
        maxTier: tierFromName(req.maxTier)!,
        ttlSeconds: req.ttlSeconds,
        ...(kind !== undefined ? { kind } : {}),
        ...(req.region !== undefined ? { region: req.region } : {}),
      });
      return { enrolment: { memberId: grant.memberId, maxTier: req.maxTier, token, jti: grant.jti, expiresAt: new Date(grant.expiresAt * 1000).toISOString() } };
    }
    case "revoke":
      await registry.revoke({ jti: req.jti, issuer: req.issuer, expiresTime: req.expiresAt });
      return { revoked: { jti: req.jti, issuer: req.issuer, expiresAt: req.expiresAt } };
    case "backup":
      throw new IpfedError("FAILED_PRECONDITION", "a backup is taken by the node, not by the registry");
  }
}

/**
 * Checks an admin request read from a file or built from the command line.
 *
 * @throws IpfedError `INVALID_ARGUMENT` naming the first bad field.
 */
export function parseAdminRequest(raw: unknown): AdminRequest {
  const bad = (field: string, why: string): never => {
    throw new IpfedError("INVALID_ARGUMENT", `admin request: ${field} ${why}`, { field });
  };
  if (typeof raw !== "object" || raw === null) return bad("(root)", "must be an object");
  const r = raw as Record<string, unknown>;
  const str = (f: string): string => (typeof r[f] === "string" && r[f] !== "" ? (r[f] as string) : bad(f, "must be a non-empty string"));
  const tier = (f: string): TierWord => (TIER_NAMES as readonly unknown[]).includes(r[f]) ? (r[f] as TierWord) : bad(f, `must be one of ${TIER_NAMES.join(", ")}`);
  switch (r["action"]) {
    case "list":
      return { action: "list" };
    case "admit":
      return { action: "admit", memberId: str("memberId"), ...(r["maxTier"] !== undefined ? { maxTier: tier("maxTier") } : {}) };
    case "remove":
      return { action: "remove", memberId: str("memberId") };
    case "enrol": {
      const ttl = r["ttlSeconds"];
      if (typeof ttl !== "number" || !(ttl > 0)) bad("ttlSeconds", "must be a positive number");
      if (r["kind"] !== undefined && !(MEMBER_KINDS as readonly unknown[]).includes(r["kind"])) bad("kind", `must be one of ${MEMBER_KINDS.join(", ")}`);
      return {
        action: "enrol",
        memberId: str("memberId"),
        maxTier: tier("maxTier"),
        ttlSeconds: ttl as number,
        ...(r["kind"] !== undefined ? { kind: r["kind"] as MemberKindName } : {}),
        ...(r["region"] !== undefined ? { region: str("region") } : {}),
      };
    }
    case "revoke":
      if (!Number.isFinite(Date.parse(str("expiresAt")))) bad("expiresAt", "must be an ISO 8601 time");
      return { action: "revoke", jti: str("jti"), issuer: str("issuer"), expiresAt: str("expiresAt") };
    case "backup":
      if (!str("out").startsWith("/")) bad("out", "must be an absolute path");
      return { action: "backup", out: str("out") };
    default:
      return bad("action", "must be list, admit, remove, enrol, revoke or backup");
  }
}

function summarise(registry: MemberRegistry, record: MemberRecord): MemberSummary {
  const m = registry.view(record);
  let maxTier = "-";
  try {
    maxTier = tierToName(m.maxTier);
  } catch {
    // Pending members have no cap yet.
  }
  return {
    id: m.id,
    state: record.state,
    kind: kindName(m.kind),
    region: m.region,
    maxTier,
    health: record.state === "admitted" ? memberHealthToJSON(m.health).replace("MEMBER_HEALTH_", "").replace("UNSPECIFIED", "unknown").toLowerCase() : "-",
    lastSeen: m.lastSeen ?? null,
    datasets: m.catalogue?.datasetCount ?? 0,
    records: m.catalogue?.recordCount ?? 0,
    endpoints: m.endpoints.map((e) => e.address),
    keys: m.keys.map((k) => k.kid),
    registeredAt: record.registeredAt,
    changedAt: record.changedAt,
  };
}
