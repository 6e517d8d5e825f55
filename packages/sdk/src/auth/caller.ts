import type { Tier } from "@ipfed/proto";

/** A permission a token grants. */
export type ScopeName = "search" | "read" | "export" | "publish" | "admin";

/** Every scope, in order. */
export const SCOPE_NAMES: readonly ScopeName[] = ["search", "read", "export", "publish", "admin"];

/** One link of an RFC 8693 `act` chain: who acted, and for whom before them. */
export interface ActorChain {
  /** The acting party (a member id for federated calls). */
  readonly sub: string;
  /** The issuer that vouches for the actor, when known. */
  readonly iss?: string;
  /** The actor before this one. */
  readonly act?: ActorChain;
}

/**
 * Who is calling, as established by the server's token check: what every handler, the
 * redaction and the audit log see. Anonymous callers have `anonymous: true`, PUBLIC tier and
 * the scopes the member grants to anonymous callers.
 */
export interface Caller {
  /** True when the call carried no token. */
  readonly anonymous: boolean;
  /** Token subject (`sub`); `anonymous` for anonymous callers. */
  readonly subject: string;
  /** Token issuer (`iss`); empty for anonymous callers. */
  readonly issuer: string;
  /** Clearance. */
  readonly tier: Tier;
  /** Granted scopes. */
  readonly scopes: ReadonlySet<ScopeName>;
  /** Datasets the token is limited to; undefined means no limit. */
  readonly datasets?: ReadonlySet<string>;
  /** The delegation chain, for federated calls. */
  readonly act?: ActorChain;
  /** Token id (`jti`); empty for anonymous callers. */
  readonly tokenId: string;
  /** Token expiry, seconds since the epoch; 0 for anonymous callers. */
  readonly expiresAt: number;
}
