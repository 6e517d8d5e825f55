import { calculateJwkThumbprint } from "jose";
import type { JWK } from "jose";
import { NetworkConfig } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import type { MemberKey } from "../keys/member-key.js";
import { shown } from "../tokens/read-compact-jws.js";
import { isTokenIdentifier } from "../tokens/token-claims.js";
import { canonicalJson } from "./canonical-json.js";
import { memberJwks } from "./network-issuers.js";
import { readTypedJws, signTypedJws, verifyTypedJws } from "./typed-jws.js";
import type { TypedJwsRules } from "./typed-jws.js";

/**
 * The `typ` of a signed network configuration; nothing else a hub signs carries it.
 *
 * @example
 * ```ts
 * readCompactJws(signed, DEFAULT_MAX_NETWORK_CONFIG_BYTES); // refused: its typ is NETWORK_CONFIG_TYP, not a token's
 * ```
 */
export const NETWORK_CONFIG_TYP = "ipfed-netconf+jwt";

/**
 * Largest signed configuration accepted by default, in bytes (hundreds of members fit easily).
 *
 * @example
 * ```ts
 * const claims = inspectNetworkConfig(signed, DEFAULT_MAX_NETWORK_CONFIG_BYTES);
 * ```
 */
export const DEFAULT_MAX_NETWORK_CONFIG_BYTES = 8 * 1024 * 1024;

/**
 * Returns the canonical JSON of a configuration, the text the hub signs: `NetworkConfig.toJSON`
 * of the configuration after a protobuf round trip (so that timestamps read the same however
 * they were written), with sorted keys.
 *
 * @example
 * ```ts
 * canonicalNetworkConfig(config); // '{"expiresTime":"…","hubId":"hub",…}'
 * ```
 */
export function canonicalNetworkConfig(config: NetworkConfig): string {
  return canonicalJson(NetworkConfig.toJSON(NetworkConfig.decode(NetworkConfig.encode(config).finish())));
}

/**
 * Signs a network configuration with the hub's key: a compact JWS (EdDSA, header
 * `{ alg, kid, typ: "ipfed-netconf+jwt" }`) whose payload is {@link canonicalNetworkConfig}.
 *
 * @throws IpfedError `INVALID_ARGUMENT` when the configuration lacks a network id, a hub id,
 *   a positive version or valid times, or does not list the hub with the signing key: members
 *   find the hub's keys in the configuration itself.
 * @example
 * ```ts
 * const jws = await signNetworkConfig(config, hubKey);
 * ```
 */
export async function signNetworkConfig(config: NetworkConfig, hubKey: MemberKey): Promise<string> {
  const bad = (field: string, why: string): never => {
    throw new IpfedError("INVALID_ARGUMENT", `network configuration ${why}`, { field });
  };
  if (!isTokenIdentifier(config.networkId)) bad("networkId", "needs a network id");
  if (!isTokenIdentifier(config.hubId)) bad("hubId", "needs the hub's member id");
  if (!Number.isSafeInteger(config.version) || config.version < 1) bad("version", "needs a positive version");
  if (validTime(config.issuedTime) === undefined || validTime(config.expiresTime) === undefined) bad("expiresTime", "needs valid issued and expiry times");
  const hub = config.members.find((m) => m.id === config.hubId);
  if (!hub?.keys.some((k) => k.kid === hubKey.kid)) bad("members", `must list the hub ${config.hubId} with the signing key ${hubKey.kid}`);
  return signTypedJws(hubKey, NETWORK_CONFIG_TYP, canonicalNetworkConfig(config));
}

/**
 * Options of {@link verifyNetworkConfig}. Give `hubKeys`, `pinnedKid`, or both.
 *
 * @example
 * ```ts
 * const options: VerifyNetworkConfigOptions = { hubId: "hub", pinnedKid: process.env.HUB_KID };
 * const { config } = await verifyNetworkConfig(signed, options);
 * ```
 */
export interface VerifyNetworkConfigOptions {
  /**
   * The hub's member id; the configuration must name it as its signer.
   * @defaultValue any hub, as long as a trusted key signed
   */
  readonly hubId?: string;
  /**
   * Hub keys trusted to sign, found by their `kid` (keys of the hub from a configuration
   * accepted earlier).
   * @defaultValue none
   */
  readonly hubKeys?: readonly JWK[];
  /**
   * The RFC 7638 thumbprint of a hub key trusted to sign (`hub.fingerprint` in ipfed.json).
   * The key itself comes from `hubKeys` or from the hub's own entry in the configuration; its
   * thumbprint is computed, never taken from a `kid` label.
   * @defaultValue none
   */
  readonly pinnedKid?: string;
  /**
   * The current time.
   * @defaultValue `new Date()`
   */
  readonly now?: Date;
  /**
   * Seconds past expiry during which the configuration is still trusted.
   * @defaultValue the configuration's own `graceSeconds`
   */
  readonly graceSeconds?: number;
  /**
   * Largest input accepted, in bytes.
   * @defaultValue {@link DEFAULT_MAX_NETWORK_CONFIG_BYTES}
   */
  readonly maxBytes?: number;
}

/**
 * A configuration whose signature holds, and where it stands in time.
 *
 * @example
 * ```ts
 * const { config, expired, pastGrace, kid, hubKeys }: VerifiedNetworkConfig = await verifyNetworkConfig(signed, { pinnedKid });
 * if (pastGrace) console.warn(`configuration v${config.version} (signed by ${kid}) is past its grace period`);
 * ```
 */
