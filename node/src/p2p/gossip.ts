// Node 20 lacks Promise.withResolvers, which libp2p calls; load it before anything of libp2p.
import "@ipfed/sdk/polyfills";
import { randomUUID } from "node:crypto";
import { TopicValidatorResult } from "@libp2p/gossipsub";
import type { Message } from "@libp2p/gossipsub";
import type { PeerId } from "@libp2p/interface";
import { CatalogueSummary, Member } from "@ipfed/proto";
import type { NetworkConfig } from "@ipfed/proto";
import { IpfedError } from "@ipfed/sdk";
import type { MemberKey, TokenVerificationKey } from "@ipfed/sdk";
import type { Logger } from "../logger.js";
import { readGossipBody } from "./gossip-rules.js";
import { GOSSIP_KINDS, GOSSIP_REJECT_REASONS, GossipRejection, gossipTopic, rejectReasonOf } from "./gossip-topics.js";
import type { GossipBodies, GossipKind, GossipRejectReason, RevocationNotice } from "./gossip-topics.js";
import type { P2pHost } from "./p2p-host.js";
import { SeenSet } from "./seen-set.js";
import { DEFAULT_MAX_GOSSIP_AGE_SECONDS, signGossip, verifyGossip } from "./signed-message.js";
import type { GossipKeyLookup, VerifiedGossip } from "./signed-message.js";

/** Options of {@link Gossip}. */
export interface GossipInit {
  /** The network's id; it names the topics (`ipfed/<networkId>/...`). */
  readonly networkId: string;
  /** This member's id: the issuer of what it publishes. */
  readonly memberId: string;
  /** The hub's member id: it may speak for any member, and only it signs network configurations. */
  readonly hubId: string;
  /** The key this member signs with; a function when it can rotate while running. */
  readonly signingKey: MemberKey | (() => MemberKey);
  /**
   * Returns a member's public key by `kid`: from the signed network configuration and from
   * member announcements accepted before (see `GossipKeyBook`). Every message is checked
   * against it before any handler runs.
   */
  readonly keyFor: GossipKeyLookup;
  /**
   * Tells whether a member id is known, to tell an unknown member from an unknown key in the stats.
   * @defaultValue every unresolved key counts as `unknown-signer` either way
   */
  readonly issuerKnown?: (issuer: string) => boolean | Promise<boolean>;
  /**
   * Verifies the hub-signed network configuration a config notice carries, returning it
   * decoded (the SDK's network-configuration verifier fits here); a throw drops the notice as
   * `not-allowed`. The network and hub it names are checked afterwards either way.
   * @defaultValue the hub's signature checked with `keyFor(hubId, kid)`
   */
  readonly verifyConfig?: (jws: string) => Promise<NetworkConfig>;
  /**
   * How old a message may be, in seconds; replays are remembered this long.
   * @defaultValue 600
   */
  readonly maxAgeSeconds?: number;
  /**
   * Largest message accepted, in bytes.
   * @defaultValue 1048576 (1 MiB)
   */
  readonly maxMessageBytes?: number;
  /**
   * Most message ids remembered for replay detection.
   * @defaultValue 10000
   */
  readonly seenCapacity?: number;
  /**
   * Where dropped messages and failing handlers are reported (at debug and warn level).
   * @defaultValue nothing is logged
   */
  readonly logger?: Logger;
  /**
   * Returns the current time, for tests.
   * @defaultValue `() => new Date()`
   */
  readonly now?: () => Date;
}

/** Receives the checked body of a notice, the member that signed it, and the message itself. */
export type GossipHandler<K extends GossipKind> = (body: GossipBodies[K], from: string, message: VerifiedGossip) => void | Promise<void>;

/** Counts of {@link Gossip.stats}. */
export interface GossipStats {
  /** Messages that reached the checks (own messages are not counted). */
  readonly received: number;
  /** Messages that passed every check and were handed to the handlers. */
  readonly accepted: number;
  /** Messages dropped, by reason. */
  readonly rejected: Readonly<Record<GossipRejectReason, number>>;
}

/** What a publish did. */
export interface PublishOutcome {
  /** The message id (`jti`). */
  readonly jti: string;
  /** How many peers it was sent to directly; 0 when none is subscribed (it is then lost). */
  readonly recipients: number;
}

