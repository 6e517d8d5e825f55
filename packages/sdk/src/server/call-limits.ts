import { Tier } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import type { Caller } from "../auth/caller.js";

/**
 * A token bucket: `perSecond` calls on average, up to `burst` at once.
 *
 * @example
 * ```ts
 * const publicRate: RateLimit = { perSecond: 20, burst: 40 }; // 20 calls/s sustained, 40 at once
 * ```
 */
export interface RateLimit {
  /** Calls per second, sustained. */
  readonly perSecond: number;
  /** Calls that may arrive at once after a quiet spell (the bucket's size). */
  readonly burst: number;
}

/**
 * Limits per caller, by tier; every field optional (defaults in {@link DEFAULT_CALL_LIMITS}).
 *
 * @example
 * ```ts
 * const options: CallLimitsOptions = { rate: { public: { perSecond: 5, burst: 10 } }, maxStreamsPerCaller: 4 };
 * const limiter = new CallLimiter(options);
 * ```
 */
export interface CallLimitsOptions {
  /** Rate per caller, by the caller's tier. */
  readonly rate?: {
    /** For PUBLIC callers, anonymous ones included (one bucket per address). */
    readonly public?: RateLimit;
    /** For REGISTERED callers. */
    readonly registered?: RateLimit;
    /** For RESTRICTED callers. */
    readonly restricted?: RateLimit;
    /** For CONFIDENTIAL callers. */
    readonly confidential?: RateLimit;
    /**
     * Calls a member makes on behalf of its callers (tokens with an `act` chain): one bucket
     * per acting member, not per end user, so a hub's fan-out is limited as the hub.
     */
    readonly federated?: RateLimit;
  };
  /** Server streams (search, export, watch) one caller may hold open at once. */
  readonly maxStreamsPerCaller?: number;
  /**
   * Server streams one member may hold open on behalf of its callers (delegated calls: a
   * hub's federated searches for all of its users at once).
   */
  readonly maxStreamsPerMember?: number;
  /** Callers remembered at once; idle full buckets are forgotten first. @defaultValue 100000 */
  readonly maxTrackedCallers?: number;
}

/**
 * The limits a member applies when it is not told otherwise.
 *
 * @example
 * ```ts
 * DEFAULT_CALL_LIMITS.rate.public; // { perSecond: 20, burst: 40 }
 * DEFAULT_CALL_LIMITS.maxStreamsPerCaller; // 16
 * ```
 */
export const DEFAULT_CALL_LIMITS = {
  rate: {
    public: { perSecond: 20, burst: 40 },
    registered: { perSecond: 50, burst: 100 },
    restricted: { perSecond: 100, burst: 200 },
    confidential: { perSecond: 200, burst: 400 },
    federated: { perSecond: 500, burst: 1000 },
  },
  maxStreamsPerCaller: 16,
  maxStreamsPerMember: 512,
  maxTrackedCallers: 100_000,
} as const;

/**
 * What {@link CallLimiter.admit} hands back for an admitted call: release it when the call ends.
 *
 * @example
 * ```ts
 * const slot: Admission = limiter.admit(caller, peer, { stream: true });
 * try {
 *   // ... serve the stream
 * } finally {
 *   slot.release();
 * }
 * ```
 */
export interface Admission {
  /** Frees the caller's stream slot, if the call held one; idempotent. */
  release(): void;
}

interface Bucket {
  tokens: number;
  at: number;
  streams: number;
}

const NO_SLOT: Admission = { release() {} };

/**
 * Per-caller limits of a member: a token bucket per caller (its rate set by the caller's
 * tier; anonymous callers are told apart by address, delegated calls by the acting member)
 * and a cap on the server streams one caller holds open. A refused call is `RATE_LIMITED`
 * with a retry hint (`retryAfterMs`, sent as the `retry-after-ms` trailer) or
 * `TOO_MANY_STREAMS`, both gRPC `RESOURCE_EXHAUSTED`.
 *
 * @example
 * ```ts
 * const limiter = new CallLimiter({ rate: { public: { perSecond: 5, burst: 10 } } });
 * const slot = limiter.admit(caller, "ipv4:203.0.113.7:51234", { stream: true });
 * try { await serve(); } finally { slot.release(); }
 * ```
 */
