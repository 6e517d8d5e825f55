// Node 20 lacks Promise.withResolvers, which libp2p calls; it must be in place before libp2p loads.
import "@ipfed/sdk/polyfills";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { bootstrap } from "@libp2p/bootstrap";
import { gossipsub } from "@libp2p/gossipsub";
import type { GossipSub } from "@libp2p/gossipsub";
import { identify } from "@libp2p/identify";
import type { Identify } from "@libp2p/identify";
import type { AbortOptions, PeerId } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import { tcp } from "@libp2p/tcp";
import { multiaddr } from "@multiformats/multiaddr";
import type { Multiaddr } from "@multiformats/multiaddr";
import { createLibp2p } from "libp2p";
import type { Libp2p, Libp2pOptions } from "libp2p";
import { IpfedError } from "@ipfed/sdk";
import { loadOrCreatePeerKey } from "./peer-key-file.js";

/**
 * The libp2p services a {@link P2pHost} runs. A type alias, not an interface: libp2p's
 * `ServiceMap` constraint needs the implicit index signature only type aliases get.
 */
export type P2pServices = {
  /** Identify: tells peers which protocols we speak, which gossipsub needs to find its peers. */
  identify: Identify;
  /** Gossipsub: the pubsub router that spreads membership, catalogue and revocation notices. */
  pubsub: GossipSub;
};

/** Options of {@link createP2pHost}. */
export interface P2pHostOptions {
  /** Directory holding the libp2p identity file `p2p-key` (created on first start, mode 600). */
  readonly dir: string;
  /**
   * Addresses to listen on.
   * @defaultValue `["/ip4/127.0.0.1/tcp/0"]`: loopback only, any free port
   */
  readonly listen?: readonly string[];
  /**
   * Addresses announced to peers instead of the listen addresses (a public address behind NAT).
   * @defaultValue the listen addresses
   */
  readonly announce?: readonly string[];
  /**
   * Peers dialled at start, each a multiaddr ending in `/p2p/<peer id>` (the hub, a regional
   * node). They are redialled every `redialIntervalMs` while not connected.
   * @defaultValue none
   */
  readonly bootstrap?: readonly string[];
  /**
   * Delay before the bootstrap peers are dialled, in milliseconds.
   * @defaultValue 100
   */
  readonly bootstrapDelayMs?: number;
  /**
   * How often bootstrap peers and peers added with {@link P2pHost.connect} are redialled while
   * not connected, in milliseconds; 0 turns redialling off.
   * @defaultValue 30000
   */
  readonly redialIntervalMs?: number;
  /**
   * Gossipsub heartbeat interval in milliseconds: how often the mesh is repaired and gossip
   * (IHAVE) is sent. A new peer joins the mesh within about one heartbeat.
   * @defaultValue 500
   */
  readonly heartbeatIntervalMs?: number;
}

/**
 * A started libp2p host for the federation's peer-to-peer layer: TCP, noise, yamux, identify
 * and gossipsub, with a persistent peer id.
 */
export interface P2pHost {
  /** The libp2p node, for what this interface does not cover. */
  readonly libp2p: Libp2p<P2pServices>;
  /** The gossipsub router. */
  readonly pubsub: GossipSub;
  /** This host's peer id, derived from the key in `dir/p2p-key`; the same across restarts. */
  readonly peerId: PeerId;
  /** The addresses peers can dial, each ending in `/p2p/<peer id>`; empty once stopped. */
  readonly multiaddrs: Multiaddr[];
  /**
   * Dials a peer and keeps it wanted: it is redialled while not connected, like a bootstrap
   * peer. The address must end in `/p2p/<peer id>`, so that whoever answers must prove to be
   * that peer.
   *
   * @throws IpfedError `INVALID_ARGUMENT` for an address without a peer id or for this host's
   *   own id; `UNAVAILABLE` when the dial fails.
   */
  connect(address: string | Multiaddr, options?: AbortOptions): Promise<PeerId>;
  /** The peers this host has an open connection to. */
  connectedPeers(): PeerId[];
  /** Stops the host; calling it again (or concurrently) waits for the same stop. */
  stop(): Promise<void>;
}

const DEFAULTS = {
  listen: ["/ip4/127.0.0.1/tcp/0"],
  bootstrapDelayMs: 100,
  redialIntervalMs: 30_000,
  heartbeatIntervalMs: 500,
} as const;

/**
 * Creates and starts a libp2p host whose identity is kept in `dir/p2p-key`.
 *
 * Gossipsub runs with `emitSelf: false` (a node never handles its own messages) and
 * `allowPublishToZeroTopicPeers: true` (a lone node, or one whose peers are all down, can still
 * publish: the notice is simply not heard, instead of failing with `NoPeersSubscribedToTopic`).
 *
 * @throws IpfedError `CONFIG_INVALID` for a malformed listen, announce or bootstrap address.
 * @example
 * ```ts
 * const host = await createP2pHost({ dir, bootstrap: ["/ip4/10.0.0.1/tcp/4001/p2p/12D3KooW..."] });
 * console.log(host.peerId.toString(), host.multiaddrs.map(String));
 * await host.stop();
 * ```
 */
