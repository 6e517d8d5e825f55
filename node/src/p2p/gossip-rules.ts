import { compactVerify } from "jose";
import { CatalogueSummary, Member, NetworkConfig } from "@ipfed/proto";
import { importVerificationKey, isTokenIdentifier } from "@ipfed/sdk";
import type { TokenVerificationKey } from "@ipfed/sdk";
import { GossipRejection } from "./gossip-topics.js";
import type { CatalogueNotice, ConfigNotice, GossipBodies, GossipKind, RevocationNotice } from "./gossip-topics.js";
import type { GossipKeyLookup, VerifiedGossip } from "./signed-message.js";

/** What {@link readGossipBody} needs to know besides the message. */
export interface GossipBodyContext {
  /** The network's id. */
  readonly networkId: string;
  /** The hub's member id: it may speak for anyone, and only it signs network configurations. */
  readonly hubId: string;
  /** Key lookup, for the hub's signature on a network configuration. */
  readonly keyFor: GossipKeyLookup;
  /** The key the envelope was verified with (what `keyFor(iss, kid)` returned). */
  readonly signerKey: TokenVerificationKey;
  /**
   * Verifies a hub-signed network configuration and returns it decoded; throws when it is not
   * one. The network and hub it names are checked afterwards either way.
   * @defaultValue {@link verifyHubSignedConfig} with `keyFor(hubId, kid)`
   */
  readonly verifyConfig?: (jws: string) => Promise<NetworkConfig>;
}

/** The `typ` a hub gives a signed network configuration; a configuration JWS may also carry none. */
export const NETWORK_CONFIG_TYP = "ipfed-netconf+jwt";

/**
 * Checks that a compact JWS is a network configuration signed by a key of the hub, and returns
 * it decoded: `alg` EdDSA, `typ` absent or {@link NETWORK_CONFIG_TYP}, the hub's key by `kid`,
 * the signature, and a JSON `NetworkConfig` payload. Version and expiry are not judged here.
 *
 * @throws GossipRejection `not-allowed` when no key of the hub signed it; `invalid-body` when it
 *   is not a configuration JWS.
 * @example
 * ```ts
 * const config = await verifyHubSignedConfig(jws, "cn-hub", book.keyFor);
 * ```
 */
export async function verifyHubSignedConfig(jws: string, hubId: string, keyFor: GossipKeyLookup): Promise<NetworkConfig> {
  const parts = jws.split(".");
  if (parts.length !== 3) throw new GossipRejection("invalid-body", "network configuration is not a compact JWS");
  const header = tryJson(parts[0]!);
  const kid = header?.["kid"];
  const typ = header?.["typ"];
  if (header?.["alg"] !== "EdDSA" || !isTokenIdentifier(kid) || (typ !== undefined && typ !== NETWORK_CONFIG_TYP)) {
    throw new GossipRejection("invalid-body", `network configuration JWS needs alg EdDSA, a kid, and typ ${NETWORK_CONFIG_TYP} or none`);
  }
  const resolved = await keyFor(hubId, kid);
  const key = resolved === undefined ? undefined : await importVerificationKey(resolved);
  if (key === undefined) throw new GossipRejection("not-allowed", `network configuration is not signed by a known key of the hub ${hubId}`);
  try {
    await compactVerify(jws, key, { algorithms: ["EdDSA"] });
  } catch (err) {
    throw new GossipRejection("not-allowed", `network configuration signature does not verify with key ${kid} of the hub`, { cause: err });
  }
  const payload = tryJson(parts[1]!);
  if (payload === undefined) throw new GossipRejection("invalid-body", "network configuration payload is not a JSON object");
  return decode(() => NetworkConfig.fromJSON(payload), "network configuration");
}

/**
 * Checks the body of a verified gossip message for its kind, and who may say it, and returns
 * it decoded. The rules:
 *
 * - **member**: a `Member` (`Member.toJSON`). Signed by the hub, or self-signed: then the
 *   signer must be the announced member, and the announced `keys` must list the signing `kid`
 *   with the same public key. The signing key itself must already be trusted for that member
 *   (the signed network configuration, or an announcement accepted before, through `keyFor`):
 *   a self-signed announcement can extend a member's keys, never introduce a member or replace
 *   its keys, because anyone can sign an announcement with a key of their own.
 * - **catalogue**: `{ memberId, version, summary }`, signed by that member or the hub.
 * - **revocation**: `{ jti, issuer, exp }`, signed by the token's issuer or the hub: nobody
 *   else may revoke a member's tokens.
 * - **config**: `{ jws }`: the network configuration as signed by the hub. Anyone may relay
 *   it; it must pass `verifyConfig` (by default {@link verifyHubSignedConfig}: signed by a key
 *   of `hubId`), and name this network and `hubId` as its hub.
 *
 * @throws GossipRejection `wrong-topic`, `not-allowed` or `invalid-body`.
 * @example
 * ```ts
 * const member = await readGossipBody("member", msg, { networkId, hubId, keyFor, signerKey });
 * ```
 */
