import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { NetworkConfig } from "@ipfed/proto";
import { IpfedError, inspectNetworkConfig, networkIssuers, verifyNetworkConfig } from "@ipfed/sdk";
import type { IssuerKeys, NetworkIssuers } from "@ipfed/sdk";
import type { JWK } from "jose";
import { loadConfig, saveConfig } from "../config/node-config.js";
import { Mutex } from "../store/mutex.js";
import { connectHub } from "./hub-client.js";
import type { ChannelSecurity } from "@ipfed/sdk";
import type { HubClient } from "./hub-client.js";
import { ChangeListeners, SILENT_LOGGER, configState } from "./network-trust.js";
import type { FederationLogger, NetworkConfigState, NetworkTrustSource } from "./network-trust.js";

/** Name of the accepted configuration inside a node's data directory. */
export const NETWORK_CONFIG_FILE = "network-config.jws";

/** Dependencies and settings of a {@link NetworkConfigClient}. */
export interface NetworkConfigClientInit {
  /** The node's data directory, where {@link NETWORK_CONFIG_FILE} is kept. */
  readonly dir: string;
  /** The network id; configurations of another network are refused. */
  readonly networkId: string;
  /** The hub's address (`hub.address`); without it (and without `hub`) only offered configurations arrive. */
  readonly hubAddress?: string;
  /** The pinned hub key id (`hub.fingerprint`). @defaultValue trust on first use */
  readonly fingerprint?: string;
  /** Stores a new pin (on first use, and when the hub's signing key changes). @defaultValue writes `hub.fingerprint` into ipfed.json */
  readonly savePin?: (kid: string) => Promise<void>;
  /** TLS to the hub (see `hub.tls` in ipfed.json). @defaultValue plaintext */
  readonly hubSecurity?: ChannelSecurity;
  /** The hub connection. @defaultValue `connectHub(hubAddress)` */
  readonly hub?: HubClient;
  /** Logger. @defaultValue silent */
  readonly logger?: FederationLogger;
  /** The clock. @defaultValue `() => new Date()` */
  readonly now?: () => Date;
  /** First retry after a failed fetch, ms; doubles up to `maxRetryMs`. @defaultValue 5000 */
  readonly retryMs?: number;
  /** Longest retry delay, ms. @defaultValue 300000 */
  readonly maxRetryMs?: number;
  /** Longest wait between fetches while the configuration is fresh, ms. @defaultValue 3600000 */
  readonly maxRefreshMs?: number;
}

interface Accepted {
  readonly signed: string;
  readonly config: NetworkConfig;
  readonly hubKeys: readonly JWK[];
  readonly network: NetworkIssuers;
}

/**
 * A member's copy of the network configuration. It fetches the signed configuration from the
 * hub, verifies it against the hub's pinned key (trust on first use, with a warning, when no
 * fingerprint is configured), keeps the accepted one in `network-config.jws` so that it
 * survives restarts and hub outages, refreshes at half the remaining lifetime (and when a
 * heartbeat reports a newer version), takes newer configurations from other sources too
 * ({@link offer}), and never goes back to an older version.
 *
 * The hub's key can change: a configuration signed by a trusted key vouches for the hub keys
 * it lists, so the next one may be signed by any of them; the pin then follows.
 *
 * @example
 * ```ts
 * const network = new NetworkConfigClient({ dir, networkId: config.networkId, hubAddress: config.hub?.address, fingerprint: config.hub?.fingerprint });
 * await network.start();
 * network.issuers(); // for the token verifier
 * ```
 */
export class NetworkConfigClient implements NetworkTrustSource {
  readonly #init: NetworkConfigClientInit;
  readonly #now: () => Date;
  readonly #log: FederationLogger;
  readonly #lock = new Mutex();
  readonly #listeners = new ChangeListeners();
  readonly #file: string;
  #hub: HubClient | undefined;
  #pin: string | undefined;
  #current: Accepted | undefined;
  #started = false;
  #retry: number;
  #timer: NodeJS.Timeout | undefined;
  #stateTimers: NodeJS.Timeout[] = [];

