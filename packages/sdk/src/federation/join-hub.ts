import { Metadata } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { channelFor } from "../tls/tls-credentials.js";
import type { ChannelSecurity } from "../tls/tls-credentials.js";
import {
  FederationServiceClient,
  GetNetworkConfigRequest,
  HeartbeatRequest,
  Member,
  MemberHealth,
  RegisterRequest,
  RegistrationState,
  Tier,
} from "@ipfed/proto";
import type { CatalogueSummary, GetNetworkConfigResponse, HeartbeatResponse, NetworkConfig, RegisterResponse } from "@ipfed/proto";
import type { Authenticate } from "../auth/auth-interceptor.js";
import type { Caller, ScopeName } from "../auth/caller.js";
import { fromGrpcError } from "../errors/grpc-status.js";
import { IpfedError } from "../errors/ipfed-error.js";
import type { MemberIdentity } from "../server/member-identity.js";
import { issueToken } from "../tokens/issue-token.js";
import { createStaticKeyResolver } from "../tokens/key-resolvers.js";
import type { IssuerKeys, StaticKeyResolver } from "../tokens/key-resolvers.js";
import { verifyToken } from "../tokens/verify-token.js";
import { verifyNetworkConfig } from "./network-config.js";
import { networkIssuers } from "./network-issuers.js";
import type { NetworkIssuers } from "./network-issuers.js";
import { signRegistration } from "./registration.js";
import { selfMember } from "./self-member.js";

/**
 * Options of {@link joinHub}.
 *
 * @example
 * ```ts
 * const options: JoinHubOptions = { identity, hubAddress: "127.0.0.1:7400", hubFingerprint: hubKid, enrolmentToken, endpoints: () => ({ grpc: address }) };
 * const link = await joinHub(options);
 * ```
 */
export interface JoinHubOptions {
  /** The member: id, kind, region, names, network and keys (the active key signs). */
  readonly identity: MemberIdentity;
  /** The hub's gRPC `host:port`. */
  readonly hubAddress: string;
  /**
   * How to reach the hub: `{ tls: { ca: hubCertPem, cert, key } }` pins the hub's certificate
   * and presents the member's (mutual TLS; the hub binds the member's heartbeats to the
   * certificate it registered, `identity.tlsCertificate`), `{ tls: true }` uses the system's
   * roots. Plaintext by default, which only a loopback hub address allows without
   * `allowPlaintext`.
   * @defaultValue plaintext
   */
  readonly hubSecurity?: ChannelSecurity;
  /**
   * The RFC 7638 thumbprint of the hub's key (its `kid`), given out of band: only a network
   * configuration signed by that key is trusted.
   */
  readonly hubFingerprint: string;
  /** An enrolment token from the hub (`ipfed members enrol`), which admits the member at once. */
  readonly enrolmentToken?: string;
  /** The member's announced addresses; read on every registration and heartbeat. */
  readonly endpoints: () => {
    /** The member's gRPC `host:port`. */
    readonly grpc?: string;
    /** The member's HTTP `host:port`, if it has an HTTP side. */
    readonly http?: string;
  };
  /** The member's catalogue summary for heartbeats (`catalogueSummaryOf(dataSource)`). @defaultValue none sent */
  readonly catalogue?: () => Promise<CatalogueSummary | undefined>;
  /** The member it federates under, when not the hub. @defaultValue none */
  readonly parentId?: string;
  /** Seconds between heartbeats until the hub asks for another pace. @defaultValue 30 */
  readonly intervalSeconds?: number;
  /**
   * Scopes of anonymous callers, for {@link HubLink.authenticate}.
   * @defaultValue `["search", "read"]`
   */
  readonly anonymousScopes?: readonly ScopeName[];
  /** Deadline of each call to the hub, in milliseconds. @defaultValue 10000 */
  readonly timeoutMs?: number;
  /** Told of every failed heartbeat (they are retried at the next interval). @defaultValue ignored */
  readonly onError?: (err: IpfedError) => void;
}

/**
 * Where a member stands with its hub.
 *
 * @example
 * ```ts
 * const state: HubLinkState = (await joinHub(options)).state; // "pending" until the hub's operator admits the member
 * ```
 */
export type HubLinkState = "pending" | "admitted" | "refused";