export async function readGossipBody<K extends GossipKind>(
  kind: K,
  msg: VerifiedGossip,
  ctx: GossipBodyContext,
): Promise<GossipBodies[K]> {
  if (msg.type !== kind) throw new GossipRejection("wrong-topic", `a ${msg.type} message arrived on the ${kind} topic`);
  const body = asObject(msg.body);
  switch (kind) {
    case "member":
      return readMember(msg, body, ctx) as GossipBodies[K];
    case "catalogue":
      return readCatalogue(msg, body, ctx) as GossipBodies[K];
    case "revocation":
      return readRevocation(msg, body, ctx) as GossipBodies[K];
    case "config":
      return (await readConfig(body, ctx)) as GossipBodies[K];
    default:
      throw new GossipRejection("wrong-topic", `unknown gossip kind ${String(kind)}`);
  }
}

const MEMBER_ID = /^[a-z0-9][a-z0-9-]{0,127}$/;

function readMember(msg: VerifiedGossip, body: Record<string, unknown>, ctx: GossipBodyContext): Member {
  if (typeof body["id"] !== "string" || !MEMBER_ID.test(body["id"])) throw new GossipRejection("invalid-body", "member announcement has no valid id");
  const member = decode(() => Member.fromJSON(body), "member announcement");
  if (msg.iss === ctx.hubId) return member;
  if (msg.iss !== member.id) throw new GossipRejection("not-allowed", `${msg.iss} may not announce member ${member.id}`);
  const listed = member.keys.find((k) => k.kid === msg.kid);
  if (listed === undefined) throw new GossipRejection("not-allowed", `member ${member.id} signed with key ${msg.kid}, which its announcement does not list`);
  const trustedX = (ctx.signerKey as { x?: unknown }).x;
  if (typeof trustedX === "string" && listed.x !== trustedX) {
    throw new GossipRejection("not-allowed", `member ${member.id} announces key ${msg.kid} with another public key than the one trusted`);
  }
  return member;
}

function readCatalogue(msg: VerifiedGossip, body: Record<string, unknown>, ctx: GossipBodyContext): CatalogueNotice {
  const memberId = body["memberId"];
  const version = body["version"];
  if (typeof memberId !== "string" || !MEMBER_ID.test(memberId)) throw new GossipRejection("invalid-body", "catalogue notice has no valid memberId");
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 0) {
    throw new GossipRejection("invalid-body", "catalogue notice has no valid version");
  }
  if (msg.iss !== memberId && msg.iss !== ctx.hubId) throw new GossipRejection("not-allowed", `${msg.iss} may not speak for the catalogue of ${memberId}`);
  const summary = decode(() => CatalogueSummary.fromJSON(asObject(body["summary"])), "catalogue summary");
  return { memberId, version, summary };
}

function readRevocation(msg: VerifiedGossip, body: Record<string, unknown>, ctx: GossipBodyContext): RevocationNotice {
  const { jti, issuer, exp } = body;
  if (!isTokenIdentifier(jti) || !isTokenIdentifier(issuer)) throw new GossipRejection("invalid-body", "revocation needs a jti and an issuer");
  if (typeof exp !== "number" || !Number.isSafeInteger(exp) || exp <= 0) throw new GossipRejection("invalid-body", "revocation needs exp, in seconds");
  if (msg.iss !== issuer && msg.iss !== ctx.hubId) {
    throw new GossipRejection("not-allowed", `${msg.iss} may not revoke tokens of ${issuer}: only their issuer or the hub may`);
  }
  return { jti, issuer, exp };
}

async function readConfig(body: Record<string, unknown>, ctx: GossipBodyContext): Promise<ConfigNotice> {
  const jws = body["jws"];
  if (typeof jws !== "string" || jws === "") throw new GossipRejection("invalid-body", "config notice has no JWS");
  let config: NetworkConfig;
  if (ctx.verifyConfig === undefined) {
    config = await verifyHubSignedConfig(jws, ctx.hubId, ctx.keyFor);
  } else {
    try {
      config = await ctx.verifyConfig(jws);
    } catch (err) {
      throw new GossipRejection("not-allowed", `network configuration refused: ${(err as Error).message}`, { cause: err });
    }
  }
  if (config.networkId !== ctx.networkId) throw new GossipRejection("not-allowed", "network configuration is for another network");
  if (config.hubId !== ctx.hubId) throw new GossipRejection("not-allowed", "network configuration names another hub, or none");
  return { jws, config };
}

function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new GossipRejection("invalid-body", "gossip body is not a JSON object");
  return value as Record<string, unknown>;
}

function decode<T>(read: () => T, what: string): T {
  try {
    return read();
  } catch (err) {
    throw new GossipRejection("invalid-body", `${what} does not decode`, { cause: err });
  }
}

function tryJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