export async function createP2pHost(options: P2pHostOptions): Promise<P2pHost> {
  const listen = [...(options.listen ?? DEFAULTS.listen)];
  const announce = options.announce === undefined ? undefined : [...options.announce];
  for (const address of [...listen, ...(announce ?? [])]) parseAddress(address, "listen");
  const bootstrapPeers = (options.bootstrap ?? []).map((address) => ({ address, peerId: peerIdOf(parseAddress(address, "bootstrap"), "bootstrap") }));
  const heartbeatInterval = positive(options.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs, "heartbeatIntervalMs");
  const bootstrapDelay = nonNegative(options.bootstrapDelayMs ?? DEFAULTS.bootstrapDelayMs, "bootstrapDelayMs");
  const redialInterval = nonNegative(options.redialIntervalMs ?? DEFAULTS.redialIntervalMs, "redialIntervalMs");

  const privateKey = await loadOrCreatePeerKey(options.dir);
  const peerDiscovery: NonNullable<Libp2pOptions<P2pServices>["peerDiscovery"]> = [];
  if (bootstrapPeers.length > 0) {
    // The bootstrap module throws on an empty list, so it is only added when there are peers.
    peerDiscovery.push(bootstrap({ list: bootstrapPeers.map((p) => p.address), timeout: bootstrapDelay }));
  }
  const libp2p = await createLibp2p<P2pServices>({
    privateKey,
    addresses: { listen, ...(announce !== undefined ? { announce } : {}) },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery,
    services: {
      identify: identify(),
      pubsub: gossipsub({
        emitSelf: false,
        allowPublishToZeroTopicPeers: true,
        // Our own notices go to every subscribed peer at once, not only to the mesh: they are
        // few and small, and this is what makes a two-node network deliver at once.
        floodPublish: true,
        heartbeatInterval,
      }),
    },
  });
  const host = new Host(libp2p, redialInterval);
  for (const p of bootstrapPeers) host.want(p.peerId, multiaddr(p.address));
  return host;
}

class Host implements P2pHost {
  readonly libp2p: Libp2p<P2pServices>;
  readonly #wanted = new Map<string, Multiaddr>();
  readonly #timer: NodeJS.Timeout | undefined;
  #stopped: Promise<void> | undefined;

  constructor(libp2p: Libp2p<P2pServices>, redialIntervalMs: number) {
    this.libp2p = libp2p;
    if (redialIntervalMs > 0) {
      this.#timer = setInterval(() => this.#redial(), redialIntervalMs);
      // A host waiting to redial must not keep the process alive on its own.
      this.#timer.unref();
    }
  }

  get pubsub(): GossipSub {
    return this.libp2p.services.pubsub;
  }

  get peerId(): PeerId {
    return this.libp2p.peerId;
  }

  get multiaddrs(): Multiaddr[] {
    return this.#stopped === undefined ? this.libp2p.getMultiaddrs() : [];
  }

  want(peerId: PeerId, address: Multiaddr): void {
    this.#wanted.set(peerId.toString(), address);
  }

  async connect(address: string | Multiaddr, options: AbortOptions = {}): Promise<PeerId> {
    if (this.#stopped !== undefined) throw new IpfedError("FAILED_PRECONDITION", "the p2p host is stopped");
    const ma = typeof address === "string" ? parseAddress(address, "address", "INVALID_ARGUMENT") : address;
    const peerId = peerIdOf(ma, "address", "INVALID_ARGUMENT");
    if (peerId.equals(this.peerId)) throw new IpfedError("INVALID_ARGUMENT", "a host cannot connect to itself", { field: "address" });
    try {
      await this.libp2p.dial(ma, options);
    } catch (err) {
      throw new IpfedError("UNAVAILABLE", `cannot connect to ${ma.toString()}: ${(err as Error).message}`, { cause: err });
    }
    this.want(peerId, ma);
    return peerId;
  }

  connectedPeers(): PeerId[] {
    return this.libp2p.getPeers();
  }

  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      if (this.#timer !== undefined) clearInterval(this.#timer);
      await this.libp2p.stop();
    })();
    return this.#stopped;
  }

  #redial(): void {
    if (this.#stopped !== undefined) return;
    const connected = new Set(this.libp2p.getPeers().map(String));
    for (const [id, address] of this.#wanted) {
      if (connected.has(id)) continue;
      // A peer that is down stays wanted; the next round tries again.
      this.libp2p.dial(address).catch(() => undefined);
    }
  }
}

function parseAddress(address: string, field: string, code: "CONFIG_INVALID" | "INVALID_ARGUMENT" = "CONFIG_INVALID"): Multiaddr {
  try {
    return multiaddr(address);
  } catch (err) {
    throw new IpfedError(code, `${field} address ${JSON.stringify(address)} is not a multiaddr`, { field, cause: err });
  }
}

function peerIdOf(ma: Multiaddr, field: string, code: "CONFIG_INVALID" | "INVALID_ARGUMENT" = "CONFIG_INVALID"): PeerId {
  const id = ma.getComponents().findLast((c) => c.name === "p2p")?.value;
  if (id === undefined) {
    throw new IpfedError(code, `${field} address ${ma.toString()} must end in /p2p/<peer id>`, { field });
  }
  try {
    return peerIdFromString(id);
  } catch (err) {
    throw new IpfedError(code, `${field} address ${ma.toString()} has an invalid peer id`, { field, cause: err });
  }
}

function positive(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new IpfedError("CONFIG_INVALID", `${field} must be a positive number`, { field });
  return value;
}

function nonNegative(value: number, field: string): number {
  if (!Number.isFinite(value) || value < 0) throw new IpfedError("CONFIG_INVALID", `${field} must be a non-negative number`, { field });
  return value;
}
