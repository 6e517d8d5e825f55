import type { CatalogueSummary, MemberKind, Tier } from "@ipfed/proto";
import type { MemberKey } from "../keys/member-key.js";

/** A member a federating node may ask. */
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
}

/** What the federation engine needs to know about the network, from the node's point of view. */
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
}
