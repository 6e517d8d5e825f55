import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Metadata } from "@grpc/grpc-js";
import { Tier } from "@ipfed/proto";
import { IpfedError, createCachedVerifier, createStaticKeyResolver, tierFromName } from "@ipfed/sdk";
import type { Caller, CachedVerifier, IssuerKeys, MemberKey, ScopeName } from "@ipfed/sdk";
import type { JWK } from "jose";
import { CONFIG_FILE, loadConfig } from "../config/node-config.js";
import type { NodeConfig } from "../config/node-config.js";
import { KEYS_FILE, loadKeyRing } from "../config/key-store.js";
import type { KeyRing } from "../config/key-store.js";
import { RevocationList } from "./revocations.js";
import type { NetworkTrustSource } from "../federation/network-trust.js";

/** Defaults of the `trust` section of ipfed.json. */
export const TRUST_DEFAULTS = {
  anonymousEnabled: true,
  anonymousScopes: ["search", "read"] as readonly ScopeName[],
  selfMaxTier: "confidential",
  clockSkewSeconds: 60,
  maxTokenTtlSeconds: 24 * 3600,
} as const;

const BEARER = /^Bearer ([A-Za-z0-9_\-.=]+)$/i;

/**
 * Everything a node decides about callers: its keys (rotation takes effect at once), the
 * issuers it trusts and their tier caps, the revocation list, and the anonymous policy. It
 * re-reads `ipfed.json`, `keys.json` and `revocations.json` when they change, so CLI commands
 * (`token revoke`, `node rotate-key`) reach a running node within a second.
 */
export class NodeTrust {
  readonly #dir: string;
  #config: NodeConfig;
  #ring: KeyRing;
  readonly #revocations: RevocationList;
  #verifier: CachedVerifier | undefined;
  #serial = 0;
  #mtimes = "";
  #timer: NodeJS.Timeout | undefined;
  #network: NetworkTrustSource | undefined;
  #unsubscribe: (() => void) | undefined;

  private constructor(dir: string, config: NodeConfig, ring: KeyRing) {
    this.#dir = dir;
    this.#config = config;
    this.#ring = ring;
    this.#revocations = new RevocationList(dir);
  }

  /** Loads the trust state of the node in `dir`. */
  static async load(dir: string): Promise<NodeTrust> {
    const t = new NodeTrust(dir, await loadConfig(dir), await loadKeyRing(dir));
    await t.#revocations.refresh();
    t.#mtimes = await t.#fileTimes();
    return t;
  }

  /** The node's configuration as last read. */
  get config(): NodeConfig {
    return this.#config;
  }

