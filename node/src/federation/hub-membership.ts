import { MemberHealth, RegistrationState, Tier } from "@ipfed/proto";
import type { CatalogueSummary, HeartbeatResponse, Member, RegisterResponse } from "@ipfed/proto";
import { IpfedError, canonicalMember, issueToken, signRegistration } from "@ipfed/sdk";
import type { MemberKey } from "@ipfed/sdk";
import { connectHub } from "./hub-client.js";
import type { ChannelSecurity } from "@ipfed/sdk";
import type { HubClient } from "./hub-client.js";
import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS } from "./member-record.js";
import type { NetworkConfigClient } from "./network-config-client.js";
import { SILENT_LOGGER } from "./network-trust.js";
import type { FederationLogger } from "./network-trust.js";

/** Dependencies and settings of a {@link HubMembership}. */
export interface HubMembershipInit {
  /** The member's copy of the network configuration (the hub's id, its version). */
  readonly network: NetworkConfigClient;
  /** The member as it describes itself; read on every registration, so that a key rotation or a new address shows. */
  readonly self: () => Member;
  /** The member's keys, the active one first, with their private parts. */
  readonly keys: () => readonly MemberKey[];
  /** The hub's address, when `hub` is not given. */
  readonly hubAddress?: string;
  /** TLS to the hub (see `hub.tls` in ipfed.json). @defaultValue plaintext */
  readonly hubSecurity?: ChannelSecurity;
  /** The hub connection. @defaultValue `connectHub(hubAddress)` */
  readonly hub?: HubClient;
  /** The member's catalogue summary, for heartbeats. @defaultValue none sent */
  readonly catalogue?: () => Promise<CatalogueSummary | undefined>;
  /** An enrolment token from the hub, sent until the member is admitted. */
  readonly enrolmentToken?: string;
  /** Seconds between heartbeats until the hub says otherwise. @defaultValue 30 */
  readonly intervalSeconds?: number;
  /** Logger. @defaultValue silent */
  readonly logger?: FederationLogger;
  /** The clock. @defaultValue `() => new Date()` */
  readonly now?: () => Date;
}

/** Where this member stands with the hub, as far as it knows. */
export type MembershipState = "unregistered" | "pending" | "admitted" | "refused";

/**
 * A member's link to its hub: registers (signed with its own key, proving it holds it) and
 * then sends a heartbeat every interval with a token it signs for the hub. It re-registers
 * when its self-description changes (a new key, a new address) and when the hub stops
 * knowing it; a heartbeat that reports a newer configuration makes the client fetch it.
 *
 * @example
 * ```ts
 * const membership = new HubMembership({ network, self: () => selfMember(identity, { endpoints }), keys: () => trust.keys(), hubAddress });
 * membership.start();
 * ```
 */
export class HubMembership {
  readonly #init: HubMembershipInit;
  readonly #hub: HubClient;
  readonly #log: FederationLogger;
  readonly #now: () => Date;
  #state: MembershipState = "unregistered";
  #registered = "";
  #interval: number;
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(init: HubMembershipInit) {
    this.#init = init;
    const hub = init.hub ?? (init.hubAddress ? connectHub(init.hubAddress, undefined, init.hubSecurity) : undefined);
    if (!hub) throw new IpfedError("CONFIG_INVALID", "joining a hub needs its address (hub.address in ipfed.json)", { field: "hub.address" });
    this.#hub = hub;
    this.#log = init.logger ?? SILENT_LOGGER;
    this.#now = init.now ?? (() => new Date());
    this.#interval = init.intervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
  }

  /** Where the member stands with the hub. */
  state(): MembershipState {
    return this.#state;
  }

