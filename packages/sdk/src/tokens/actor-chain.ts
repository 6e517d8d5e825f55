import type { ActorChain } from "../auth/caller.js";

/**
 * Lists the actors of an RFC 8693 `act` chain, outermost (latest) first: the shape the audit
 * log stores (`AuditEvent.act`).
 *
 * @example
 * ```ts
 * actChainToList({ sub: "sc-regional", act: { sub: "hub" } }); // ["sc-regional", "hub"]
 * actChainToList(undefined); // []
 * ```
 */
export function actChainToList(act: ActorChain | undefined): string[] {
  const actors: string[] = [];
  // A loop, not recursion: chains come from tokens, and the verifier's depth cap is the only
  // thing between a crafted chain and the stack.
  for (let link = act; link !== undefined; link = link.act) actors.push(link.sub);
  return actors;
}

/**
 * Returns the chain with one more actor outermost: `actor` now acts for whoever acted before.
 * Used when a member passes a call on, so the downstream member sees the whole path.
 *
 * @example
 * ```ts
 * withActor(undefined, "sc-chengdu-tisc", "sc-chengdu-tisc"); // { sub: "sc-chengdu-tisc", iss: "sc-chengdu-tisc" }
 * withActor(chain, "hub"); // { sub: "hub", act: chain }
 * ```
 */
export function withActor(previous: ActorChain | undefined, actor: string, issuer?: string): ActorChain {
  return {
    sub: actor,
    ...(issuer !== undefined ? { iss: issuer } : {}),
    ...(previous !== undefined ? { act: previous } : {}),
  };
}