export interface VerifiedNetworkConfig {
  /** The configuration, decoded from the signed payload. */
  readonly config: NetworkConfig;
  /** True once `expiresTime` has passed. */
  readonly expired: boolean;
  /** True once `expiresTime` plus the grace period has passed: foreign tokens are then refused. */
  readonly pastGrace: boolean;
  /** The key that signed it. */
  readonly kid: string;
  /** The hub's keys as the configuration lists them: the trusted keys for its successors. */
  readonly hubKeys: readonly JWK[];
}

/**
 * Verifies a signed network configuration against the hub's key and returns it. Expiry is
 * reported (`expired`, `pastGrace`), never thrown: a member keeps a stale configuration during
 * a hub outage and decides itself what to refuse.
 *
 * @throws IpfedError `NETWORK_CONFIG_INVALID` for anything that is not a configuration signed
 *   by a trusted hub key: bad shape or `typ`, an untrusted key, a bad signature, another hub,
 *   a configuration without the hub's own entry, version or expiry; `INVALID_ARGUMENT` when no
 *   trusted key is given at all.
 * @example
 * ```ts
 * const { config, expired, pastGrace } = await verifyNetworkConfig(jws, { pinnedKid: hubFingerprint });
 * ```
 */
export async function verifyNetworkConfig(jws: string, options: VerifyNetworkConfigOptions): Promise<VerifiedNetworkConfig> {
  if (options.hubKeys === undefined && options.pinnedKid === undefined) {
    throw new IpfedError("INVALID_ARGUMENT", "give the trusted hub keys or the hub's pinned key fingerprint", { field: "hubKeys" });
  }
  const rules = rulesOf(options.maxBytes);
  const { kid, payload } = await verifyTypedJws(jws, rules, async (kid, unchecked) => {
    const labelled = options.hubKeys?.find((k) => k.kid === kid);
    if (labelled !== undefined) return labelled;
    if (kid !== options.pinnedKid) return undefined;
    // The unchecked payload only offers candidates; a candidate counts only if its own
    // thumbprint is the pinned one, and then the signature must still verify with it.
    const candidates = [...(options.hubKeys ?? []), ...hubEntryKeys(unchecked.payload)];
    for (const jwk of candidates) if ((await thumbprintOf(jwk)) === options.pinnedKid) return jwk;
    return undefined;
  });
  const config = decodeConfig(payload);
  const invalid = (why: string): never => {
    throw new IpfedError("NETWORK_CONFIG_INVALID", `network configuration ${why}`);
  };
  if (!isTokenIdentifier(config.hubId)) invalid("names no hub");
  if (options.hubId !== undefined && config.hubId !== options.hubId) invalid(`is signed by hub ${shown(config.hubId)}, not ${shown(options.hubId)}`);
  if (!isTokenIdentifier(config.networkId)) invalid("names no network");
  if (!Number.isSafeInteger(config.version) || config.version < 1) invalid("has no valid version");
  const expires = validTime(config.expiresTime);
  if (expires === undefined) return invalid("has no valid expiry");
  const hub = config.members.find((m) => m.id === config.hubId);
  if (hub === undefined) return invalid("does not list its hub");
  const now = (options.now ?? new Date()).getTime();
  const grace = options.graceSeconds ?? config.graceSeconds;
  return { config, expired: now >= expires, pastGrace: now >= expires + grace * 1000, kid, hubKeys: memberJwks(hub) };
}

/**
 * What a signed configuration says about itself before it is verified.
 *
 * @example
 * ```ts
 * const { hubId, networkId, version }: NetworkConfigClaims = inspectNetworkConfig(signed);
 * ```
 */
export interface NetworkConfigClaims {
  /** The key it says signed it. */
  readonly kid: string;
  /** The hub it names. */
  readonly hubId: string;
  /** The network it names. */
  readonly networkId: string;
  /** Its version. */
  readonly version: number;
}

/**
 * Reads the signer, hub, network and version of a signed configuration without verifying it:
 * for logs and for trust on first use, never for a trust decision on its own.
 *
 * @throws IpfedError `NETWORK_CONFIG_INVALID` when it is not a network configuration JWS.
 * @example
 * ```ts
 * const { kid, version } = inspectNetworkConfig(jws);
 * ```
 */
export function inspectNetworkConfig(jws: string, maxBytes?: number): NetworkConfigClaims {
  const { kid, payload } = readTypedJws(jws, rulesOf(maxBytes));
  const config = decodeConfig(payload);
  return { kid, hubId: config.hubId, networkId: config.networkId, version: config.version };
}

function rulesOf(maxBytes: number | undefined): TypedJwsRules {
  return { typ: NETWORK_CONFIG_TYP, code: "NETWORK_CONFIG_INVALID", what: "network configuration", maxBytes: maxBytes ?? DEFAULT_MAX_NETWORK_CONFIG_BYTES };
}

function decodeConfig(payload: Record<string, unknown>): NetworkConfig {
  try {
    return NetworkConfig.fromJSON(payload);
  } catch (err) {
    throw new IpfedError("NETWORK_CONFIG_INVALID", "network configuration payload is not a NetworkConfig", { cause: err });
  }
}

function hubEntryKeys(payload: Record<string, unknown>): JWK[] {
  try {
    const config = NetworkConfig.fromJSON(payload);
    const hub = config.members.find((m) => m.id === config.hubId);
    return hub === undefined ? [] : memberJwks(hub);
  } catch {
    return [];
  }
}

async function thumbprintOf(jwk: JWK): Promise<string | undefined> {
  try {
    return await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: jwk.x }, "sha256");
  } catch {
    return undefined;
  }
}

function validTime(value: string | undefined): number | undefined {
  const ms = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
