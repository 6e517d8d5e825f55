import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { EndpointKind } from "@ipfed/proto";
import type { CatalogueSummary, Member, NetworkConfig } from "@ipfed/proto";
import { canonicalMember } from "@ipfed/sdk";
import type { MemberKey } from "@ipfed/sdk";
import type { JWK } from "jose";
import type { P2pSettings } from "../config/node-config.js";
import type { Logger } from "../logger.js";
import { Gossip } from "../p2p/gossip.js";
import type { GossipStats } from "../p2p/gossip.js";
import { GossipKeyBook } from "../p2p/gossip-key-book.js";
import { GOSSIP_KINDS } from "../p2p/gossip-topics.js";
import type { GossipKind, RevocationNotice } from "../p2p/gossip-topics.js";
import { createP2pHost } from "../p2p/p2p-host.js";
import type { P2pHost } from "../p2p/p2p-host.js";
import type { CatalogueBook } from "./catalogue-book.js";
import { ChangeListeners } from "./network-trust.js";

/** The signed network configuration as this node holds it, whatever its role. */
export interface GossipConfigSource {
  /** The configuration and its compact JWS, if the node holds one. */
  current(): { readonly config: NetworkConfig; readonly signed: string } | undefined;
  /** Calls `listener` after the configuration changed; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /**
   * Checks a configuration heard from a peer (signed by a hub key this node trusts) and returns
   * it decoded; throws when it is not. Version and expiry are judged by {@link offer}.
   */
  verify(jws: string): Promise<NetworkConfig>;
  /**
   * Takes a configuration heard from a peer: true when it verified and was newer. Absent on the
   * hub, which only spreads the configurations it signs itself.
   */
  offer?(jws: string): Promise<boolean>;
  /** The hub's keys this node trusts now: its own on the hub, the verified configuration's on a member. */
  hubKeys(): readonly JWK[];
}

/** What a node's catalogue looks like now, for catalogue notices. */
export interface CatalogueState {
  /** The store's catalogue version: it increases on every dataset or service change. */
  readonly version: number;
  /** The summary the directory plans from. */
  readonly summary: CatalogueSummary;
}

/** Dependencies and settings of a {@link NetworkGossip}. */
export interface NetworkGossipInit {
  /** The node's data directory: the libp2p key `p2p-key` and `revocations.json` live there. */
  readonly dir: string;
  /** The network id; it names the topics. */
  readonly networkId: string;
  /** This node's member id. */
  readonly memberId: string;
  /** `federation.p2p` of ipfed.json. */
  readonly settings?: P2pSettings | undefined;
  /** The node's keys, the active one first, with their private parts. */
  readonly keys: () => readonly MemberKey[];
  /** How the node describes itself (read on every tick: a key rotation or a new address is announced). */
  readonly self: () => Member;
  /** The node's catalogue; read when its version changes. */
  readonly catalogueVersion: () => Promise<number>;
  /** The node's catalogue summary. */
  readonly catalogue: () => Promise<CatalogueSummary>;
  /** Where the latest summary of every member is kept (shared with the directory). */
  readonly catalogues: CatalogueBook;
  /** Logger. */
  readonly logger: Logger;
  /**
   * How often the catalogue version, the self-description and `revocations.json` are checked, ms.
   * @defaultValue 1000
   */
  readonly tickMs?: number;
  /**
   * How often peers of the configuration that are not connected are dialled again, ms.
   * @defaultValue 3000
   */
  readonly redialMs?: number;
}

/** Most libp2p addresses a node announces (a host listening on every interface lists them all). */
const MAX_ANNOUNCED = 8;

