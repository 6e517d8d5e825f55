import { MemberHealth, NetworkConfig, Tier } from "@ipfed/proto";
import type { Member, MemberKind, Revocation } from "@ipfed/proto";
import { IpfedError, canonicalMember, tierToName } from "@ipfed/sdk";
import type { MemberKey } from "@ipfed/sdk";
import { Mutex } from "../store/mutex.js";
import { checkEnrolment, signEnrolment, verifyEnrolment } from "./enrolment-token.js";
import type { EnrolmentGrant, StoredEnrolment } from "./enrolment-token.js";
import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS, configEntry, decodeRecord, encodeRecord, healthOf, selfDescription } from "./member-record.js";
import type { HeartbeatReport, MemberRecord, MemberState, RegistrationOutcome } from "./member-record.js";
import { ChangeListeners } from "./network-trust.js";
import { KEYS, decodeJson as dec, encodeJson as enc, rangeOf } from "./registry-sublevel.js";
import type { RegistryBatchOperation, RegistrySublevel } from "./registry-sublevel.js";

const ID_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Dependencies and settings of a {@link MemberRegistry}. */
export interface MemberRegistryInit {
  /** The hub's member id: issuer and audience of enrolment tokens. */
  readonly hubId: string;
  /** The hub's keys, the signing key first (private: enrolment tokens are signed with the first). */
  readonly keys: () => readonly MemberKey[];
  /** Seconds between heartbeats, for health. @defaultValue 30 */
  readonly heartbeatIntervalSeconds?: number;
  /** Most registrations left pending at once (Register needs no token). @defaultValue 1000 */
  readonly maxPending?: number;
  /** The clock. @defaultValue `() => new Date()` */
  readonly now?: () => Date;
}

/** Options of {@link MemberRegistry.buildNetworkConfig}. */
export interface BuildNetworkConfigOptions {
  /** Network id. */
  readonly networkId: string;
  /** The hub's id. @defaultValue the registry's `hubId` */
  readonly hubId?: string;
  /** Lifetime of the configuration in seconds. @defaultValue 86400 (24 h) */
  readonly ttlSeconds?: number;
  /** Grace after expiry in seconds. @defaultValue 3600 (1 h) */
  readonly graceSeconds?: number;
}

/**
 * The hub's registry of members in the node's LevelDB: members and their state (pending,
 * admitted, removed), enrolment tokens (each accepted once), network-wide revocations, and the
 * version of the network configuration, increased by every change that the configuration
 * shows. Mutations run one at a time.
 *
 * @example
 * ```ts
 * const registry = new MemberRegistry(registrySublevel(db), { hubId, keys: () => trust.keys() });
 * await registry.open();
 * const { token } = await registry.createEnrolment("sc-tisc", { maxTier: Tier.TIER_REGISTERED, ttlSeconds: 7 * 86400 });
 * ```
 */
export class MemberRegistry {
  readonly #db: RegistrySublevel;
  readonly #init: MemberRegistryInit;
  readonly #now: () => Date;
  readonly #interval: number;
  readonly #lock = new Mutex();
  readonly #listeners = new ChangeListeners();
  #version = 0;

  constructor(db: RegistrySublevel, init: MemberRegistryInit) {
    this.#db = db;
    this.#init = init;
    this.#now = init.now ?? (() => new Date());
    this.#interval = init.heartbeatIntervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
  }

  /** Reads the configuration version. */
  async open(): Promise<void> {
    const v = await this.#db.get(KEYS.version);
    this.#version = v ? dec<number>(v) : 0;
  }

  /** The configuration version: increased by every change the network configuration shows. */
  get version(): number {
    return this.#version;
  }

  /** Seconds between heartbeats the hub expects. */
  get heartbeatIntervalSeconds(): number {
    return this.#interval;
  }

  /** Calls `listener` after every version change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    return this.#listeners.add(listener);
  }

  /** Returns a member's record, or undefined. */
  async get(id: string): Promise<MemberRecord | undefined> {
    const b = await this.#db.get(KEYS.member + id);
    return b ? decodeRecord(b) : undefined;
  }

