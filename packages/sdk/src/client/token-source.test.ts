import { describe, expect, it } from "vitest";
import { IpfedError } from "../errors/ipfed-error.js";
import { readTokenExpiry, TokenSource } from "./token-source.js";

const jwt = (payload: object) => `eyJhbGciOiJFZERTQSJ9.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.c2ln`;
const live = new AbortController().signal;

describe("readTokenExpiry", () => {
  it("reads exp without verifying, and nothing from what is not a JWT with one", () => {
    expect(readTokenExpiry(jwt({ exp: 1796022590, sub: "a" }))).toBe(1796022590);
    expect(readTokenExpiry(jwt({ sub: "a" }))).toBeUndefined();
    expect(readTokenExpiry(jwt({ exp: "soon" }))).toBeUndefined();
    expect(readTokenExpiry("opaque-token")).toBeUndefined();
    expect(readTokenExpiry("a.%%%.c")).toBeUndefined();
  });
});

describe("TokenSource", () => {
  it("sends a fixed token as is, or none", async () => {
    expect(await new TokenSource({ token: "t" }).get(live)).toBe("t");
    expect(await new TokenSource().get(live)).toBeUndefined();
  });

  it("asks the provider once for callers at the same time, and again near expiry", async () => {
    let now = 1_000_000_000_000;
    let calls = 0;
    const source = new TokenSource({
      now: () => now,
      refreshBeforeSeconds: 30,
      provider: async () => jwt({ exp: now / 1000 + 60, n: ++calls }),
    });
    const first = await Promise.all([source.get(live), source.get(live), source.get(live)]);
    expect(new Set(first).size).toBe(1);
    expect(calls).toBe(1);
    now += 20_000; // 40 s left: still good
    expect(await source.get(live)).toBe(first[0]);
    now += 15_000; // 25 s left: within refreshBeforeSeconds
    expect(await source.get(live)).not.toBe(first[0]);
    expect(calls).toBe(2);
  });

  it("replaces an expired token; keeps a near-expiry one when the provider fails", async () => {
    let now = 1_000_000_000_000;
    let fail = false;
    const source = new TokenSource({
      now: () => now,
      provider: () => {
        if (fail) throw new Error("vault unreachable");
        return jwt({ exp: now / 1000 + 60 });
      },
    });
    const t = await source.get(live);
    fail = true;
    now += 45_000; // near expiry, not expired
    expect(await source.get(live)).toBe(t);
    now += 30_000; // expired
    await expect(source.get(live)).rejects.toMatchObject({ code: "TOKEN_MISSING", message: "the token provider failed: vault unreachable" });
  });

  it("forgets a token the member refused, so the next call fetches one", async () => {
    let calls = 0;
    const source = new TokenSource({ token: "first", provider: () => `token-${++calls}` });
    expect(await source.get(live)).toBe("first"); // not a JWT: used until refused
    source.invalidate("first");
    expect(await source.get(live)).toBe("token-1");
    source.invalidate("someone-else");
    expect(await source.get(live)).toBe("token-1");
    expect(source.canRefresh).toBe(true);
    expect(new TokenSource({ token: "x" }).canRefresh).toBe(false);
  });

  it("reports an empty token, passes an IpfedError through, and stops waiting when cancelled", async () => {
    await expect(new TokenSource({ provider: () => "" }).get(live)).rejects.toMatchObject({ code: "TOKEN_MISSING" });
    const denied = new IpfedError("TOKEN_REVOKED", "revoked");
    await expect(new TokenSource({ provider: () => Promise.reject(denied) }).get(live)).rejects.toBe(denied);
    const ac = new AbortController();
    const slow = new TokenSource({ provider: () => new Promise<string>(() => {}) }).get(ac.signal);
    ac.abort();
    await expect(slow).rejects.toMatchObject({ code: "CANCELLED" });
  });
});