  /**
   * Registers with the hub. The registration is signed with the active key; when the hub
   * refuses the signature (it wants a key it has on record, after a rotation) each older key
   * is tried in turn.
   */
  async register(enrolmentToken = this.#state === "admitted" ? undefined : this.#init.enrolmentToken): Promise<RegisterResponse> {
    const member = this.#init.self();
    const keys = this.#init.keys();
    let res: RegisterResponse | undefined;
    for (const [i, key] of keys.entries()) {
      try {
        const signature = await signRegistration(member, key);
        res = await this.#hub.register({ member, signature, enrolmentToken: enrolmentToken ?? "" });
        break;
      } catch (err) {
        if (!IpfedError.is(err, "REGISTRATION_INVALID") || i === keys.length - 1) throw err;
      }
    }
    if (!res) throw new IpfedError("CONFIG_INVALID", "this node has no key to sign its registration with");
    this.#state =
      res.state === RegistrationState.REGISTRATION_STATE_ADMITTED ? "admitted"
      : res.state === RegistrationState.REGISTRATION_STATE_PENDING ? "pending"
      : "refused";
    this.#registered = canonicalMember(member);
    const log = this.#state === "refused" ? this.#log.error.bind(this.#log) : this.#log.info.bind(this.#log);
    log({ state: this.#state, message: res.message }, `registration with the hub: ${this.#state}`);
    return res;
  }

  /** Sends one heartbeat: a token signed for the hub (audience = the hub, scope admin), health, catalogue, config version, endpoints. */
  async heartbeat(): Promise<HeartbeatResponse> {
    const network = this.#init.network;
    if (!network.current()) await network.refresh();
    const config = network.current();
    const key = this.#init.keys()[0];
    if (!config || !key) throw new IpfedError("FAILED_PRECONDITION", "no network configuration (or no key) yet; cannot address the hub");
    const me = this.#init.self();
    const token = await issueToken(key, { issuer: me.id, subject: me.id, audience: config.hubId, tier: Tier.TIER_PUBLIC, scopes: ["admin"], ttlSeconds: 120, now: this.#now() });
    const catalogue = await this.#init.catalogue?.();
    const res = await this.#hub.heartbeat(
      { memberId: me.id, health: MemberHealth.MEMBER_HEALTH_UP, catalogue, configVersion: config.version, endpoints: me.endpoints },
      token,
    );
    // The hub says how often it expects us; a member configured to beat more often keeps its pace.
    if (res.intervalSeconds > 0) this.#interval = Math.min(res.intervalSeconds, this.#init.intervalSeconds ?? res.intervalSeconds);
    const skew = Math.abs(Date.parse(res.serverTime ?? "") - this.#now().getTime());
    if (skew > 60_000) this.#log.warn({ skewMs: skew }, "this node's clock differs from the hub's by more than a minute; tokens may be refused");
    network.noteVersion(res.configVersion);
    return res;
  }

  /** Registers, then heartbeats every interval until {@link stop}; failures are logged and retried. Idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#tick();
  }

  /** Stops the loop and closes the hub connection it opened. */
  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    if (!this.#init.hub) this.#hub.close();
  }

  async #tick(): Promise<void> {
    try {
      if (this.#state !== "admitted" || canonicalMember(this.#init.self()) !== this.#registered) await this.register();
      if (this.#state === "admitted") await this.heartbeat();
    } catch (err) {
      // The hub no longer trusts our token (removed, or a key it has not seen): register again.
      if (IpfedError.is(err) && ["TOKEN_ISSUER_UNKNOWN", "TOKEN_KEY_UNKNOWN", "MEMBER_NOT_ADMITTED"].includes(err.code)) this.#state = "unregistered";
      this.#log.warn({ err, state: this.#state }, "hub heartbeat failed; retrying at the next interval");
    }
    if (!this.#running) return;
    // A refused member needs its operator (or the hub's) to act; asking every interval only fills logs.
    const delay = this.#interval * (this.#state === "refused" ? 10 : 1);
    this.#timer = setTimeout(() => void this.#tick(), delay * 1000);
    this.#timer.unref();
  }
}
