import type { JWK } from "jose";
import type { Member, MemberKey as ProtoMemberKey } from "@ipfed/proto";

/** Options of {@link GossipKeyBook}. */
export interface GossipKeyBookInit {
  /**
   * Members of the signed network configuration, with their keys.
   * @defaultValue none
   */
  readonly members?: readonly Member[];
  /**
   * Keys trusted before any configuration arrives, by member id: the hub's key pinned in the
   * node's own configuration, so that the first network configuration can be checked.
   * @defaultValue none
   */
  readonly pinned?: Readonly<Record<string, readonly JWK[]>>;
  /**
   * Returns the current time, for tests.
   * @defaultValue `() => new Date()`
   */
  readonly now?: () => Date;
}

/**
 * The members' public keys as the gossip layer trusts them: pinned keys, the keys the signed
 * network configuration lists, and keys learnt from member announcements the gossip layer
 * accepted (which it only accepts when signed with a key already trusted here). Give
 * {@link keyFor} and {@link issuerKnown} to `Gossip`.
 *
 * A key whose `not_after` has passed is no longer returned.
 *
 * @example
 * ```ts
 * const book = new GossipKeyBook({ members: config.members, pinned: { [hubId]: [hubJwk] } });
 * const gossip = new Gossip(host, { ..., keyFor: book.keyFor, issuerKnown: book.issuerKnown });
 * gossip.on("member", (member) => book.learn(member));
 * gossip.on("config", ({ config }) => book.setMembers(config.members));
 * ```
 */
export class GossipKeyBook {
  readonly #pinned = new Map<string, Map<string, Entry>>();
  #configured = new Map<string, Map<string, Entry>>();
  readonly #learnt = new Map<string, Map<string, Entry>>();
  readonly #now: () => Date;

  constructor(init: GossipKeyBookInit = {}) {
    this.#now = init.now ?? (() => new Date());
    for (const [id, jwks] of Object.entries(init.pinned ?? {})) {
      this.#pinned.set(id, new Map(jwks.filter((k) => typeof k.kid === "string").map((k) => [k.kid!, { jwk: publicPart(k) }])));
    }
    this.setMembers(init.members ?? []);
  }

  /** Replaces the configured members (from a newly verified network configuration). */
  setMembers(members: readonly Member[]): void {
    const table = new Map<string, Map<string, Entry>>();
    for (const m of members) table.set(m.id, entriesOf(m.keys));
    this.#configured = table;
  }

  /**
   * Adds the keys of a member announcement the gossip layer accepted. Keys learnt this way are
   * kept beside the configured ones; a later announcement of the same member replaces them.
   */
  learn(member: Member): void {
    this.#learnt.set(member.id, entriesOf(member.keys));
  }

  /** Returns a member's key by `kid`, or undefined. Bound: pass it around as is. */
  readonly keyFor = (issuer: string, kid: string): JWK | undefined => {
    const now = this.#now().getTime();
    for (const table of [this.#pinned, this.#configured, this.#learnt]) {
      const entry = table.get(issuer)?.get(kid);
      if (entry !== undefined && (entry.notAfter === undefined || entry.notAfter > now)) return entry.jwk;
    }
    return undefined;
  };

  /** Tells whether a member id is known at all. Bound: pass it around as is. */
  readonly issuerKnown = (issuer: string): boolean =>
    this.#pinned.has(issuer) || this.#configured.has(issuer) || this.#learnt.has(issuer);
}

interface Entry {
  readonly jwk: JWK;
  readonly notAfter?: number;
}

function entriesOf(keys: readonly ProtoMemberKey[]): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const k of keys) {
    if (k.kid === "" || k.x === "" || (k.alg !== "" && k.alg !== "EdDSA") || (k.crv !== "" && k.crv !== "Ed25519")) continue;
    const notAfter = k.notAfter === undefined ? undefined : Date.parse(k.notAfter);
    // An unreadable not_after fails closed: the key is not trusted at all.
    if (notAfter !== undefined && Number.isNaN(notAfter)) continue;
    const jwk: JWK = { kty: "OKP", crv: "Ed25519", x: k.x, kid: k.kid, alg: "EdDSA", use: "sig" };
    out.set(k.kid, notAfter === undefined ? { jwk } : { jwk, notAfter });
  }
  return out;
}

function publicPart(jwk: JWK): JWK {
  // Never keep private material, even if a private JWK was passed by mistake.
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid: jwk.kid, alg: "EdDSA", use: "sig" } as JWK;
}
