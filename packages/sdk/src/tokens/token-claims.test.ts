import { describe, expect, it } from "vitest";
import { Tier } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import { TIER_NAMES, formatScope, isTokenIdentifier, parseScope, parseTokenClaims, tierFromName, tierToName } from "./token-claims.js";

const valid = {
  iss: "member-a",
  sub: "user-1",
  aud: ["member-b", "net-1"],
  exp: 1_700_003_600,
  nbf: 1_700_000_000,
  iat: 1_700_000_000,
  jti: "jti-1",
  tier: "restricted",
  scope: "search read",
};

function claimFailure(payload: unknown): IpfedError {
  try {
    parseTokenClaims(payload);
  } catch (err) {
    expect(err).toBeInstanceOf(IpfedError);
    return err as IpfedError;
  }
  throw new Error("expected the claims to be refused");
}

describe("tier names", () => {
  it("round-trips every tier", () => {
    for (const name of TIER_NAMES) expect(tierToName(tierFromName(name) as Tier)).toBe(name);
    expect(tierFromName("public")).toBe(Tier.TIER_PUBLIC);
    expect(tierFromName("confidential")).toBe(Tier.TIER_CONFIDENTIAL);
  });

  it.each(["Public", "PUBLIC", " public", "unspecified", "", "__proto__", "toString"])("does not read %j as a tier", (name) => {
    expect(tierFromName(name)).toBeUndefined();
  });

  it("refuses to name TIER_UNSPECIFIED or a number that is no tier", () => {
    expect(() => tierToName(Tier.TIER_UNSPECIFIED)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT", field: "tier" }));
    expect(() => tierToName(9 as Tier)).toThrow(IpfedError);
  });
});

describe("parseScope and formatScope", () => {
  it("parses space-separated scope names", () => {
    expect([...parseScope("search read export publish admin")]).toEqual(["search", "read", "export", "publish", "admin"]);
    expect([...parseScope("read read")]).toEqual(["read"]);
  });

  it.each<[string, string]>([
    ["", "found an empty scope"],
    ["search  read", "found an extra space"],
    [" search", "found an extra space"],
    ["search,read", "found 'search,read'"],
    ["search delete", "found 'delete'"],
    ["Search", "found 'Search'"],
  ])("refuses %j", (value, found) => {
    let error: unknown;
    try {
      parseScope(value);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: "INVALID_ARGUMENT", field: "scope" });
    expect((error as Error).message).toBe(`expected scope names from 'search read export publish admin' separated by single spaces, ${found}`);
  });

  it("formats scopes in canonical order", () => {
    expect(formatScope(["admin", "read", "search", "read"])).toBe("search read admin");
    expect(formatScope(new Set(["export"] as const))).toBe("export");
  });

  it("refuses no scopes and unknown scopes", () => {
    expect(() => formatScope([])).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT", field: "scopes" }));
    expect(() => formatScope(["delete" as never])).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});

describe("isTokenIdentifier", () => {
  it.each<[unknown, boolean]>([
    ["sc-chengdu-tisc", true],
    ["user@example.org", true],
    ["x".repeat(256), true],
    ["x".repeat(257), false],
    ["", false],
    ["a\nb", false],
    ["a\u0085b", false],
    ["a\u2028b", false],
    [7, false],
    [null, false],
  ])("%j → %s", (value, expected) => {
    expect(isTokenIdentifier(value)).toBe(expected);
  });
});

describe("parseTokenClaims", () => {
  it("returns the claims it knows, in a fixed shape", () => {
    expect(parseTokenClaims({ ...valid, extra: "ignored", datasets: ["d1", "d2", "d1"] })).toStrictEqual({
      ...valid,
      datasets: ["d1", "d2"],
    });
  });

  it("leaves optional claims out when absent", () => {
    const { nbf: _nbf, iat: _iat, ...required } = valid;
    expect(parseTokenClaims(required)).toStrictEqual(required);
  });

  it.each<[string, Record<string, unknown>, string, "missing" | "invalid"]>([
    ["no iss", { iss: undefined }, "iss", "missing"],
    ["a numeric sub", { sub: 42 }, "sub", "invalid"],
    ["an aud object", { aud: { a: 1 } }, "aud", "invalid"],
    ["aud with an empty string", { aud: ["net-1", ""] }, "aud", "invalid"],
    ["a negative exp", { exp: -1 }, "exp", "invalid"],
    ["an infinite-looking exp", { exp: "Infinity" }, "exp", "invalid"],
    ["a string nbf", { nbf: "2024" }, "nbf", "invalid"],
    ["a null iat", { iat: null }, "iat", "invalid"],
    ["no jti", { jti: undefined }, "jti", "missing"],
    ["an unknown tier", { tier: "top-secret" }, "tier", "invalid"],
    ["no scope", { scope: undefined }, "scope", "missing"],
    ["an empty datasets list", { datasets: [] }, "datasets", "invalid"],
    ["a dataset that is no identifier", { datasets: ["ok", 3] }, "datasets", "invalid"],
    ["an act that is a string", { act: "hub" }, "act", "invalid"],
    ["an act with a numeric iss", { act: { sub: "hub", iss: 1 } }, "act", "invalid"],
    ["a nested act without sub", { act: { sub: "hub", act: {} } }, "act", "invalid"],
  ])("refuses %s", (_name, overrides, field, problem) => {
    const payload: Record<string, unknown> = { ...valid, ...overrides };
    for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete payload[k];
    const err = claimFailure(payload);
    expect(err.code).toBe("TOKEN_CLAIM_INVALID");
    expect(err.field).toBe(field);
    expect(err.message.startsWith(`claim ${field} is ${problem}: expected `)).toBe(true);
  });

  it("accepts act chains up to 32 deep and refuses deeper ones", () => {
    const chain = (depth: number): Record<string, unknown> => {
      let act: Record<string, unknown> = { sub: "m0" };
      for (let i = 1; i < depth; i++) act = { sub: `m${i}`, act };
      return act;
    };
    expect(parseTokenClaims({ ...valid, act: chain(32) }).act?.sub).toBe("m31");
    expect(claimFailure({ ...valid, act: chain(33) }).message).toBe("claim act is invalid: nested deeper than 32 actors");
  });

  it("refuses payloads that are not objects", () => {
    for (const payload of [null, [], "x", 1]) expect(claimFailure(payload).code).toBe("TOKEN_MALFORMED");
  });
});
