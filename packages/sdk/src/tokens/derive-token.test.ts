import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { Tier } from "@ipfed/proto";
import type { Caller } from "../auth/caller.js";
import type { ErrorCode } from "../errors/code.js";
import { IpfedError } from "../errors/ipfed-error.js";
import { generateMemberKey } from "../keys/member-key.js";
import type { MemberKey } from "../keys/member-key.js";
import { actChainToList } from "./actor-chain.js";
import { deriveToken } from "./derive-token.js";
import type { DeriveTokenOptions } from "./derive-token.js";
import { issueToken } from "./issue-token.js";
import { createStaticKeyResolver } from "./key-resolvers.js";
import type { StaticKeyResolver } from "./key-resolvers.js";
import { verifyToken } from "./verify-token.js";

const T = 1_700_000_000;
const now = new Date(T * 1000);
const NETWORK = "net-1";
const keys: Record<string, MemberKey> = {};
let resolver: StaticKeyResolver;

beforeAll(async () => {
  for (const id of ["platform-p", "hub", "regional", "outlet"]) keys[id] = await generateMemberKey();
  resolver = createStaticKeyResolver({
    "platform-p": { keys: [keys["platform-p"]!.publicJwk], maxTier: Tier.TIER_CONFIDENTIAL },
    hub: { keys: [keys["hub"]!.publicJwk], maxTier: Tier.TIER_CONFIDENTIAL },
    regional: { keys: [keys["regional"]!.publicJwk], maxTier: Tier.TIER_RESTRICTED },
    outlet: { keys: [keys["outlet"]!.publicJwk], maxTier: Tier.TIER_REGISTERED },
  });
});

/** Verifies a token as member `self` would. */
async function at(self: string, token: string, when: Date = now): Promise<Caller> {
  return (await verifyToken(token, { keys: resolver, audience: [self, NETWORK], now: () => when })).caller;
}

async function userCaller(extra: { datasets?: string[]; ttlSeconds?: number } = {}): Promise<Caller> {
  const token = await issueToken(keys["platform-p"]!, {
    issuer: "platform-p",
    subject: "user-1842",
    audience: NETWORK,
    tier: Tier.TIER_CONFIDENTIAL,
    scopes: ["search", "read", "export"],
    ttlSeconds: extra.ttlSeconds ?? 3600,
    ...(extra.datasets !== undefined ? { datasets: extra.datasets } : {}),
    now,
  });
  return at("hub", token);
}

function derive(parent: Caller, from: string, options: Omit<DeriveTokenOptions, "issuer" | "now"> & { now?: Date }): Promise<string> {
  return deriveToken(parent, keys[from]!, { issuer: from, now, ...options });
}

async function deriveFailure(parent: Caller, options: Omit<DeriveTokenOptions, "issuer" | "now">): Promise<IpfedError> {
  try {
    await derive(parent, "hub", options);
  } catch (err) {
    expect(err).toBeInstanceOf(IpfedError);
    return err as IpfedError;
  }
  throw new Error("expected deriveToken to refuse");
}