/**
 * Membership, catalogue changes, revocations and the network configuration, spread peer to
 * peer over gossipsub, so that members keep learning about each other while the hub is down.
 *
 * Every message is a compact JWS signed by a member (see {@link signGossip}). A gossipsub topic
 * validator checks it before anything else sees it: signature against `keyFor`, age, topic,
 * then the body and who may say it (`readGossipBody`), then replays (the same issuer and
 * `jti` accepted before). A message that fails is dropped, counted in {@link stats}, and not
 * forwarded to other peers: a forged notice goes no further than the first honest node.
 *
 * Trust rule for member announcements: the hub may announce any member; otherwise an
 * announcement is self-signed and accepted only when its signer is the announced member, the
 * announced `keys` list the signing `kid` (with the same public key), and that key is one
 * `keyFor` already trusts for the member (listed in the signed network configuration, or in
 * an announcement accepted before). So an announcement can add keys to a known member (a
 * rotation signed with the outgoing key) but never introduce a member or take one over: for
 * that it would only need a key of its own. New members arrive with the hub's configuration,
 * which is gossiped too, so this holds while the hub is down. A self-signed announcement is
 * the member's own word: take its endpoints, peer id and catalogue from it, but never a tier
 * allowance (`maxTier`) — that comes from the hub's configuration only.
 *
 * @example
 * ```ts
 * const gossip = new Gossip(host, { networkId, memberId, hubId, signingKey, keyFor: book.keyFor });
 * gossip.on("member", (member) => book.learn(member));
 * gossip.on("revocation", ({ jti, issuer, exp }) => revocations.add(jti, issuer, exp));
 * await gossip.start();
 * await gossip.publishMember(me);
 * ```
 */
export class Gossip {
  /** The topic of each kind in this network. */
  readonly topics: Readonly<Record<GossipKind, string>>;
  readonly #host: Pick<P2pHost, "pubsub">;
  readonly #init: GossipInit;
  readonly #maxAge: number;
  readonly #seen: SeenSet;
  readonly #handlers = new Map<GossipKind, Set<GossipHandler<GossipKind>>>();
  readonly #kindOfTopic: Map<string, GossipKind>;
  #started = false;
  #received = 0;
  #accepted = 0;
  readonly #rejected = Object.fromEntries(GOSSIP_REJECT_REASONS.map((r) => [r, 0])) as Record<GossipRejectReason, number>;