  /** The node's keys, the signing key first, without keys retired longer ago than the longest token lifetime. */
  keys(now = Date.now()): MemberKey[] {
    const ttl = (this.#config.trust?.maxTokenTtlSeconds ?? TRUST_DEFAULTS.maxTokenTtlSeconds) * 1000;
    const ring = this.#ring;
    return ring.keys
      .filter((k) => !k.retiredAt || Date.parse(k.retiredAt) + ttl > now)
      .sort((a, b) => (a.kid === ring.active ? -1 : b.kid === ring.active ? 1 : 0));
  }

  /** The key that signs. */
  signingKey(): MemberKey {
    const k = this.#ring.keys.find((x) => x.kid === this.#ring.active);
    if (!k) throw new IpfedError("CONFIG_INVALID", "the active key is missing from keys.json");
    return k;
  }

  /**
   * Makes the signed network configuration a source of trust: every member it lists is a
   * known issuer, with the keys and tier cap the hub signed, and its revocations apply. A
   * local `trust.issuers` entry can lower an issuer's cap, never raise it; this node's own
   * tokens are capped by its allowance in the configuration too.
   */
  useNetwork(source: NetworkTrustSource): void {
    this.#unsubscribe?.();
    this.#network = source;
    this.#unsubscribe = source.onChange(() => {
      this.#verifier = this.#makeVerifier();
    });
    this.#verifier = this.#makeVerifier();
  }

  /** The highest tier this node's own tokens may grant. */
  selfMaxTier(): Tier {
    const local = tierFromName(this.#config.trust?.selfMaxTier ?? TRUST_DEFAULTS.selfMaxTier) ?? Tier.TIER_CONFIDENTIAL;
    const granted = this.#network?.issuers().get(this.#config.id)?.maxTier;
    return granted !== undefined && granted < local ? granted : local;
  }

  #issuers(): Map<string, IssuerKeys> {
    const out = new Map<string, IssuerKeys>(this.#network?.issuers() ?? []);
    for (const [id, iss] of Object.entries(this.#config.trust?.issuers ?? {})) {
      const local = { keys: iss.keys as JWK[], maxTier: tierFromName(iss.maxTier) ?? Tier.TIER_PUBLIC };
      const net = out.get(id);
      out.set(id, net ? { keys: net.keys, maxTier: Math.min(net.maxTier, local.maxTier) as Tier } : local);
    }
    out.set(this.#config.id, { keys: this.keys().map((k) => k.publicJwk), maxTier: this.selfMaxTier() });
    return out;
  }

  #makeVerifier(): CachedVerifier {
    const serial = ++this.#serial;
    return createCachedVerifier({
      keys: createStaticKeyResolver(this.#issuers()),
      audience: [this.#config.id, this.#config.networkId],
      isRevoked: (jti, issuer) => this.#revocations.has(jti, issuer) || (this.#network?.revoked(jti, issuer) ?? false),
      clockSkewSeconds: this.#config.trust?.clockSkewSeconds ?? TRUST_DEFAULTS.clockSkewSeconds,
      version: () => `${serial}/${this.#revocations.version}/${this.#network?.trustVersion() ?? ""}`,
    });
  }

  /** Verifies a token against this node's trust state. */
  verify(token: string) {
    this.#verifier ??= this.#makeVerifier();
    return this.#verifier.verify(token);
  }

  /**
   * Establishes the caller of a call from its `authorization` metadata: a verified token, or
   * the anonymous caller when there is none and the node allows anonymous callers.
   */
  async authenticate(metadata: Metadata): Promise<Caller> {
    const values = metadata.get("authorization");
    if (values.length === 0) {
      const a = this.#config.trust?.anonymous;
      if (a?.enabled === false) throw new IpfedError("ANONYMOUS_NOT_ALLOWED", "this member does not serve anonymous callers; send a token (authorization: Bearer ...)");
      return {
        anonymous: true,
        subject: "anonymous",
        issuer: "",
        tier: Tier.TIER_PUBLIC,
        scopes: new Set((a?.scopes as ScopeName[] | undefined) ?? TRUST_DEFAULTS.anonymousScopes),
        tokenId: "",
        expiresAt: 0,
      };
    }
    if (values.length > 1) throw new IpfedError("TOKEN_MALFORMED", "the call carries more than one authorization header");
    const value = values[0];
    const m = typeof value === "string" ? BEARER.exec(value.trim()) : null;
    if (!m) throw new IpfedError("TOKEN_MALFORMED", 'the authorization header must be "Bearer <token>"');
    try {
      return (await this.verify(m[1]!)).caller;
    } catch (err) {
      // Past its grace period the network configuration no longer vouches for anyone: say so,
      // rather than calling every other member unknown. Own tokens keep working.
      if (IpfedError.is(err, "TOKEN_ISSUER_UNKNOWN") && this.#network?.state() === "past-grace") {
        throw new IpfedError("NETWORK_CONFIG_EXPIRED", "the network configuration has expired past its grace period; tokens of other members are refused until it is renewed");
      }
      throw err;
    }
  }

  async #fileTimes(): Promise<string> {
    const times = await Promise.all(
      [CONFIG_FILE, KEYS_FILE].map((f) =>
        stat(join(this.#dir, f)).then(
          (s) => s.mtimeMs,
          () => 0,
        ),
      ),
    );
    return times.join("/");
  }

  /** Re-reads whatever changed on disk. */
  async refresh(): Promise<void> {
    await this.#revocations.refresh();
    const times = await this.#fileTimes();
    if (times === this.#mtimes) return;
    this.#mtimes = times;
    this.#config = await loadConfig(this.#dir);
    this.#ring = await loadKeyRing(this.#dir);
    this.#verifier = this.#makeVerifier();
  }

  /** Re-reads changed files every `intervalMs` until {@link stop}. */
  watch(intervalMs = 1000): void {
    this.#timer ??= setInterval(() => void this.refresh().catch(() => undefined), intervalMs);
    this.#timer.unref();
  }

  /** Stops watching. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }
}
