import { describe, expect, it } from "vitest";
import { IpfedError } from "../errors/ipfed-error.js";
import { resolveClientOptions } from "./client-options.js";
import { backoffDelay, DEFAULT_RETRY, isRetryable, RetryBudget } from "./retry.js";
import type { RetryEvent } from "./retry.js";

const unavailable = () => new IpfedError("UNAVAILABLE", "connection refused");

describe("backoffDelay", () => {
  it("grows by the multiplier up to the cap, the jitter share random", () => {
    const top = (n: number) => backoffDelay(DEFAULT_RETRY, n, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(top)).toEqual([100, 200, 400, 800, 1600, 2000]);
    // jitter 0.2: the wait is between 80% and 100% of the step.
    expect(backoffDelay(DEFAULT_RETRY, 3, () => 0)).toBe(320);
    expect(backoffDelay({ ...DEFAULT_RETRY, jitter: 1 }, 3, () => 0)).toBe(0);
    expect(backoffDelay({ ...DEFAULT_RETRY, jitter: 0 }, 3, () => 0.5)).toBe(400);
  });
});

describe("isRetryable", () => {
  it("retries UNAVAILABLE only", () => {
    expect(isRetryable(unavailable())).toBe(true);
    for (const code of ["DEADLINE_EXCEEDED", "CANCELLED", "INTERNAL", "RESOURCE_EXHAUSTED", "TOKEN_EXPIRED", "QUERY_SYNTAX"] as const) {
      expect(isRetryable(new IpfedError(code, "x")), code).toBe(false);
    }
  });
});

describe("RetryBudget", () => {
  const policy = { ...DEFAULT_RETRY, initialBackoffMs: 1, maxBackoffMs: 4, jitter: 0 };

  it("waits between attempts, reports each retry, and gives up after maxAttempts", async () => {
    const events: RetryEvent[] = [];
    const budget = new RetryBudget({ ...policy, onRetry: (e) => events.push(e) }, { method: "/m", signal: new AbortController().signal });
    const err = unavailable();
    await budget.failed(err);
    await budget.failed(err);
    await budget.failed(err);
    await expect(budget.failed(err)).rejects.toBe(err);
    expect(events.map((e) => [e.method, e.attempt, e.delayMs])).toEqual([
      ["/m", 1, 1],
      ["/m", 2, 2],
      ["/m", 3, 4],
    ]);
  });

  it("throws what may not be retried at once, and counts failures in a row after reset", async () => {
    const budget = new RetryBudget({ ...policy, maxAttempts: 2 }, { method: "/m", signal: new AbortController().signal });
    const syntax = new IpfedError("QUERY_SYNTAX", "bad");
    await expect(budget.failed(syntax)).rejects.toBe(syntax);
    budget.reset();
    await budget.failed(unavailable());
    budget.reset();
    await budget.failed(unavailable());
    await expect(budget.failed(unavailable())).rejects.toMatchObject({ code: "UNAVAILABLE" });
  });

  it("honours the member's retry-after, and gives up rather than wait past the deadline", async () => {
    const events: RetryEvent[] = [];
    const budget = new RetryBudget({ ...policy, onRetry: (e) => events.push(e) }, { method: "/m", signal: new AbortController().signal });
    await budget.failed(new IpfedError("UNAVAILABLE", "shedding load", { retryAfterMs: 30 }));
    expect(events[0]!.delayMs).toBe(30);
    const late = new RetryBudget(policy, { method: "/m", signal: new AbortController().signal, deadline: new Date(Date.now() + 100) });
    const err = new IpfedError("UNAVAILABLE", "down", { retryAfterMs: 500 });
    await expect(late.failed(err)).rejects.toBe(err);
  });

  it("is cancelled while it waits", async () => {
    const ac = new AbortController();
    const budget = new RetryBudget({ ...policy, initialBackoffMs: 10_000, maxBackoffMs: 10_000 }, { method: "/m", signal: ac.signal });
    const waiting = budget.failed(unavailable());
    ac.abort();
    await expect(waiting).rejects.toMatchObject({ code: "CANCELLED" });
  });
});

describe("resolveClientOptions", () => {
  it("applies the defaults once, and ties the channel's reconnect backoff to the retry policy", () => {
    const o = resolveClientOptions({ endpoint: "127.0.0.1:7400" });
    expect([o.deadlineMs, o.refreshBeforeSeconds, o.tls, o.retry.maxAttempts]).toEqual([30_000, 30, undefined, 4]);
    expect(o.channelOptions).toEqual({ "grpc.initial_reconnect_backoff_ms": 100, "grpc.max_reconnect_backoff_ms": 2000 });
    expect(resolveClientOptions({ endpoint: "[::1]:7400", retry: false }).retry.maxAttempts).toBe(1);
    expect(resolveClientOptions({ endpoint: "member.example.cn:443", tls: true }).tls).toEqual({});
    expect(resolveClientOptions({ endpoint: "h:1", allowPlaintext: true, retry: { maxAttempts: undefined } }).retry.maxAttempts).toBe(4);
  });

  it("refuses what cannot work, naming the option", () => {
    const field = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return [(err as IpfedError).code, (err as IpfedError).field];
      }
      return undefined;
    };
    expect(field(() => resolveClientOptions({ endpoint: "http://h:1" }))).toEqual(["INVALID_ARGUMENT", "endpoint"]);
    expect(field(() => resolveClientOptions({ endpoint: "h:1", token: "" }))).toEqual(["INVALID_ARGUMENT", "token"]);
    expect(field(() => resolveClientOptions({ endpoint: "h:1", deadlineMs: -1 }))).toEqual(["INVALID_ARGUMENT", "deadlineMs"]);
    expect(field(() => resolveClientOptions({ endpoint: "h:1", retry: { jitter: 2 } }))).toEqual(["INVALID_ARGUMENT", "retry.jitter"]);
    expect(field(() => resolveClientOptions({ endpoint: "h:1", retry: { initialBackoffMs: 500, maxBackoffMs: 100 } }))).toEqual(["INVALID_ARGUMENT", "retry.maxBackoffMs"]);
    expect(field(() => resolveClientOptions({ endpoint: "h:1", tls: { cert: Buffer.from("x") } }))).toEqual(["INVALID_ARGUMENT", "tls"]);
    // Plaintext only to loopback, unless allowed.
    expect(field(() => resolveClientOptions({ endpoint: "member.example.cn:7400" }))).toEqual(["PLAINTEXT_REFUSED", "allowPlaintext"]);
    expect(field(() => resolveClientOptions({ endpoint: "10.0.0.7:7400", allowPlaintext: true }))).toBeUndefined();
  });
});
