import { describe, expect, it } from "vitest";
import { Tier } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import type { Caller } from "../auth/caller.js";
import { CallLimiter } from "./call-limits.js";

const caller = (o: Partial<Caller> = {}): Caller => ({
  anonymous: false,
  subject: "alice",
  issuer: "sc-regional",
  tier: Tier.TIER_REGISTERED,
  scopes: new Set(["search", "read"]),
  tokenId: "j1",
  expiresAt: 0,
  ...o,
});
const anonymous = caller({ anonymous: true, subject: "anonymous", issuer: "", tier: Tier.TIER_PUBLIC });

function refused(fn: () => unknown): IpfedError {
  try {
    fn();
  } catch (err) {
    return err as IpfedError;
  }
  throw new Error("expected a refusal");
}

describe("CallLimiter", () => {
  it("lets a burst through, then refuses with a retry hint that matches the refill rate", () => {
    let now = 0;
    const l = new CallLimiter({ rate: { registered: { perSecond: 4, burst: 3 } } }, () => now);
    for (let i = 0; i < 3; i++) l.admit(caller(), "ipv4:10.0.0.1:1");
    const e = refused(() => l.admit(caller(), "ipv4:10.0.0.1:1"));
    expect(e.code).toBe("RATE_LIMITED");
    expect(e.retryAfterMs).toBe(250);
    expect(e.message).toContain("subject alice (of sc-regional) is over its rate of 4 calls/s (burst 3)");
    now = 200;
    expect(refused(() => l.admit(caller(), "ipv4:10.0.0.1:1")).retryAfterMs).toBe(50);
    now = 250;
    l.admit(caller(), "ipv4:10.0.0.1:1");
    // Two seconds refill 8 tokens, capped at the burst of 3.
    now = 2250;
    for (let i = 0; i < 3; i++) l.admit(caller(), "ipv4:10.0.0.1:1");
    expect(refused(() => l.admit(caller(), "ipv4:10.0.0.1:1")).code).toBe("RATE_LIMITED");
  });

  it("keeps one bucket per subject and issuer, per anonymous address, and per acting member", () => {
    const now = 0;
    const l = new CallLimiter({ rate: { public: { perSecond: 1, burst: 1 }, registered: { perSecond: 1, burst: 1 }, federated: { perSecond: 1, burst: 2 } } }, () => now);
    l.admit(caller(), "ipv4:10.0.0.1:1");
    l.admit(caller({ subject: "bob" }), "ipv4:10.0.0.1:1");
    l.admit(caller({ issuer: "gd-regional" }), "ipv4:10.0.0.1:1");
    expect(refused(() => l.admit(caller(), "ipv4:10.0.0.9:7")).code).toBe("RATE_LIMITED");
    l.admit(anonymous, "ipv4:10.0.0.1:1");
    l.admit(anonymous, "ipv6:[::1]:4000");
    expect(refused(() => l.admit(anonymous, "ipv4:10.0.0.1:2")).message).toContain("the anonymous caller at 10.0.0.1");
    // Delegated calls count against the acting member, whoever the end user is.
    const viaHub = (subject: string) => caller({ subject, act: { sub: "hub" } });
    l.admit(viaHub("u1"), "ipv4:10.0.0.2:1");
    l.admit(viaHub("u2"), "ipv4:10.0.0.2:1");
    expect(refused(() => l.admit(viaHub("u3"), "ipv4:10.0.0.2:1")).message).toContain("member hub (acting for its callers)");
    expect(l.trackedCallers).toBe(6);
  });

  it("sets the rate by tier", () => {
    const now = 0;
    const l = new CallLimiter({ rate: { registered: { perSecond: 1, burst: 1 }, confidential: { perSecond: 1, burst: 5 } } }, () => now);
    const boss = caller({ subject: "boss", tier: Tier.TIER_CONFIDENTIAL });
    for (let i = 0; i < 5; i++) l.admit(boss, "ipv4:10.0.0.1:1");
    expect(refused(() => l.admit(boss, "ipv4:10.0.0.1:1")).code).toBe("RATE_LIMITED");
  });

  it("caps the streams one caller holds open, and frees a slot on release (once)", () => {
    const l = new CallLimiter({ maxStreamsPerCaller: 2 });
    const a = l.admit(caller(), "p", { stream: true });
    l.admit(caller(), "p", { stream: true });
    l.admit(caller(), "p"); // unary calls hold no slot
    const e = refused(() => l.admit(caller(), "p", { stream: true }));
    expect(e.code).toBe("TOO_MANY_STREAMS");
    expect(e.message).toContain("already holds 2 open streams");
    a.release();
    a.release();
    l.admit(caller(), "p", { stream: true });
    expect(refused(() => l.admit(caller(), "p", { stream: true })).code).toBe("TOO_MANY_STREAMS");
  });

  it("refuses nonsense limits as configuration errors naming the field", () => {
    expect(() => new CallLimiter({ rate: { public: { perSecond: 0, burst: 1 } } })).toThrow(/limits\.rate\.public/);
    expect(() => new CallLimiter({ maxStreamsPerCaller: 0 })).toThrow(/limits\.maxStreamsPerCaller/);
  });

  it("forgets idle callers when it tracks too many, never one with an open stream", () => {
    let now = 0;
    const l = new CallLimiter({ maxTrackedCallers: 10 }, () => now);
    const held = l.admit(caller({ subject: "holder" }), "p", { stream: true });
    for (let i = 0; i < 9; i++) l.admit(caller({ subject: `u${i}` }), "p");
    now = 120_000;
    l.admit(caller({ subject: "new" }), "p");
    expect(l.trackedCallers).toBe(2);
    held.release();
  });

  it("gives a member acting for its callers its own, larger stream cap", () => {
    const l = new CallLimiter({ maxStreamsPerCaller: 1, maxStreamsPerMember: 3 });
    const viaHub = caller({ subject: "anonymous", anonymous: true, act: { sub: "hub" } });
    for (let i = 0; i < 3; i++) l.admit(viaHub, "p", { stream: true });
    expect(refused(() => l.admit(viaHub, "p", { stream: true })).message).toContain("member hub (acting for its callers) already holds 3 open streams");
    l.admit(caller(), "p", { stream: true });
    expect(refused(() => l.admit(caller(), "p", { stream: true })).code).toBe("TOO_MANY_STREAMS");
  });
});