/**
 * The node's part in the gossip network: a libp2p host, {@link Gossip} on the four topics, the
 * key book it trusts, and the loops that keep peers dialled and notices flowing.
 *
 * - **Peers.** Every member of the signed configuration with a LIBP2P endpoint (and the
 *   addresses members announce) is dialled, again when the configuration changes and every
 *   `redialMs` while not connected; `federation.p2p.bootstrap` peers are dialled at start.
 * - **Keys.** A message is checked against the keys of the members the signed configuration
 *   lists (plus keys they announced with a key already trusted) and the hub's trusted keys;
 *   a member that left the configuration is no longer heard, whatever it announced before.
 * - **Configuration.** Every new configuration this node takes up (signed here on the hub,
 *   fetched, or heard from a peer) is published once; one heard from a peer is offered to the
 *   node's `NetworkConfigClient`, which takes it when it verifies and is newer.
 * - **Catalogue.** The node's summary is published at start and whenever the store's catalogue
 *   version changes; summaries heard go into the shared {@link CatalogueBook}.
 * - **Members.** The node announces itself at start and whenever its self-description changes
 *   (a key rotation, a new address).
 * - **Revocations.** Entries of `revocations.json` for tokens this node issued are published;
 *   revocations heard are kept until the tokens expire ({@link revoked}).
 * - **Late joiners.** When a peer subscribes to a topic, this node publishes its latest notice
 *   on that topic again, so that a node that starts (or restarts while the hub is down) learns
 *   the configuration and the catalogues from whoever is up.
 *
 * @example
 * ```ts
 * const gossip = await NetworkGossip.start({ dir, networkId, memberId, keys, self, catalogueVersion, catalogue, catalogues, logger });
 * gossip.attach(source); // once the node knows where its network configuration comes from
 * ```
 */
export class NetworkGossip {
  readonly #init: NetworkGossipInit;
  readonly #log: Logger;
  /** The libp2p host. */
  readonly host: P2pHost;
  readonly #book = new GossipKeyBook();
  readonly #revoked = new Map<string, number>();
  readonly #revocationListeners = new ChangeListeners();
  readonly #announced = new Map<string, string[]>();
  readonly #dialing = new Set<string>();
  readonly #pendingRepublish = new Set<GossipKind>();
  #revocationVersion = 0;
  #source: GossipConfigSource | undefined;
  #unsubscribe: (() => void) | undefined;
  #gossip: Gossip | undefined;
  #starting: Promise<void> | undefined;
  #hubId = "";
  #memberIds = new Set<string>();
  #tickTimer: NodeJS.Timeout | undefined;
  #redialTimer: NodeJS.Timeout | undefined;
  #republishTimer: NodeJS.Timeout | undefined;
  #ticking = false;
  #stopped = false;
  #configPublished = 0;
  #catalogueVersion = -1;
  #catalogue: CatalogueSummary | undefined;
  #announcedSelf = "";
  #revocationsMtime = -1;
  readonly #ownRevocations = new Map<string, RevocationNotice>();
  #rejectedLogged = 0;

  private constructor(init: NetworkGossipInit, host: P2pHost) {
    this.#init = init;
    this.#log = init.logger;
    this.host = host;
  }

  /**
   * Starts the libp2p host (so that its addresses can go into the node's registration);
   * gossip itself starts with {@link attach}.
   *
   * @throws IpfedError `CONFIG_INVALID` for a malformed `federation.p2p` address.
   */
  static async start(init: NetworkGossipInit): Promise<NetworkGossip> {
    const s = init.settings ?? {};
    const listen = s.listen === undefined ? undefined : typeof s.listen === "string" ? [s.listen] : [...s.listen];
    const host = await createP2pHost({
      dir: init.dir,
      ...(listen ? { listen } : {}),
      ...(s.announce ? { announce: [...s.announce] } : {}),
      ...(s.bootstrap ? { bootstrap: [...s.bootstrap], bootstrapDelayMs: 0 } : {}),
      redialIntervalMs: init.redialMs ?? 3000,
    });
    const g = new NetworkGossip(init, host);
    g.#log.info({ peerId: host.peerId.toString(), addresses: g.addresses() }, "p2p host started");
    return g;
  }

  /** This node's libp2p peer id. */
  get peerId(): string {
    return this.host.peerId.toString();
  }

  /** The multiaddrs this node announces, each ending in `/p2p/<peer id>`. */
  addresses(): string[] {
    return this.host.multiaddrs.map(String).slice(0, MAX_ANNOUNCED);
  }