  /** Lists records, by id, optionally only in some states, of some kinds, in some regions (prefix match). */
  async list(filter: { states?: readonly MemberState[]; kinds?: readonly MemberKind[]; regions?: readonly string[] } = {}): Promise<MemberRecord[]> {
    const rows = await this.#db.iterator(rangeOf(KEYS.member)).all();
    return rows
      .map(([, v]) => decodeRecord(v))
      .filter((r) => !filter.states?.length || filter.states.includes(r.state))
      .filter((r) => !filter.kinds?.length || filter.kinds.includes(r.member.kind))
      .filter((r) => !filter.regions?.length || filter.regions.some((p) => r.member.region.startsWith(p)));
  }

  /** The member as ListMembers shows it: health computed from its heartbeats (the hub itself is always up). */
  view(record: MemberRecord): Member {
    const now = this.#now();
    if (record.member.id === this.#init.hubId) return { ...record.member, health: MemberHealth.MEMBER_HEALTH_UP, lastSeen: now.toISOString() };
    return { ...record.member, health: healthOf(record.member, now, this.#interval) };
  }

  /**
   * Records a registration whose signature the caller has checked. With a valid, unused
   * enrolment token for this member the member is admitted with the token's tier cap; an
   * admitted member's update keeps it admitted; a removed member needs a new enrolment token;
   * anyone else waits, pending, for an admin.
   *
   * @throws IpfedError `REGISTRATION_INVALID` for the hub's own id or a malformed id;
   *   `RESOURCE_EXHAUSTED` when too many registrations are pending.
   */
  register(member: Member, enrolmentToken?: string): Promise<RegistrationOutcome> {
    return this.#lock.run(async () => {
      const now = this.#now().toISOString();
      const desc = selfDescription(member);
      if (!ID_RE.test(desc.id) || desc.id === this.#init.hubId) throw new IpfedError("REGISTRATION_INVALID", `${desc.id} cannot register: not a member id, or the hub's own`, { field: "member.id" });
      const existing = await this.get(desc.id);
      const keep = existing?.member;
      // A registration is contact: a member that registers and dies before its first heartbeat
      // still goes down, rather than staying "never heard from".
      const merged: Member = { ...desc, maxTier: keep?.maxTier ?? Tier.TIER_UNSPECIFIED, health: keep?.health ?? MemberHealth.MEMBER_HEALTH_UNSPECIFIED, lastSeen: now, catalogue: keep?.catalogue };
      if (enrolmentToken) {
        let grant: StoredEnrolment;
        try {
          grant = await this.#checkEnrolment(enrolmentToken, desc);
        } catch (err) {
          if (!IpfedError.is(err, "REGISTRATION_INVALID")) throw err;
          // A member that restarts with its (used) token still configured is admitted already.
          if (existing?.state !== "admitted") return { state: "refused", message: err.message };
          return this.#update(existing, merged, `registration updated; ${err.message}, so it was ignored`);
        }
        const record: MemberRecord = { state: "admitted", member: { ...merged, maxTier: grant.maxTier }, registeredAt: existing?.registeredAt ?? now, changedAt: now };
        await this.#write([this.#put(record), { type: "put", key: KEYS.enrolment + grant.jti, value: enc({ ...grant, usedAt: now }) }], true);
        return { state: "admitted", record, message: `admitted with an enrolment token, up to ${tierToName(grant.maxTier)}` };
      }
      if (existing?.state === "removed") return { state: "refused", message: `${desc.id} was removed by the hub's admin; ask for an enrolment token` };
      if (existing?.state === "admitted") return this.#update(existing, merged, "registration updated");
      if (!existing && (await this.list({ states: ["pending"] })).length >= (this.#init.maxPending ?? 1000)) {
        throw new IpfedError("RESOURCE_EXHAUSTED", "too many registrations are waiting for the hub's admin; try again later", { retryAfterMs: 3_600_000 });
      }
      const record: MemberRecord = { state: "pending", member: merged, registeredAt: existing?.registeredAt ?? now, changedAt: existing?.changedAt ?? now };
      await this.#write([this.#put(record)], false);
      return { state: "pending", record, message: `waiting for the hub's admin (ipfed members admit --member ${desc.id})` };
    });
  }

  /** Admits a registered member (pending, removed, or admitted to change its cap); the cap defaults to what it had, else PUBLIC. */
  admit(id: string, maxTier?: Tier): Promise<MemberRecord> {
    return this.#change(id, (r) => ({ state: "admitted", member: { ...r.member, maxTier: maxTier ?? (r.member.maxTier || Tier.TIER_PUBLIC) } }));
  }

  /** Removes a member: it drops out of the network configuration, and with it its tokens. */
  remove(id: string): Promise<MemberRecord> {
    return this.#change(id, () => ({ state: "removed" }));
  }

  /**
   * Records a heartbeat of an admitted member: last seen now, its own health and catalogue,
   * and new endpoints (which change the configuration).
   *
   * @throws IpfedError `MEMBER_NOT_ADMITTED` for anyone not admitted.
   */
  heartbeat(id: string, report: HeartbeatReport): Promise<MemberRecord> {
    return this.#lock.run(async () => {
      const r = await this.get(id);
      if (r?.state !== "admitted") throw new IpfedError("MEMBER_NOT_ADMITTED", `${id} is not an admitted member of this hub; register first`);
      const endpoints = report.endpoints.length > 0 ? [...report.endpoints] : r.member.endpoints;
      const catalogue = report.catalogue ?? r.member.catalogue;
      const record: MemberRecord = { ...r, member: { ...r.member, endpoints, catalogue, health: report.health, lastSeen: this.#now().toISOString() } };
      await this.#write([this.#put(record)], canonicalMember(configEntry(record)) !== canonicalMember(configEntry(r)));
      return record;
    });
  }

  /** Records the hub's own entry (admitted, with its own tier cap); returns true when it changed (a key rotation, a new address). */
  upsertSelf(member: Member): Promise<boolean> {
    return this.#lock.run(async () => {
      const existing = await this.get(member.id);
      const now = this.#now().toISOString();
      const record: MemberRecord = { state: "admitted", member: { ...selfDescription(member), maxTier: member.maxTier }, registeredAt: existing?.registeredAt ?? now, changedAt: existing?.changedAt ?? now };
      if (existing?.state === "admitted" && canonicalMember(configEntry(existing)) === canonicalMember(configEntry(record))) return false;
      await this.#write([this.#put(record)], true);
      return true;
    });
  }

  /** Issues a one-use enrolment token that admits `memberId` up to `maxTier`. */
  async createEnrolment(memberId: string, o: { maxTier: Tier; kind?: MemberKind; region?: string; ttlSeconds: number }): Promise<{ token: string; grant: EnrolmentGrant }> {
    if (!ID_RE.test(memberId) || memberId === this.#init.hubId) throw new IpfedError("INVALID_ARGUMENT", `${memberId} is not a member id`, { field: "member" });
    const key = this.#init.keys()[0];
    if (!key) throw new IpfedError("CONFIG_INVALID", "the hub has no signing key");
    const now = this.#now();
    const out = await signEnrolment(key, { hubId: this.#init.hubId, memberId, ...o, now });
    await this.#db.batch([{ type: "put", key: KEYS.enrolment + out.grant.jti, value: enc({ ...out.grant, createdAt: now.toISOString() }) }]);
    return out;
  }

  /** Revokes a token network-wide until it expires (`expiresTime`). */
  revoke(revocation: Revocation): Promise<void> {
    return this.#lock.run(async () => {
      const stale = (await this.#revocationRows()).filter((r) => !this.#live(r)).map((r): RegistryBatchOperation => ({ type: "del", key: KEYS.revoked + r.issuer + "\u0000" + r.jti }));
      await this.#write([...stale, { type: "put", key: KEYS.revoked + revocation.issuer + "\u0000" + revocation.jti, value: enc(revocation) }], true);
    });
  }

  /** Revocations whose tokens have not expired yet. */
  async revocations(): Promise<Revocation[]> {
    return (await this.#revocationRows()).filter((r) => this.#live(r));
  }

  /**
   * Builds the network configuration at the current version: every admitted member (the hub
   * included, see {@link upsertSelf}) with its keys and tier cap, live revocations, and the
   * issue and expiry times. Sign it with `signNetworkConfig`.
   *
   * @throws IpfedError `FAILED_PRECONDITION` before the hub has recorded its own entry.
   */
  async buildNetworkConfig(o: BuildNetworkConfigOptions): Promise<NetworkConfig> {
    const hubId = o.hubId ?? this.#init.hubId;
    const members = (await this.list({ states: ["admitted"] })).map(configEntry);
    if (this.#version < 1 || !members.some((m) => m.id === hubId)) throw new IpfedError("FAILED_PRECONDITION", `the registry has no entry for the hub ${hubId} yet`);
    const now = this.#now();
    return NetworkConfig.fromPartial({
      networkId: o.networkId,
      version: this.#version,
      issuedTime: now.toISOString(),
      expiresTime: new Date(now.getTime() + (o.ttlSeconds ?? 86_400) * 1000).toISOString(),
      members,
      revocations: await this.revocations(),
      hubId,
      graceSeconds: o.graceSeconds ?? 3600,
    });
  }

  /** Increases the version without another change: a re-signed configuration is a new version. */
  bumpVersion(): Promise<number> {
    return this.#lock.run(async () => {
      await this.#write([], true);
      return this.#version;
    });
  }

  /** Keeps the latest signed configuration, so that a restarted hub serves it unchanged. */
  async saveSigned(jws: string): Promise<void> {
    await this.#db.batch([{ type: "put", key: KEYS.signed, value: Buffer.from(jws) }]);
  }

  /** The latest signed configuration kept, if any. */
  async loadSigned(): Promise<string | undefined> {
    const b = await this.#db.get(KEYS.signed);
    return b ? Buffer.from(b).toString("utf8") : undefined;
  }

  async #checkEnrolment(token: string, desc: Member): Promise<StoredEnrolment> {
    const grant = await verifyEnrolment(token, { hubId: this.#init.hubId, keys: this.#init.keys().map((k) => k.publicJwk), now: this.#now() });
    const b = await this.#db.get(KEYS.enrolment + grant.jti);
    return checkEnrolment(grant, b ? dec<StoredEnrolment>(b) : undefined, desc);
  }

  async #update(existing: MemberRecord, member: Member, message: string): Promise<RegistrationOutcome> {
    const record: MemberRecord = { ...existing, member };
    await this.#write([this.#put(record)], canonicalMember(configEntry(record)) !== canonicalMember(configEntry(existing)));
    return { state: "admitted", record, message };
  }

  #change(id: string, fn: (r: MemberRecord) => Partial<MemberRecord>): Promise<MemberRecord> {
    return this.#lock.run(async () => {
      const r = await this.get(id);
      if (!r) throw new IpfedError("MEMBER_NOT_FOUND", `${id} has not registered with this hub`, { field: "member" });
      if (id === this.#init.hubId) throw new IpfedError("INVALID_ARGUMENT", `${id} is the hub itself`, { field: "member" });
      const next = { ...r, ...fn(r) };
      const record: MemberRecord = { ...next, changedAt: next.state !== r.state ? this.#now().toISOString() : r.changedAt };
      const shown = (x: MemberRecord): string => (x.state === "admitted" ? canonicalMember(configEntry(x)) : "");
      await this.#write([this.#put(record)], shown(record) !== shown(r));
      return record;
    });
  }

  #put(record: MemberRecord): RegistryBatchOperation {
    return { type: "put", key: KEYS.member + record.member.id, value: encodeRecord(record) };
  }

  /** Writes one batch; with `bump`, the new version goes in the same batch and listeners hear of it after. */
  async #write(ops: RegistryBatchOperation[], bump: boolean): Promise<void> {
    const version = bump ? this.#version + 1 : this.#version;
    await this.#db.batch(bump ? [...ops, { type: "put", key: KEYS.version, value: enc(version) }] : ops);
    this.#version = version;
    if (bump) this.#listeners.emit();
  }

  async #revocationRows(): Promise<Revocation[]> {
    return (await this.#db.iterator(rangeOf(KEYS.revoked)).all()).map(([, v]) => dec<Revocation>(v));
  }

  #live(r: Revocation): boolean {
    return Date.parse(r.expiresTime ?? "") > this.#now().getTime();
  }
}