  constructor(host: Pick<P2pHost, "pubsub">, init: GossipInit) {
    this.#host = host;
    this.#init = init;
    for (const field of ["networkId", "memberId", "hubId"] as const) {
      if (typeof init[field] !== "string" || !/^[a-z0-9][a-z0-9._-]*$/i.test(init[field])) {
        throw new IpfedError("INVALID_ARGUMENT", `gossip ${field} must be a plain id (letters, digits, '.', '_', '-')`, { field });
      }
    }
    this.#maxAge = init.maxAgeSeconds ?? DEFAULT_MAX_GOSSIP_AGE_SECONDS;
    if (!Number.isSafeInteger(this.#maxAge) || this.#maxAge <= 0) {
      throw new IpfedError("INVALID_ARGUMENT", "maxAgeSeconds must be a positive integer", { field: "maxAgeSeconds" });
    }
    this.#seen = new SeenSet({ capacity: init.seenCapacity ?? 10_000, now: () => this.#now().getTime() });
    this.topics = Object.freeze(Object.fromEntries(GOSSIP_KINDS.map((k) => [k, gossipTopic(init.networkId, k)])) as Record<GossipKind, string>);
    this.#kindOfTopic = new Map(GOSSIP_KINDS.map((k) => [this.topics[k], k]));
  }

  /**
   * Subscribes to the four topics and installs their validators. Idempotent.
   *
   * @throws IpfedError `FAILED_PRECONDITION` when the host is stopped.
   */
  async start(): Promise<void> {
    if (this.#started) return;
    const pubsub = this.#host.pubsub;
    try {
      for (const [topic, kind] of this.#kindOfTopic) {
        // The validator goes in first, so that no message on the topic is ever delivered unchecked.
        pubsub.topicValidators.set(topic, (peer, msg) => this.#validate(kind, peer, msg));
        pubsub.subscribe(topic);
      }
    } catch (err) {
      this.#detach();
      throw new IpfedError("FAILED_PRECONDITION", `gossip cannot start: ${(err as Error).message}`, { cause: err });
    }
    this.#started = true;
  }

  /** Unsubscribes and removes the validators; handlers stay registered. Idempotent, and fine after the host stopped. */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.#detach();
  }

  /**
   * Registers a handler for a kind of notice; it runs only for messages that passed every
   * check. Returns a function that removes it.
   */
  on<K extends GossipKind>(kind: K, handler: GossipHandler<K>): () => void {
    let set = this.#handlers.get(kind);
    if (set === undefined) this.#handlers.set(kind, (set = new Set()));
    set.add(handler as GossipHandler<GossipKind>);
    return () => set.delete(handler as GossipHandler<GossipKind>);
  }

  /** Announces a member: this member itself, or (from the hub) any member. */
  async publishMember(member: Member): Promise<PublishOutcome> {
    const { memberId, hubId } = this.#init;
    if (member.id !== memberId && memberId !== hubId) {
      throw new IpfedError("INVALID_ARGUMENT", `member ${memberId} may only announce itself, not ${member.id}`, { field: "member.id" });
    }
    return this.#publish("member", Member.toJSON(member));
  }

  /** Tells the network this member's catalogue changed; `version` defaults to the summary's. */
  async publishCatalogue(summary: CatalogueSummary, version: number = summary.version): Promise<PublishOutcome> {
    if (!Number.isSafeInteger(version) || version < 0) {
      throw new IpfedError("INVALID_ARGUMENT", "catalogue version must be a non-negative integer", { field: "version" });
    }
    const body = { memberId: this.#init.memberId, version, summary: CatalogueSummary.toJSON(summary) };
    return this.#publish("catalogue", body);
  }

  /** Revokes a token: only its issuer or the hub may. */
  async publishRevocation(revocation: RevocationNotice): Promise<PublishOutcome> {
    const { memberId, hubId } = this.#init;
    if (revocation.issuer !== memberId && memberId !== hubId) {
      throw new IpfedError("INVALID_ARGUMENT", `member ${memberId} may not revoke tokens of ${revocation.issuer}`, { field: "issuer" });
    }
    if (!Number.isSafeInteger(revocation.exp) || revocation.exp <= 0) {
      throw new IpfedError("INVALID_ARGUMENT", "revocation exp must be the token's expiry in seconds", { field: "exp" });
    }
    return this.#publish("revocation", { jti: revocation.jti, issuer: revocation.issuer, exp: revocation.exp });
  }

  /** Spreads the hub-signed network configuration (the hub's, or relayed by any member). */
  publishConfig(jws: string): Promise<PublishOutcome> {
    return this.#publish("config", { jws });
  }

  /**
   * Waits until at least `count` peers subscribe to a kind's topic (publishing before that
   * reaches nobody), polling every 20 ms.
   *
   * @throws IpfedError `DEADLINE_EXCEEDED` after `timeoutMs`.
   */
  async waitForPeers(kind: GossipKind, count: number, timeoutMs: number): Promise<PeerId[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const peers = this.#host.pubsub.getSubscribers(this.topics[kind]);
      if (peers.length >= count) return peers;
      if (Date.now() >= deadline) {
        throw new IpfedError("DEADLINE_EXCEEDED", `${peers.length} of ${count} peers subscribed to ${this.topics[kind]} after ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Counts of messages received, accepted, and rejected by reason, since construction. */
  stats(): GossipStats {
    return { received: this.#received, accepted: this.#accepted, rejected: { ...this.#rejected } };
  }

  #detach(): void {
    const pubsub = this.#host.pubsub;
    for (const topic of this.#kindOfTopic.keys()) {
      pubsub.topicValidators.delete(topic);
      try {
        pubsub.unsubscribe(topic);
      } catch {
        // A stopped router throws here; it holds no subscriptions any more anyway.
      }
    }
  }

  async #publish(kind: GossipKind, body: unknown): Promise<PublishOutcome> {
    if (!this.#started) throw new IpfedError("FAILED_PRECONDITION", "gossip is not started");
    const key = typeof this.#init.signingKey === "function" ? this.#init.signingKey() : this.#init.signingKey;
    const now = this.#now();
    const topic = this.topics[kind];
    const jti = randomUUID();
    const jws = await signGossip(key, this.#init.memberId, topic, kind, body, { now, jti });
    // Our own message, relayed back to us by someone else, is a replay.
    this.#seen.add(replayKey(this.#init.memberId, jti), this.#expiry(Math.floor(now.getTime() / 1000)));
    const result = await this.#host.pubsub.publish(topic, new TextEncoder().encode(jws));
    return { jti, recipients: result.recipients.length };
  }

  async #validate(kind: GossipKind, peer: PeerId, msg: Message): Promise<TopicValidatorResult> {
    this.#received += 1;
    let verified: VerifiedGossip;
    let body: GossipBodies[GossipKind];
    try {
      const jws = utf8.decode(msg.data);
      let signerKey: TokenVerificationKey | undefined;
      verified = await verifyGossip(jws, {
        keyFor: async (iss, kid) => (signerKey = await this.#init.keyFor(iss, kid)),
        ...(this.#init.issuerKnown !== undefined ? { issuerKnown: this.#init.issuerKnown } : {}),
        topic: msg.topic,
        maxAgeSeconds: this.#maxAge,
        ...(this.#init.maxMessageBytes !== undefined ? { maxBytes: this.#init.maxMessageBytes } : {}),
        now: () => this.#now(),
      });
      body = await readGossipBody(kind, verified, {
        networkId: this.#init.networkId,
        hubId: this.#init.hubId,
        keyFor: this.#init.keyFor,
        signerKey: signerKey!,
        ...(this.#init.verifyConfig !== undefined ? { verifyConfig: this.#init.verifyConfig } : {}),
      });
      // Last, and synchronously after the awaits: only a message that passed every check
      // claims its id, so a forged copy cannot block the genuine one.
      if (!this.#seen.add(replayKey(verified.iss, verified.jti), this.#expiry(verified.iat))) {
        throw new GossipRejection("replayed", `message ${verified.jti} of ${verified.iss} was seen before`);
      }
    } catch (err) {
      const reason = rejectReasonOf(err);
      this.#rejected[reason] += 1;
      this.#init.logger?.debug({ topic: msg.topic, peer: peer.toString(), reason, err: (err as Error).message }, "gossip message dropped");
      return IGNORED.has(reason) ? TopicValidatorResult.Ignore : TopicValidatorResult.Reject;
    }
    this.#accepted += 1;
    // Handlers run on a later turn of the event loop, once gossipsub has the answer, so a slow
    // handler never holds up forwarding. setImmediate keeps the messages' order.
    setImmediate(() => this.#deliver(kind, body, verified));
    return TopicValidatorResult.Accept;
  }

  #deliver(kind: GossipKind, body: GossipBodies[GossipKind], msg: VerifiedGossip): void {
    for (const handler of this.#handlers.get(kind) ?? []) {
      try {
        Promise.resolve(handler(body, msg.iss, msg)).catch((err: unknown) => this.#handlerFailed(kind, err));
      } catch (err) {
        this.#handlerFailed(kind, err);
      }
    }
  }

  #handlerFailed(kind: GossipKind, err: unknown): void {
    this.#init.logger?.warn({ kind, err }, "gossip handler failed");
  }

  #expiry(iat: number): number {
    return (iat + this.#maxAge + 1) * 1000;
  }

  #now(): Date {
    return this.#init.now?.() ?? new Date();
  }
}

// Refusals that depend on this node's view (keys it has not learnt yet, its clock, what it has
// seen) are ignored: the message is dropped without penalising the peer that relayed it.
const IGNORED = new Set<GossipRejectReason>(["unknown-signer", "too-old", "not-yet-valid", "replayed"]);

const utf8 = new TextDecoder("utf-8", { fatal: true });

function replayKey(issuer: string, jti: string): string {
  return `${issuer}\u0000${jti}`;
}
