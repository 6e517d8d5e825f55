import type { CatalogueSummary, MemberKind, Tier } from "@ipfed/proto";
import type { MemberKey } from "../keys/member-key.js";
import type { TlsIdentity } from "../tls/tls-certificate.js";

/**
 * A member a federating node may ask.
 *
 * @example
 * ```ts
 * const target: FederationTarget = { id: "scu-tisc", kind: MemberKind.MEMBER_KIND_TISC, region: "510000", address: "127.0.0.1:7401" };
 * ```
 */
export interface FederationTarget {
  /** Member id. */
  readonly id: string;
  /** Role. */
  readonly kind: MemberKind;
  /** Administrative division code. */
  readonly region: string;
  /** gRPC address, `host:port`. */
  readonly address: string;
  /** Its catalogue summary, for planning; absent when unknown (then it is always asked). */
  readonly catalogue?: CatalogueSummary;
  /**
   * Its TLS certificate (DER, from the network configuration) when its gRPC endpoint serves
   * TLS: the connection is pinned to it. Absent: plaintext, which only a loopback address
   * allows unless {@link FederationDirectory.allowPlaintext} says otherwise.
   */
  readonly tlsCertificate?: Uint8Array;
}

/**
 * What the federation engine needs to know about the network, from the node's point of view.
 *
 * @example
 * ```ts
 * const directory: FederationDirectory = {
 *   selfId: () => "sc-regional",
 *   targets: () => children, // the members this node federates to
 *   members: () => allMembers,
 *   signingKey: () => key,
 *   maxTier: () => Tier.TIER_REGISTERED,
 * };
 * ```
 */
export interface FederationDirectory {
  /** This member's id. */
  selfId(): string;
  /** The members this node federates to: its children in the hierarchy (the hub: every top-level member). */
  targets(): readonly FederationTarget[];
  /** Every member with an address, for routing `GetRecord` and explicit `member_ids` scopes. */
  members(): readonly FederationTarget[];
  /** The key that signs derived tokens. */
  signingKey(): MemberKey;
  /** The highest tier this member may grant (its allowance in the network configuration). */
  maxTier(): Tier;
  /** This member's TLS certificate and key, presented to members it calls (mutual TLS). */
  tlsIdentity?(): Pick<TlsIdentity, "cert" | "key"> | undefined;
  /** Whether plaintext may be used to a member whose address is not loopback. @defaultValue false */
  allowPlaintext?(): boolean;
}