  constructor(init: NetworkConfigClientInit) {
    this.#init = init;
    this.#now = init.now ?? (() => new Date());
    this.#log = init.logger ?? SILENT_LOGGER;
    this.#file = join(init.dir, NETWORK_CONFIG_FILE);
    this.#pin = init.fingerprint;
    this.#retry = init.retryMs ?? 5000;
    this.#hub = init.hub ?? (init.hubAddress ? connectHub(init.hubAddress, undefined, init.hubSecurity) : undefined);
  }

  /** Loads the kept configuration, then fetches from the hub and keeps refreshing. Never fails for an unreachable hub. Idempotent. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.load();
    if (!this.#hub) return;
    // With a kept configuration the node can serve at once; without one, wait for the hub.
    const first = this.#tick();
    if (!this.#current) await first;
  }

  /** Stops refreshing and closes the hub connection it opened. */
  stop(): void {
    this.#started = false;
    clearTimeout(this.#timer);
    for (const t of this.#stateTimers) clearTimeout(t);
    if (!this.#init.hub) this.#hub?.close();
  }

  /** Reads the kept configuration, if any, and takes it up when it verifies against the pin. */
  async load(): Promise<void> {
    let jws: string;
    try {
      jws = (await readFile(this.#file, "utf8")).trim();
    } catch {
      return;
    }
    try {
      await this.#accept(jws, "store");
    } catch (err) {
      this.#log.error({ err, file: this.#file }, "the kept network configuration does not verify against the pinned hub key; ignoring it");
    }
  }

  /** Fetches from the hub now; true when a newer configuration was accepted. */
  async refresh(): Promise<boolean> {
    if (!this.#hub) throw new IpfedError("FAILED_PRECONDITION", "no hub address is configured (hub.address in ipfed.json)");
    const res = await this.#hub.getNetworkConfig(this.#current?.config.version ?? 0);
    return res.notModified ? false : this.#accept(res.signed, "hub");
  }

  /**
   * Takes a configuration from elsewhere (gossip): true when it verified and was newer. Only
   * a node that already trusts the hub's key takes offers; the first one must come from the hub.
   *
   * @throws IpfedError `NETWORK_CONFIG_INVALID` when it does not verify.
   */
  offer(jws: string): Promise<boolean> {
    return this.#accept(jws, "peer");
  }

  /** Notes a version a heartbeat reported; fetches when it is newer than ours. */
  noteVersion(version: number): void {
    if (this.#hub && version > (this.#current?.config.version ?? 0)) {
      void this.refresh().catch((err: unknown) => this.#log.warn({ err, version }, "could not fetch the newer network configuration"));
    }
  }

  /** The accepted configuration, if any. */
  current(): NetworkConfig | undefined {
    return this.#current?.config;
  }

  /** The accepted configuration as signed by the hub, if any (what gossip passes on). */
  signed(): string | undefined {
    return this.#current?.signed;
  }

  /** The pinned hub key id, if any. */
  pinnedKid(): string | undefined {
    return this.#pin;
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

  #accept(jws: string, source: "hub" | "peer" | "store"): Promise<boolean> {
    return this.#lock.run(async () => {
      const claims = inspectNetworkConfig(jws);
      if (claims.networkId !== this.#init.networkId) {
        throw new IpfedError("NETWORK_CONFIG_INVALID", `the network configuration is for network ${claims.networkId}, not ${this.#init.networkId}`);
      }
      const cur = this.#current;
      if (cur && claims.version <= cur.config.version) return false;
      let pinnedKid = this.#pin;
      if (!cur && pinnedKid === undefined) {
        // A peer could hand anyone a configuration signed by a key of its own: only the hub
        // (or our own store) may be trusted on first use.
        if (source === "peer") throw new IpfedError("NETWORK_CONFIG_INVALID", "no hub key is trusted yet: the first configuration must come from the hub");
        pinnedKid = claims.kid;
      }
      const v = await verifyNetworkConfig(jws, {
        ...(cur ? { hubKeys: cur.hubKeys, hubId: cur.config.hubId } : {}),
        ...(pinnedKid !== undefined ? { pinnedKid } : {}),
        now: this.#now(),
      });
      if (source !== "store") await this.#keep(jws);
      if (v.kid !== this.#pin) await this.#repin(v.kid, v.config.hubId);
      this.#current = { signed: jws, config: v.config, hubKeys: v.hubKeys, network: networkIssuers(v.config) };
      this.#log.info({ version: v.config.version, source, state: this.state(), members: v.config.members.length }, "accepted the network configuration");
      this.#armStateTimers();
      this.#listeners.emit();
      return true;
    });
  }

  async #repin(kid: string, hubId: string): Promise<void> {
    if (this.#pin === undefined) {
      this.#log.warn({ hub: hubId, kid }, `trusting hub ${hubId}'s key ${kid} on first use; compare it with the hub operator's fingerprint (hub.fingerprint in ipfed.json now pins it)`);
    } else {
      this.#log.info({ hub: hubId, from: this.#pin, to: kid }, "the hub signs with a new key, vouched for by the configuration signed before; pinning it");
    }
    this.#pin = kid;
    try {
      await (this.#init.savePin ?? ((k) => pinInConfig(this.#init.dir, k)))(kid);
    } catch (err) {
      this.#log.warn({ err, kid }, "could not store the hub key pin; it holds until the node restarts");
    }
  }

  async #keep(jws: string): Promise<void> {
    const tmp = `${this.#file}.tmp`;
    await writeFile(tmp, jws + "\n", { mode: 0o644 });
    await rename(tmp, this.#file);
  }

  async #tick(): Promise<void> {
    clearTimeout(this.#timer);
    let delay: number;
    try {
      await this.refresh();
      this.#retry = this.#init.retryMs ?? 5000;
      delay = this.#nextRefresh();
    } catch (err) {
      this.#log.warn({ err, state: this.state(), retryMs: this.#retry }, "could not fetch the network configuration from the hub; keeping the one held");
      delay = this.#retry;
      this.#retry = Math.min(this.#retry * 2, this.#init.maxRetryMs ?? 300_000);
    }
    if (!this.#started) return;
    this.#timer = setTimeout(() => void this.#tick(), delay);
    this.#timer.unref();
  }

  /** Half the remaining lifetime, within one second and `maxRefreshMs`; the retry delay once expired. */
  #nextRefresh(): number {
    const remaining = Date.parse(this.#current?.config.expiresTime ?? "") - this.#now().getTime();
    if (!(remaining > 0)) return this.#init.retryMs ?? 5000;
    return Math.min(Math.max(remaining / 2, 1000), this.#init.maxRefreshMs ?? 3_600_000);
  }

  /** Tells listeners when the configuration expires and when its grace ends: `issuers()` answers differently then. */
  #armStateTimers(): void {
    for (const t of this.#stateTimers) clearTimeout(t);
    const c = this.#current?.config;
    const expires = Date.parse(c?.expiresTime ?? "");
    if (!c || !Number.isFinite(expires)) return;
    const now = this.#now().getTime();
    this.#stateTimers = [expires, expires + c.graceSeconds * 1000]
      .filter((t) => t > now && t - now < 2 ** 31 - 1)
      .map((t) => {
        const timer = setTimeout(() => this.#listeners.emit(), t - now + 10);
        timer.unref();
        return timer;
      });
  }
}

/** Writes `hub.fingerprint` into the node's ipfed.json. */
async function pinInConfig(dir: string, kid: string): Promise<void> {
  const config = await loadConfig(dir);
  if (!config.hub || config.hub.fingerprint === kid) return;
  await saveConfig(dir, { ...config, hub: { ...config.hub, fingerprint: kid } });
}
