import type { CatalogueSummary, Member, NetworkConfig } from "@ipfed/proto";
import { IpfedError } from "@ipfed/sdk";

/** The kinds of notice the federation gossips, one topic each. */
export type GossipKind = "member" | "catalogue" | "revocation" | "config";

/** Every gossip kind. */
export const GOSSIP_KINDS: readonly GossipKind[] = ["member", "catalogue", "revocation", "config"];

const TOPIC_SUFFIX: Readonly<Record<GossipKind, string>> = {
  member: "members",
  catalogue: "catalogue",
  revocation: "revocations",
  config: "config",
};

/**
 * Returns the gossipsub topic of a kind of notice in a network: `ipfed/<networkId>/members`,
 * `.../catalogue`, `.../revocations`, `.../config`.
 *
 * @example
 * ```ts
 * gossipTopic("cn-ip-net", "member"); // "ipfed/cn-ip-net/members"
 * ```
 */
export function gossipTopic(networkId: string, kind: GossipKind): string {
  return `ipfed/${networkId}/${TOPIC_SUFFIX[kind]}`;
}

/** A catalogue-change notice: a member's catalogue is now at `version`. */
export interface CatalogueNotice {
  /** The member whose catalogue changed. */
  readonly memberId: string;
  /** Its catalogue version. */
  readonly version: number;
  /** Its catalogue summary, for planning federated queries. */
  readonly summary: CatalogueSummary;
}

/** A revocation notice: a token id of an issuer must no longer be accepted. */
export interface RevocationNotice {
  /** The token's `jti`. */
  readonly jti: string;
  /** The token's issuer. */
  readonly issuer: string;
  /** The token's expiry, seconds since the epoch; the revocation can be forgotten after it. */
  readonly exp: number;
}

/** A network-configuration notice, as delivered: the hub's JWS, checked, and what it says. */
export interface ConfigNotice {
  /** The network configuration as a compact JWS signed by the hub. */
  readonly jws: string;
  /** Its payload, decoded. Version and expiry are for the receiver to judge. */
  readonly config: NetworkConfig;
}

/** What a handler of each kind receives, after every check. */
export interface GossipBodies {
  /** A member announcement. */
  member: Member;
  /** A catalogue-change notice. */
  catalogue: CatalogueNotice;
  /** A revocation. */
  revocation: RevocationNotice;
  /** A network configuration. */
  config: ConfigNotice;
}

/**
 * Why a gossip message was dropped.
 *
 * - `malformed`: not a gossip JWS (shape, `alg`, `typ`, header keys, size, claims).
 * - `unknown-signer`: the issuer, or its key, is not known (yet): the network configuration
 *   does not list it.
 * - `bad-signature`: the signature does not verify (a tampered message).
 * - `too-old`: older than the maximum age; `not-yet-valid`: dated in the future.
 * - `wrong-topic`: written for another topic, or its `type` does not match the topic.
 * - `replayed`: the same issuer and `jti` were accepted before.
 * - `not-allowed`: the signer may not say this (see `readGossipBody`).
 * - `invalid-body`: the body is not what its kind requires.
 */
export type GossipRejectReason =
  | "malformed"
  | "unknown-signer"
  | "bad-signature"
  | "too-old"
  | "not-yet-valid"
  | "wrong-topic"
  | "replayed"
  | "not-allowed"
  | "invalid-body";

/** Every reject reason. */
export const GOSSIP_REJECT_REASONS: readonly GossipRejectReason[] = [
  "malformed",
  "unknown-signer",
  "bad-signature",
  "too-old",
  "not-yet-valid",
  "wrong-topic",
  "replayed",
  "not-allowed",
  "invalid-body",
];

/** A gossip message refused for a {@link GossipRejectReason}. */
export class GossipRejection extends Error {
  override readonly name = "GossipRejection";
  /** Why. */
  readonly reason: GossipRejectReason;

  constructor(reason: GossipRejectReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

/**
 * Returns the reject reason of an error thrown while checking a gossip message: a
 * {@link GossipRejection}'s own reason, or the reason an `IpfedError` code of `verifyGossip`
 * stands for; anything else is `malformed`.
 *
 * @example
 * ```ts
 * rejectReasonOf(new IpfedError("TOKEN_SIGNATURE_INVALID", "...")); // "bad-signature"
 * ```
 */
export function rejectReasonOf(err: unknown): GossipRejectReason {
  if (err instanceof GossipRejection) return err.reason;
  if (!(err instanceof IpfedError)) return "malformed";
  switch (err.code) {
    case "TOKEN_ISSUER_UNKNOWN":
    case "TOKEN_KEY_UNKNOWN":
      return "unknown-signer";
    case "TOKEN_SIGNATURE_INVALID":
      return "bad-signature";
    case "TOKEN_EXPIRED":
      return "too-old";
    case "TOKEN_NOT_YET_VALID":
      return "not-yet-valid";
    case "TOKEN_CLAIM_INVALID":
      return err.field === "topic" ? "wrong-topic" : "malformed";
    default:
      return "malformed";
  }
}
