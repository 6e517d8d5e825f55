import { createHash } from "node:crypto";
import { IpfedError } from "../errors/ipfed-error.js";
import { DEFAULT_MAX_TOKEN_BYTES, effectiveClockSkew, verifyToken } from "./verify-token.js";
import type { VerifiedToken, VerifyTokenOptions } from "./verify-token.js";

/**
 * Options of {@link createCachedVerifier}: the verifier's own, plus the cache's.
 *
 * @example
 * ```ts
 * const options: CachedVerifierOptions = { keys, audience: ["ipfed"], maxEntries: 10_000, version: () => networkConfigVersion };
 * const verifier = createCachedVerifier(options);
 * ```
 */
export interface CachedVerifierOptions extends VerifyTokenOptions {
  /**
   * Most tokens remembered; beyond it, the oldest entry not used lately is dropped.
   * @defaultValue 10000
   */
  readonly maxEntries?: number;
  /**
   * Returns a value that changes whenever anything a verification depends on changes: the
   * revocation list, issuers, their keys or tier allowances (a network-configuration serial
   * and a revocation counter, say). Results remembered under another version are checked
   * again from scratch.
   * @defaultValue results stay valid until the token expires (revocation is still checked)
   */
  readonly version?: () => string | number;
}

/**
 * A token verifier that remembers successful verifications.
 *
 * @example
 * ```ts
 * const verifier: CachedVerifier = createCachedVerifier({ keys, audience: ["scu-tisc", "ipfed"] });
 * const { caller } = await verifier.verify(token); // a second call with the same token is answered from memory
 * ```
 */
export interface CachedVerifier {
  /**
   * Verifies a token as {@link verifyToken} does, answering from memory when the same token
   * was verified before, is not yet expired, is not revoked, and `version` has not changed.
   * Results are shared between calls and frozen.
   */
  verify(token: string): Promise<VerifiedToken>;
  /** Forgets every remembered token. */
  clear(): void;
  /** Number of tokens remembered. */
  readonly size: number;
}

/**
 * Creates a verifier that remembers the tokens it has verified, so that a client repeating
 * the same token pays for one signature check, not one per call.
 *
 * Entries are keyed by the SHA-256 of the token, so the cache never holds bearer tokens
 * themselves. An entry serves until the token expires (with the same clock skew the verifier
 * allows), and only while `version()` returns what it returned when the entry was made.
 * `isRevoked` is asked again on every hit, since a revocation must bite at once even when no
 * version hook is wired. Failures are not remembered: a bad token is checked again each time.
 *
 * @example
 * ```ts
 * const verifier = createCachedVerifier({
 *   keys: resolver,
 *   audience: [memberId, networkId],
 *   isRevoked: (jti, iss) => revocations.has(iss, jti),
 *   version: () => `${network.serial}/${revocations.version}`,
 * });
 * const { caller } = await verifier.verify(token);
 * ```
 */
export function createCachedVerifier(options: CachedVerifierOptions): CachedVerifier {
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new IpfedError("INVALID_ARGUMENT", "maxEntries must be a positive integer", { field: "maxEntries" });
  }
  const skew = effectiveClockSkew(options.clockSkewSeconds);
  const maxBytes = options.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES;
  const entries = new Map<string, Entry>();

  async function verify(token: string): Promise<VerifiedToken> {
    // Oversized input goes straight to the verifier's refusal, without being hashed.
    if (typeof token !== "string" || token.length > maxBytes) return verifyToken(token, options);
    const version = options.version?.();
    const digest = createHash("sha256").update(token).digest("base64");
    const entry = entries.get(digest);
    if (entry !== undefined) {
      const nowMs = options.now === undefined ? Date.now() : options.now().getTime();
      const { caller } = entry.result;
      if (
        entry.version === version &&
        Math.floor(nowMs / 1000) < caller.expiresAt + skew &&
        !(options.isRevoked !== undefined && (await options.isRevoked(caller.tokenId, caller.issuer)))
      ) {
        entry.used = true;
        return entry.result;
      }
      // Anything doubtful is checked from scratch, which also yields the right error.
      entries.delete(digest);
    }
    const result = await verifyToken(token, options);
    entries.set(digest, { result, version, used: false });
    if (entries.size > maxEntries) evictOne();
    return result;
  }

  /**
   * Drops one entry, oldest first, but gives entries used since they were last looked at a
   * second chance (CLOCK): nearly LRU, without touching the map on hits. Moving an entry on
   * every hit (delete + set) is what an exact LRU would do, but repeated delete + set of one
   * key leaves tombstones in one V8 hash bucket and made a hot token ~50 times slower.
   */
  function evictOne(): void {
    for (const [digest, entry] of entries) {
      entries.delete(digest);
      if (!entry.used) return;
      entry.used = false;
      entries.set(digest, entry);
    }
  }

  return {
    verify,
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}

interface Entry {
  readonly result: VerifiedToken;
  /** `version()` as read before the verification started, so a change during it is not missed. */
  readonly version: string | number | undefined;
  /** Served since eviction last passed over it. */
  used: boolean;
}