/**
 * A member's live link to its hub, from {@link joinHub}.
 *
 * @example
 * ```ts
 * const link: HubLink = await joinHub(options);
 * console.log(link.state, link.config.version); // "admitted" 4
 * link.close();
 * ```
 */
export interface HubLink {
  /** Where the member stands, as the hub last said. */
  readonly state: HubLinkState;
  /** What the hub said when the member registered. */
  readonly message: string;
  /** The verified network configuration the member holds. */
  readonly config: NetworkConfig;
  /**
   * Establishes callers for `createMemberServer`: a token signed by any member of the network
   * (the hub's derived tokens for federated queries among them) within the tier the
   * configuration allows its issuer, or by this member itself; anonymous callers are PUBLIC.
   */
  readonly authenticate: Authenticate;
  /** Sends one heartbeat now. */
  heartbeat(): Promise<HeartbeatResponse>;
  /** Fetches the hub's configuration when it is newer than the one held. */
  refresh(): Promise<NetworkConfig>;
  /** Stops heartbeats and closes the connection to the hub; idempotent. */
  close(): void;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Joins a hub as a member built on the server kit, the way the reference node does: fetches
 * the hub's signed network configuration and checks it against the pinned fingerprint,
 * registers with a signature made by the member's own key (proof of possession) and the
 * enrolment token, then heartbeats (a token signed for the hub, scope `admin`) with its health
 * and catalogue, picking up each newer configuration. The returned `authenticate` trusts the
 * network's issuers, so that the hub's federated queries reach the member's DataSource.
 *
 * @throws IpfedError `NETWORK_CONFIG_INVALID` when the hub's configuration is not signed by
 *   the pinned key; `UNAVAILABLE` when the hub cannot be reached; `REGISTRATION_INVALID` when
 *   the hub refuses the signature.
 * @example
 * ```ts
 * const server = createMemberServer({ identity, dataSource, options: { authenticate: (md, path) => link.authenticate(md, path) } });
 * const address = await server.listen("127.0.0.1:0");
 * const link = await joinHub({ identity, hubAddress, hubFingerprint, enrolmentToken, endpoints: () => ({ grpc: address }), catalogue: () => catalogueSummaryOf(dataSource) });
 * console.log(link.state); // "admitted"
 * ```
 */
export async function joinHub(options: JoinHubOptions): Promise<HubLink> {
  const { identity } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const channel = channelFor(options.hubAddress, options.hubSecurity);
  const client = new FederationServiceClient(options.hubAddress, channel.credentials, { "grpc.max_receive_message_length": 16 * 1024 * 1024, ...channel.options });
  const call = <Res>(fn: (md: Metadata, o: { deadline: Date }, cb: (err: ServiceError | null, res: Res) => void) => unknown, token?: string): Promise<Res> => {
    const md = new Metadata();
    if (token) md.set("authorization", `Bearer ${token}`);
    return new Promise((resolve, reject) => {
      fn(md, { deadline: new Date(Date.now() + timeoutMs) }, (err, res) => (err ? reject(fromGrpcError(err)) : resolve(res)));
    });
  };

  let config: NetworkConfig;
  let issuers: NetworkIssuers;
  let resolver: StaticKeyResolver;
  const adopt = async (signed: string): Promise<void> => {
    const v = await verifyNetworkConfig(signed, { pinnedKid: options.hubFingerprint });
    if (v.config.networkId !== identity.networkId) {
      throw new IpfedError("NETWORK_CONFIG_INVALID", `the hub serves network "${v.config.networkId}", not "${identity.networkId}"`);
    }
    config = v.config;
    issuers = networkIssuers(config);
    const table = new Map<string, IssuerKeys>(issuers.issuers);
    const own = identity.keys().map((k) => k.publicJwk);
    table.set(identity.id, { keys: own, maxTier: table.get(identity.id)?.maxTier ?? Tier.TIER_PUBLIC });
    resolver = createStaticKeyResolver(table);
  };
  const fetchConfig = (known: number) =>
    call<GetNetworkConfigResponse>((md, o, cb) => client.getNetworkConfig(GetNetworkConfigRequest.fromPartial({ knownVersion: known }), md, o, cb));
  const refresh = async (): Promise<NetworkConfig> => {
    const res = await fetchConfig(config?.version ?? 0);
    if (!res.notModified && res.signed) await adopt(res.signed);
    return config;
  };

  const self = (): Member => selfMember(identity, { endpoints: options.endpoints(), ...(options.parentId ? { parentId: options.parentId } : {}) });

  let state: HubLinkState;
  let message: string;
  let interval = options.intervalSeconds ?? 30;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const heartbeat = async (): Promise<HeartbeatResponse> => {
    const key = identity.keys()[0];
    if (!key) throw new IpfedError("FAILED_PRECONDITION", `member ${identity.id} has no key to sign its heartbeat with`);
    const token = await issueToken(key, { issuer: identity.id, subject: identity.id, audience: config.hubId, tier: Tier.TIER_PUBLIC, scopes: ["admin"], ttlSeconds: 120 });
    const catalogue = await options.catalogue?.();
    const me = self();
    const res = await call<HeartbeatResponse>(
      (md, o, cb) =>
        client.heartbeat(
          HeartbeatRequest.fromPartial({ memberId: identity.id, health: MemberHealth.MEMBER_HEALTH_UP, configVersion: config.version, endpoints: me.endpoints, ...(catalogue ? { catalogue } : {}) }),
          md,
          o,
          cb,
        ),
      token,
    );
    if (res.intervalSeconds > 0) interval = Math.min(res.intervalSeconds, options.intervalSeconds ?? res.intervalSeconds);
    if (res.configVersion > config.version) await refresh();
    return res;
  };

  try {
    const first = await fetchConfig(0);
    if (!first.signed) throw new IpfedError("NETWORK_CONFIG_INVALID", `the hub at ${options.hubAddress} sent no signed network configuration`);
    await adopt(first.signed);
    const member = self();
    const key = identity.keys()[0];
    if (!key) throw new IpfedError("FAILED_PRECONDITION", `member ${identity.id} has no key to sign its registration with`);
    const signature = await signRegistration(member, key);
    const res = await call<RegisterResponse>((md, o, cb) =>
      client.register(RegisterRequest.fromPartial({ member, signature, enrolmentToken: options.enrolmentToken ?? "" }), md, o, cb),
    );
    state =
      res.state === RegistrationState.REGISTRATION_STATE_ADMITTED ? "admitted"
      : res.state === RegistrationState.REGISTRATION_STATE_PENDING ? "pending"
      : "refused";
    message = res.message;
    if (state === "admitted") {
      // The hub signs a configuration that lists the new member; take it before the first heartbeat.
      for (let i = 0; i < 20 && !config!.members.some((m) => m.id === identity.id); i++) {
        await refresh();
        if (!config!.members.some((m) => m.id === identity.id)) await new Promise((r) => setTimeout(r, 100));
      }
      await heartbeat();
    }
  } catch (err) {
    client.close();
    throw IpfedError.from(err, "UNAVAILABLE");
  }

  const loop = (): void => {
    if (closed || state !== "admitted") return;
    timer = setTimeout(() => {
      heartbeat().then(
        () => loop(),
        (err: unknown) => {
          options.onError?.(IpfedError.from(err, "UNAVAILABLE"));
          loop();
        },
      );
    }, interval * 1000);
    timer.unref();
  };
  loop();

  const anonymousScopes = new Set<ScopeName>(options.anonymousScopes ?? ["search", "read"]);
  const authenticate: Authenticate = async (metadata) => {
    const values = metadata.get("authorization");
    if (values.length === 0) {
      const caller: Caller = { anonymous: true, subject: "anonymous", issuer: "", tier: Tier.TIER_PUBLIC, scopes: anonymousScopes, tokenId: "", expiresAt: 0 };
      return caller;
    }
    if (values.length > 1) throw new IpfedError("TOKEN_MALFORMED", "the call carries more than one authorization header");
    const m = typeof values[0] === "string" ? BEARER.exec(values[0].trim()) : null;
    if (!m) throw new IpfedError("TOKEN_MALFORMED", 'the authorization header must be "Bearer <token>"');
    const verified = await verifyToken(m[1]!, { keys: resolver, audience: [identity.id, identity.networkId], isRevoked: (jti, iss) => issuers.isRevoked(jti, iss) });
    return verified.caller;
  };

  return {
    get state() {
      return state;
    },
    get message() {
      return message;
    },
    get config() {
      return config;
    },
    authenticate,
    heartbeat,
    refresh,
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      client.close();
    },
  };
}