  /**
   * Starts gossip as soon as the source holds a configuration (it names the hub, whose word
   * the trust rules need), and follows its changes. Call once.
   */
  attach(source: GossipConfigSource): void {
    if (this.#source) throw new Error("NetworkGossip.attach called twice");
    this.#source = source;
    this.#unsubscribe = source.onChange(() => void this.#configChanged());
    void this.#configChanged();
  }

  /** Tells whether a revocation heard over gossip (from the token's issuer or the hub) covers this token. */
  revoked(jti: string, issuer: string): boolean {
    const exp = this.#revoked.get(`${issuer}\u0000${jti}`);
    return exp !== undefined && exp * 1000 > Date.now();
  }

  /** Increases whenever a revocation is heard. */
  get revocationVersion(): number {
    return this.#revocationVersion;
  }

  /** Calls `listener` after a revocation is heard; returns the unsubscribe function. */
  onRevocation(listener: () => void): () => void {
    return this.#revocationListeners.add(listener);
  }

  /** Message counts of the gossip layer (zeros before it started). */
  stats(): GossipStats & { readonly peers: number } {
    const s = this.#gossip?.stats() ?? { received: 0, accepted: 0, rejected: {} as GossipStats["rejected"] };
    return { ...s, peers: this.host.connectedPeers().length };
  }

  /** Stops the loops, gossip and the host. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#unsubscribe?.();
    for (const t of [this.#tickTimer, this.#redialTimer]) clearInterval(t);
    clearTimeout(this.#republishTimer);
    await this.#gossip?.stop().catch(() => undefined);
    await this.host.stop();
  }

  async #configChanged(): Promise<void> {
    const first = this.#source?.current();
    if (!first || this.#stopped) return;
    this.#useMembers(first.config);
    if (!this.#gossip) {
      // Changes can follow each other while gossip starts: they all wait for the one start.
      this.#starting ??= this.#startGossip(first.config.hubId).catch((err: unknown) => {
        this.#starting = undefined;
        this.#log.error({ err }, "gossip could not start; the node keeps working with heartbeats only");
      });
      await this.#starting;
      if (!this.#gossip) return;
    }
    // Read again: a newer configuration may have arrived meanwhile, and it is the one to spread.
    const cur = this.#source?.current();
    if (!cur || this.#stopped) return;
    this.#useMembers(cur.config);
    this.#dialPeers();
    const { config, signed } = cur;
    if (config.version > this.#configPublished) {
      this.#configPublished = config.version;
      await this.#publish("config", () => this.#gossip!.publishConfig(signed), { version: config.version });
    }
  }

  /** Trusts the members of a configuration (and only them), and forgets what members that left said. */
  #useMembers(config: NetworkConfig): void {
    this.#memberIds = new Set(config.members.map((m) => m.id));
    this.#book.setMembers(config.members);
    this.#init.catalogues.retain(this.#memberIds);
    for (const id of [...this.#announced.keys()]) if (!this.#memberIds.has(id)) this.#announced.delete(id);
  }

  async #startGossip(hubId: string): Promise<void> {
    this.#hubId = hubId;
    const source = this.#source!;
    const known = (issuer: string): boolean => this.#memberIds.has(issuer) || issuer === this.#hubId;
    const gossip = new Gossip(this.host, {
      networkId: this.#init.networkId,
      memberId: this.#init.memberId,
      hubId,
      signingKey: () => this.#signingKey(),
      // Only members of the signed configuration are heard: keys learnt from announcements of a
      // member that has since left do not count. The hub's trusted keys stand in for a pin.
      keyFor: (issuer, kid) => {
        if (!known(issuer)) return undefined;
        return this.#book.keyFor(issuer, kid) ?? (issuer === this.#hubId ? source.hubKeys().find((k) => k.kid === kid) : undefined);
      },
      issuerKnown: known,
      verifyConfig: (jws) => source.verify(jws),
      logger: this.#log,
    });
    gossip.on("config", async ({ jws, config }) => {
      if (!source.offer) return;
      try {
        if (await source.offer(jws)) this.#log.info({ version: config.version }, "took up a newer network configuration heard over gossip");
      } catch (err) {
        this.#log.warn({ err, version: config.version }, "a network configuration heard over gossip was refused");
      }
    });
    gossip.on("catalogue", ({ memberId, version, summary }, _from, msg) => {
      if (!this.#memberIds.has(memberId)) return;
      if (this.#init.catalogues.note(memberId, summary, { at: msg.iat * 1000, version })) {
        this.#log.debug({ member: memberId, version, records: summary.recordCount }, "catalogue notice taken");
      }
    });
    gossip.on("member", (member) => {
      if (!this.#memberIds.has(member.id)) return;
      this.#book.learn(member);
      const addresses = libp2pAddresses(member);
      if (addresses.length > 0) {
        this.#announced.set(member.id, addresses);
        this.#dialPeers();
      }
    });
    gossip.on("revocation", ({ jti, issuer, exp }) => {
      if (exp * 1000 <= Date.now()) return;
      this.#revoked.set(`${issuer}\u0000${jti}`, exp);
      this.#revocationVersion += 1;
      this.#log.info({ jti, issuer }, "revocation heard over gossip");
      this.#revocationListeners.emit();
    });
    await gossip.start();
    this.#gossip = gossip;
    this.host.pubsub.addEventListener("subscription-change", (evt) => {
      for (const s of evt.detail.subscriptions) {
        const kind = GOSSIP_KINDS.find((k) => gossip.topics[k] === s.topic);
        if (s.subscribe && kind !== undefined) this.#republishSoon(kind);
      }
    });
    this.#log.info({ topics: Object.values(gossip.topics), hub: hubId }, "gossip started");
    this.#tickTimer = setInterval(() => void this.#tick(), this.#init.tickMs ?? 1000);
    this.#tickTimer.unref();
    this.#redialTimer = setInterval(() => this.#dialPeers(), this.#init.redialMs ?? 3000);
    this.#redialTimer.unref();
    await this.#tick();
  }

  /** Signs with a key the network already trusts for this node: after a rotation, the outgoing key until the configuration lists the new one. */
  #signingKey(): MemberKey {
    const keys = this.#init.keys();
    const listed = new Set(this.#source?.current()?.config.members.find((m) => m.id === this.#init.memberId)?.keys.map((k) => k.kid) ?? []);
    const key = keys.find((k) => listed.has(k.kid)) ?? keys[0];
    if (!key) throw new Error("this node has no key to sign gossip with");
    return key;
  }

  /** Publishes what changed: the catalogue, the self-description, this node's revocations; logs new rejections. */
  async #tick(): Promise<void> {
    if (this.#ticking || this.#stopped || !this.#gossip) return;
    this.#ticking = true;
    try {
      const version = await this.#init.catalogueVersion();
      if (version !== this.#catalogueVersion) {
        const summary = await this.#init.catalogue();
        if (await this.#publish("catalogue", () => this.#gossip!.publishCatalogue(summary, version), { version })) {
          this.#catalogueVersion = version;
          this.#catalogue = summary;
        }
      }
      const me = this.#init.self();
      const canonical = canonicalMember(me);
      if (canonical !== this.#announcedSelf && (await this.#publish("member", () => this.#gossip!.publishMember(me), { keys: me.keys.length }))) {
        this.#announcedSelf = canonical;
      }
      await this.#readOwnRevocations();
      const rejected = Object.values(this.#gossip.stats().rejected).reduce((a, b) => a + b, 0);
      if (rejected > this.#rejectedLogged) {
        this.#rejectedLogged = rejected;
        this.#log.warn({ gossip: this.#gossip.stats() }, "gossip messages rejected");
      }
    } catch (err) {
      this.#log.warn({ err }, "gossip tick failed; retrying");
    } finally {
      this.#ticking = false;
    }
  }

  /** Publishes revocations this node added to `revocations.json` for tokens it issued. */
  async #readOwnRevocations(): Promise<void> {
    const file = join(this.#init.dir, "revocations.json");
    let mtime: number;
    try {
      mtime = (await stat(file)).mtimeMs;
    } catch {
      return;
    }
    if (mtime === this.#revocationsMtime) return;
    this.#revocationsMtime = mtime;
    let list: unknown;
    try {
      list = (JSON.parse(await readFile(file, "utf8")) as { revoked?: unknown }).revoked;
    } catch {
      return; // The node's own RevocationList reports a broken file.
    }
    if (!Array.isArray(list)) return;
    const now = Date.now() / 1000;
    for (const r of list as Partial<RevocationNotice>[]) {
      if (r?.issuer !== this.#init.memberId || typeof r.jti !== "string" || typeof r.exp !== "number" || r.exp <= now) continue;
      const key = r.jti;
      if (this.#ownRevocations.has(key)) continue;
      const notice: RevocationNotice = { jti: r.jti, issuer: r.issuer, exp: r.exp };
      if (await this.#publish("revocation", () => this.#gossip!.publishRevocation(notice), { jti: r.jti })) this.#ownRevocations.set(key, notice);
    }
  }

  /** A peer subscribed to a topic: publish this node's latest notice on it again, shortly (coalesced). */
  #republishSoon(kind: GossipKind): void {
    this.#pendingRepublish.add(kind);
    if (this.#republishTimer !== undefined || this.#stopped) return;
    this.#republishTimer = setTimeout(() => {
      this.#republishTimer = undefined;
      const kinds = [...this.#pendingRepublish];
      this.#pendingRepublish.clear();
      void this.#republish(kinds);
    }, 250);
    this.#republishTimer.unref();
  }

  async #republish(kinds: readonly GossipKind[]): Promise<void> {
    const gossip = this.#gossip;
    if (!gossip || this.#stopped) return;
    for (const kind of kinds) {
      switch (kind) {
        case "config": {
          const cur = this.#source?.current();
          if (cur) await this.#publish("config", () => gossip.publishConfig(cur.signed), { version: cur.config.version, again: true });
          break;
        }
        case "catalogue": {
          const summary = this.#catalogue;
          if (summary) await this.#publish("catalogue", () => gossip.publishCatalogue(summary, this.#catalogueVersion), { version: this.#catalogueVersion, again: true });
          break;
        }
        case "member":
          if (this.#announcedSelf !== "") await this.#publish("member", () => gossip.publishMember(this.#init.self()), { again: true });
          break;
        case "revocation": {
          const now = Date.now() / 1000;
          for (const [key, notice] of this.#ownRevocations) {
            if (notice.exp <= now) this.#ownRevocations.delete(key);
            else await this.#publish("revocation", () => gossip.publishRevocation(notice), { jti: notice.jti, again: true });
          }
          break;
        }
      }
    }
  }

  async #publish(kind: GossipKind, send: () => Promise<{ recipients: number }>, about: object): Promise<boolean> {
    try {
      const { recipients } = await send();
      this.#log.debug({ kind, recipients, ...about }, "gossip published");
      return true;
    } catch (err) {
      this.#log.warn({ err, kind, ...about }, "gossip publish failed");
      return false;
    }
  }

  /** Dials every peer of the configuration (and every address announced) that is not connected. */
  #dialPeers(): void {
    if (this.#stopped) return;
    const self = this.peerId;
    const connected = new Set(this.host.connectedPeers().map(String));
    const cfg = this.#source?.current()?.config;
    const targets = new Map<string, string>();
    for (const m of cfg?.members ?? []) {
      if (m.id === this.#init.memberId) continue;
      for (const a of [...libp2pAddresses(m), ...(this.#announced.get(m.id) ?? [])]) {
        const peer = peerOf(a);
        if (peer !== undefined && peer !== self && !targets.has(peer)) targets.set(peer, a);
      }
    }
    for (const [peer, address] of targets) {
      if (connected.has(peer) || this.#dialing.has(peer)) continue;
      this.#dialing.add(peer);
      void this.host
        .connect(address, { signal: AbortSignal.timeout(5000) })
        .then(() => this.#log.debug({ peer, address }, "p2p peer connected"))
        .catch((err: unknown) => this.#log.debug({ peer, address, err: (err as Error).message }, "p2p dial failed; retrying later"))
        .finally(() => this.#dialing.delete(peer));
    }
  }
}

/** The LIBP2P endpoints of a member, each ending in `/p2p/<its peer id>`. */
export function libp2pAddresses(m: Member): string[] {
  return m.endpoints
    .filter((e) => e.kind === EndpointKind.ENDPOINT_KIND_LIBP2P && e.address.startsWith("/"))
    .map((e) => (peerOf(e.address) === undefined && m.peerId !== "" ? `${e.address}/p2p/${m.peerId}` : e.address))
    .filter((a) => peerOf(a) !== undefined);
}

function peerOf(address: string): string | undefined {
  const m = /\/p2p\/([^/]+)$/.exec(address);
  return m?.[1];
}