describe("deriveToken", () => {
  it("attenuates over three hops and records who acted for whom", async () => {
    const user = await userCaller({ datasets: ["ds-1", "ds-2", "ds-3"] });

    // Hop 1: the hub passes the call to the regional member, dropping export.
    const atRegional = await at("regional", await derive(user, "hub", { audience: "regional", scopes: ["search", "read"], tier: Tier.TIER_RESTRICTED }));
    expect(atRegional).toStrictEqual({
      anonymous: false,
      subject: "user-1842",
      issuer: "hub",
      tier: Tier.TIER_RESTRICTED,
      scopes: new Set(["search", "read"]),
      datasets: new Set(["ds-1", "ds-2", "ds-3"]),
      act: { sub: "hub", iss: "hub" },
      tokenId: atRegional.tokenId,
      expiresAt: T + 60,
    });

    // Hop 2: regional to outlet; its own allowance (restricted) already caps the tier.
    const atOutlet = await at("outlet", await derive(atRegional, "regional", { audience: "outlet", datasets: ["ds-2", "ds-3"], maxTier: Tier.TIER_RESTRICTED }));
    expect(atOutlet.tier).toBe(Tier.TIER_RESTRICTED);
    expect([...atOutlet.scopes]).toEqual(["search", "read"]);
    expect(atOutlet.datasets).toEqual(new Set(["ds-2", "ds-3"]));
    expect(atOutlet.act).toStrictEqual({ sub: "regional", iss: "regional", act: { sub: "hub", iss: "hub" } });

    // Hop 3: outlet to a further member, with the lowest tier and one scope.
    const third = await derive(atOutlet, "outlet", { audience: "hub", tier: Tier.TIER_PUBLIC, scopes: ["search"], ttlSeconds: 30 });
    const atHub = await at("hub", third);
    expect(atHub.subject).toBe("user-1842");
    expect(atHub.tier).toBe(Tier.TIER_PUBLIC);
    expect([...atHub.scopes]).toEqual(["search"]);
    expect(atHub.expiresAt).toBe(T + 30);
    expect(actChainToList(atHub.act)).toEqual(["outlet", "regional", "hub"]);
    expect(atHub.tokenId).not.toBe(atOutlet.tokenId);
  });

  it("never outlives the caller's token", async () => {
    const user = await userCaller({ ttlSeconds: 20 });
    const derived = await derive(user, "hub", { audience: "regional", ttlSeconds: 600 });
    expect(decodeJwt(derived).exp).toBe(T + 20);
  });

  it("keeps the caller's limits by default and lowers the tier to the deriving member's allowance", async () => {
    const user = await userCaller({ datasets: ["ds-1"] });
    const claims = decodeJwt(await derive(user, "hub", { audience: "outlet", maxTier: Tier.TIER_REGISTERED }));
    expect(claims).toMatchObject({ sub: "user-1842", iss: "hub", aud: "outlet", tier: "registered", scope: "search read export", datasets: ["ds-1"] });
    expect(claims.exp).toBe(T + 60);
  });

  it("passes on the requested datasets when the caller has no limit", async () => {
    const user = await userCaller();
    expect(decodeJwt(await derive(user, "hub", { audience: "regional", datasets: ["ds-9"] })).datasets).toEqual(["ds-9"]);
    expect(decodeJwt(await derive(user, "hub", { audience: "regional" })).datasets).toBeUndefined();
  });

  it("uses the actor option in the chain", async () => {
    const user = await userCaller();
    const { act } = decodeJwt(await derive(user, "hub", { audience: "regional", actor: "hub/federator-2" }));
    expect(act).toStrictEqual({ sub: "hub/federator-2", iss: "hub" });
  });

  it.each<[string, Omit<DeriveTokenOptions, "issuer" | "now">, ErrorCode, string?]>([
    ["a higher tier", { audience: "regional", tier: Tier.TIER_CONFIDENTIAL }, "TIER_EXCEEDS_ISSUER", "tier"],
    ["a tier above the deriving member's allowance", { audience: "regional", tier: Tier.TIER_RESTRICTED, maxTier: Tier.TIER_REGISTERED }, "TIER_EXCEEDS_ISSUER", "tier"],
    ["a scope the caller lacks", { audience: "regional", scopes: ["search", "publish"] }, "SCOPE_MISSING", "scopes"],
    ["a dataset outside the caller's", { audience: "regional", datasets: ["ds-1", "ds-7"] }, "DATASET_NOT_ALLOWED", "datasets"],
    ["no scopes at all", { audience: "regional", scopes: [] }, "INVALID_ARGUMENT", "scopes"],
    ["a negative ttl", { audience: "regional", ttlSeconds: -5 }, "INVALID_ARGUMENT", "ttlSeconds"],
  ])("refuses to widen: %s", async (_name, options, code, field) => {
    const parent = await at("regional", await derive(await userCaller({ datasets: ["ds-1", "ds-2"] }), "hub", { audience: "regional", tier: Tier.TIER_RESTRICTED, scopes: ["search", "read"] }));
    const err = await deriveFailure(parent, options);
    expect(err.code).toBe(code);
    if (field !== undefined) expect(err.field).toBe(field);
  });

  it("refuses anonymous and expired callers", async () => {
    const anonymous: Caller = { anonymous: true, subject: "anonymous", issuer: "", tier: Tier.TIER_PUBLIC, scopes: new Set(["search"]), tokenId: "", expiresAt: 0 };
    expect((await deriveFailure(anonymous, { audience: "regional" })).code).toBe("ANONYMOUS_NOT_ALLOWED");
    const user = await userCaller({ ttlSeconds: 30 });
    const err = await derive(user, "hub", { audience: "regional", now: new Date((T + 30) * 1000) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "TOKEN_EXPIRED" });
  });
});