export class CallLimiter {
  readonly #rates: Readonly<Record<"public" | "registered" | "restricted" | "confidential" | "federated", RateLimit>>;
  readonly #maxStreams: number;
  readonly #maxMemberStreams: number;
  readonly #maxTracked: number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  /** Creates a limiter; `options` override {@link DEFAULT_CALL_LIMITS} field by field, `now` is for tests. */
  constructor(options: CallLimitsOptions = {}, now: () => number = () => performance.now()) {
    const r = options.rate ?? {};
    const d = DEFAULT_CALL_LIMITS.rate;
    this.#rates = {
      public: check("public", r.public ?? d.public),
      registered: check("registered", r.registered ?? d.registered),
      restricted: check("restricted", r.restricted ?? d.restricted),
      confidential: check("confidential", r.confidential ?? d.confidential),
      federated: check("federated", r.federated ?? d.federated),
    };
    this.#maxStreams = options.maxStreamsPerCaller ?? DEFAULT_CALL_LIMITS.maxStreamsPerCaller;
    if (!(this.#maxStreams >= 1)) throw new IpfedError("CONFIG_INVALID", "limits.maxStreamsPerCaller must be at least 1", { field: "limits.maxStreamsPerCaller" });
    this.#maxMemberStreams = options.maxStreamsPerMember ?? DEFAULT_CALL_LIMITS.maxStreamsPerMember;
    if (!(this.#maxMemberStreams >= 1)) throw new IpfedError("CONFIG_INVALID", "limits.maxStreamsPerMember must be at least 1", { field: "limits.maxStreamsPerMember" });
    this.#maxTracked = options.maxTrackedCallers ?? DEFAULT_CALL_LIMITS.maxTrackedCallers;
    this.#now = now;
  }

  /**
   * Admits one call, or throws. `peer` is the transport address (`ipv4:1.2.3.4:5678`), which
   * tells anonymous callers apart.
   *
   * @throws IpfedError `RATE_LIMITED` (with `retryAfterMs`) or `TOO_MANY_STREAMS`.
   */
  admit(caller: Caller, peer: string, o: { stream?: boolean } = {}): Admission {
    const { key, limit, who } = this.#classify(caller, peer);
    const now = this.#now();
    let b = this.#buckets.get(key);
    if (!b) {
      if (this.#buckets.size >= this.#maxTracked) this.#evict(now);
      b = { tokens: limit.burst, at: now, streams: 0 };
      this.#buckets.set(key, b);
    } else {
      b.tokens = Math.min(limit.burst, b.tokens + ((now - b.at) / 1000) * limit.perSecond);
      b.at = now;
    }
    if (b.tokens < 1) {
      const retryAfterMs = Math.max(1, Math.ceil(((1 - b.tokens) / limit.perSecond) * 1000));
      throw new IpfedError("RATE_LIMITED", `${who} is over its rate of ${limit.perSecond} calls/s (burst ${limit.burst}); retry in ${retryAfterMs} ms`, { retryAfterMs });
    }
    const maxStreams = caller.act ? this.#maxMemberStreams : this.#maxStreams;
    if (o.stream && b.streams >= maxStreams) {
      throw new IpfedError("TOO_MANY_STREAMS", `${who} already holds ${b.streams} open streams, the most one caller may; finish or cancel one first`, { retryAfterMs: 1000 });
    }
    b.tokens -= 1;
    if (!o.stream) return NO_SLOT;
    b.streams += 1;
    const bucket = b;
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        bucket.streams -= 1;
      },
    };
  }

  /** Callers currently remembered (for metrics and tests). */
  get trackedCallers(): number {
    return this.#buckets.size;
  }

  #classify(caller: Caller, peer: string): { key: string; limit: RateLimit; who: string } {
    if (caller.act) {
      const actor = caller.act.sub;
      return { key: `act:${actor}`, limit: this.#rates.federated, who: `member ${actor} (acting for its callers)` };
    }
    if (caller.anonymous) {
      const host = hostOf(peer);
      return { key: `anon:${host}`, limit: this.#rates.public, who: `the anonymous caller at ${host}` };
    }
    const limit =
      caller.tier >= Tier.TIER_CONFIDENTIAL
        ? this.#rates.confidential
        : caller.tier >= Tier.TIER_RESTRICTED
          ? this.#rates.restricted
          : caller.tier >= Tier.TIER_REGISTERED
            ? this.#rates.registered
            : this.#rates.public;
    return { key: `sub:${caller.issuer}/${caller.subject}`, limit, who: `subject ${caller.subject} (of ${caller.issuer})` };
  }

  /** Forgets callers that are idle (no open stream, bucket refilled); the oldest first when none is. */
  #evict(now: number): void {
    for (const [key, b] of this.#buckets) {
      if (b.streams === 0 && now - b.at > 60_000) this.#buckets.delete(key);
    }
    if (this.#buckets.size < this.#maxTracked) return;
    for (const [key, b] of this.#buckets) {
      if (b.streams > 0) continue;
      this.#buckets.delete(key);
      if (this.#buckets.size < this.#maxTracked * 0.9) break;
    }
  }
}

function check(name: string, l: RateLimit): RateLimit {
  if (!(l.perSecond > 0) || !(l.burst >= 1)) {
    throw new IpfedError("CONFIG_INVALID", `limits.rate.${name} needs perSecond > 0 and burst >= 1`, { field: `limits.rate.${name}` });
  }
  return l;
}

/** `ipv4:1.2.3.4:5678` → `1.2.3.4`; `ipv6:[::1]:5678` → `::1`. */
function hostOf(peer: string): string {
  const p = peer.replace(/^ipv[46]:/, "");
  const m = /^\[(.*)\](?::\d+)?$/.exec(p);
  if (m) return m[1]!;
  const i = p.lastIndexOf(":");
  return i > 0 && p.indexOf(":") === i ? p.slice(0, i) : p;
}
