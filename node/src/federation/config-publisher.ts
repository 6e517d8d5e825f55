import type { Member, NetworkConfig } from "@ipfed/proto";
import { IpfedError, networkIssuers, signNetworkConfig, verifyNetworkConfig } from "@ipfed/sdk";
import type { IssuerKeys, MemberKey, NetworkIssuers } from "@ipfed/sdk";
import { Mutex } from "../store/mutex.js";
import type { MemberRegistry } from "./member-registry.js";
import { ChangeListeners, SILENT_LOGGER, configState } from "./network-trust.js";
import type { FederationLogger, NetworkConfigState, NetworkTrustSource } from "./network-trust.js";

/** Dependencies and settings of a {@link ConfigPublisher}. */
export interface ConfigPublisherInit {
  /** The hub's registry. */
  readonly registry: MemberRegistry;
  /** Network id. */
  readonly networkId: string;
  /** The hub's own entry (identity, endpoints, keys, tier cap), read before every signing. */
  readonly self: () => Member;
  /** The hub's keys, the active one first, with their private parts. */
  readonly keys: () => readonly MemberKey[];
  /** Lifetime of each signed configuration, seconds. @defaultValue 86400 */
  readonly ttlSeconds?: number;
  /** Grace after expiry, seconds. @defaultValue 3600 */
  readonly graceSeconds?: number;
  /** How often to check whether to re-sign, ms. @defaultValue 30000 */
  readonly checkIntervalMs?: number;
  /** The clock. @defaultValue `() => new Date()` */
  readonly now?: () => Date;
  /** Logger. @defaultValue silent */
  readonly logger?: FederationLogger;
}

/** A signed network configuration, as the hub serves it. */
export interface PublishedConfig {
  /** The configuration. */
  readonly config: NetworkConfig;
  /** Its compact JWS. */
  readonly signed: string;
  /** The key that signed it. */
  readonly kid: string;
}

/**
 * The hub's side of the network configuration: builds it from the registry and signs it
 * whenever the registry changes, the hub's own entry changes (a key rotation), or half its
 * lifetime has passed; every signing is a new version, so members order configurations by
 * version alone. It is also the hub's {@link NetworkTrustSource}: the hub verifies members'
 * tokens (heartbeats) against the configuration it publishes.
 *
 * After a key rotation the hub keeps signing with the previous key for as long as that key
 * is in its key ring: the configurations it signs meanwhile list the new key, so members
 * learn it from a signer they already trust before it starts signing.
 *
 * @example
 * ```ts
 * const publisher = new ConfigPublisher({ registry, networkId, self: () => selfMember(identity, {...}), keys: () => trust.keys() });
 * await publisher.start();
 * const { signed } = await publisher.latest();
 * ```
 */
export class ConfigPublisher implements NetworkTrustSource {
  readonly #init: ConfigPublisherInit;
  readonly #now: () => Date;
  readonly #ttl: number;
  readonly #lock = new Mutex();
  readonly #listeners = new ChangeListeners();
  #current: (PublishedConfig & { readonly network: NetworkIssuers }) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(init: ConfigPublisherInit) {
    this.#init = init;
    this.#now = init.now ?? (() => new Date());
    this.#ttl = init.ttlSeconds ?? 86_400;
  }

  /** Takes up the configuration kept in the store, signs a new one if needed, and watches the registry. Idempotent. */
  async start(): Promise<void> {
    if (this.#unsubscribe) return;
    const log = this.#init.logger ?? SILENT_LOGGER;
    const fail = (err: unknown): void => log.error({ err }, "could not sign the network configuration");
    this.#unsubscribe = this.#init.registry.onChange(() => void this.latest().catch(fail));
    const kept = await this.#init.registry.loadSigned();
    if (kept !== undefined) {
      try {
        const v = await verifyNetworkConfig(kept, { hubKeys: this.#init.keys().map((k) => k.publicJwk), now: this.#now() });
        this.#current = { config: v.config, signed: kept, kid: v.kid, network: networkIssuers(v.config) };
      } catch (err) {
        // Signed by a key that has since left the ring, say: sign afresh rather than serve it.
        log.warn({ err }, "the kept network configuration does not verify with the hub's keys; signing a new one");
      }
    }
    await this.latest();
    this.#timer = setInterval(() => void this.latest().catch(fail), this.#init.checkIntervalMs ?? 30_000);
    this.#timer.unref();
  }

  /** Stops watching. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Returns the current signed configuration, signing a new version first when anything changed or half its lifetime is gone. */
  latest(): Promise<PublishedConfig> {
    return this.#lock.run(async () => {
      const { registry } = this.#init;
      await registry.upsertSelf(this.#init.self());
      const cur = this.#current;
      const now = this.#now();
      const keys = this.#init.keys();
      const signer = keys.find((k) => k.kid === cur?.kid) ?? keys[0];
      if (!signer) throw new IpfedError("CONFIG_INVALID", "the hub has no key to sign the network configuration with");
      const halfLife = Date.parse(cur?.config.issuedTime ?? "") + (this.#ttl * 1000) / 2;
      if (cur && cur.config.version === registry.version && cur.kid === signer.kid && now.getTime() < halfLife) return cur;
      // Nothing changed but the clock: the re-signed configuration is a new version all the same.
      if (cur && cur.config.version === registry.version) await registry.bumpVersion();
      const config = await registry.buildNetworkConfig({
        networkId: this.#init.networkId,
        ttlSeconds: this.#ttl,
        ...(this.#init.graceSeconds !== undefined ? { graceSeconds: this.#init.graceSeconds } : {}),
      });
      const signed = await signNetworkConfig(config, signer);
      await registry.saveSigned(signed);
      this.#current = { config, signed, kid: signer.kid, network: networkIssuers(config) };
      (this.#init.logger ?? SILENT_LOGGER).info({ version: config.version, members: config.members.length, kid: signer.kid }, "signed the network configuration");
      this.#listeners.emit();
      return this.#current;
    });
  }

  /** The configuration signed last, if any. */
  current(): PublishedConfig | undefined {
    return this.#current;
  }

  /** @inheritDoc */
  issuers(): ReadonlyMap<string, IssuerKeys> {
    return this.#current && this.state() !== "past-grace" ? this.#current.network.issuers : new Map();
  }

  /** @inheritDoc */
  revoked(jti: string, issuer: string): boolean {
    return this.#current?.network.isRevoked(jti, issuer) ?? false;
  }

  /** @inheritDoc */
  state(): NetworkConfigState {
    return configState(this.#current?.config, this.#now());
  }

  /** @inheritDoc */
  trustVersion(): string {
    return `${this.#current?.config.version ?? 0}/${this.state()}`;
  }

  /** @inheritDoc */
  onChange(listener: () => void): () => void {
    return this.#listeners.add(listener);
  }
}
