import type { Tier } from "@ipfed/proto";

/**
 * A permission a token grants.
 *
 * @example
 * ```ts
 * const scopes: ScopeName[] = ["search", "read"];
 * ```
 */
export type ScopeName = "search" | "read" | "export" | "publish" | "admin";

/**
 * Every scope, in order.
 *
 * @example
 * ```ts
 * SCOPE_NAMES; // ["search", "read", "export", "publish", "admin"]
 * ```
 */
export const SCOPE_NAMES: readonly ScopeName[] = ["search", "read", "export", "publish", "admin"];

/**
 * One link of an RFC 8693 `act` chain: who acted, and for whom before them.
 *
 * @example
 * ```ts
 * // sc-regional searched scu-tisc for alice: the derived token's `act` names the actor
 * const act: ActorChain = { sub: "sc-regional", iss: "sc-regional" };
 * actChainToList(act); // ["sc-regional"]
 * ```
 */
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
 *
 * @example
 * ```ts
 * const { caller } = await verifyToken(token, options);
 * if (caller.anonymous || !caller.scopes.has("export")) throw new IpfedError("SCOPE_MISSING", "export needs the export scope");
 * ```
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
